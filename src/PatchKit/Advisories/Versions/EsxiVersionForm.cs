namespace PatchKit.Advisories.Versions;

/// <summary>Which ESXi version form a string was read from.</summary>
internal enum EsxiVersionForm
{
    /// <summary>7.x/8.x forms that carry an update line and a build number.</summary>
    Build,

    /// <summary>6.x patch ids: YYYYMM + sequence, no build number.</summary>
    PatchId,

    /// <summary>9.x: maintenance release and EEHH (express patch, hot patch); its build number is not ordered.</summary>
    Nine,
}
