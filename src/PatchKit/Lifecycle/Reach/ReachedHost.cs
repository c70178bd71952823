using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Reach;

/// <summary>A host found by Reach, with the adapter that manages it.</summary>
/// <param name="Host">The host as inventoried.</param>
/// <param name="Adapter">The adapter to reach it through.</param>
public sealed record ReachedHost(HostRecord Host, IHostAdapter Adapter);
