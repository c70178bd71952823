namespace PatchKit.Lifecycle.Resolve;

/// <summary>Whether a patch is approved for a host, and why.</summary>
/// <param name="Approved">Whether it may be installed in this run.</param>
/// <param name="Reason">Why, in words a person understands.</param>
public readonly record struct ApprovalDecision(bool Approved, string Reason);
