using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using PatchKit.Diffs;
using PatchKit.Diffs.Apply;

namespace PatchKit.Tests.Diffs.Apply;

public sealed class TreeLockTests
{
    [Fact]
    public void Acquire_TreeAlreadyLocked_ThrowsUntilReleased()
    {
        using var temp = new TempDir();
        string root = Path.GetFullPath(temp.Path);

        using (TreeLock.Acquire(new FileSystem(), root))
        {
            // Another FileSystem instance: only the flock on the root folder can refuse it.
            var ex = Assert.Throws<PatchApplyException>(() => TreeLock.Acquire(new FileSystem(), root));
            Assert.Contains("Another apply is running", ex.Message, StringComparison.Ordinal);
        }

        TreeLock.Acquire(new FileSystem(), root).Dispose();
    }

    [Fact]
    public void ApplyTree_InMemoryTreeLockedByAnotherApply_ThrowsAndChangesNothing()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>(StringComparer.Ordinal) { ["/t/f"] = new("a\n") });
        var patch = PatchDocument.Parse("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"u8.ToArray());

        using (TreeLock.Acquire(fs, "/t"))
        {
            Assert.Throws<PatchApplyException>(() => PatchApplier.ApplyTree(patch, fs, "/t"));
            Assert.Equal("a\n", fs.File.ReadAllText("/t/f"));
        }

        Assert.True(PatchApplier.ApplyTree(patch, fs, "/t").Succeeded);
        Assert.Equal("b\n", fs.File.ReadAllText("/t/f"));
    }
}
