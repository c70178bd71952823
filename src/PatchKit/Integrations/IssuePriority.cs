namespace PatchKit.Integrations;

/// <summary>The priority of an <see cref="IssueReport"/>.</summary>
public enum IssuePriority
{
    /// <summary>Not set: the tracker's default.</summary>
    Unknown = 0,

    /// <summary>The lowest priority.</summary>
    Lowest = 1,

    /// <summary>A low priority.</summary>
    Low = 2,

    /// <summary>The usual priority.</summary>
    Normal = 3,

    /// <summary>A high priority.</summary>
    High = 4,

    /// <summary>The highest priority.</summary>
    Highest = 5,
}
