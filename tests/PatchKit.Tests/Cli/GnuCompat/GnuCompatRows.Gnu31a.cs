namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu31a work: hunks without a file header, which GNU patch reads when it is told the file to
/// patch (ORIGFILE) or under POSIX (<c>--posix</c>, <c>POSIXLY_CORRECT</c>), and passes over otherwise.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu31aPatchRows()
    {
        const string H9 = "@@ -8,3 +8,3 @@\n l8\n-l9\n+L9\n l10\n";
        const string Bad = "@@ -3,5 +3,5 @@\n l3\n l4\n-zz\n+L5\n l6\n l7\n";
        const string Ctx = "***************\n*** 3,7 ****\n  l3\n  l4\n! l5\n  l6\n  l7\n--- 3,7 ----\n  l3\n  l4\n! L5\n  l6\n  l7\n";
        const string CtxBad = "***************\n*** 3,7 ****\n  l3\n  l4\n! zz\n  l6\n  l7\n--- 3,7 ----\n  l3\n  l4\n! L5\n  l6\n  l7\n";
        const string Parted = "text\n" + Hunk5 + "garbage\n" + H9;
        const string AfterGarbage = Uni + "GARBAGE\n l8\n" + H9;
        static (string, string)[] Tree(string patch) => F(("f", Ten), ("p.diff", patch));

        // ORIGFILE: every hunk, with or without a header, patches it.
        yield return P("patch ORIGFILE, unified hunk without header", Tree(Hunk5), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE < hunk without header", Tree(Hunk5), "f") with { StdinFile = "p.diff" };
        yield return P("patch ORIGFILE, two hunks without header", Tree(Hunk5 + H9), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, hunks parted by text", Tree(Parted), "--verbose", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, hunks parted by text", Tree(Parted), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE -R, hunk without header", F(("f", TenMod), ("p.diff", Hunk5)), "-R", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, reversed hunk without header", F(("f", TenMod), ("p.diff", Hunk5)), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, failing hunk without header", Tree(Bad), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, failing and good hunk, no header", Tree(Bad + H9), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE -r rej, failing hunk, no header", Tree(Bad), "-r", "rej", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE unified rejects, no header", Tree(Bad), "--reject-format=unified", "-i", "p.diff", "f");
        yield return P("patch -o out ORIGFILE, hunk without header", Tree(Hunk5), "-o", "out", "-i", "p.diff", "f");
        yield return P("patch -o out ORIGFILE, hunks parted by text", Tree(Parted), "-o", "out", "-i", "p.diff", "f");
        yield return P("patch -o out ORIGFILE, failing hunk, no header", Tree(Bad), "-o", "out", "-i", "p.diff", "f");
        yield return P("patch --dry-run ORIGFILE, hunk without header", Tree(Hunk5), "--dry-run", "-i", "p.diff", "f");
        yield return P("patch -b ORIGFILE, hunk without header", Tree(Hunk5), "-b", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, context hunk without header", Tree(Ctx), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, text then context hunk", Tree("intro\n" + Ctx), "--verbose", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE -R, context hunk without header", F(("f", TenMod), ("p.diff", Ctx)), "-R", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, failing context hunk, no header", Tree(CtxBad), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, text then a normal diff", Tree("junk\n" + Normal), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, text then a normal diff", Tree("junk\n" + Normal), "--verbose", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, hunk, then a named file", Three(Hunk5 + "--- g\n+++ g\n" + H9), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, named file, garbage, a hunk", Three(AfterGarbage), "-i", "p.diff", "f");

        // --posix: a hunk without a header is a patch whose file GNU cannot find (asked for, or skipped).
        yield return P("patch --posix, unified hunk without header", Tree(Hunk5), "--posix", "-i", "p.diff");
        yield return P("patch --posix -f, unified hunk without header", Tree(Hunk5), "--posix", "-f", "-i", "p.diff");
        yield return P("patch --posix -t, context hunk without header", Tree(Ctx), "--posix", "-t", "-i", "p.diff");
        yield return P("patch --posix -s, hunk without header", Tree(Hunk5), "--posix", "-s", "-i", "p.diff");
        yield return P("patch --posix -p1, hunks parted by text", Tree(Parted), "--posix", "-p1", "-i", "p.diff");
        yield return P("patch --posix --verbose, hunk after garbage", Three(AfterGarbage), "--posix", "--verbose", "-i", "p.diff");
        yield return P("patch --posix -o -, hunk after garbage", Three(AfterGarbage), "--posix", "-o", "-", "-i", "p.diff");
        yield return P("patch --posix -R, hunk after garbage", F(("f", TenMod), ("p.diff", AfterGarbage)), "--posix", "-R", "-i", "p.diff");
        yield return P("patch --posix -b, hunk after garbage", Three(AfterGarbage), "--posix", "-b", "-i", "p.diff");
        yield return P("patch --posix --merge, hunk after garbage", Three(AfterGarbage), "--posix", "--merge", "-i", "p.diff");
        yield return P("patch --posix -D X, hunk after garbage", Three(AfterGarbage), "--posix", "-D", "X", "-i", "p.diff");
        yield return P("patch --posix, normal diff", Tree(Normal), "--posix", "-i", "p.diff");
        yield return P("patch --posix, text then a normal diff", Tree("junk\n" + Normal), "--posix", "-i", "p.diff");
        yield return P("patch --posix --verbose, text then a normal diff", Tree("junk\n" + Normal), "--posix", "--verbose", "-i", "p.diff");
        yield return P("patch POSIXLY_CORRECT, hunk without header", Tree(Hunk5), "-f", "-i", "p.diff") with { Env = [("POSIXLY_CORRECT", "1")] };

        // Neither: GNU needs a header and passes such hunks over.
        yield return P("patch, unified hunk without header", Tree(Hunk5), "-i", "p.diff");
        yield return P("patch --verbose, named file, garbage, a hunk", Three(AfterGarbage), "--verbose", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu31aDiffRows()
    {
        yield break;
    }
}
