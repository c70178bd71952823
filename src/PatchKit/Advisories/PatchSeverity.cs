namespace PatchKit.Advisories;

/// <summary>How bad the problem a patch fixes is (the CVSS qualitative scale).</summary>
public enum PatchSeverity
{
    /// <summary>No severity given.</summary>
    None = 0,

    /// <summary>Low.</summary>
    Low = 1,

    /// <summary>Moderate (Medium).</summary>
    Moderate = 2,

    /// <summary>Important (High).</summary>
    Important = 3,

    /// <summary>Critical.</summary>
    Critical = 4,
}
