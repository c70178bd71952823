namespace PatchKit.Lifecycle.Journal;

/// <summary>One append-only record of a run.</summary>
public sealed record JournalRecord
{
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

    /// <summary>Gets step data a resumed run needs (a snapshot id, the guests moved), or <see langword="null"/>.</summary>
    public string? Data { get; init; }

    /// <summary>Gets how long the step took, for completed and failed steps.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets what the host reported for a finished step, or <see langword="null"/> for other records.</summary>
    public PatchKit.Hosts.HostOperationStatus? Status { get; init; }

    /// <summary>Gets the platform's error code of a failed step, or <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets whether the outcome was found by reconciling with the host's real state after a crash.</summary>
    public bool Reconciled { get; init; }
}
