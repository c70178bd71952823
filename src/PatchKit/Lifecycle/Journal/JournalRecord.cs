namespace PatchKit.Lifecycle.Journal;

/// <summary>One append-only record of a run.</summary>
public sealed record JournalRecord
{
    /// <summary>The record format this version of PatchKit writes and the newest it reads.</summary>
    public const int CurrentFormat = 3;

    /// <summary>Gets the record format: <see cref="CurrentFormat"/> for records this version writes, 0 for records
    /// written before formats were numbered. A record of a newer format is refused, not misread.</summary>
    public int Format { get; init; }

    /// <summary>Gets the position in the journal, from 1, assigned on append.</summary>
    public long Sequence { get; init; }

    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets what the record says.</summary>
    public required JournalRecordKind Kind { get; init; }

    /// <summary>Gets when it was written, on the run's clock.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Gets the step key (<c>repair/esx01/install/KB1</c>) or decision name, or <see langword="null"/>.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the host concerned, or <see langword="null"/>.</summary>
    public string? HostId { get; init; }

    /// <summary>Gets a short message for people (no secrets).</summary>
    public string? Message { get; init; }

    /// <summary>Gets the handle a step works on or produced (a snapshot id, a lab clone, an issue id), or <see langword="null"/>.</summary>
    public string? Data { get; init; }

    /// <summary>Gets the guests a step moves or moved (an evacuation, a rebalance), or <see langword="null"/> for other
    /// records. Format 3 and later; older records packed them into <see cref="Data"/>.</summary>
    public IReadOnlyList<string>? Guests { get; init; }

    /// <summary>Gets, on Resolve's decision record, each host's assessment that the run froze (what it lacks, what was
    /// approved), or <see langword="null"/>. Format 3 and later; older records held it as JSON text in <see cref="Data"/>.</summary>
    public IReadOnlyList<PatchKit.Lifecycle.Resolve.HostAssessment>? Assessments { get; init; }

    /// <summary>Gets how long the step took, for completed and failed steps.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets what the host reported for a finished step, or <see langword="null"/> for other records.</summary>
    public PatchKit.Hosts.HostOperationStatus? Status { get; init; }

    /// <summary>Gets the platform's error code of a failed step, or <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets whether the outcome was found by reconciling with the host's real state after a crash.</summary>
    public bool Reconciled { get; init; }
}
