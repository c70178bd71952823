namespace PatchKit.Hosts;

/// <summary>An isolated copy of a production machine in the lab (seed 001: snapshot production, clone it into the lab,
/// apply and test there). The clone is addressed by <see cref="CloneId"/> with the other capabilities.</summary>
/// <param name="CloneId">The id of the clone, usable as a host id with the same adapter.</param>
/// <param name="SourceHostId">The production host it was cloned from.</param>
/// <param name="Name">The deterministic name given at creation.</param>
public sealed record LabClone(string CloneId, string SourceHostId, string Name);
