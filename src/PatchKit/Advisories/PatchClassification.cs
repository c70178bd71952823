namespace PatchKit.Advisories;

/// <summary>What kind of change a patch is.</summary>
public enum PatchClassification
{
    /// <summary>A security fix.</summary>
    Security = 0,

    /// <summary>A bug fix (VMware's "general" patch).</summary>
    BugFix = 1,

    /// <summary>New or changed functionality.</summary>
    Enhancement = 2,

    /// <summary>New hardware support or drivers.</summary>
    Driver = 3,
}
