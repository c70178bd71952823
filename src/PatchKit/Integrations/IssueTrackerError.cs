namespace PatchKit.Integrations;

/// <summary>Why an <see cref="IIssueTracker"/> call failed.</summary>
public enum IssueTrackerError
{
    /// <summary>Not classified.</summary>
    Unknown = 0,

    /// <summary>The credential was refused or missing.</summary>
    Unauthorized = 1,

    /// <summary>The product (or another container) does not exist or is not open to the account.</summary>
    UnknownProduct = 2,

    /// <summary>A field had a value the tracker does not accept (an unknown version, component or priority).</summary>
    InvalidField = 3,

    /// <summary>The issue does not exist.</summary>
    NotFound = 4,

    /// <summary>The tracker could not be reached or did not answer in time.</summary>
    Unreachable = 5,

    /// <summary>The tracker answered something that is not its protocol.</summary>
    Protocol = 6,
}
