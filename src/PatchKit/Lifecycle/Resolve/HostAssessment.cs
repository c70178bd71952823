namespace PatchKit.Lifecycle.Resolve;

/// <summary>What one host is missing and what of it is approved.</summary>
public sealed record HostAssessment
{
    /// <summary>Gets the host.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets the patches that apply to the host and are not installed.</summary>
    public IReadOnlyList<string> Applicable { get; set; } = [];

    /// <summary>Gets the applicable patches approved for this run, oldest release first.</summary>
    public IReadOnlyList<string> Approved { get; set; } = [];

    /// <summary>Gets the applicable patches that are not approved, with reasons.</summary>
    public IReadOnlyList<HeldPatch> Held { get; set; } = [];
}
