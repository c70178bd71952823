using System.Security.Cryptography;
using System.Text.Json;

namespace PatchKit.Tests.Infrastructure;

/// <summary>Reads ../shared/corpus/peers/*/expectations.json (schema in peers/README.md).</summary>
public static class PeerVectors
{
    public static string? Root => Corpus.Find("peers");

    public static IEnumerable<object[]> Vectors(string folder, string kind)
    {
        string? root = Root;
        if (root is null)
        {
            yield break;
        }

        string file = Path.Combine(root, folder, "expectations.json");
        if (!File.Exists(file))
        {
            yield break;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("kind").GetString() == kind)
            {
                yield return [v.GetProperty("id").GetString()!];
            }
        }
    }

    public static JsonElement Get(string folder, string id)
    {
        string file = Path.Combine(Root!, folder, "expectations.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("id").GetString() == id)
            {
                return v.Clone();
            }
        }

        throw new InvalidOperationException("no vector " + id);
    }

    public static string PathOf(string relative) => Path.Combine(Root!, relative);

    /// <summary>The tree_after form: path → first 16 hex digits of SHA-256, symlinks as "-> target"; .orig/.rej left out.</summary>
    public static SortedDictionary<string, string> TreeAfter(string root)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string rel = Path.GetRelativePath(root, entry).Replace(Path.DirectorySeparatorChar, '/');
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } target)
            {
                map[rel] = "-> " + target;
            }
            else if (!Directory.Exists(entry) && !rel.EndsWith(".orig", StringComparison.Ordinal) && !rel.EndsWith(".rej", StringComparison.Ordinal))
            {
                map[rel] = Sha16(File.ReadAllBytes(entry));
            }
        }

        return map;
    }

    public static SortedDictionary<string, string> Expected(JsonElement treeAfter)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in treeAfter.EnumerateObject())
        {
            map[p.Name] = p.Value.GetString()!;
        }

        return map;
    }

    public static string Sha16(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data))[..16];

    public static string Show(SortedDictionary<string, string> map) => string.Join(", ", map.Select(p => p.Key + "=" + p.Value));
}
