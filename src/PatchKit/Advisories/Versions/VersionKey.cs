namespace PatchKit.Advisories.Versions;

/// <summary>
/// Sort keys for dpkg and rpm versions: a string whose ordinal order is the scheme's order, so a version parsed once compares with a
/// plain <see cref="string.CompareOrdinal(string, string)"/> (no parsing, no allocation) against every bound it meets. Equal keys mean
/// the comparer answers 0 (<c>1.0</c> and <c>1.00</c> share a key). A string the comparer cannot order (or one the key cannot
/// represent: control characters, digit runs of thousands of digits) has no key; callers then ask the comparer.
/// </summary>
/// <remarks>
/// <para>dpkg (<see cref="DpkgVersionComparer.VerRevCmp"/>): a part is a sequence of steps, each a run of non-digits and a run of digits.
/// Non-digits become their <c>verrevcmp</c> weight (<c>~</c> lowest, then the end of the run, letters, everything else), followed by
/// <see cref="DpkgRunEnd"/>; a digit run becomes its length without leading zeros, then its digits. <c>verrevcmp</c> reads past the
/// end as empty runs of weight "end" and number 0, so a trailing "empty, 0" step is dropped and every part ends with
/// <c>DpkgRunEnd, 0, DpkgRunEnd</c>, which orders the end of a part exactly as the missing characters would. The key is the epoch (two
/// chars), the upstream version's part and the revision's part.</para>
/// <para>rpm (<see cref="RpmVersionComparer.RpmVerCmp"/>): separators vanish; the tokens are <c>~</c> &lt; end &lt; <c>^</c> &lt; a
/// letter run &lt; a digit run, a letter run is its letters then a 0, a digit run its length without leading zeros then its digits,
/// and each part ends with the end token. The key is epoch (empty as <c>0</c>), version, then 1 (no release) or 2 and the release.</para>
/// <para>Proven against the comparers (themselves proven against dpkg 1.21 and librpm 4.18) by <c>VersionKeyTests</c>.</para>
/// </remarks>
internal static class VersionKey
{
    // dpkg weights: '~' < end of a non-digit run < letters < everything else.
    private const char DpkgTilde = (char)1;
    private const char DpkgRunEnd = (char)2;
    private const int DpkgLetterBase = 3;
    private const int DpkgOtherBase = 3 + 256;

    // rpm tokens.
    private const char RpmTilde = (char)1;
    private const char RpmEnd = (char)2;
    private const char RpmCaret = (char)3;
    private const char RpmAlpha = (char)4;
    private const char RpmNumber = (char)5;

    // A digit run's length is one char; longer runs (never seen in a real version) get no key.
    private const int MaxDigits = 4096;

    /// <summary>Returns the key of a version in a scheme, or <see langword="null"/> when the scheme has no keys (only dpkg and rpm do) or
    /// the version has none.</summary>
    public static string? For(VersionScheme scheme, string version) => scheme switch
    {
        VersionScheme.Dpkg => Dpkg(version),
        VersionScheme.Rpm => Rpm(version),
        _ => null,
    };

    /// <summary>The dpkg key, or <see langword="null"/> when dpkg cannot order the string or the key cannot represent it.</summary>
    public static string? Dpkg(string version)
    {
        if (DpkgVersionComparer.Parse(version, out long epoch, out ReadOnlySpan<char> upstream, out ReadOnlySpan<char> revision) == DpkgVersionComparer.ParseStatus.Error)
        {
            return null;
        }

        var key = new KeyBuilder(stackalloc char[128]);
        key.Append((char)(epoch >> 16));
        key.Append((char)(epoch & 0xFFFF));
        bool ok = DpkgPart(ref key, upstream) && DpkgPart(ref key, revision);
        string? result = ok ? key.ToString() : null;
        key.Dispose();
        return result;
    }

    /// <summary>The rpm key, or <see langword="null"/> when rpm cannot order the string or the key cannot represent it.</summary>
    public static string? Rpm(string version)
    {
        if (!RpmVersionComparer.Split(version, out ReadOnlySpan<char> epoch, out ReadOnlySpan<char> v, out ReadOnlySpan<char> release, out bool hasRelease) || v.IsEmpty)
        {
            return null;
        }

        var key = new KeyBuilder(stackalloc char[128]);
        bool ok = RpmPart(ref key, epoch.IsEmpty ? "0" : epoch) && RpmPart(ref key, v);
        if (ok)
        {
            key.Append(hasRelease ? (char)2 : (char)1);
            ok = !hasRelease || RpmPart(ref key, release);
        }

        string? result = ok ? key.ToString() : null;
        key.Dispose();
        return result;
    }

    private static bool DpkgPart(ref KeyBuilder key, ReadOnlySpan<char> s)
    {
        int i = 0;

        // Where the key stood before the last "empty non-digit run, number 0" step: such a step at the end reads like the end itself.
        int trailingEmpty = -1;
        while (i < s.Length)
        {
            int stepStart = key.Length;
            bool emptyRun = true;
            while (i < s.Length && !char.IsAsciiDigit(s[i]))
            {
                char c = s[i];
                if (c < ' ' || c > (char)(0xFFFF - DpkgOtherBase))
                {
                    return false;
                }

                key.Append(c == '~' ? DpkgTilde : char.IsAsciiLetter(c) ? (char)(c + DpkgLetterBase) : (char)(c + DpkgOtherBase));
                emptyRun = false;
                i++;
            }

            key.Append(DpkgRunEnd);
            if (!AppendNumber(ref key, s, ref i, out bool zero))
            {
                return false;
            }

            trailingEmpty = emptyRun && zero ? stepStart : -1;
        }

        if (trailingEmpty >= 0)
        {
            key.Length = trailingEmpty;
        }

        key.Append(DpkgRunEnd);
        key.Append((char)0);
        key.Append(DpkgRunEnd);
        return true;
    }

    private static bool RpmPart(ref KeyBuilder key, ReadOnlySpan<char> s)
    {
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '~')
            {
                key.Append(RpmTilde);
                i++;
            }
            else if (c == '^')
            {
                key.Append(RpmCaret);
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                key.Append(RpmNumber);
                if (!AppendNumber(ref key, s, ref i, out _))
                {
                    return false;
                }
            }
            else if (char.IsAsciiLetter(c))
            {
                key.Append(RpmAlpha);
                while (i < s.Length && char.IsAsciiLetter(s[i]))
                {
                    key.Append(s[i]);
                    i++;
                }

                key.Append((char)0);
            }
            else
            {
                // A separator: rpmvercmp skips it.
                i++;
            }
        }

        key.Append(RpmEnd);
        return true;
    }

    // A digit run (possibly empty) as both tools compare it: leading zeros dropped, then the length, then the digits; false when too long.
    private static bool AppendNumber(ref KeyBuilder key, ReadOnlySpan<char> s, ref int i, out bool zero)
    {
        while (i < s.Length && s[i] == '0')
        {
            i++;
        }

        int digits = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        zero = i == digits;
        if (i - digits > MaxDigits)
        {
            return false;
        }

        key.Append((char)(i - digits));
        key.Append(s[digits..i]);
        return true;
    }

    /// <summary>A growable char buffer that starts on the stack.</summary>
    private ref struct KeyBuilder
    {
        private Span<char> _chars;
        private char[]? _rented;

        public KeyBuilder(Span<char> initial)
        {
            _chars = initial;
            _rented = null;
            Length = 0;
        }

        public int Length { get; set; }

        public void Append(char c)
        {
            if (Length == _chars.Length)
            {
                Grow(1);
            }

            _chars[Length++] = c;
        }

        public void Append(ReadOnlySpan<char> s)
        {
            if (Length + s.Length > _chars.Length)
            {
                Grow(s.Length);
            }

            s.CopyTo(_chars[Length..]);
            Length += s.Length;
        }

        public override readonly string ToString() => new(_chars[..Length]);

        public void Dispose()
        {
            if (_rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(_rented);
                _rented = null;
            }
        }

        private void Grow(int more)
        {
            char[] next = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, Length + more));
            _chars[..Length].CopyTo(next);
            if (_rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(_rented);
            }

            _rented = next;
            _chars = next;
        }
    }
}
