using System.Buffers;
using PatchKit.Internal;

namespace PatchKit.Diffs;

/// <summary>Hunk headers and hunk lines.</summary>
public ref partial struct UnifiedDiffReader
{
    private static readonly SearchValues<byte> s_digits = SearchValues.Create("0123456789"u8);

    private bool TryHunkHeader(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("@@@"u8))
        {
            ThrowHelper.ThrowPatchFormat(PatchError.CombinedDiff, line, _lineNumber, TokenOffset);
        }

        bool fileOpen = _mode is ReaderMode.FileOpen or ReaderMode.AfterHunk or ReaderMode.GitHeader or ReaderMode.Hunk or ReaderMode.PendingOld;
        bool nameless = !fileOpen && _options.HunksWithoutHeaders;
        if (!fileOpen && !nameless)
        {
            if (!_options.Lenient)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.HunkWithoutFile, line, _lineNumber, TokenOffset);
            }

            return false;
        }

        // "@@ -a[,b] +c[,d] @@[ heading]"
        ReadOnlySpan<byte> s = TrimEol(line);
        if (IsSvnEmptyFileHeader(s))
        {
            // Subversion writes "@@ +1 0,0 @@" (and a bare "-" line) when it deletes an empty file: no old range, so
            // git apply and GNU patch read no hunk there, and the file patch is the deletion alone. So does PatchKit:
            // the line and what follows it up to the next header are text between file patches.
            return false;
        }

        int pos = 3;
        bool ok = s.Length > pos && s[pos] == (byte)'-';
        pos++;
        int oldStart = 0, oldCount = 1, newStart = 0, newCount = 1;
        int status = 0;
        ok = ok && ParseNumber(s, ref pos, out oldStart, ref status);
        if (ok && pos < s.Length && s[pos] == (byte)',')
        {
            pos++;
            ok = ParseNumber(s, ref pos, out oldCount, ref status);
        }

        ok = ok && pos + 1 < s.Length && s[pos] == (byte)' ' && s[pos + 1] == (byte)'+';
        pos += 2;
        ok = ok && ParseNumber(s, ref pos, out newStart, ref status);
        if (ok && pos < s.Length && s[pos] == (byte)',')
        {
            pos++;
            ok = ParseNumber(s, ref pos, out newCount, ref status);
        }

        ok = ok && pos + 2 < s.Length && s[pos] == (byte)' ' && s[pos + 1] == (byte)'@' && s[pos + 2] == (byte)'@';
        if (!ok)
        {
            if (status != 0)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.LineNumberTooLarge, line, _lineNumber, TokenOffset);
            }

            if (!_options.Lenient)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.MalformedHunkHeader, line, _lineNumber, TokenOffset);
            }

            return false;
        }

        pos += 3;
        if (pos < s.Length && s[pos] == (byte)' ')
        {
            pos++;
        }

        if (nameless)
        {
            // A hunk that no header names (HunksWithoutHeaders): it opens a file patch without paths.
            StartFile(ReaderMode.FileOpen);
            _opensNameless = true;
        }
        else if (_mode == ReaderMode.PendingOld)
        {
            // Opens the file the lone "---" line before it named (lenient reads only).
            StartFile(ReaderMode.FileOpen);
            _opensFile = true;
        }

        HunkOldStart = oldStart;
        HunkOldCount = oldCount;
        HunkNewStart = newStart;
        HunkNewCount = newCount;
        HunkHeadingStart = pos;
        _oldRemaining = oldCount;
        _newRemaining = newCount;
        _hunkIndex++;
        _hunkLine = _lineNumber;
        _mode = (oldCount | newCount) == 0 && !_options.Recount ? ReaderMode.AfterHunk : ReaderMode.Hunk;
        return true;
    }

    /// <summary>Subversion's header for the hunk of an empty file: "@@ +N[,M] N[,M] @@" (a '+' where the old range's '-'
    /// belongs, and no sign on the second range).</summary>
    private static bool IsSvnEmptyFileHeader(ReadOnlySpan<byte> s)
    {
        if (!s.StartsWith("@@ +"u8) || !s.EndsWith(" @@"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> ranges = s[4..^3];
        int space = ranges.IndexOf((byte)' ');
        return space > 0 && IsRange(ranges[..space]) && IsRange(ranges[(space + 1)..]);

        static bool IsRange(ReadOnlySpan<byte> r)
        {
            int comma = r.IndexOf((byte)',');
            ReadOnlySpan<byte> start = comma < 0 ? r : r[..comma];
            return !start.IsEmpty && start.IndexOfAnyExcept(s_digits) < 0 && (comma < 0 || (comma + 1 < r.Length && r[(comma + 1)..].IndexOfAnyExcept(s_digits) < 0));
        }
    }

    /// <summary>Parses up to 10 decimal digits at <paramref name="pos"/>; more digits or a value above int.MaxValue set <paramref name="status"/>.</summary>
    private static bool ParseNumber(ReadOnlySpan<byte> s, ref int pos, out int value, ref int status)
    {
        value = 0;
        if (pos >= s.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> tail = s[pos..];
        int digits = tail.IndexOfAnyExcept(s_digits);
        if (digits < 0)
        {
            digits = tail.Length;
        }

        if (digits == 0)
        {
            return false;
        }

        if (digits > 10)
        {
            status = 1;
            return false;
        }

        long v = 0;
        for (int i = 0; i < digits; i++)
        {
            v = (v * 10) + (tail[i] - '0');
        }

        if (v > int.MaxValue)
        {
            status = 1;
            return false;
        }

        value = (int)v;
        pos += digits;
        return true;
    }

    private bool TryHunkLine(ReadOnlySpan<byte> line, out DiffTokenType token)
    {
        byte c = line[0];
        if (_options.Recount)
        {
            token = c switch
            {
                (byte)' ' or (byte)'\n' => DiffTokenType.ContextLine,
                (byte)'\r' when line.Length == 2 && line[1] == (byte)'\n' => DiffTokenType.ContextLine,
                (byte)'+' => DiffTokenType.AddedLine,
                (byte)'-' => DiffTokenType.RemovedLine,
                (byte)'\\' => DiffTokenType.NoNewlineMarker,
                _ => DiffTokenType.None,
            };
            if (token == DiffTokenType.None)
            {
                _mode = ReaderMode.FileOpen;
                return false;
            }

            return true;
        }

        switch (c)
        {
            case (byte)' ':
                if (_oldRemaining > 0 && _newRemaining > 0)
                {
                    _oldRemaining--;
                    _newRemaining--;
                    token = DiffTokenType.ContextLine;
                    goto Counted;
                }

                break;
            case (byte)'-':
                if (_oldRemaining > 0)
                {
                    _oldRemaining--;
                    token = DiffTokenType.RemovedLine;
                    goto Counted;
                }

                break;
            case (byte)'+':
                if (_newRemaining > 0)
                {
                    _newRemaining--;
                    token = DiffTokenType.AddedLine;
                    goto Counted;
                }

                break;
            case (byte)'\\':
                token = DiffTokenType.NoNewlineMarker;
                return true;
            case (byte)'#' when _options.Lenient:
                // A comment line inside a hunk: GNU patch passes over it and reads the hunk on (lenient reads only).
                token = GarbageToken;
                return true;
            case (byte)'\n':
            case (byte)'\r':
                if ((line.Length == 1 || (line.Length == 2 && line[1] == (byte)'\n')) && _oldRemaining > 0 && _newRemaining > 0)
                {
                    _oldRemaining--;
                    _newRemaining--;
                    token = DiffTokenType.ContextLine;
                    goto Counted;
                }

                break;
        }

        if (!_options.Lenient)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.HunkTooShort, line, _lineNumber, TokenOffset, _hunkIndex, _hunkLine, ((long)_oldRemaining << 32) | (uint)_newRemaining);
        }

        _mode = ReaderMode.FileOpen;
        token = DiffTokenType.None;
        return false;

    Counted:
        if ((_oldRemaining | _newRemaining) == 0)
        {
            _mode = ReaderMode.AfterHunk;
        }

        return true;
    }
}
