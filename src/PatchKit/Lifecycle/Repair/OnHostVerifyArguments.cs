using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Arguments of the production verification hook, run after the health check on a patched host. Returning
/// <see langword="false"/> rolls the host back to its pre-patch snapshot.</summary>
/// <param name="context">The run.</param>
/// <param name="host">The host as inventoried before patching.</param>
/// <param name="adapter">Its adapter.</param>
/// <param name="patches">The patches just installed.</param>
public readonly struct OnHostVerifyArguments(PatchRunContext context, HostRecord host, IHostAdapter adapter, IReadOnlyList<string> patches)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the host.</summary>
    public HostRecord Host { get; } = host;

    /// <summary>Gets its adapter.</summary>
    public IHostAdapter Adapter { get; } = adapter;

    /// <summary>Gets the patches just installed.</summary>
    public IReadOnlyList<string> Patches { get; } = patches;
}
