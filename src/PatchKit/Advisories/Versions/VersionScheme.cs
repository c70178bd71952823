namespace PatchKit.Advisories.Versions;

/// <summary>How the version strings of a package or a platform are ordered. Each scheme has one <see cref="VersionComparer"/>.</summary>
public enum VersionScheme
{
    /// <summary>No known ordering: comparisons answer "unknown", never a guess.</summary>
    Unknown = 0,

    /// <summary>Debian package versions (<c>[epoch:]upstream[-revision]</c>, <c>~</c> before everything), ordered as <c>dpkg --compare-versions</c>.</summary>
    Dpkg = 1,

    /// <summary>RPM <c>[epoch:]version[-release]</c> strings, ordered as librpm's <c>rpmvercmp</c> and <c>labelCompare</c> (<c>~</c> and <c>^</c> included).</summary>
    Rpm = 2,

    /// <summary>Semantic Versioning 2.0.0 precedence (build metadata ignored); strings that are not SemVer 2.0.0 compare as unknown.</summary>
    SemVer = 3,

    /// <summary>VMware ESXi releases: major, minor, update line, then build (<c>ESXi80U3f-24784735</c>, <c>8.0.3-0.70.24674464</c>,
    /// <c>ESXi670-202010401-SG</c>, 9.x <c>9.0.1.0100</c>). Build numbers are not compared across update lines by themselves.</summary>
    EsxiRelease = 4,

    /// <summary>ESXi build numbers alone, only within one major.minor; any other pair is unknown.</summary>
    EsxiBuild = 5,

    /// <summary>Windows <c>major.minor.build[.UBR]</c> (<c>10.0.19045.3930</c>), numeric per component.</summary>
    WindowsBuild = 6,
}
