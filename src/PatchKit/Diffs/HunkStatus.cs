namespace PatchKit.Diffs;

/// <summary>What happened to one hunk.</summary>
public enum HunkStatus
{
    /// <summary>The hunk was applied (possibly at an offset or with fuzz).</summary>
    Applied = 0,

    /// <summary>The hunk's result is already in the file (a reversed or previously applied patch); nothing was changed.</summary>
    AlreadyApplied = 1,

    /// <summary>The hunk's old side was not found in the file; nothing was changed for it.</summary>
    Failed = 2,
}
