namespace PatchKit.Advisories.Versions;

/// <summary>
/// ESXi orderings. Release: major, minor, then per form (update line then build; 6.x patch id sequence; 9.x maintenance then EEHH); a 6.x patch
/// id and a build of the same major.minor are unknown (the id carries no build). Build: build numbers alone, only within one major.minor.
/// Build numbers are not monotonic across update lines (ESXi80U2e-24789317 is higher than ESXi80U3f-24784735).
/// </summary>
internal sealed class EsxiVersionComparer : VersionComparer
{
    internal static readonly EsxiVersionComparer Release = new(byBuild: false);
    internal static readonly EsxiVersionComparer Build = new(byBuild: true);

    private readonly bool _byBuild;

    private EsxiVersionComparer(bool byBuild) => _byBuild = byBuild;

    public override VersionScheme Scheme => _byBuild ? VersionScheme.EsxiBuild : VersionScheme.EsxiRelease;

    public override bool IsValid(ReadOnlySpan<char> version) =>
        EsxiVersion.TryParse(version, out EsxiVersion v) && (!_byBuild || v.Build >= 0);

    public override bool TryCompare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result)
    {
        result = 0;
        if (!EsxiVersion.TryParse(x, out EsxiVersion a) || !EsxiVersion.TryParse(y, out EsxiVersion b))
        {
            return false;
        }

        if (_byBuild)
        {
            if (a.Major != b.Major || a.Minor != b.Minor || a.Build < 0 || b.Build < 0)
            {
                return false;
            }

            result = a.Build.CompareTo(b.Build);
            return true;
        }

        int c = a.Major.CompareTo(b.Major);
        if (c == 0)
        {
            c = a.Minor.CompareTo(b.Minor);
        }

        if (c == 0)
        {
            if (a.Form != b.Form)
            {
                return false;
            }

            c = a.Form switch
            {
                EsxiVersionForm.PatchId => a.Sequence.CompareTo(b.Sequence),
                EsxiVersionForm.Nine => a.Update != b.Update ? a.Update.CompareTo(b.Update) : a.Sequence.CompareTo(b.Sequence),
                _ => a.Update != b.Update ? a.Update.CompareTo(b.Update) : a.Build.CompareTo(b.Build),
            };
        }

        result = Math.Sign(c);
        return true;
    }
}
