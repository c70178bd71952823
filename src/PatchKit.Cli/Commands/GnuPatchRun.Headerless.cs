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
    /// diff comes before it; <see langword="null"/> otherwise. Read from the bytes (a unified or context patch, the
    /// common case, answers at its first line, without the whole input made into lines).</summary>
    private static int? NormalFirst(ReadOnlySpan<byte> text)
    {
        for (int n = 0; ; n++)
        {
            int end = text.IndexOf((byte)'\n');
            if (end < 0)
            {
                return null;
            }

            ReadOnlySpan<byte> line = text[..end];
            text = text[(end + 1)..];
            if (line.StartsWith("@@ -"u8) || line.StartsWith("*** "u8) || line.StartsWith("--- "u8) || line.StartsWith("+++ "u8)
                || line.StartsWith("********"u8) || line.StartsWith("diff --git "u8) || line.StartsWith("Index:"u8) || line.SequenceEqual("."u8))
            {
                return null;
            }

            if ((text.StartsWith("< "u8) || text.StartsWith("> "u8)) && IsNormalCommand(System.Text.Encoding.UTF8.GetString(line).TrimEnd('\r')))
            {
                return n;
            }
        }
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
