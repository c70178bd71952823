namespace PatchKit.Advisories.Versions;

/// <summary>
/// One ESXi version string read into its ordering fields. Forms: release names <c>ESXi80U3f-24784735</c> and <c>ESXi80a-…</c> (update 0),
/// full versions <c>8.0.3-0.70.24674464</c> and <c>ESXi_7.0.1-0.0.16850804</c> (major.minor.update-quarter.patch.build), 6.x patch ids
/// <c>ESXi670-202010401-SG</c> (YYYYMM + sequence, no build), and 9.x <c>9.0.1.0100[.build]</c> or <c>9.0.1-0100.build</c>
/// (major.minor.maintenance.EEHH).
/// </summary>
internal readonly record struct EsxiVersion(EsxiVersionForm Form, int Major, int Minor, int Update, long Build, long Sequence)
{
    public static bool TryParse(ReadOnlySpan<char> s, out EsxiVersion version)
    {
        version = default;
        if (s.StartsWith("ESXi_"))
        {
            return TryParseFull(s[5..], out version);
        }

        if (s.StartsWith("ESXi"))
        {
            return TryParseName(s[4..], out version);
        }

        return TryParseFull(s, out version) || TryParseNine(s, out version);
    }

    // 80U3f-24784735, 80a-123, 670-202010401-SG
    private static bool TryParseName(ReadOnlySpan<char> s, out EsxiVersion version)
    {
        version = default;
        if (s.Length < 3 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[1]))
        {
            return false;
        }

        int major = s[0] - '0';
        int minor = s[1] - '0';
        if (s[2] == '0' && s.Length == 3 + 1 + 9 + 3 && s[3] == '-' && s[13] == '-' && (s[14..].SequenceEqual("SG") || s[14..].SequenceEqual("BG"))
            && TryNumber(s.Slice(4, 9), out long sequence))
        {
            version = new EsxiVersion(EsxiVersionForm.PatchId, major, minor, -1, -1, sequence);
            return true;
        }

        ReadOnlySpan<char> rest = s[2..];
        int update = 0;
        if (rest.Length > 1 && rest[0] == 'U' && char.IsAsciiDigit(rest[1]))
        {
            update = rest[1] - '0';
            rest = rest[2..];
        }

        int letters = VersionText.IndexOfNonLower(rest);
        if (letters < 0 || rest[letters] != '-' || !TryNumber(rest[(letters + 1)..], out long build))
        {
            return false;
        }

        version = new EsxiVersion(EsxiVersionForm.Build, major, minor, update, build, 0);
        return true;
    }

    // 8.0.3-0.70.24674464 (7.x and 8.x only; 9.x has its own form)
    private static bool TryParseFull(ReadOnlySpan<char> s, out EsxiVersion version)
    {
        version = default;
        Span<Range> parts = stackalloc Range[4];
        int hyphen = s.IndexOf('-');
        if (hyphen < 0 || s[..hyphen].Split(parts, '.') != 3)
        {
            return false;
        }

        ReadOnlySpan<char> head = s[..hyphen];
        if (!TryNumber(head[parts[0]], out long major) || !TryNumber(head[parts[1]], out long minor) || !TryNumber(head[parts[2]], out long update)
            || major is < 5 or >= 9 || minor > 9 || update > 9)
        {
            return false;
        }

        ReadOnlySpan<char> tail = s[(hyphen + 1)..];
        if (tail.Split(parts, '.') != 3 || !TryNumber(tail[parts[0]], out _) || !TryNumber(tail[parts[1]], out _) || !TryNumber(tail[parts[2]], out long build))
        {
            return false;
        }

        version = new EsxiVersion(EsxiVersionForm.Build, (int)major, (int)minor, (int)update, build, 0);
        return true;
    }

    // 9.0.1.0100, 9.2.1.0101.56789012, 9.0.1-0101.12345678: major.minor.maintenance[.-]EEHH[.build]
    private static bool TryParseNine(ReadOnlySpan<char> s, out EsxiVersion version)
    {
        version = default;
        if (!TakeNumber(ref s, out long major) || major < 9 || !Take(ref s, '.')
            || !TakeNumber(ref s, out long minor) || !Take(ref s, '.')
            || !TakeNumber(ref s, out long maintenance) || s.IsEmpty || (s[0] != '.' && s[0] != '-'))
        {
            return false;
        }

        bool lowLevel = s[0] == '-';
        s = s[1..];
        int eehhLength = s.IndexOf('.') is int dot and >= 0 ? dot : s.Length;
        if (eehhLength is < 1 or > 4 || !TakeNumber(ref s, out long eehh))
        {
            return false;
        }

        long build = -1;
        if (!s.IsEmpty && (!Take(ref s, '.') || !TakeNumber(ref s, out build) || !s.IsEmpty))
        {
            return false;
        }

        if (lowLevel && build < 0)
        {
            return false;
        }

        version = new EsxiVersion(EsxiVersionForm.Nine, (int)major, (int)minor, (int)maintenance, build, eehh);
        return true;
    }

    private static bool Take(ref ReadOnlySpan<char> s, char c)
    {
        if (s.IsEmpty || s[0] != c)
        {
            return false;
        }

        s = s[1..];
        return true;
    }

    private static bool TakeNumber(ref ReadOnlySpan<char> s, out long value)
    {
        int end = VersionText.IndexOfNonDigit(s);
        if (end < 0)
        {
            end = s.Length;
        }

        if (!TryNumber(s[..end], out value) || value > int.MaxValue)
        {
            return false;
        }

        s = s[end..];
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 12 || VersionText.HasNonDigit(s))
        {
            return false;
        }

        foreach (char c in s)
        {
            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
