namespace PatchKit.Hosts;

/// <summary>A patch a host reports as installed.</summary>
/// <param name="PatchId">The catalog id of the patch.</param>
/// <param name="InstalledAt">When it was installed, as the host reports it.</param>
public sealed record InstalledPatch(string PatchId, DateTimeOffset InstalledAt);
