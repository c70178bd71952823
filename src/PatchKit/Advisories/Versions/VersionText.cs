namespace PatchKit.Advisories.Versions;

/// <summary>Digit scans for the comparers. MemoryExtensions' <c>…ExceptInRange</c> allocates on every call in this runtime (96 bytes,
/// measured by <c>VersionComparerTests.TryCompare_EverySchemeOnWarmPath_AllocatesNothing</c>), so the hot path uses plain loops.</summary>
internal static class VersionText
{
    /// <summary>Index of the first character that is not an ASCII digit, or -1.</summary>
    public static int IndexOfNonDigit(ReadOnlySpan<char> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a character other than an ASCII digit occurs.</summary>
    public static bool HasNonDigit(ReadOnlySpan<char> s) => IndexOfNonDigit(s) >= 0;

    /// <summary>Index of the first character that is not a lower-case ASCII letter, or -1.</summary>
    public static int IndexOfNonLower(ReadOnlySpan<char> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (!char.IsAsciiLetterLower(s[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
