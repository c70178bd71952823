namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for old-style context diffs (hunk ranges without the trailing stars and dashes, as old diff versions
/// wrote them), ambiguous long options, and diff's <c>--suppress-blank-empty</c>.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Round5PatchRows()
    {
        const string Head = "*** f\n--- f\n***************\n";

        // Two changes in one hunk: GNU's --verbose says it is "really a new-style context diff".
        const string TwoChanges = Head + "*** 3,6\n  l3\n- l4\n  l5\n  l6\n--- 3,7\n  l3\n  l5\n+ new\n+ new2\n  l6\n";
        const string ThreeHunks = Head + "*** 1,2\n! l1\n  l2\n--- 1,2\n! L1\n  l2\n***************\n*** 3,6\n  l3\n- l4\n  l5\n  l6\n--- 3,7\n  l3\n  l5\n+ new\n+ new2\n  l6\n***************\n*** 8,10\n  l8\n- l9\n  l10\n--- 9,10\n  l8\n  l10\n";
        const string AddOnly = Head + "*** 3,7\n--- 3,8\n  l3\n  l4\n+ x\n  l5\n  l6\n  l7\n";
        const string Fails = Head + "*** 3,7\n  l3\n  l4\n! zz\n  l6\n  l7\n--- 3,7\n  l3\n  l4\n! L5\n  l6\n  l7\n";
        const string TwoFiles = Head + "*** 1,2\n! l1\n  l2\n--- 1,2\n! L1\n  l2\n*** g\n--- g\n***************\n*** 3,6\n  l3\n- l4\n  l5\n  l6\n--- 3,7\n  l3\n  l5\n+ new\n+ new2\n  l6\n";
        yield return P("patch old-style context diff, two changes in a hunk", F(("f", Ten), ("p.diff", TwoChanges)), "-i", "p.diff");
        yield return P("patch old-style context diff, two changes in a hunk --verbose", F(("f", Ten), ("p.diff", TwoChanges)), "--verbose", "-i", "p.diff");
        yield return P("patch old-style context diff, three hunks --verbose", F(("f", Ten), ("p.diff", ThreeHunks)), "--verbose", "-i", "p.diff");
        yield return P("patch old-style context diff, old section left out", F(("f", Ten), ("p.diff", AddOnly)), "-i", "p.diff");
        yield return P("patch old-style context diff, failing hunk", F(("f", Ten), ("p.diff", Fails)), "-i", "p.diff");
        yield return P("patch old-style context diff, failing hunk --verbose", F(("f", Ten), ("p.diff", Fails)), "--verbose", "-i", "p.diff");
        yield return P("patch old-style context diff, two files --verbose", F(("f", Ten), ("g", Ten), ("p.diff", TwoFiles)), "--verbose", "-i", "p.diff");
        yield return P("patch old-style context diff, a failing hunk after one with two changes", F(("f", Ten), ("p.diff", TwoChanges + "***************\n*** 8,10\n  l8\n! zz\n  l10\n--- 9,11\n  l8\n! L9\n  l10\n")), "-i", "p.diff");

        // --verbose on the second file of a patch: "The next patch looks like …", its leading text after the first
        // file's last hunk (a context hunk has more lines than the unified hunk it is read into).
        const string Unified2 = "--- f\n+++ f\n@@ -1 +1 @@\n-l1\n+L1\ntext between\n--- g\n+++ g\n@@ -1 +1 @@\n-l1\n+L1\n";
        const string Context2 = "*** f\n--- f\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\n! L1\n  l2\ntext between\n*** g\n--- g\n***************\n*** 1 ****\n! l1\n--- 1 ----\n! L1\n";
        yield return P("patch --verbose, two files of a unified diff", F(("f", Ten), ("g", Ten), ("p.diff", Unified2)), "--verbose", "-i", "p.diff");
        yield return P("patch --verbose, two files of a context diff", F(("f", Ten), ("g", Ten), ("p.diff", Context2)), "--verbose", "-i", "p.diff");
        yield return P("patch two files of a context diff, second missing", F(("f", Ten), ("p.diff", Context2)), "-f", "-i", "p.diff");
        yield return P("patch context diff after leading text, file missing", F(("p.diff", "x\n" + Context2)), "-f", "-i", "p.diff");
        // A range that is not a number: GNU stops ("missing line number", "malformed patch"), exit 2.
        yield return P("patch context diff, old range not a number", F(("f", Ten), ("p.diff", Head + "*** 1,x ****\n! l1\n--- 1 ----\n! L1\n")), "-i", "p.diff");
        yield return P("patch context diff, new range not a number", F(("f", Ten), ("p.diff", Head + "*** 1 ****\n! l1\n--- 1,x ----\n! L1\n")), "-i", "p.diff");
        yield return P("patch old-style context diff, old range not a number", F(("f", Ten), ("p.diff", Head + "*** 1,x\n! l1\n--- 1\n! L1\n")), "-i", "p.diff");
        yield return P("patch old-style context diff, new range not a number", F(("f", Ten), ("p.diff", Head + "*** 1\n! l1\n--- 1,x\n! L1\n")), "-i", "p.diff");
        // Ambiguous abbreviations: GNU getopt names the possibilities in its table's order.
        foreach (string prefix in new[] { "--vers", "--re", "--b", "--s", "--f", "--d", "--no", "--q", "--in" })
        {
            yield return P($"patch ambiguous option {prefix}", F(("f", Ten), ("p.diff", Uni)), prefix, "-i", "p.diff");
        }

        yield return P("patch ambiguous option with a value", F(("f", Ten), ("p.diff", Uni)), "--re=x", "-i", "p.diff");
        yield return P("patch old-style context diff -R", F(("f", Ten), ("p.diff", TwoChanges)), "-R", "-i", "p.diff");
        yield return P("patch old-style context diff --dry-run", F(("f", Ten), ("p.diff", TwoChanges)), "--dry-run", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Round5DiffRows()
    {
        (string, string)[] two = F(("a", "x\n"), ("b", "y\n"));
        foreach (string prefix in new[] { "--ig", "--no", "--no-", "--s", "--i", "--l", "--u", "--e", "--t", "--n", "--c" })
        {
            yield return D($"diff ambiguous option {prefix}", two, prefix, "a", "b");
        }

        yield return D("diff --ver is --version", two, "--ver", "a", "b") with { StdoutView = FirstLine };

        (string, string)[] blanks = F(("x", "a\n\nb\nc\n\nd\n"), ("y", "a\n\nB\nc\n\nd\n\ne\n"));
        foreach (string[] format in new[] { Array.Empty<string>(), ["-u"], ["-c"], ["-U0"], ["-T", "-u"], ["-T", "-c"], ["-T"], ["-e"], ["-n"], ["-y"] })
        {
            yield return D($"diff --suppress-blank-empty {string.Join(' ', format)}", blanks, [.. format, "--suppress-blank-empty", "x", "y"]);
        }

        yield return D("diff ambiguous option with a value", two, "--to=b", "a", "b");
    }
}
