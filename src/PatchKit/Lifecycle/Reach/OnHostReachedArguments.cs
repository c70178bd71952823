using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Reach;

/// <summary>Arguments of the hook called for every host Reach finds.</summary>
/// <param name="context">The run.</param>
/// <param name="host">The host.</param>
/// <param name="adapter">Its adapter.</param>
public readonly struct OnHostReachedArguments(PatchRunContext context, HostRecord host, IHostAdapter adapter)
{
    /// <summary>Gets the run.</summary>
    public PatchRunContext Context { get; } = context;

    /// <summary>Gets the host.</summary>
    public HostRecord Host { get; } = host;

    /// <summary>Gets its adapter.</summary>
    public IHostAdapter Adapter { get; } = adapter;
}
