using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;

namespace PatchKit.Fuzz;

/// <summary>The in-memory tree the tree target applies into, and a snapshot of everything outside its root.</summary>
public static class FuzzTree
{
    public const string Root = "/mock/tree";

    public static MockFileSystem Create()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>(StringComparer.Ordinal)
        {
            [Root + "/x"] = new("a\nb\nc\n"),
            [Root + "/dir/y.txt"] = new("one\ntwo\nthree\n"),
            [Root + "/.git/config"] = new("[core]\n"),
            ["/mock/outside/secret"] = new("do not touch\n"),
            ["/etc/hostname"] = new("host\n"),
        });
        fs.Directory.CreateSymbolicLink(Root + "/link", "/mock/outside");
        return fs;
    }

    /// <summary>Every path outside the root (and the root's .git), with its content.</summary>
    public static SortedDictionary<string, string> SnapshotOutside(IFileSystem fs)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in fs.Directory.EnumerateFileSystemEntries("/", "*", SearchOption.AllDirectories))
        {
            string normal = path.Replace('\\', '/');
            bool inside = normal.StartsWith(Root + "/", StringComparison.Ordinal) && !normal.StartsWith(Root + "/.git", StringComparison.Ordinal);
            if (inside || normal == Root)
            {
                continue;
            }

            snapshot[normal] = fs.File.Exists(path) ? Convert.ToBase64String(fs.File.ReadAllBytes(path)) : "<dir>";
        }

        return snapshot;
    }

    public static bool SameSnapshot(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public static string Describe(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join(", ", after.Where(kv => !before.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => kv.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k)).Select(k => "-" + k)));
}
