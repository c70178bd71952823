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

    /// <summary>The normal diff read after another kind of patch (<see cref="WithNormalAfter"/>), if any.</summary>
    private FilePatch? _normalAfter;

    /// <summary>Where the text after that normal diff starts (a byte offset).</summary>
    private int _normalAfterEnd;

    /// <summary>GNU looks for any kind of patch again after each one: without needing a header (ORIGFILE, POSIX) a
    /// normal diff after the last patch, right after it or after text, is read as a patch of its own (the text before it
    /// leading up to it), up to a line that is none of its (trailing text after it). When its hunks cannot be read, the
    /// document is left as it was (the rest is trailing text): <see langword="null"/>.</summary>
    private PatchDocument? WithNormalAfter(PatchDocument document, ReadOnlyMemory<byte> bytes)
    {
        FilePatch last = document.Files[^1];
        if (!_headerless || _s.Format is not PatchInputFormat.Guess || last.Dialect == PatchDialect.Normal || (last.Hunks.Count == 0 && GitBinaryLine(last) is null))
        {
            return null;
        }

        int after = LineStart(bytes.Span, EndLine(last) + 1);
        ReadOnlySpan<byte> rest = bytes.Span[after..];
        int? lead = rest.IsEmpty ? null : PatchDocument.LooksLikeNormalDiff(rest) ? 0 : NormalFirst(rest);
        if (lead is not int n)
        {
            return null;
        }

        int start = after + LineStart(rest, n + 1);
        if (!PatchDocument.LooksLikeNormalDiff(bytes.Span[start..]))
        {
            return null;
        }

        // (Read with the lines before it left blank: line numbers kept.)
        int blank = (int)CountLines(bytes.Span, start);
        byte[] blanked = [.. Enumerable.Repeat((byte)'\n', blank), .. bytes.Span[start..]];
        int end = blanked.Length;
        PatchDocument? normal = null;
        try
        {
            normal = PatchDocument.ParseNormal(blanked);
        }
        catch (PatchFormatException ex) when (ex.LineNumber > blank + 1)
        {
            // Text after it: the normal diff ends before the line its reader stops at.
            end = LineStart(blanked, ex.LineNumber);
            try
            {
                normal = PatchDocument.ParseNormal(blanked.AsMemory(0, end));
            }
            catch (PatchFormatException)
            {
                // (A hunk cut short there: left as it was.)
            }
        }
        catch (PatchFormatException)
        {
        }

        if (normal?.Files is not [{ Hunks.Count: > 0 } read])
        {
            return null;
        }

        (_normalAfter, _normalAfterEnd) = (read, start + (end - blank));
        return new PatchDocument(document.Source, [.. document.Files, read]) { Preamble = document.Preamble };
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
