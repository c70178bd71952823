namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for GNU's checks of a context hunk's shape ("Premature '---'", "Overdue '---'", "replacement text or line numbers mangled", "Out-of-sync patch") and an empty line before a context hunk's new section.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu34aPatchRows()
    {
        const string Four = "l1\nl2\nl3\nl4\n";
        const string Good = "***************\n*** 1 ****\n! g1\n--- 1 ----\n! G1\n";

        // One context hunk of f, alone and after a good file (GNU patches that one first).
        static IEnumerable<CompatRow> Shaped(string name, string hunk, string file = Four, params string[] args)
        {
            yield return P("patch, context hunk " + name, F(("f", file), ("p.diff", "*** f\n--- f\n***************\n" + hunk)), [.. args, "-i", "p.diff"]);
            yield return P("patch, context hunk after a good file: " + name, F(("f", file), ("g", "g1\n"), ("p.diff", "*** g\n--- g\n" + Good + "*** f\n--- f\n***************\n" + hunk)), [.. args, "-i", "p.diff"]);
        }

        // A second hunk of the file: the first is applied in GNU's reading order before it stops (the file left as it was).
        const string First = "*** f\n--- f\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\n! L1\n  l2\n***************\n";
        yield return P("patch, second context hunk with '---' early (Premature)", F(("f", Ten), ("p.diff", First + "*** 6,8 ****\n  l6\n! l7\n--- 6,8 ----\n  l6\n! L7\n  l8\n")), "-i", "p.diff");
        yield return P("patch, second context hunk, old section left out, '!' line (Out-of-sync)", F(("f", Ten), ("p.diff", First + "*** 6,8 ****\n--- 6,9 ----\n  l6\n! L7\n  l8\n  l9\n")), "-i", "p.diff");
        yield return P("patch -o out, second context hunk, old section left out, '!' line (Out-of-sync)", F(("f", Ten), ("p.diff", First + "*** 6,8 ****\n--- 6,9 ----\n  l6\n! L7\n  l8\n  l9\n")), "-o", "out", "-i", "p.diff");

        // The new section's range before or after the old section's count of lines: GNU stops as it reads the hunk.
        IEnumerable<CompatRow> rows = Shaped("with '---' one line early (Premature)", "*** 1,3 ****\n  l1\n! l2\n--- 1,3 ----\n  l1\n! L2\n  l3\n")
            .Concat(Shaped("with '---' one line late (Overdue)", "*** 1,3 ****\n  l1\n! l2\n  l3\n  l4\n--- 1,3 ----\n  l1\n! L2\n  l3\n"))
            .Concat(Shaped("with a '\\ No newline' line before the old section's last line", "*** 1,3 ****\n  l1\n! l2\n\\ No newline at end of file\n--- 1,3 ----\n  l1\n! L2\n  l3\n"))
            .Concat(Shaped("(not: with a '\\ No newline' line after the old section's last line)", "*** 1,3 ****\n  l1\n! l2\n  l3\n\\ No newline at end of file\n--- 1,3 ----\n  l1\n! L2\n  l3\n"))
            .Concat(Shaped("with '---' late after a comment line (Overdue)", "*** 1,2 ****\n  l1\n# c\n! l2\n  l3\n--- 1,2 ----\n  l1\n! L2\n"))
            .Concat(Shaped("-R, with '---' early (Premature)", "*** 1,4 ****\n  l1\n! l2\n--- 1,3 ----\n  l1\n! L2\n", Four, "-R"))

            // The old section left out: GNU fills it from the new section's unchanged lines, which must be as many as
            // the old range counts, with a changed line among them.
            .Concat(Shaped("old section left out, new section without a change", "*** 1,3 ****\n--- 1,3 ----\n  l1\n  l2\n  l3\n"))
            .Concat(Shaped("old section left out, too few unchanged lines", "*** 1,3 ****\n--- 1,3 ----\n  l1\n+ n\n  l2\n"))
            .Concat(Shaped("old section left out, too many unchanged lines", "*** 1,3 ****\n--- 1,5 ----\n  l1\n+ n\n  l2\n  l3\n  l4\n"))
            .Concat(Shaped("(not: old section left out, filled)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n+ n\n  l2\n  l3\n"))

            // Filled, but a changed line of the new section meets an unchanged one of the old: GNU finds the hunk, then
            // stops as it applies it ("Out-of-sync patch"), the file left as it was.
            .Concat(Shaped("old section left out, '!' line (Out-of-sync)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n! L2\n  l3\n"))
            .Concat(Shaped("old section left out, '!' line, --dry-run (Out-of-sync)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n! L2\n  l3\n", Four, "--dry-run"))
            .Concat(Shaped("old section left out, '-' line (Out-of-sync)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n- l2\n  l2\n  l3\n"))
            .Concat(Shaped("-R, old section left out, '!' line (Out-of-sync)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n! L2\n  l3\n", "l1\nL2\nl3\n\nl5\n", "-R"))
            .Concat(Shaped("-R, old section left out, '-' line (Out-of-sync)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n- l2\n  l2\n  l3\n", "l1\nl2\nl2\nl3\nl5\n", "-R"))
            .Concat(Shaped("both sections, changes out of step (Out-of-sync)", "*** 1,3 ****\n  l1\n! l2\n  l3\n--- 1,3 ----\n  l1\n  l2\n! L3\n"))

            // An empty line right before the new section's range: GNU passes over it.
            .Concat(Shaped("with an empty line before '---'", "*** 1,3 ****\n  l1\n! l2\n  l3\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n"))
            .Concat(Shaped("-R, with an empty line before '---'", "*** 1,3 ****\n  l1\n! l2\n  l3\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n", "l1\nL2\nl3\nl4\n", "-R"))
            .Concat(Shaped("--verbose, with an empty line before '---'", "*** 1,3 ****\n  l1\n! l2\n  l3\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n", Four, "--verbose"))
            .Concat(Shaped("with an empty line one line early (Premature)", "*** 1,3 ****\n  l1\n! l2\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n"))
            .Concat(Shaped("with two empty lines before '---' (Overdue)", "*** 1,3 ****\n  l1\n! l2\n  l3\n\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n"));
        foreach (CompatRow row in rows)
        {
            yield return row;
        }
    }

    private static IEnumerable<CompatRow> Gnu34aDiffRows()
    {
        yield break;
    }
}
