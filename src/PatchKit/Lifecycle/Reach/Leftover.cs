namespace PatchKit.Lifecycle.Reach;

/// <summary>A snapshot or lab clone PatchKit named (<c>patchkit-RUN-…</c>, <c>patchkit-lab-RUN-…</c>) that belongs to
/// another run: an earlier run whose journal was lost or cut short, or one still running. Reach finds them on every
/// run, the report lists them under "Needs attention" and does not count their host as compliant, and
/// <see cref="ReachStageOptions.RemoveLeftovers"/> removes them.</summary>
public sealed class Leftover
{
    /// <summary>The start of every snapshot name PatchKit gives (then the run id and a dash).</summary>
    internal const string SnapshotPrefix = "patchkit-";

    /// <summary>The start of every lab clone name PatchKit gives (then the run id and a dash).</summary>
    internal const string ClonePrefix = "patchkit-lab-";

    /// <summary>Gets the host the snapshot is on, or the lab clone was made from.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets whether it is a snapshot or a lab clone.</summary>
    public required LeftoverKind Kind { get; init; }

    /// <summary>Gets its name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the adapter's id of the snapshot or clone.</summary>
    public required string Id { get; init; }

    /// <summary>Gets a value indicating whether this run removed it.</summary>
    public bool Removed { get; init; }

    /// <summary>Gets why removing it failed, or <see langword="null"/>.</summary>
    public string? RemoveError { get; init; }

    /// <summary>Whether <paramref name="name"/> is one PatchKit gives, for a run other than <paramref name="runId"/>.</summary>
    internal static bool IsLeftover(string name, string prefix, string runId) =>
        name.StartsWith(prefix, StringComparison.Ordinal) && !name.StartsWith(prefix + runId + "-", StringComparison.Ordinal)
        && !(prefix == SnapshotPrefix && name.StartsWith(ClonePrefix, StringComparison.Ordinal));
}

/// <summary>What a <see cref="Leftover"/> is.</summary>
public enum LeftoverKind
{
    /// <summary>Not known.</summary>
    Unknown = 0,

    /// <summary>A snapshot of a host or guest.</summary>
    Snapshot = 1,

    /// <summary>A lab clone made from a host's snapshot.</summary>
    LabClone = 2,
}
