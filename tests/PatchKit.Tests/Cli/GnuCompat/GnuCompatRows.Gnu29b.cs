namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for rejects of several files into one reject file (<c>-o</c>, or one file patched twice: GNU appends
/// to a reject file it made in the same run), <c>-o</c> under <c>--dry-run</c> when the patch goes bad.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu29bPatchRows()
    {
        string failsG = Fails.Replace("f\n", "g\n", StringComparison.Ordinal);
        string uniG = Uni.Replace("f\n", "g\n", StringComparison.Ordinal);
        var twoFail = F(("f", Ten), ("g", Ten), ("p.diff", Fails + failsG));

        // A reject file this run made is appended to: all the files patched into one -o output share FILE.rej, and a
        // file patched twice keeps both rejects. One there before the run is replaced first.
        yield return P("patch -o out, two files fail: one reject file", twoFail, "-o", "out", "-i", "p.diff");
        yield return P("patch -o -, two files fail: one reject file", twoFail, "-o", "-", "-i", "p.diff");
        yield return P("patch -o out, context rejects of two files", twoFail, "-o", "out", "--reject-format=context", "-i", "p.diff");
        yield return P("patch -o out, two files fail, out.rej there", F(("f", Ten), ("g", Ten), ("out.rej", "old\n"), ("p.diff", Fails + failsG)), "-o", "out", "-i", "p.diff");
        yield return P("patch -R -N -o -, two files: one reject file", F(("f", Ten), ("g", Ten), ("p.diff", Uni + uniG)), "-R", "-N", "-o", "-", "-i", "p.diff");
        yield return P("patch -N -o out, a file fails, then one ignored", F(("f", Ten), ("g", TenMod), ("p.diff", Fails + uniG)), "-N", "-o", "out", "-i", "p.diff");
        yield return P("patch one file twice, both fail", F(("f", Ten), ("p.diff", Fails + Fails)), "-i", "p.diff");
        yield return P("patch one file twice, both fail, f.rej there", F(("f", Ten), ("f.rej", "old\n"), ("p.diff", Fails + Fails)), "-i", "p.diff");

        // -o FILE and -o - are written under --dry-run too, also what was written of a file before the patch goes bad.
        const string GoesBad = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n@@ -8,3 +8,3 @@\n l8\ngarbage\n";
        yield return P("patch --dry-run -o out, goes bad in hunk 2", F(("f", Ten), ("p.diff", GoesBad)), "--dry-run", "-o", "out", "-i", "p.diff");
        yield return P("patch --dry-run -o -, goes bad in hunk 2", F(("f", Ten), ("p.diff", GoesBad)), "--dry-run", "-o", "-", "-i", "p.diff");
        yield return P("patch --dry-run -o out, goes bad in file 2", F(("f", Ten), ("g", Ten), ("p.diff", Uni + GoesBad.Replace("f\n", "g\n", StringComparison.Ordinal))), "--dry-run", "-o", "out", "-i", "p.diff");
    }
}
