using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatchKit.Hosts.Windows.Updates;

/// <summary>Reads the JSON the adapter's scripts print, in Windows PowerShell 5.1's <c>ConvertTo-Json</c> shapes: a single
/// item is an object rather than a one-element array, DateTime values are <c>{"value": "\/Date(ms)\/", "DateTime": …}</c>
/// objects or <c>\/Date(ms)\/</c> strings, and output arrives in the console code page with CRLF line ends.</summary>
internal static partial class WindowsOutputParser
{
    private static readonly JsonDocumentOptions s_json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 };

    public static WindowsOsInfo ParseOsInfo(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "OS information");
        var o = Single(doc.RootElement);
        return new WindowsOsInfo(
            Str(o, "Caption"), Str(o, "Version"), Str(o, "BuildNumber"),
            o.TryGetProperty("UBR", out var ubr) && ubr.ValueKind == JsonValueKind.Number ? ubr.GetInt32() : null,
            Str(o, "DisplayVersion"), Str(o, "ComputerName"),
            Date(o, "LastBootUpTime") ?? throw new FormatException("The OS information has no LastBootUpTime."));
    }

    /// <summary>Installed updates: the object <c>{HotFixes, History}</c> the adapter's script prints, or a bare Get-HotFix list.</summary>
    public static IReadOnlyList<WindowsInstalledUpdate> ParseInstalledUpdates(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "installed updates");
        var list = new List<WindowsInstalledUpdate>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var root = doc.RootElement;
        var hotfixes = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("HotFixes", out var h) ? h : root;
        foreach (var e in Items(hotfixes))
        {
            string id = Str(e, "HotFixID").Trim();
            if (id.Length > 0 && seen.Add(id))
            {
                list.Add(new WindowsInstalledUpdate(id, Str(e, "Description"), string.Empty, Date(e, "InstalledOn") ?? default, "hotfix"));
            }
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("History", out var history))
        {
            foreach (var e in Items(history))
            {
                // IUpdateHistoryEntry.ResultCode: 2 succeeded, 3 succeeded with errors; failures are not installs.
                if (Int(e, "ResultCode") is not (2 or 3))
                {
                    continue;
                }

                string title = Str(e, "Title");
                string updateId = Str(e, "UpdateID");
                string id = KbOf(title) ?? updateId;
                if (id.Length > 0 && seen.Add(id))
                {
                    list.Add(new WindowsInstalledUpdate(id, title, updateId, Date(e, "Date") ?? default, "history"));
                }
            }
        }

        return list;
    }

    public static IReadOnlyList<WindowsApplicableUpdate> ParseSearch(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "Windows Update search");
        var list = new List<WindowsApplicableUpdate>();
        foreach (var e in Items(doc.RootElement))
        {
            var kbs = new List<string>();
            if (e.TryGetProperty("KBArticleIDs", out var k))
            {
                foreach (var x in Items(k))
                {
                    string s = x.ValueKind == JsonValueKind.Number ? x.GetRawText() : x.GetString() ?? string.Empty;
                    if (s.Length > 0)
                    {
                        kbs.Add("KB" + s.TrimStart('K', 'B', 'k', 'b'));
                    }
                }
            }

            list.Add(new WindowsApplicableUpdate(Str(e, "Title"), kbs, Str(e, "UpdateID"), Str(e, "MsrcSeverity"), Bool(e, "IsDownloaded"), Bool(e, "RebootRequired")));
        }

        return list;
    }

    public static WindowsPendingReboot ParsePendingReboot(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "pending-reboot state");
        var o = Single(doc.RootElement);
        return new WindowsPendingReboot(Bool(o, "CbsRebootPending"), Bool(o, "WindowsUpdateRebootRequired"), Bool(o, "PendingFileRenameOperations"));
    }

    /// <summary>The fence script's answer: whether the caller's token passed, and the token now stored.</summary>
    public static (bool Accepted, long Token) ParseFence(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "fencing token check");
        var o = Single(doc.RootElement);
        return o.ValueKind == JsonValueKind.Object && o.TryGetProperty("Token", out var t) && t.TryGetInt64(out long token)
            ? (Bool(o, "Accepted"), token)
            : throw new FormatException("The fencing token check printed no token.");
    }

    public static string ParseJobId(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "install job start");
        string id = Str(Single(doc.RootElement), "JobId");
        return IsJobId(id) ? id : throw new FormatException("The install job start printed no job id.");
    }

    public static WindowsInstallJobStatus ParseJobStatus(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "install job state");
        var o = Single(doc.RootElement);
        var items = new List<WindowsInstallJobItem>();
        if (o.TryGetProperty("Updates", out var u))
        {
            foreach (var e in Items(u))
            {
                items.Add(new WindowsInstallJobItem(Str(e, "Title"), Str(e, "UpdateID"), Int(e, "ResultCode"), Int(e, "HResult"), Bool(e, "RebootRequired")));
            }
        }

        string state = Str(o, "State");
        return new WindowsInstallJobStatus(state.Length == 0 ? "Unknown" : state, Int(o, "ResultCode"), Int(o, "HResult"), Bool(o, "RebootRequired"), Str(o, "Error"), items,
            o.TryGetProperty("ExitCode", out var x) && x.ValueKind == JsonValueKind.Number ? Int(o, "ExitCode") : null, Str(o, "Output"));
    }

    /// <summary>The text of PowerShell's CLIXML error stream (<c>#&lt; CLIXML</c> on stderr), or the input as is.</summary>
    public static string ErrorText(ReadOnlySpan<byte> stderr)
    {
        string text = Decode(stderr);
        if (!text.StartsWith("#< CLIXML", StringComparison.Ordinal))
        {
            return text.Trim();
        }

        var sb = new StringBuilder();
        foreach (Match m in ClixmlError().Matches(text))
        {
            sb.Append(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Replace("_x000D_", string.Empty, StringComparison.Ordinal).Replace("_x000A_", "\n", StringComparison.Ordinal));
        }

        return sb.ToString().Trim();
    }

    /// <summary>The KB number in an update title, e.g. <c>KB5034768</c> from "2024-02 Cumulative Update … (KB5034768)".</summary>
    public static string? KbOf(string title) => KbPattern().Match(title) is { Success: true } m ? "KB" + m.Groups[1].Value : null;

    /// <summary>The reboot-asks script's JSON list of boot times (ISO 8601); unparsable entries are skipped.</summary>
    public static IReadOnlyList<DateTimeOffset> ParseBootList(ReadOnlySpan<byte> output)
    {
        using var doc = Parse(output, "reboot count");
        var list = new List<DateTimeOffset>();
        foreach (var e in Items(doc.RootElement))
        {
            if (e.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                list.Add(t);
            }
        }

        return list;
    }

    public static bool IsJobId(string id) => id.Length == 32 && !id.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <summary>Output bytes as text: UTF-8 when valid (with or without BOM), otherwise Latin-1 (code page 437's ASCII half
    /// is the same, which is all the scripts' JSON needs).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> output, string what)
    {
        string text = Decode(output).Trim();
        if (text.Length == 0)
        {
            throw new FormatException("The " + what + " script printed nothing.");
        }

        try
        {
            return JsonDocument.Parse(text, s_json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The " + what + " script printed something that is not JSON: " + (text.Length > 120 ? text[..120] + "…" : text), ex);
        }
    }

    private static JsonElement Single(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? (e.GetArrayLength() > 0 ? e[0] : throw new FormatException("An empty JSON list where one object was expected.")) : e;

    private static IEnumerable<JsonElement> Items(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray(),
        JsonValueKind.Object or JsonValueKind.String or JsonValueKind.Number => [e],
        _ => [],
    };

    private static string Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString() ?? string.Empty, JsonValueKind.Number => v.GetRawText(), _ => string.Empty }
            : string.Empty;

    private static int Int(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.Number => v.TryGetInt32(out int i) ? i : unchecked((int)v.GetInt64()),
                JsonValueKind.String => int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 0,
                _ => 0,
            }
            : 0;

    private static bool Bool(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A date as PowerShell 5.1 writes it: ISO 8601 (the scripts' <c>ToString('o')</c>), <c>\/Date(ms)\/</c>, or
    /// the <c>{"value": "\/Date(ms)\/", "DateTime": …}</c> object ConvertTo-Json makes of a DateTime with its ETS property.</summary>
    private static DateTimeOffset? Date(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("value", out var inner))
        {
            v = inner;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string s = v.GetString() ?? string.Empty;
        if (MsDate().Match(s) is { Success: true } m)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
    }

    [GeneratedRegex(@"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")]
    private static partial Regex MsDate();

    [GeneratedRegex(@"\bKB(\d{5,8})\b", RegexOptions.IgnoreCase)]
    private static partial Regex KbPattern();

    [GeneratedRegex(@"<S S=""Error"">(.*?)</S>", RegexOptions.Singleline)]
    private static partial Regex ClixmlError();
}
