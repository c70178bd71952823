using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PatchKit.Cli.Commands;

/// <summary>A fingerprint of the files a run started with (fleet, catalog, policy), journaled as a decision record when
/// the run starts, so a resume with other inputs is refused with what changed instead of replaying a run that no longer
/// matches them. Each file is read as JSON and hashed in a canonical form (key order and white space do not count);
/// the parts a user would name (a host, a patch, a policy key) are hashed one by one, and short values are kept, so the
/// message can say "maxConcurrency 2 → 3" or "host esx-9 added".</summary>
/// <remarks>Only the JSON of the input files goes in: credentials are never inline in them (a fleet file for real
/// machines names them by reference).</remarks>
internal sealed class RunInputs
{
    /// <summary>The decision key of the record (older journals have none: their resume is not checked).</summary>
    public const string DecisionKey = "run-inputs";

    private const int ValueLimit = 120;

    /// <summary>Gets or sets the fingerprint's format: 2 packs the entries with an id (<see cref="RunInputFile.Entries"/>);
    /// 1 listed them as parts (still read).</summary>
    public int Format { get; set; } = 2;

    /// <summary>Gets or sets the SHA-256 of every file's canonical hash, in order.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>Gets or sets each input file.</summary>
    public List<RunInputFile> Files { get; set; } = [];

    /// <summary>Fingerprints the input files: (what the file is, e.g. "policy file"; its path as given; its bytes).</summary>
    public static RunInputs Of(IEnumerable<(string Role, string Path, byte[] Bytes)> files)
    {
        var result = new RunInputs();
        var all = new StringBuilder();
        foreach (var (role, path, bytes) in files)
        {
            var file = new RunInputFile { Role = role, Path = path };
            try
            {
                using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                file.Hash = Sha256(Canonical(doc.RootElement));
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    var entries = new List<RunInputPart>();
                    AddParts(file.Parts, entries, doc.RootElement, string.Empty);
                    file.Entries = Pack(entries);
                    file.EntryCount = entries.Count;
                }
            }
            catch (JsonException)
            {
                file.Hash = Sha256(bytes);
            }

            all.Append(role).Append('=').Append(file.Hash).Append('\n');
            result.Files.Add(file);
        }

        result.Hash = Sha256(Encoding.UTF8.GetBytes(all.ToString()));
        return result;
    }

    /// <summary>Serializes the fingerprint for the journal.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RunInputsJsonContext.Default.RunInputs);

    /// <summary>Reads a journaled fingerprint, or <see langword="null"/> when it is not one this version reads.</summary>
    public static RunInputs? FromJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var r = JsonSerializer.Deserialize(text, RunInputsJsonContext.Default.RunInputs);
            return r is { Format: 1 or 2 } ? r : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What changed from <paramref name="before"/> (the run's start) to this, one line per change, each naming
    /// the file; empty when nothing did.</summary>
    public List<string> ChangesSince(RunInputs before)
    {
        var lines = new List<string>();
        if (before.Hash == Hash)
        {
            return lines;
        }

        foreach (var now in Files)
        {
            var then = before.Files.Find(f => f.Role == now.Role);
            if (then is null || then.Hash == now.Hash)
            {
                continue;
            }

            string where = now.Role + " " + now.Path + (then.Path != now.Path ? " (the run started with " + then.Path + ")" : string.Empty) + ": ";
            var thenParts = AllParts(then);
            var old = new Dictionary<string, RunInputPart>(StringComparer.Ordinal);
            foreach (var p in thenParts)
            {
                old[p.Name] = p;
            }

            var changes = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in AllParts(now))
            {
                seen.Add(p.Name);
                if (!old.TryGetValue(p.Name, out var o))
                {
                    changes.Add(p.Name + " added" + (p.Value is { } v ? " (" + v + ")" : string.Empty));
                }
                else if (!SameHash(o.Hash, p.Hash))
                {
                    changes.Add(o.Value is not null && p.Value is not null ? p.Name + " " + o.Value + " → " + p.Value : p.Name + " changed");
                }
            }

            foreach (var p in thenParts)
            {
                if (!seen.Contains(p.Name))
                {
                    changes.Add(p.Name + " removed" + (p.Value is { } v ? " (was " + v + ")" : string.Empty));
                }
            }

            if (changes.Count == 0)
            {
                changes.Add("the order of its entries changed");
            }

            const int Shown = 10;
            foreach (string c in changes.Take(Shown))
            {
                lines.Add(where + c);
            }

            if (changes.Count > Shown)
            {
                lines.Add(where + string.Create(CultureInfo.InvariantCulture, $"… and {changes.Count - Shown} more changes"));
            }
        }

        if (lines.Count == 0)
        {
            lines.Add("the set of input files changed");
        }

        return lines;
    }

    /// <summary>The parts of an object: an array whose items all carry an "id" gives one part per item ("host esx01",
    /// "patch KB1"); a nested object gives its keys with a dotted path; anything else is one part.</summary>
    private static void AddParts(List<RunInputPart> parts, List<RunInputPart> entries, JsonElement obj, string prefix)
    {
        foreach (var p in obj.EnumerateObject())
        {
            string name = prefix + p.Name;
            var v = p.Value;
            if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v.EnumerateArray().All(HasId))
            {
                string item = p.Name switch
                {
                    "hosts" => "host",
                    "patches" => "patch",
                    "adapters" => "adapter",
                    _ => name + " entry",
                };
                foreach (var e in v.EnumerateArray())
                {
                    entries.Add(new RunInputPart { Name = prefix + item + " " + e.GetProperty("id").GetString(), Hash = EntryHash(Canonical(e)) });
                }
            }
            else if (v.ValueKind == JsonValueKind.Object && v.EnumerateObject().Any())
            {
                AddParts(parts, entries, v, name + ".");
            }
            else
            {
                byte[] canonical = Canonical(v);
                string? shown = canonical.Length <= ValueLimit
                    ? v.ValueKind == JsonValueKind.String ? v.GetString() : Encoding.UTF8.GetString(canonical)
                    : null;
                parts.Add(new RunInputPart { Name = name, Hash = PartHash(canonical), Value = shown });
            }
        }
    }

    /// <summary>Whether two part hashes agree (over the shorter one: an entry journaled in format 1 had 64 bits).</summary>
    private static bool SameHash(string a, string b) =>
        a.AsSpan(0, Math.Min(a.Length, b.Length)).SequenceEqual(b.AsSpan(0, Math.Min(a.Length, b.Length)));

    /// <summary>A file's parts, its packed entries included.</summary>
    private static List<RunInputPart> AllParts(RunInputFile file)
    {
        var all = new List<RunInputPart>(file.Parts);
        if (file.Entries is { Length: > 0 } packed)
        {
            try
            {
                using var input = new MemoryStream(Convert.FromBase64String(packed));
                using var brotli = new BrotliStream(input, CompressionMode.Decompress);
                using var bytes = new MemoryStream();
                brotli.CopyTo(bytes);
                var data = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
                int count = file.EntryCount;
                var names = Encoding.UTF8.GetString(data[(count * EntryHashBytes)..]).Split('\n');
                for (int i = 0; i < count && i < names.Length; i++)
                {
                    all.Add(new RunInputPart { Name = names[i], Hash = Convert.ToHexStringLower(data.Slice(i * EntryHashBytes, EntryHashBytes)) });
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException or ArgumentOutOfRangeException)
            {
                // An unreadable packing explains nothing more: the file's hash still tells the change.
            }
        }

        return all;
    }

    /// <summary>Packs entries: every entry's hash (raw bytes), then their names one a line; Brotli, base64 (no character
    /// the journal's JSON escapes).</summary>
    private static string? Pack(List<RunInputPart> entries)
    {
        if (entries.Count == 0)
        {
            return null;
        }

        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.SmallestSize))
        {
            foreach (var e in entries)
            {
                brotli.Write(Convert.FromHexString(e.Hash));
            }

            // A name with a line break (an id no one would give) is packed with a space instead.
            brotli.Write(Encoding.UTF8.GetBytes(string.Join('\n', entries.Select(e => e.Name.Replace('\n', ' ').Replace('\r', ' ')))));
        }

        return Convert.ToBase64String(output.ToArray());
    }

    private static bool HasId(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String;

    /// <summary>The element as JSON with every object's keys in ordinal order and no white space.</summary>
    private static byte[] Canonical(JsonElement e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(w, e);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var x in e.EnumerateArray())
                {
                    Write(w, x);
                }

                w.WriteEndArray();
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A part's hash: the first 64 bits of its SHA-256 (enough to tell a change; a fleet of 10,000 hosts keeps
    /// its record small).</summary>
    private static string PartHash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));

    /// <summary>An entry's hash: the first 32 bits of its SHA-256. It only explains a change (which host): the file's
    /// full hash tells that there is one, so a collision (one in four billion) would leave a change unnamed, never
    /// unnoticed.</summary>
    private static string EntryHash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, EntryHashBytes));

    private const int EntryHashBytes = 4;
}
