namespace PatchKit.Lifecycle.Resolve;

/// <summary>An applicable patch that is not approved, with the reason.</summary>
/// <param name="PatchId">The patch.</param>
/// <param name="Reason">Why it is held.</param>
public sealed record HeldPatch(string PatchId, string Reason);
