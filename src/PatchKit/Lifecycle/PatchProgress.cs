namespace PatchKit.Lifecycle;

/// <summary>Progress for people (STYLE L7): separate from logs, immutable.</summary>
/// <param name="Stage">The stage reporting.</param>
/// <param name="Message">What happened, one line.</param>
/// <param name="Completed">How many items of the stage are done.</param>
/// <param name="Total">How many items the stage has.</param>
public sealed record PatchProgress(string Stage, string Message, int Completed, int Total);
