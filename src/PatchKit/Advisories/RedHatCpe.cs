namespace PatchKit.Advisories;

/// <summary>The parts of a CPE name that say which Red Hat release and stream a package is for
/// (<c>cpe:/a:redhat:enterprise_linux:9::appstream</c>, <c>cpe:2.3:a:redhat:rhel_eus:9.4:*:…</c>).</summary>
internal static class RedHatCpe
{
    /// <summary>Splits a CPE 2.2 (<c>cpe:/</c>) or 2.3 (<c>cpe:2.3:</c>) name into its fields after the prefix: part, vendor,
    /// product, version, update, edition…; empty for anything else.</summary>
    public static string[] Fields(string cpe) =>
        cpe.StartsWith("cpe:2.3:", StringComparison.Ordinal) ? cpe[8..].Split(':')
        : cpe.StartsWith("cpe:/", StringComparison.Ordinal) ? cpe[5..].Split(':')
        : [];

    /// <summary>Whether a Red Hat CPE product is an extended-support stream (<c>rhel_eus</c>, <c>rhel_aus</c>, <c>rhel_e4s</c>,
    /// <c>rhel_tus</c>): its packages are for hosts subscribed to it, tagged with the product's name.</summary>
    public static bool IsExtendedSupportStream(string product) => product is "rhel_eus" or "rhel_aus" or "rhel_e4s" or "rhel_tus";
}
