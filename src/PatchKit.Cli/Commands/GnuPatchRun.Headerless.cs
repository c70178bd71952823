using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Hunks that no file header names. GNU patch 2.7.6 needs a header before a hunk only when it is not told the
/// file to patch (ORIGFILE) and not under POSIX (patch.c: <c>there_is_another_patch (! (inname || posixly_correct))</c>):
/// then a bare <c>@@</c> hunk or context hunk, at the start or after text that ended the patch before, starts a patch
/// of its own, applied to ORIGFILE, or, without one, a file it cannot find ("can't find file to patch").</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>Whether hunks without a file header are read (ORIGFILE given, or POSIX asked for).</summary>
    private bool _headerless;

    /// <summary>How the drop-in reads a patch: leniently, no normal diffs guessed, hunks without a header read when GNU
    /// reads them.</summary>
    private PatchParseOptions GnuRead => new() { Lenient = true, ReadNormalDiffs = false, HunksWithoutHeaders = _headerless };

    /// <summary>Where a normal diff starts after text when GNU reads without needing a header (ORIGFILE, POSIX): its
    /// first command line followed by a <c>&lt; </c> or <c>&gt; </c> line, when no line that could start another kind of
    /// diff comes before it; <see langword="null"/> otherwise.</summary>
    private static int? NormalFirst(string[] lines)
    {
        for (int n = 0; n + 1 < lines.Length; n++)
        {
            string line = lines[n];
            if (line.StartsWith("@@ -", StringComparison.Ordinal) || line.StartsWith("*** ", StringComparison.Ordinal)
                || line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("+++ ", StringComparison.Ordinal)
                || line.StartsWith("********", StringComparison.Ordinal) || line.StartsWith("diff --git ", StringComparison.Ordinal)
                || line.StartsWith("Index:", StringComparison.Ordinal) || line == ".")
            {
                return null;
            }

            if (IsNormalCommand(line.TrimEnd('\r')) && (lines[n + 1].StartsWith("< ", StringComparison.Ordinal) || lines[n + 1].StartsWith("> ", StringComparison.Ordinal)))
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>The text before a normal diff read after text (<c>-n</c>, or without needing a header), as GNU shows it.</summary>
    private void NormalLeadText()
    {
        if (_normalLead is not { } leadLines)
        {
            return;
        }

        _say.WriteLine("The text leading up to this was:");
        _say.WriteLine("--------------------------");
        foreach (string line in leadLines)
        {
            _say.WriteLine("|" + line);
        }

        _say.WriteLine("--------------------------");
    }
}
