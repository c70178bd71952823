namespace PatchKit.Advisories.Versions;

/// <summary>
/// Windows and Microsoft product versions <c>major.minor.build[.revision]</c> (<c>10.0.19045.3930</c>: build 19045, UBR 3930;
/// <c>16.0.5508.1000</c>): each component a number up to 9 digits; a missing fourth component sorts below any present one, as <see cref="Version"/>.
/// </summary>
internal sealed class WindowsBuildComparer : VersionComparer
{
    internal static readonly WindowsBuildComparer Instance = new();

    public override VersionScheme Scheme => VersionScheme.WindowsBuild;

    public override bool IsValid(ReadOnlySpan<char> version) => TryParse(version, out _);

    public override bool TryCompare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result)
    {
        result = 0;
        if (!TryParse(x, out (long, long, long, long) a) || !TryParse(y, out (long, long, long, long) b))
        {
            return false;
        }

        result = Math.Sign(a.CompareTo(b));
        return true;
    }

    private static bool TryParse(ReadOnlySpan<char> s, out (long Major, long Minor, long Build, long Revision) value)
    {
        value = default;
        Span<Range> parts = stackalloc Range[5];
        int count = s.Split(parts, '.');
        if (count is < 3 or > 4)
        {
            return false;
        }

        Span<long> n = stackalloc long[4];
        n[3] = -1;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<char> p = s[parts[i]];
            if (p.IsEmpty || p.Length > 9 || VersionText.HasNonDigit(p))
            {
                return false;
            }

            long v = 0;
            foreach (char c in p)
            {
                v = (v * 10) + (c - '0');
            }

            n[i] = v;
        }

        value = (n[0], n[1], n[2], n[3]);
        return true;
    }
}
