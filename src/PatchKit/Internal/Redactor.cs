using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PatchKit.Internal;

/// <summary>Removes secrets from text the lifecycle records (journal, logs, report): every value a
/// <see cref="PatchKit.Hosts.Secret"/> revealed in this process, the user information of URIs
/// (<c>https://user:pass@host</c>), and <c>password=</c>/<c>api_key=</c>-style pairs.</summary>
internal static partial class Redactor
{
    public const string Mask = "***";

    private static readonly ConcurrentDictionary<string, byte> s_values = new(StringComparer.Ordinal);

    public static void Remember(string value)
    {
        // Very short values would mask ordinary words; such secrets are refused by no one but are not worth hiding text for.
        if (value.Length >= 4)
        {
            s_values.TryAdd(value, 0);
        }
    }

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var v in s_values.Keys)
        {
            if (text.Contains(v, StringComparison.Ordinal))
            {
                text = text.Replace(v, Mask, StringComparison.Ordinal);
            }
        }

        text = UserInfo().Replace(text, "://" + Mask + "@");
        return KeyValue().Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mask);
    }

    [GeneratedRegex(@"://[^/\s@:]*:[^/\s@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?i)\b(password|passwd|pwd|secret|token|api_key|apikey|api-key|authorization)(\s*[=:]\s*""?)(?!\*\*\*)[^\s""&;,]+", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();
}
