namespace PatchKit.Advisories.Versions;

/// <summary>
/// dpkg's order (<c>lib/dpkg/version.c</c> <c>dpkg_version_compare</c> and <c>parsehelp.c</c> <c>parseversion</c>, dpkg 1.21):
/// epoch as a number, then upstream version and revision by <c>verrevcmp</c> (letters before other characters, <c>~</c> before everything
/// including the end, digit runs as numbers). Strings dpkg only warns about still compare; strings it rejects (empty, embedded spaces,
/// bad epoch, empty revision) are unknown.
/// </summary>
internal sealed class DpkgVersionComparer : VersionComparer
{
    internal static readonly DpkgVersionComparer Instance = new();

    internal enum ParseStatus
    {
        Ok,
        Warning,
        Error,
    }

    public override VersionScheme Scheme => VersionScheme.Dpkg;

    public override bool IsValid(ReadOnlySpan<char> version) => Parse(version, out _, out _, out _) == ParseStatus.Ok;

    public override bool TryCompare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result)
    {
        result = 0;
        if (Parse(x, out long epochX, out ReadOnlySpan<char> versionX, out ReadOnlySpan<char> revisionX) == ParseStatus.Error
            || Parse(y, out long epochY, out ReadOnlySpan<char> versionY, out ReadOnlySpan<char> revisionY) == ParseStatus.Error)
        {
            return false;
        }

        int c = epochX.CompareTo(epochY);
        if (c == 0)
        {
            c = VerRevCmp(versionX, versionY);
        }

        if (c == 0)
        {
            c = VerRevCmp(revisionX, revisionY);
        }

        result = Math.Sign(c);
        return true;
    }

    /// <summary>dpkg's <c>parseversion</c>: the same errors (unknown) and warnings (still compared).</summary>
    internal static ParseStatus Parse(ReadOnlySpan<char> s, out long epoch, out ReadOnlySpan<char> version, out ReadOnlySpan<char> revision)
    {
        epoch = 0;
        version = default;
        revision = default;
        s = s.Trim(" \t");
        if (s.IsEmpty || s.IndexOfAny(' ', '\t') >= 0)
        {
            return ParseStatus.Error;
        }

        int colon = s.IndexOf(':');
        if (colon >= 0)
        {
            // strtol: optional sign, then digits, which must end exactly at the colon.
            ReadOnlySpan<char> e = s[..colon];
            bool negative = false;
            if (e.Length > 0 && (e[0] == '+' || e[0] == '-'))
            {
                negative = e[0] == '-';
                e = e[1..];
            }

            if (e.IsEmpty || VersionText.HasNonDigit(e))
            {
                return ParseStatus.Error;
            }

            long value = 0;
            foreach (char c in e)
            {
                value = (value * 10) + (c - '0');
                if (value > int.MaxValue)
                {
                    return ParseStatus.Error;
                }
            }

            if (negative && value != 0)
            {
                return ParseStatus.Error;
            }

            epoch = value;
            s = s[(colon + 1)..];
            if (s.IsEmpty)
            {
                return ParseStatus.Error;
            }
        }

        int hyphen = s.LastIndexOf('-');
        if (hyphen >= 0)
        {
            revision = s[(hyphen + 1)..];
            if (revision.IsEmpty)
            {
                return ParseStatus.Error;
            }

            s = s[..hyphen];
        }

        version = s;
        if (version.IsEmpty)
        {
            return ParseStatus.Error;
        }

        if (!char.IsAsciiDigit(version[0]))
        {
            return ParseStatus.Warning;
        }

        foreach (char c in version[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '+' or '~' or ':'))
            {
                return ParseStatus.Warning;
            }
        }

        foreach (char c in revision)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~'))
            {
                return ParseStatus.Warning;
            }
        }

        return ParseStatus.Ok;
    }

    /// <summary>dpkg's <c>verrevcmp</c> over spans; a position past the end reads as NUL, as in C.</summary>
    internal static int VerRevCmp(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0;
        int j = 0;
        while (i < a.Length || j < b.Length)
        {
            int firstDiff = 0;
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int ac = Order(i < a.Length ? a[i] : '\0');
                int bc = Order(j < b.Length ? b[j] : '\0');
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            while (i < a.Length && j < b.Length && char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }

    private static int Order(char c) => c switch
    {
        '\0' => 0,
        '~' => -1,
        _ when char.IsAsciiDigit(c) => 0,
        _ when char.IsAsciiLetter(c) => c,
        _ => c + 256,
    };
}
