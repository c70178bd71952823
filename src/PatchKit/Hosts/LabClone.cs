namespace PatchKit.Hosts;

/// <summary>An isolated copy of a production machine in the lab (snapshot production, clone it into the lab, apply and
/// test there). The clone is addressed by <see cref="CloneId"/> with the other capabilities.</summary>
public sealed class LabClone
{
    /// <summary>Gets the id of the clone, usable as a host id with the same adapter.</summary>
    public required string CloneId { get; init; }

    /// <summary>Gets the production host it was cloned from.</summary>
    public required string SourceHostId { get; init; }

    /// <summary>Gets the deterministic name given at creation.</summary>
    public required string Name { get; init; }
}
