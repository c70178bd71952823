namespace PatchKit.Advisories.Versions;

/// <summary>
/// Semantic Versioning 2.0.0 precedence (section 11): major, minor, patch as numbers, a pre-release below its release, pre-release identifiers
/// numeric (as numbers, of any length) below alphanumeric (ASCII order), more identifiers higher; build metadata ignored. Only strings that
/// match the specification's grammar are read (no <c>v</c> prefix, no leading zeros, no loose forms): anything else is unknown.
/// </summary>
internal sealed class SemVerComparer : VersionComparer
{
    internal static readonly SemVerComparer Instance = new();

    public override VersionScheme Scheme => VersionScheme.SemVer;

    public override bool IsValid(ReadOnlySpan<char> version) => TryParse(version, out _, out _, out _, out _);

    public override bool TryCompare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result)
    {
        result = 0;
        if (!TryParse(x, out ReadOnlySpan<char> mx, out ReadOnlySpan<char> nx, out ReadOnlySpan<char> px, out ReadOnlySpan<char> prx)
            || !TryParse(y, out ReadOnlySpan<char> my, out ReadOnlySpan<char> ny, out ReadOnlySpan<char> py, out ReadOnlySpan<char> pry))
        {
            return false;
        }

        int c = CompareNumeric(mx, my);
        if (c == 0)
        {
            c = CompareNumeric(nx, ny);
        }

        if (c == 0)
        {
            c = CompareNumeric(px, py);
        }

        if (c == 0)
        {
            c = ComparePreRelease(prx, pry);
        }

        result = Math.Sign(c);
        return true;
    }

    /// <summary>Reads <c>major.minor.patch[-pre][+build]</c> by the specification's BNF.</summary>
    internal static bool TryParse(ReadOnlySpan<char> s, out ReadOnlySpan<char> major, out ReadOnlySpan<char> minor, out ReadOnlySpan<char> patch, out ReadOnlySpan<char> preRelease)
    {
        major = minor = patch = preRelease = default;
        int plus = s.IndexOf('+');
        if (plus >= 0)
        {
            if (!ValidIdentifiers(s[(plus + 1)..], numericNoLeadingZero: false))
            {
                return false;
            }

            s = s[..plus];
        }

        int hyphen = s.IndexOf('-');
        if (hyphen >= 0)
        {
            preRelease = s[(hyphen + 1)..];
            if (!ValidIdentifiers(preRelease, numericNoLeadingZero: true))
            {
                return false;
            }

            s = s[..hyphen];
        }

        int dot1 = s.IndexOf('.');
        if (dot1 < 0)
        {
            return false;
        }

        major = s[..dot1];
        s = s[(dot1 + 1)..];
        int dot2 = s.IndexOf('.');
        if (dot2 < 0)
        {
            return false;
        }

        minor = s[..dot2];
        patch = s[(dot2 + 1)..];
        return IsNumericIdentifier(major) && IsNumericIdentifier(minor) && IsNumericIdentifier(patch);
    }

    private static bool IsNumericIdentifier(ReadOnlySpan<char> s) =>
        !s.IsEmpty && !VersionText.HasNonDigit(s) && (s.Length == 1 || s[0] != '0');

    private static bool ValidIdentifiers(ReadOnlySpan<char> s, bool numericNoLeadingZero)
    {
        foreach (Range r in s.Split('.'))
        {
            ReadOnlySpan<char> id = s[r];
            if (id.IsEmpty)
            {
                return false;
            }

            foreach (char c in id)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }

            if (numericNoLeadingZero && !VersionText.HasNonDigit(id) && !IsNumericIdentifier(id))
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareNumeric(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);

    private static int ComparePreRelease(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return a.IsEmpty == b.IsEmpty ? 0 : (a.IsEmpty ? 1 : -1);
        }

        MemoryExtensions.SpanSplitEnumerator<char> ea = a.Split('.');
        MemoryExtensions.SpanSplitEnumerator<char> eb = b.Split('.');
        while (true)
        {
            bool hasA = ea.MoveNext();
            bool hasB = eb.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA == hasB ? 0 : (hasA ? 1 : -1);
            }

            ReadOnlySpan<char> ia = a[ea.Current];
            ReadOnlySpan<char> ib = b[eb.Current];
            bool na = !VersionText.HasNonDigit(ia);
            bool nb = !VersionText.HasNonDigit(ib);
            int c = na && nb ? CompareNumeric(ia, ib) : na ? -1 : nb ? 1 : ia.SequenceCompareTo(ib);
            if (c != 0)
            {
                return c;
            }
        }
    }
}
