namespace PatchKit.Lifecycle.Journal;

/// <summary>What a journal record says.</summary>
public enum JournalRecordKind
{
    /// <summary>A run started (or resumed).</summary>
    RunStarted = 0,

    /// <summary>A step is about to change a host; written and flushed before the change.</summary>
    StepStarted = 1,

    /// <summary>A step finished and did what it was asked.</summary>
    StepCompleted = 2,

    /// <summary>A step finished and failed; it is not repeated on resume.</summary>
    StepFailed = 3,

    /// <summary>A decision a resumed run must reuse (approvals, lab verdicts), not recompute.</summary>
    Decision = 4,

    /// <summary>A run finished.</summary>
    RunCompleted = 5,

    /// <summary>A running step handed over a job handle (a task moref, a QMP job id); a resumed run gives the last one
    /// back to the step so it waits for the job instead of starting it again.</summary>
    StepCheckpoint = 6,
}
