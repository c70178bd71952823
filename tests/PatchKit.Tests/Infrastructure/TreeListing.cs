using System.Security.Cryptography;
using System.Text;

namespace PatchKit.Tests.Infrastructure;

/// <summary>The corpus's canonical listing of a tree: one "mode sha256 path" line per regular file and symlink,
/// sorted by the bytes of the path (see ../shared/corpus/real/README.md), and tree copies that keep modes and links.</summary>
public static class TreeListing
{
    public static SortedDictionary<string, string> List(string root, bool withModes = true, Func<string, bool>? skip = null)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return result;
        }

        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            string dir = stack.Pop();
            foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var info = new FileInfo(entry);
                string rel = Path.GetRelativePath(root, entry).Replace(Path.DirectorySeparatorChar, '/');
                if (info.LinkTarget is { } target)
                {
                    result[rel] = "120000 " + Hex(Encoding.UTF8.GetBytes(target));
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    stack.Push(entry);
                    continue;
                }

                if (skip is not null && skip(rel))
                {
                    continue;
                }

                string mode = withModes && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(entry) & UnixFileMode.UserExecute) != 0 ? "100755" : "100644";
                result[rel] = mode + " " + Hex(File.ReadAllBytes(entry));
            }
        }

        return result;
    }

    public static string Hash(string root)
    {
        var sb = new StringBuilder();
        foreach (var pair in List(root))
        {
            string[] parts = pair.Value.Split(' ');
            sb.Append(parts[0]).Append(' ').Append(parts[1]).Append(' ').Append(pair.Key).Append('\n');
        }

        return Hex(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    public static string Diff(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var sb = new StringBuilder();
        foreach (var pair in expected)
        {
            if (!actual.TryGetValue(pair.Key, out string? value))
            {
                sb.Append("missing ").Append(pair.Key).Append("; ");
            }
            else if (value != pair.Value)
            {
                sb.Append("differs ").Append(pair.Key).Append(value[..6] != pair.Value[..6] ? " (mode)" : string.Empty).Append("; ");
            }
        }

        foreach (var pair in actual)
        {
            if (!expected.ContainsKey(pair.Key))
            {
                sb.Append("extra ").Append(pair.Key).Append("; ");
            }
        }

        return sb.ToString();
    }

    /// <summary>Copies a tree, keeping symlinks as links and the exec bits.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string entry in Directory.EnumerateFileSystemEntries(from))
        {
            string dest = Path.Combine(to, Path.GetFileName(entry));
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(dest, target);
            }
            else if (Directory.Exists(entry))
            {
                Copy(entry, dest);
            }
            else
            {
                File.Copy(entry, dest);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(dest, File.GetUnixFileMode(entry));
                }
            }
        }
    }

    private static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Every path of an in-memory file system with its bytes (base64; "&lt;dir&gt;" for a folder), sorted by
    /// ordinal: equal snapshots mean nothing was created, changed or removed anywhere, outside the tree root too.</summary>
    public static List<KeyValuePair<string, string>> Snapshot(System.IO.Abstractions.TestingHelpers.MockFileSystem fs) =>
        [.. fs.AllPaths.Order(StringComparer.Ordinal).Select(p => new KeyValuePair<string, string>(p, fs.File.Exists(p) ? Convert.ToBase64String(fs.File.ReadAllBytes(p)) : "<dir>"))];
}
