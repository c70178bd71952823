namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for context hunks whose reject GNU writes from its own reading of the two sections, and other context-hunk shapes GNU reads its own way.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu35aPatchRows()
    {
        const string Four = "l1\nl2\nl3\nl4\n";
        const string Other = "x1\nx2\nx3\nx4\n";

        // One context hunk of f on a file given, as it is, with -R and with -F0.
        static IEnumerable<CompatRow> Shaped(string name, string hunk, string file)
        {
            var files = F(("f", file), ("p.diff", "*** f\n--- f\n***************\n" + hunk));
            yield return P("patch, context hunk " + name, files, "-i", "p.diff");
            yield return P("patch -R, context hunk " + name, files, "-R", "-i", "p.diff");
            yield return P("patch -F0, context hunk " + name, files, "-F0", "-i", "p.diff");
        }

        // The reject of a hunk GNU read into other sections than the library: written from GNU's sections.
        IEnumerable<CompatRow> rows = Shaped("with an empty line before '---', rejected (GNU keeps the empty line)", "*** 1,3 ****\n  l1\n! l2\n  l3\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n", Other)
            .Concat(Shaped("with the old section left out and a '!' line, rejected (GNU's filled old section)", "*** 1,3 ****\n--- 1,4 ----\n  l1\n! L2\n  l3\n", Other))
            .Concat(Shaped("with the new section cut short by the patch's end, rejected (blank lines)", "*** 1,3 ****\n  l1\n! l2\n  l3\n--- 1,3 ----\n  l1\n! L2\n", Other))
            .Concat(Shaped("with an empty line before '---' and the new section cut short, rejected", "*** 1,3 ****\n  l1\n! l2\n  l3\n\n--- 1,3 ----\n  l1\n! L2\n", Other))

            // The old section left out and the new one cut short: GNU's blank lines fill both, so the hunk needs fuzz.
            .Concat(Shaped("with the old section left out and the new one cut short", "*** 1,3 ****\n--- 1,4 ----\n  l1\n+ n\n  l2\n", Four))
            .Concat(Shaped("with the old section left out and the new one cut short by two lines", "*** 1,4 ****\n--- 1,5 ----\n  l1\n+ n\n  l2\n", Four))

            // A new section cut short that may be left out (no added or changed line, as many lines as the old
            // section's context): GNU fills it from the old section.
            .Concat(Shaped("with a new section that may be left out cut short, rejected", "*** 1,3 ****\n  l1\n- l2\n  l3\n--- 1,2 ----\n  l1\n", Other))

            // A '!' line in the old section: the new section cannot be left out, so GNU fills its end with blank lines.
            .Concat(Shaped("with a '!' line in the old section and a new section of its context cut short, rejected", "*** 1,3 ****\n  l1\n! l2\n  l3\n--- 1,3 ----\n  l1\n", Other))

            // A "\ No newline" line before the new section's last line: GNU cannot read it.
            .Concat(Shaped("with a '\\ No newline' line before the new section's last line", "*** 1,3 ****\n  l1\n! l2\n  l3\n--- 1,3 ----\n  l1\n! L2\n\\ No newline at end of file\n  l3\n", Four))
            .Concat(Shaped("with the old section left out and a '\\ No newline' line before the new section's last line", "*** 1,3 ****\n--- 1,4 ----\n  l1\n+ n\n  l2\n\\ No newline at end of file\n  l3\n", Four));
        foreach (CompatRow row in rows)
        {
            yield return row;
        }

        // Other options and shapes around them.
        const string Blank = "*** f\n--- f\n***************\n*** 1,3 ****\n  l1\n! l2\n  l3\n\n--- 1,3 ----\n  l1\n! L2\n  l3\n";
        yield return P("patch --reject-file=r.rej, context hunk with an empty line before '---', rejected", F(("f", Other), ("p.diff", Blank)), "--reject-file=r.rej", "-i", "p.diff");
        yield return P("patch -o out, context hunk with the old section left out and the new one cut short", F(("f", Four), ("p.diff", "*** f\n--- f\n***************\n*** 1,3 ****\n--- 1,4 ----\n  l1\n+ n\n  l2\n")), "-o", "out", "-i", "p.diff");
        yield return P("patch, second context hunk with an empty line before '---', rejected after the first applied", F(("f", Ten), ("p.diff", "*** f\n--- f\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,3 ----\n! L1\n+ n\n  l2\n***************\n*** 6,8 ****\n  l6\n! x7\n  l8\n\n--- 6,8 ----\n  l6\n! L7\n  l8\n")), "-i", "p.diff");
        yield return P("patch, context hunk with an empty line before '---', rejected, CRLF patch", F(("f", Other), ("p.diff", Blank.Replace("\n", "\r\n", StringComparison.Ordinal))), "-i", "p.diff");

        // A CRLF context diff: GNU's intuit sees the carriage return before the newline, not the stars, and takes the
        // diff for an old-style one (its reject's ranges without "****", with five dashes).
        const string Plain = "*** f\r\n--- f\r\n***************\r\n*** 1,3 ****\r\n  l1\r\n! l2\r\n  l3\r\n--- 1,3 ----\r\n  l1\r\n! L2\r\n  l3\r\n";
        yield return P("patch, CRLF context diff, rejected (old-style reject)", F(("f", Other), ("p.diff", Plain)), "-i", "p.diff");
        yield return P("patch -R, CRLF context diff, rejected (old-style reject)", F(("f", Other), ("p.diff", Plain)), "-R", "-i", "p.diff");
        yield return P("patch --binary, CRLF context diff, rejected (old-style reject)", F(("f", Other), ("p.diff", Plain)), "--binary", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu35aDiffRows()
    {
        yield break;
    }
}
