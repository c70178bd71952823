namespace PatchKit.Advisories;

/// <summary>Whether an installed version falls in a package's affected ranges.</summary>
public enum VersionMatch
{
    /// <summary>Cannot tell: no ordering for the scheme, or a version the scheme cannot read. Never a guess.</summary>
    Unknown = 0,

    /// <summary>The installed version is affected: the patch applies.</summary>
    Affected = 1,

    /// <summary>The installed version is outside every range (already fixed, or older than the flaw).</summary>
    NotAffected = 2,
}
