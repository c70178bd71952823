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
    }
}
