namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>An <c>-o FILE</c> that is there before the run: GNU empties it when it opens it, before it reads the patch,
/// so a run that comes to no file (only garbage) leaves it empty; a run that writes it replaces it.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> OutputTherePatchRows()
    {
        const string Applied = "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n";
        foreach (var (what, patch, f, args) in new (string, string, string, string[])[]
        {
            ("only garbage", "garbage\n", "a\nb\n", []),
            ("only garbage, --dry-run", "garbage\n", "a\nb\n", ["--dry-run"]),
            ("only garbage, -s", "garbage\n", "a\nb\n", ["-s"]),
            ("the patch applies", Applied, "a\nb\n", []),
            ("the hunk fails", Applied.Replace("-b", "-zz", StringComparison.Ordinal), "a\nb\n", []),
            ("-N on an applied patch", Applied, "a\nc\n", ["-N"]),
            ("-f -N on an applied patch", Applied, "a\nc\n", ["-f", "-N"]),
            ("an empty patch", string.Empty, "a\nb\n", []),
        })
        {
            yield return P($"patch -o out, out there, {what}", F(("f", f), ("out", "old\n"), ("p.diff", patch)), [.. args, "-o", "out", "-i", "p.diff"]);
        }

        // GNU writes into FILE where it is (it opens it with O_TRUNC): through a symbolic link to the link's target,
        // the link staying a link; the drop-in renamed a new file over the name and replaced the link.
        const string Two = Applied + "--- g\n+++ g\n@@ -1 +1 @@\n-x\n+y\n";
        foreach (var (what, patch, args) in new (string, string, string[])[]
        {
            ("the patch applies", Applied, []),
            ("two files", Two, []),
            ("the hunk fails", Applied.Replace("-b", "-zz", StringComparison.Ordinal), []),
            ("--dry-run", Applied, ["--dry-run"]),
            ("only garbage", "garbage\n", []),
            ("an ed script", "2c\nc\n.\n", ["-e", "f"]),
        })
        {
            yield return P($"patch -o link, a symbolic link to another file, {what}", F(("f", "a\nb\n"), ("g", "x\n"), ("other", "old\n"), ("p.diff", patch)),
                [.. args, "-o", "link", "-i", "p.diff"]) with { Links = [("link", "other")] };
        }

        // A reject file's name that is a symbolic link: GNU replaces a link at the name it makes up (renaming its
        // temporary file over it) and stops on a -r FILE that is a link (its open has O_NOFOLLOW); the drop-in wrote
        // the rejects through the link, wherever it led.
        const string Fails = "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-zz\n+c\n";
        yield return P("patch, f.rej a symbolic link to another file", F(("f", "a\nb\n"), ("other", "old\n"), ("p.diff", Fails)), "-i", "p.diff") with { Links = [("f.rej", "other")] };
        yield return P("patch, f.rej a symbolic link to a missing file", F(("f", "a\nb\n"), ("p.diff", Fails)), "-i", "p.diff") with { Links = [("f.rej", "missing")] };
        yield return P("patch --dry-run, f.rej a symbolic link", F(("f", "a\nb\n"), ("other", "old\n"), ("p.diff", Fails)), "--dry-run", "-i", "p.diff") with { Links = [("f.rej", "other")] };
        yield return P("patch -r link, a symbolic link to another file", F(("f", "a\nb\n"), ("other", "old\n"), ("p.diff", Fails)), "-r", "link", "-i", "p.diff") with { Links = [("link", "other")] };
        yield return P("patch -r link, a symbolic link to a missing file", F(("f", "a\nb\n"), ("p.diff", Fails)), "-r", "link", "-i", "p.diff") with { Links = [("link", "missing")] };
        yield return P("patch -r link, two files failing", F(("f", "a\nb\n"), ("g", "x\n"), ("other", "old\n"), ("p.diff", Fails + "--- g\n+++ g\n@@ -1 +1 @@\n-zz\n+y\n")), "-r", "link", "-i", "p.diff") with { Links = [("link", "other")] };
        yield return P("patch -o out, out.rej a symbolic link", F(("f", "a\nb\n"), ("other", "old\n"), ("p.diff", Fails)), "-o", "out", "-i", "p.diff") with { Links = [("out.rej", "other")] };

        yield return P("patch -b, f.orig and f.rej symbolic links to a folder", F(("f", "a\nb\n"), ("d/x", "x\n"), ("p.diff", Fails.Replace("-zz", "-b", StringComparison.Ordinal) + "@@ -5 +5 @@\n-zz\n+y\n")), "-b", "-i", "p.diff")
            with { Links = [("f.orig", "d"), ("f.rej", "d")] };

        yield return P("patch -o link, a symbolic link to a missing file", F(("f", "a\nb\n"), ("p.diff", Applied)), "-o", "link", "-i", "p.diff") with { Links = [("link", "missing")] };
    }
}
