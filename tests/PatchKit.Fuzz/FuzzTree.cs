using System.Buffers.Binary;
using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using System.Text;

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

    /// <summary>Paths a planted journal names: inside the tree, through links, out of it, into .git, PatchKit's own.</summary>
    private static readonly string[] s_paths =
    [
        "x", "dir/y.txt", "new/file", "../outside/secret", "/mock/outside/secret", "link/secret", "d/../../outside/secret",
        "up/outside/secret", ".git/config", "g/config", "dir/.patchkit-journal", ".patchkit-new-00", "./x", "dir//y.txt",
        "x.orig", "x.rej", "..", "/etc/hostname",
    ];

    /// <summary>Link targets planted links and journal entries point to.</summary>
    private static readonly string[] s_targets =
    [
        "x", ".", "..", "../outside/secret", "/mock/outside/secret", "d/../../outside", "up/outside/secret", ".git/config",
        "d/.git/hooks", "dir/../x", "g", "link", "nowhere",
    ];

    /// <summary>Builds the tree and plants in it what <paramref name="recipe"/> asks for (the part of the input after
    /// the patch): journals (raw bytes, the old format, the current format bound to this root with hostile entries, in a
    /// subfolder, a dangling link or a folder by that name), temporary names that are links out, links that lead out
    /// only when followed (<c>d -&gt; .</c>, <c>up -&gt; ..</c>, <c>g -&gt; .git</c>), links named <c>NAME.orig</c> and
    /// <c>NAME.rej</c>, and device files.</summary>
    public static MockFileSystem Create(ReadOnlySpan<byte> recipe)
    {
        MockFileSystem fs = Create();
        int at = 0;
        for (int planted = 0; planted < 6 && at < recipe.Length; planted++)
        {
            byte op = recipe[at++];
            string journal = Root + "/.patchkit-journal";
            switch (op % 14)
            {
                case 0:
                    int n = Math.Min(recipe.Length - at, (op >> 4) * 16);
                    Put(fs, journal, recipe.Slice(at, n).ToArray());
                    at += n;
                    break;
                case 1:
                    Put(fs, journal, Journal(recipe, ref at, current: false));
                    break;
                case 2:
                case 3:
                    Put(fs, journal, Journal(recipe, ref at, current: true));
                    break;
                case 4:
                    Link(fs, Root + "/.patchkit-new.x", Pick(s_targets, recipe, ref at));
                    break;
                case 5:
                    Link(fs, Root + "/d", ".");
                    break;
                case 6:
                    Link(fs, Root + "/up", "..");
                    break;
                case 7:
                    Link(fs, Root + "/g", ".git");
                    break;
                case 8:
                    Link(fs, Root + ((op & 16) != 0 ? "/x.orig" : "/x.rej"), Pick(s_targets, recipe, ref at));
                    break;
                case 9:
                    // A device (an in-memory file system marks it with FileAttributes.Device): never to be read.
                    string device = (op & 16) != 0 ? Root + "/x" : Root + "/dir/y.txt";
                    fs.File.Delete(device);
                    fs.AddFile(device, new MockFileData("endless\n") { Attributes = FileAttributes.Device });
                    break;
                case 10:
                    Put(fs, Root + "/dir/.patchkit-journal", Journal(recipe, ref at, current: (op & 16) != 0));
                    break;
                case 11:
                    if (!fs.FileExists(journal))
                    {
                        Link(fs, journal, (op & 16) != 0 ? "nowhere" : "/mock/outside/secret");
                    }

                    break;
                case 12:
                    if (!fs.FileExists(journal))
                    {
                        fs.Directory.CreateDirectory(journal);
                    }

                    break;
                default:
                    Link(fs, Root + "/dir/" + Pick(["l1", "l2", ".patchkit-new-00"], recipe, ref at), Pick(s_targets, recipe, ref at));
                    break;
            }
        }

        return fs;
    }

    private static string Pick(string[] from, ReadOnlySpan<byte> recipe, ref int at) => at < recipe.Length ? from[recipe[at++] % from.Length] : from[0];

    private static void Put(MockFileSystem fs, string path, byte[] content)
    {
        if (fs.Directory.Exists(path) || fs.FileInfo.New(path).LinkTarget is not null)
        {
            return;
        }

        fs.AddFile(path, new MockFileData(content));
    }

    private static void Link(MockFileSystem fs, string path, string target)
    {
        if (fs.FileExists(path) || fs.Directory.Exists(path) || fs.FileInfo.New(path).LinkTarget is not null)
        {
            return;
        }

        // Added directly: the mock's CreateSymbolicLink wants the target to exist, resolved from the current folder.
        fs.AddFile(path, new MockFileData(string.Empty) { LinkTarget = target, Attributes = FileAttributes.ReparsePoint });
    }

    /// <summary>A journal with up to four entries from the recipe: the format before issue 25, or the current one bound to
    /// this root (an in-memory file system has no inode, so the root's path binds it) with a valid checksum, as someone
    /// who can see the tree could forge it. Its entries are what PatchKit must check before replaying any.</summary>
    private static byte[] Journal(ReadOnlySpan<byte> recipe, ref int at, bool current)
    {
        var ms = new MemoryStream();
        ms.Write(current ? "PATCHKIT-JOURNAL 2\n"u8 : "PATCHKIT-JOURNAL 1\n"u8);
        Span<byte> b = stackalloc byte[20];
        if (current)
        {
            ms.Write(new byte[16]);
            byte[] root = Encoding.UTF8.GetBytes(Root);
            b.Clear();
            BinaryPrimitives.WriteInt32LittleEndian(b[16..], root.Length);
            ms.Write(b);
            ms.Write(root);
        }

        int count = at < recipe.Length ? 1 + (recipe[at++] % 4) : 1;
        for (int i = 0; i < count; i++)
        {
            byte[] path = Encoding.UTF8.GetBytes(Pick(s_paths, recipe, ref at));
            byte kind = at < recipe.Length ? recipe[at++] : (byte)1;
            kind = kind < 0xF0 ? (byte)(kind % 3) : kind; // Absent, File, Symlink; now and then an unknown kind
            byte[] content = kind == 2 ? Encoding.UTF8.GetBytes(Pick(s_targets, recipe, ref at)) : "planted\n"u8.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(b, path.Length);
            b[4] = kind;
            b[5] = at < recipe.Length ? (byte)(recipe[at++] % 3) : (byte)0;
            BinaryPrimitives.WriteInt32LittleEndian(b[6..], content.Length);
            ms.Write(b[..10]);
            ms.Write(path);
            ms.Write(content);
        }

        ms.Write("COMPLETE"u8);
        BinaryPrimitives.WriteInt32LittleEndian(b, count);
        ms.Write(b[..4]);
        if (current)
        {
            ms.Write(System.IO.Hashing.XxHash128.Hash(ms.ToArray()));
        }

        return ms.ToArray();
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
