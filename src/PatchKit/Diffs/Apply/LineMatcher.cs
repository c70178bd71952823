namespace PatchKit.Diffs.Apply;

/// <summary>Compares a file line with a pattern line under the apply's matching rules.</summary>
internal static class LineMatcher
{
    /// <summary>Whether the byte is a blank to <c>patch -l</c>: a space or a tab only (GNU's similar(); a form feed,
    /// vertical tab or carriage return is a character like any other).</summary>
    public static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    public static bool Matches(ReadOnlySpan<byte> fileBody, LineEnding fileEnding, in PatternLine pattern, bool ignoreWhitespace, bool anyNewline)
    {
        LineEnding patternEnding = pattern.Ending;
        if (fileEnding != patternEnding)
        {
            // A missing final newline never matches a present one, except when blanks are ignored and the other is
            // LF (GNU's similar() ignores a trailing newline); LF and CRLF match only when endings are converted (to
            // similar() a CR is a character like any other).
            bool noneAndLf = (fileEnding == LineEnding.None && patternEnding == LineEnding.Lf) || (patternEnding == LineEnding.None && fileEnding == LineEnding.Lf);
            bool bothEnded = fileEnding != LineEnding.None && patternEnding != LineEnding.None;
            if (!((ignoreWhitespace && noneAndLf) || (anyNewline && bothEnded)))
            {
                return false;
            }
        }

        ReadOnlySpan<byte> patternBody = pattern.Body.Span;
        return ignoreWhitespace ? EqualsIgnoringBlanks(fileBody, patternBody) : fileBody.SequenceEqual(patternBody);
    }

    /// <summary>Runs of blanks match any non-empty run of blanks; trailing blanks are ignored (as <c>patch -l</c>).</summary>
    public static bool EqualsIgnoringBlanks(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        a = TrimEnd(a);
        b = TrimEnd(b);
        int i = 0;
        int j = 0;
        while (i < a.Length && j < b.Length)
        {
            bool blankA = IsBlank(a[i]);
            bool blankB = IsBlank(b[j]);
            if (blankA != blankB)
            {
                return false;
            }

            if (blankA)
            {
                while (i < a.Length && IsBlank(a[i]))
                {
                    i++;
                }

                while (j < b.Length && IsBlank(b[j]))
                {
                    j++;
                }

                continue;
            }

            if (a[i] != b[j])
            {
                return false;
            }

            i++;
            j++;
        }

        return i == a.Length && j == b.Length;
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> s)
    {
        int end = s.Length;
        while (end > 0 && IsBlank(s[end - 1]))
        {
            end--;
        }

        return s[..end];
    }
}
