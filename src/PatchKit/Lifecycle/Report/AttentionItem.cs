namespace PatchKit.Lifecycle.Report;

/// <summary>A host an administrator must look at after a run: what happened and the next step.</summary>
/// <param name="HostId">The host.</param>
/// <param name="Patches">The patches it was on (attempted, held or pending), possibly empty.</param>
/// <param name="What">What happened, in one sentence.</param>
/// <param name="NextStep">What to do next.</param>
public sealed record AttentionItem(string HostId, IReadOnlyList<string> Patches, string What, string NextStep);
