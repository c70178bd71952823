using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public sealed class PathGuardTests
{
    private static PathGuard Guard(string root, bool allowGit = false, bool? devices = null) => new(new FileSystem(), root, allowGit, devices);

    [Theory]
    [InlineData("a/src/x.c", 1, "src/x.c")]
    [InlineData("x.c", 0, "x.c")]
    [InlineData("a/./src/x.c", 1, "src/x.c")]
    [InlineData("a/post\\image.txt", 1, "post\\image.txt")]
    [InlineData("a/post\timage.txt", 1, "post\timage.txt")]
    [InlineData("a/b/c/d", 2, "c/d")]
    [InlineData("a/.github/workflows/x.yml", 1, ".github/workflows/x.yml")]
    [InlineData("a/git/config", 1, "git/config")]
    [InlineData("a/console.txt", 1, "console.txt")]
    public void Relative_SafePath_IsStripped(string raw, int strip, string expected)
    {
        using var temp = new TempDir();
        Assert.Equal(expected, Guard(temp.Path).Relative(Encoding.UTF8.GetBytes(raw), strip));
    }

    [Theory]
    [InlineData("/etc/passwd", 0)]
    [InlineData("a//etc/passwd", 1)]
    [InlineData("a/../outside/x", 1)]
    [InlineData("a/sub/../../x", 1)]
    [InlineData("a/..\\outside\\x", 1)]
    [InlineData("a/C:\\evil.txt", 1)]
    [InlineData("a/C:evil.txt", 1)]
    [InlineData("a/\\\\server\\share\\x", 1)]
    [InlineData("a/.git/hooks/post-checkout", 1)]
    [InlineData("a/.GIT/config", 1)]
    [InlineData("a/.git./config", 1)]
    [InlineData("a/sub/.git /x", 1)]
    [InlineData("a/new\nline", 1)]
    [InlineData("a/nul\0byte", 1)]
    [InlineData("a/cr\rname", 1)]
    [InlineData("onlyone", 1)]
    [InlineData("a/.", 1)]
    public void Relative_UnsafePath_IsRefusedWithItsName(string raw, int strip)
    {
        using var temp = new TempDir();
        var ex = Assert.Throws<PathSafetyException>(() => Guard(temp.Path).Relative(Encoding.UTF8.GetBytes(raw), strip));
        Assert.False(string.IsNullOrEmpty(ex.Path));
        Assert.Contains(ex.Path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/CON")]
    [InlineData("a/sub/nul")]
    [InlineData("a/sub/aux.txt")]
    [InlineData("a/COM1")]
    [InlineData("a/lpt9.log")]
    public void Relative_WindowsDeviceName_IsRefusedOnlyWhenPortableOrOnWindows(string raw)
    {
        using var temp = new TempDir();
        Assert.Throws<PathSafetyException>(() => Guard(temp.Path, devices: true).Relative(Encoding.UTF8.GetBytes(raw), 1));
        if (OperatingSystem.IsWindows())
        {
            Assert.Throws<PathSafetyException>(() => Guard(temp.Path).Relative(Encoding.UTF8.GetBytes(raw), 1));
        }
        else
        {
            Assert.Equal(raw[2..], Guard(temp.Path).Relative(Encoding.UTF8.GetBytes(raw), 1));
        }
    }

    [Theory]
    [InlineData(".patchkit-journal")]
    [InlineData("sub/.patchkit-journal")]
    [InlineData("a/b/.PATCHKIT-JOURNAL")]
    public void Check_JournalNameAtAnyDepth_IsRefused(string path)
    {
        using var temp = new TempDir();
        var ex = Assert.Throws<PathSafetyException>(() => Guard(temp.Path).Check(Encoding.UTF8.GetBytes(path), path));
        Assert.Contains("journal", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x", ".git/hooks")]
    [InlineData("sub/x", "../.git/config")]
    [InlineData("x", "a/../.GIT./hooks/post-checkout")]
    public void CheckLinkTarget_IntoGitFolder_IsRefused(string link, string target)
    {
        using var temp = new TempDir();
        var ex = Assert.Throws<PathSafetyException>(() => Guard(temp.Path).CheckLinkTarget(link, Encoding.UTF8.GetBytes(target)));
        Assert.Contains(".git", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckLinkTarget_ThroughLinkAlreadyInTree_IsResolvedAndRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // d -> . is harmless alone; d/../x has as many names as '..' but resolves to outside the tree.
        using var temp = new TempDir();
        File.CreateSymbolicLink(Path.Combine(temp.Path, "d"), ".");
        Guard(temp.Path).CheckLinkTarget("ok", "d/x"u8);
        var ex = Assert.Throws<PathSafetyException>(() => Guard(temp.Path).CheckLinkTarget("x", "d/../sentinel.txt"u8));
        Assert.Contains("outside the tree", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckLinkTarget_ThroughLinkThePatchCreates_IsResolvedAndRefused()
    {
        using var temp = new TempDir();
        var after = new Dictionary<string, PatchKit.Diffs.Apply.TreeEntry>(StringComparer.Ordinal)
        {
            ["a/up"] = new(PatchKit.Diffs.Apply.EntryKind.Symlink, "../.."u8.ToArray(), null),
            ["loop"] = new(PatchKit.Diffs.Apply.EntryKind.Symlink, "loop/x"u8.ToArray(), null),
        };
        Assert.Throws<PathSafetyException>(() => Guard(temp.Path).CheckLinkTarget("a/x", "up/y"u8, after));
        var ex = Assert.Throws<PathSafetyException>(() => Guard(temp.Path).CheckLinkTarget("z", "loop/y"u8, after));
        Assert.Contains("a loop of symbolic links", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_GitFolderWhenAllowed_IsAccepted()
    {
        using var temp = new TempDir();
        Assert.Equal(".git/config", Guard(temp.Path, allowGit: true).Relative(".git/config"u8, 0));
    }

    [Theory]
    [InlineData("sub/link", "../x")]
    [InlineData("link", "x/../y")]
    [InlineData("a/b/link", "../../c")]
    public void CheckLinkTarget_InsideTree_IsAccepted(string link, string target)
    {
        using var temp = new TempDir();
        Guard(temp.Path).CheckLinkTarget(link, Encoding.UTF8.GetBytes(target));
    }

    [Theory]
    [InlineData("link", "/etc/passwd")]
    [InlineData("link", "../outside")]
    [InlineData("sub/link", "../../outside/secret")]
    [InlineData("link", "x/../../y")]
    [InlineData("link", "C:\\Windows")]
    public void CheckLinkTarget_OutsideTree_IsRefused(string link, string target)
    {
        using var temp = new TempDir();
        Assert.Throws<PathSafetyException>(() => Guard(temp.Path).CheckLinkTarget(link, Encoding.UTF8.GetBytes(target)));
    }

    [Fact]
    public void CheckNoLinks_FolderIsSymlink_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDir();
        Directory.CreateDirectory(Path.Combine(temp.Path, "outside"));
        string tree = Path.Combine(temp.Path, "tree");
        Directory.CreateDirectory(tree);
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "../outside");
        var ex = Assert.Throws<PathSafetyException>(() => Guard(tree).CheckNoLinks("link/x", mustNotBeLink: false));
        Assert.Contains("link", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_RandomPaths_NeverEscapeTheRoot()
    {
        // STYLE T4: the guard never lets a generated path escape the root (seeded).
        using var temp = new TempDir();
        var guard = Guard(temp.Path);
        var random = new Random(4242);
        string[] parts = ["a", "..", ".", "", "b", "\\", "..\\", "C:", "/", "x.txt", "nul", ".git", "~"];
        string root = Path.GetFullPath(temp.Path) + Path.DirectorySeparatorChar;
        for (int i = 0; i < 5000; i++)
        {
            var sb = new StringBuilder();
            int n = random.Next(1, 7);
            for (int j = 0; j < n; j++)
            {
                sb.Append(parts[random.Next(parts.Length)]);
                if (random.Next(2) == 0)
                {
                    sb.Append('/');
                }
            }

            string raw = sb.ToString();
            try
            {
                string rel = guard.Relative(Encoding.UTF8.GetBytes(raw), 0);
                string full = Path.GetFullPath(Path.Combine(temp.Path, rel));
                Assert.True(full.StartsWith(root, StringComparison.Ordinal), $"seed 4242, case {i}: '{raw}' gave '{full}'");
            }
            catch (PathSafetyException)
            {
            }
        }
    }
}
