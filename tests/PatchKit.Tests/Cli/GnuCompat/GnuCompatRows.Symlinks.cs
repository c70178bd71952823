namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for git diffs of symbolic links (mode 120000): created, changed, removed, reversed, backed up, checked,
/// written with <c>-o</c>, refused where the name is a file, and failing (GNU's reject and, with a backup on mismatch,
/// its "Can't reopen" stop); and the reject header of a git creation or deletion.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> SymlinkPatchRows()
    {
        const string Create = "diff --git a/l b/l\nnew file mode 120000\nindex 0000000..1111111\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+target\n\\ No newline at end of file\n";
        const string Change = "diff --git a/l b/l\nindex 1111111..2222222 120000\n--- a/l\n+++ b/l\n@@ -1 +1 @@\n-target\n\\ No newline at end of file\n+other\n\\ No newline at end of file\n";
        const string Delete = "diff --git a/l b/l\ndeleted file mode 120000\nindex 1111111..0000000\n--- a/l\n+++ /dev/null\n@@ -1 +0,0 @@\n-target\n\\ No newline at end of file\n";
        (string, string)[] LinkTo(string target) => [("l", target)];
        yield return P("patch git symlink creation", F(("p.diff", Create)), "-p1", "-i", "p.diff");
        yield return P("patch -b git symlink creation", F(("p.diff", Create)), "-b", "-p1", "-i", "p.diff");
        yield return P("patch git symlink creation over a file", F(("l", "x\n"), ("p.diff", Create)), "-p1", "-i", "p.diff");
        yield return P("patch git symlink creation, the link there", F(("p.diff", Create)), "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch -f git symlink creation, another link there", F(("p.diff", Create)), "-f", "-p1", "-i", "p.diff") with { Links = LinkTo("zzz") };
        yield return P("patch -R git symlink creation", F(("p.diff", Create)), "-R", "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch git symlink target change", F(("p.diff", Change)), "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch -b git symlink target change", F(("p.diff", Change)), "-b", "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch git symlink target change, already applied", F(("p.diff", Change)), "-p1", "-i", "p.diff") with { Links = LinkTo("other") };
        yield return P("patch -R git symlink target change", F(("p.diff", Change)), "-R", "-p1", "-i", "p.diff") with { Links = LinkTo("other") };
        yield return P("patch git symlink target change, link missing", F(("p.diff", Change)), "-p1", "-i", "p.diff");
        yield return P("patch git symlink target change, name is a file", F(("l", "target"), ("p.diff", Change)), "-p1", "-i", "p.diff");
        yield return P("patch git symlink target change, other target", F(("p.diff", Change)), "-p1", "-i", "p.diff") with { Links = LinkTo("zzz") };
        yield return P("patch --no-backup-if-mismatch git symlink, other target", F(("p.diff", Change)), "--no-backup-if-mismatch", "-p1", "-i", "p.diff") with { Links = LinkTo("zzz") };
        yield return P("patch --dry-run git symlink target change", F(("p.diff", Change)), "--dry-run", "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch -o out git symlink target change", F(("p.diff", Change)), "-o", "out", "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch --merge git symlink target change", F(("p.diff", Change)), "--merge", "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch git symlink deletion", F(("p.diff", Delete)), "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch -b git symlink deletion", F(("p.diff", Delete)), "-b", "-p1", "-i", "p.diff") with { Links = LinkTo("target") };
        yield return P("patch git symlink deletion, link missing", F(("p.diff", Delete)), "-p1", "-i", "p.diff");
        yield return P("patch git symlink deletion, other target", F(("p.diff", Delete)), "-p1", "-i", "p.diff") with { Links = LinkTo("zzz") };
        yield return P("patch -R git symlink deletion", F(("p.diff", Delete)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch git symlink change then a file", F(("f", "a\nb\nc\n"), ("p.diff", Change + "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")), "-p1", "-i", "p.diff") with { Links = LinkTo("zzz") };

        // Folders that are symbolic links: GNU follows one that stays in the tree, and no other (absolute, or
        // climbing out even to come back): a file behind it is not there, and one to be made there is refused.
        const string MakeX = "--- /dev/null\n+++ b/l/x\n@@ -0,0 +1 @@\n+new\n";
        const string ChangeY = "--- a/l/y\n+++ b/l/y\n@@ -1 +1 @@\n-x\n+y\n";
        (string, string)[] Out = [("l", "/tmp/patchkit-rows-outside-the-tree")];
        yield return P("patch a file made through a folder link in the tree", F(("sub/y", "x\n"), ("p.diff", MakeX)), "-p1", "-i", "p.diff") with { Links = [("l", "sub")] };
        yield return P("patch a file changed through a folder link in the tree", F(("sub/y", "x\n"), ("p.diff", ChangeY)), "-p1", "-i", "p.diff") with { Links = [("l", "sub")] };
        yield return P("patch a file made through a folder link climbing out and back", F(("sub/y", "x\n"), ("p.diff", MakeX)), "-p1", "-i", "p.diff") with { Links = [("l", "../t/sub")] };
        yield return P("patch a file made through an absolute folder link", F(("p.diff", MakeX)), "-p1", "-i", "p.diff") with { Links = Out };
        yield return P("patch --verbose a file made through an absolute folder link", F(("p.diff", MakeX)), "--verbose", "-p1", "-i", "p.diff") with { Links = Out };
        yield return P("patch --dry-run a file made through an absolute folder link", F(("p.diff", MakeX)), "--dry-run", "-p1", "-i", "p.diff") with { Links = Out };
        yield return P("patch a file changed through a folder link climbing out", F(("sub/y", "x\n"), ("p.diff", ChangeY)), "-p1", "-i", "p.diff") with { Links = [("l", "../t/sub")] };
        yield return P("patch git symlink to outside, then a file made through it", F(("p.diff", Create.Replace("+target", "+/tmp/patchkit-rows-outside-the-tree", StringComparison.Ordinal) + "diff --git a/l/x b/l/x\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/l/x\n@@ -0,0 +1 @@\n+new\n")), "-p1", "-i", "p.diff");
        yield return P("patch -f git file creation over a file: reject names", F(("l", "x\n"), ("p.diff", Create.Replace("120000", "100644", StringComparison.Ordinal))), "-f", "-p1", "-i", "p.diff");
        yield return P("patch -f git file deletion, other text: reject names", F(("l", "x\n"), ("p.diff", Delete.Replace("120000", "100644", StringComparison.Ordinal))), "-f", "-p1", "-i", "p.diff");
    }
}
