using System.Text;
using PatchKit.Diffs.Merge;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Diffs.Merge;

/// <summary>PatchKit's own git object reader against repositories made by the real git: every blob read equals
/// <c>git cat-file -p</c>, from loose objects, then from packs with OFS_DELTA chains, then with REF_DELTA entries.</summary>
public class GitObjectStoreTests
{
    [Fact]
    public void ReadBlob_LooseThenPackedWithOfsAndRefDeltas_EqualsGitCatFile()
    {
        using var temp = new TempDir();
        string repo = temp.Path;
        Git(repo, "init", "-q");
        var random = new Random(23);
        var lines = new List<string>();
        for (int i = 0; i < 400; i++)
        {
            lines.Add($"line {i} {random.Next()}\n");
        }

        // Twelve versions of a few files: similar enough for git to store deltas once packed.
        for (int version = 0; version < 12; version++)
        {
            for (int e = 0; e < 5; e++)
            {
                lines[random.Next(lines.Count)] = $"edited {version} {random.Next()}\n";
            }

            lines.Insert(random.Next(lines.Count), $"inserted {version}\n");
            File.WriteAllText(Path.Combine(repo, "big.txt"), string.Concat(lines));
            File.WriteAllText(Path.Combine(repo, "small.txt"), string.Concat(lines.Take(5 + version)));
            File.WriteAllBytes(Path.Combine(repo, "bin.dat"), [.. Enumerable.Range(0, 3000).Select(i => (byte)((i * (version + 1)) % 251))]);
            if (version == 3)
            {
                File.WriteAllText(Path.Combine(repo, "empty.txt"), string.Empty);
            }

            Git(repo, "add", "-A");
            Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", $"v{version}");
        }

        string[] blobs = Git(repo, "rev-list", "--objects", "--all").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .Where(id => Git(repo, "cat-file", "-t", id).Trim() == "blob")
            .ToArray();
        Assert.True(blobs.Length >= 30, $"only {blobs.Length} blobs");

        CheckAll(repo, blobs, "loose");
        Assert.False(Directory.Exists(Path.Combine(repo, ".git", "objects", "pack")) && Directory.EnumerateFiles(Path.Combine(repo, ".git", "objects", "pack"), "*.pack").Any());

        // Packed with offset deltas (git's default), every loose object removed.
        Git(repo, "gc", "-q", "--aggressive", "--prune=now");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(repo, ".git", "objects"), "??"));
        string verify = Git(repo, "verify-pack", "-v", Directory.EnumerateFiles(Path.Combine(repo, ".git", "objects", "pack"), "*.idx").Single());
        Assert.Contains("chain length = 2", verify, StringComparison.Ordinal); // delta chains, not just single deltas
        CheckAll(repo, blobs, "packed (OFS_DELTA)");

        // Repacked with REF_DELTA entries (base named by id).
        Git(repo, "-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f");
        CheckAll(repo, blobs, "packed (REF_DELTA)");

        // Abbreviations: unique ones resolve; a prefix that is not there finds nothing.
        var store = new GitObjectStore(Path.Combine(repo, ".git", "objects"));
        Assert.Null(store.ReadBlob("0000000"));
        Assert.Null(store.ReadBlob("zzzz"));
    }

    [Fact]
    public void ReadBlob_DamagedLooseObject_ErrorNamesTheFile()
    {
        using var temp = new TempDir();
        Git(temp.Path, "init", "-q");
        File.WriteAllText(Path.Combine(temp.Path, "f"), "content\n");
        string id = Git(temp.Path, "hash-object", "-w", "f").Trim();
        string file = Path.Combine(temp.Path, ".git", "objects", id[..2], id[2..]);
        File.SetAttributes(file, FileAttributes.Normal);
        File.WriteAllBytes(file, [0x78, 0x9c, 1, 2, 3]);
        var store = new GitObjectStore(Path.Combine(temp.Path, ".git", "objects"));
        var e = Assert.Throws<InvalidDataException>(() => store.ReadBlob(id));
        Assert.Contains(id[2..], e.Message, StringComparison.Ordinal);
    }

    private static void CheckAll(string repo, string[] blobs, string stage)
    {
        var store = new GitObjectStore(GitObjectStore.FindObjectsDirectory(repo)!);
        foreach (string id in blobs)
        {
            byte[] expected = GnuTools.Run("git", repo, "cat-file", "-p", id).Output;
            Assert.True(expected.AsSpan().SequenceEqual(store.ReadBlob(id)), $"{stage}: blob {id} differs from git cat-file -p");
            Assert.True(expected.AsSpan().SequenceEqual(store.ReadBlob(id[..10])), $"{stage}: abbreviated {id[..10]}");
        }
    }

    internal static string Git(string dir, params string[] args)
    {
        var (code, output, error) = GnuTools.Run("git", dir, args);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: {error}");
        return Encoding.UTF8.GetString(output);
    }
}
