namespace PatchKit.Advisories;

/// <summary>What kind of change a patch is.</summary>
public enum PatchClassification
{
    /// <summary>Not set: never approved by a classification rule (an import that leaves it out must not look like a security fix).</summary>
    Unknown = 0,

    /// <summary>A security fix.</summary>
    Security = 1,

    /// <summary>A bug fix (VMware's "general" patch).</summary>
    BugFix = 2,

    /// <summary>New or changed functionality.</summary>
    Enhancement = 3,

    /// <summary>New hardware support or drivers.</summary>
    Driver = 4,
}
