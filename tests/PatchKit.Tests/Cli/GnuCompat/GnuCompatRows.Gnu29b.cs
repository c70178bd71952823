namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for rejects of several files into one reject file (<c>-o</c>, or one file patched twice: GNU appends
/// to a reject file it made in the same run), <c>-o</c> under <c>--dry-run</c> when the patch goes bad, comment lines
/// in ed scripts, an ed script without <c>-e</c>, the diff GNU reads after an ed script, and the old
/// <c>-b SUFFIX ORIGFILE PATCHFILE</c>.</summary>
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

        // Ed scripts: lines starting with # between commands are comments GNU passes over (within a command's text they
        // are text; with no command after them they end the script, and right before the first command they start it).
        const string EdComment = "5c\nL5\n.\n# comment\n3d\n";
        yield return P("patch -e --verbose, # line between ed commands", F(("f", Ten), ("p.diff", EdComment)), "-e", "--verbose", "f", "p.diff");
        yield return P("patch -e -o out, # line between ed commands", F(("f", Ten), ("p.diff", EdComment)), "-e", "-o", "out", "f", "p.diff");
        yield return P("patch -e --verbose, # lines after the ed script", F(("f", Ten), ("p.diff", EdComment + "# c2\n#\n")), "-e", "--verbose", "f", "p.diff");
        yield return P("patch -e --verbose, # line before the 1st command", F(("f", Ten), ("p.diff", "# lead\n5d\n# c\n3d\n")), "-e", "--verbose", "f", "p.diff");
        yield return P("patch -e -o out, # lines in and between commands", F(("f", Ten), ("p.diff", "7a\n# in text\n.\n# c\n5c\nL5\n.\n#\n3d\n")), "-e", "-o", "out", "f", "p.diff");

        // ORIGFILE and no -e: GNU takes an ed script it finds first.
        yield return P("patch ORIGFILE, an ed script without -e", F(("f", Ten), ("p.diff", "5c\nL5\n.\n3d\n")), "f", "p.diff");
        yield return P("patch --verbose ORIGFILE, text, ed script, no -e", F(("f", Ten), ("p.diff", "#lead\nfoo\n5d\n3d\n")), "--verbose", "f", "p.diff");

        // After an ed script GNU looks for a patch of any kind: a unified or normal diff after it is applied (to
        // ORIGFILE), whatever -e or -n said.
        string edThenUni = "5c\nL5\n.\n--- g\n+++ g\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n";
        var two = F(("f", Ten), ("g", Ten), ("p.diff", edThenUni));
        yield return P("patch -e, ed script then a unified diff", two, "-e", "f", "p.diff");
        yield return P("patch -e --verbose, ed script then a unified diff", two, "-e", "--verbose", "f", "p.diff");
        yield return P("patch -e -o out, ed script then a unified diff", two, "-e", "-o", "out", "f", "p.diff");
        yield return P("patch -n, ed script then a unified diff", two, "-n", "f", "p.diff");
        yield return P("patch ORIGFILE, ed script then a unified diff", two, "f", "p.diff");
        yield return P("patch -e, ed script then a normal diff", F(("f", Ten), ("p.diff", "5c\nL5\n.\n1c1\n< l1\n---\n> L1\n")), "-e", "f", "p.diff");
        yield return P("patch -e -s, ed, text, then two unified diffs", F(("f", Ten), ("g", Ten), ("p.diff", "5c\nL5\n.\nfoo\n" + edThenUni[8..] + edThenUni[8..].Replace("l1", "L1", StringComparison.Ordinal))), "-e", "-s", "f", "p.diff");

        // GNU's rule for CVS 1.9: "-b SUFFIX ORIGFILE PATCHFILE" as the last four arguments is "-b -z SUFFIX", with a
        // warning on standard output (none under -s; --backup or a later option keeps the old reading).
        var one = F(("f", Ten), ("p.diff", Uni));
        yield return P("patch -b SUFFIX ORIGFILE PATCHFILE (CVS 1.9)", one, "-b", ".bak", "f", "p.diff");
        yield return P("patch -b ~ ORIGFILE PATCHFILE", one, "-b", "~", "f", "p.diff");
        yield return P("patch -b - ORIGFILE PATCHFILE", one, "-b", "-", "f", "p.diff");
        yield return P("patch -s -b SUFFIX ORIGFILE PATCHFILE", one, "-s", "-b", ".bak", "f", "p.diff");
        yield return P("patch -o - -b SUFFIX ORIGFILE PATCHFILE", one, "-o", "-", "-b", ".bak", "f", "p.diff");
        yield return P("patch -V bogus -b SUFFIX ORIGFILE PATCHFILE", one, "-V", "bogus", "-b", ".bak", "f", "p.diff");
        yield return P("patch -b '' ORIGFILE PATCHFILE", one, "-b", string.Empty, "f", "p.diff");
    }
}
