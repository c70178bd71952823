namespace PatchKit.Lifecycle.Journal;

/// <summary>What earlier attempts of a run left: finished steps (not repeated), steps in flight at the crash (to
/// reconcile with the host first), and decisions to reuse.</summary>
internal sealed class JournalReplay
{
    public static readonly JournalReplay Empty = new([]);

    public JournalReplay(IReadOnlyList<JournalRecord> records)
    {
        foreach (var r in records)
        {
            switch (r.Kind)
            {
                case JournalRecordKind.RunStarted:
                    Attempts++;
                    break;
                case JournalRecordKind.StepStarted when r.Key is not null:
                    InFlight[r.Key] = r;
                    Keys.Add(r.Key);
                    int slash = r.Key.IndexOf('/', r.Key.IndexOf('/', StringComparison.Ordinal) + 1);
                    if (slash > 0)
                    {
                        Prefixes.Add(r.Key[..(slash + 1)]);
                    }

                    break;
                case JournalRecordKind.StepCheckpoint when r.Key is not null && r.Data is not null:
                    Checkpoints[r.Key] = r.Data;
                    break;
                case JournalRecordKind.StepCompleted or JournalRecordKind.StepFailed when r.Key is not null:
                    InFlight.Remove(r.Key);
                    Checkpoints.Remove(r.Key);
                    Finished[r.Key] = r;
                    break;
                case JournalRecordKind.Decision when r.Key is not null:
                    Decisions[r.Key] = r;
                    break;
                case JournalRecordKind.RunCompleted:
                    Completed = true;
                    break;
            }
        }
    }

    public int Attempts { get; }

    public bool Completed { get; }

    public Dictionary<string, JournalRecord> Finished { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JournalRecord> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>The last job handle each step in flight checkpointed.</summary>
    public Dictionary<string, string> Checkpoints { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JournalRecord> Decisions { get; } = new(StringComparer.Ordinal);

    /// <summary>Every step key ever started, whatever its end.</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>Every <c>stage/host/</c> prefix with a started step.</summary>
    public HashSet<string> Prefixes { get; } = new(StringComparer.Ordinal);
}
