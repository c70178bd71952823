namespace PatchKit.Lifecycle.Report;

/// <summary>One earlier run in the history (one file per run attempt, never overwritten).</summary>
public sealed record RunHistoryEntry
{
    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets when the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets the compliance of the fleet after the run, in percent.</summary>
    public double CompliancePercent { get; init; }

    /// <summary>Gets how many hosts were patched.</summary>
    public int Patched { get; init; }

    /// <summary>Gets how many hosts failed or were rolled back.</summary>
    public int Failed { get; init; }

    /// <summary>Gets the mean days between patches over the fleet, or <see langword="null"/>.</summary>
    public double? MeanDaysBetweenPatches { get; init; }
}
