namespace PatchKit.Advisories.Versions;

/// <summary>
/// librpm's order: <c>[epoch:]version[-release]</c> split as <c>rpmds.c</c> <c>parseEVR</c> does (epoch = leading digits before <c>:</c>,
/// release after the last <c>-</c>), then compared as python3-rpm's <c>labelCompare</c>: epoch, version and release each by
/// <c>rpmvercmp</c> (<c>rpmio/rpmvercmp.c</c>, rpm 4.18), an absent epoch as <c>0</c>, an absent release below any release.
/// </summary>
internal sealed class RpmVersionComparer : VersionComparer
{
    internal static readonly RpmVersionComparer Instance = new();

    public override VersionScheme Scheme => VersionScheme.Rpm;

    public override bool IsValid(ReadOnlySpan<char> version)
    {
        if (!Split(version, out _, out ReadOnlySpan<char> v, out ReadOnlySpan<char> release, out bool hasRelease) || v.IsEmpty || (hasRelease && release.IsEmpty))
        {
            return false;
        }

        // rpm allows letters, digits and . _ + ~ ^ in versions and releases (rpmbuild's rpmCharCheck "-" excluded).
        foreach (char c in version[(version.IndexOf(':') + 1)..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '+' or '~' or '^' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    public override bool TryCompare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result)
    {
        result = 0;
        if (!Split(x, out ReadOnlySpan<char> ex, out ReadOnlySpan<char> vx, out ReadOnlySpan<char> rx, out bool hasRx)
            || !Split(y, out ReadOnlySpan<char> ey, out ReadOnlySpan<char> vy, out ReadOnlySpan<char> ry, out bool hasRy)
            || vx.IsEmpty || vy.IsEmpty)
        {
            return false;
        }

        int c = RpmVerCmp(ex.IsEmpty ? "0" : ex, ey.IsEmpty ? "0" : ey);
        if (c == 0)
        {
            c = RpmVerCmp(vx, vy);
        }

        if (c == 0)
        {
            c = hasRx && hasRy ? RpmVerCmp(rx, ry) : hasRx.CompareTo(hasRy);
        }

        result = Math.Sign(c);
        return true;
    }

    /// <summary>Splits <c>[epoch:]version[-release]</c>; false for an empty or blank string. An empty version is unknown too (librpm: "invalid version").</summary>
    internal static bool Split(ReadOnlySpan<char> s, out ReadOnlySpan<char> epoch, out ReadOnlySpan<char> version, out ReadOnlySpan<char> release, out bool hasRelease)
    {
        epoch = default;
        release = default;
        hasRelease = false;
        version = s;
        if (s.IsEmpty || s.ContainsAny(' ', '\t', '\n'))
        {
            return false;
        }

        int digits = VersionText.IndexOfNonDigit(s);
        if (digits >= 0 && s[digits] == ':')
        {
            epoch = s[..digits];
            s = s[(digits + 1)..];
        }

        int hyphen = s.LastIndexOf('-');
        if (hyphen >= 0)
        {
            release = s[(hyphen + 1)..];
            hasRelease = true;
            s = s[..hyphen];
        }

        version = s;
        return true;
    }

    /// <summary>rpmvercmp over spans: alphanumeric segments, <c>~</c> sorts before anything, <c>^</c> after the base version only.</summary>
    internal static int RpmVerCmp(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b))
        {
            return 0;
        }

        int i = 0;
        int j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]) && a[i] != '~' && a[i] != '^')
            {
                i++;
            }

            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]) && b[j] != '~' && b[j] != '^')
            {
                j++;
            }

            char ca = i < a.Length ? a[i] : '\0';
            char cb = j < b.Length ? b[j] : '\0';
            if (ca == '~' || cb == '~')
            {
                if (ca != '~')
                {
                    return 1;
                }

                if (cb != '~')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (ca == '^' || cb == '^')
            {
                if (i >= a.Length)
                {
                    return -1;
                }

                if (j >= b.Length)
                {
                    return 1;
                }

                if (ca != '^')
                {
                    return 1;
                }

                if (cb != '^')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length)
            {
                break;
            }

            int si = i;
            int sj = j;
            bool isNum = char.IsAsciiDigit(a[i]);
            if (isNum)
            {
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }
            }
            else
            {
                while (i < a.Length && char.IsAsciiLetter(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiLetter(b[j]))
                {
                    j++;
                }
            }

            ReadOnlySpan<char> one = a[si..i];
            ReadOnlySpan<char> two = b[sj..j];
            if (two.IsEmpty)
            {
                return isNum ? 1 : -1;
            }

            if (isNum)
            {
                one = one.TrimStart('0');
                two = two.TrimStart('0');
                if (one.Length != two.Length)
                {
                    return one.Length > two.Length ? 1 : -1;
                }
            }

            int rc = one.SequenceCompareTo(two);
            if (rc != 0)
            {
                return rc < 0 ? -1 : 1;
            }
        }

        if (i >= a.Length && j >= b.Length)
        {
            return 0;
        }

        return i >= a.Length ? -1 : 1;
    }
}
