namespace PatchKit.Lifecycle;

/// <summary>What a journaled step starts from, written with its start record and handed back to a resumed run: a handle
/// (a snapshot id, a clone name) or the guests it moves. Typed in the journal, never packed into one string.</summary>
/// <param name="Data">A handle the step works on, or <see langword="null"/>.</param>
/// <param name="Guests">The guests the step moves (evacuation, rebalance), or <see langword="null"/>.</param>
/// <param name="StartedAt">For a step in flight at a crash, handed to its reconciliation: when its start record was
/// written on the run's clock (a simulated run's lane time), to compare with what the host says (when it booted).</param>
internal readonly record struct StepInput(string? Data, IReadOnlyList<string>? Guests = null, DateTimeOffset? StartedAt = null)
{
    public static implicit operator StepInput(string? data) => new(data);
}
