namespace PatchKit.Lifecycle;

/// <summary>What a journaled step starts from, written with its start record and handed back to a resumed run: a handle
/// (a snapshot id, a clone name) or the guests it moves. Typed in the journal, never packed into one string.</summary>
/// <param name="Data">A handle the step works on, or <see langword="null"/>.</param>
/// <param name="Guests">The guests the step moves (evacuation, rebalance), or <see langword="null"/>.</param>
internal readonly record struct StepInput(string? Data, IReadOnlyList<string>? Guests = null)
{
    public static implicit operator StepInput(string? data) => new(data);
}
