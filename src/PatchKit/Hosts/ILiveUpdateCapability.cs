using PatchKit.Advisories;

namespace PatchKit.Hosts;

/// <summary>Apply a patch without restarting guests: QEMU live update (the new binary takes over the running guests),
/// kernel live patching, ESX components that need no reboot.</summary>
public interface ILiveUpdateCapability
{
    /// <summary>Returns whether this patch can be applied live on this host. Consulted by the planner, not at run time.</summary>
    /// <param name="host">The host as inventoried.</param>
    /// <param name="patch">The patch.</param>
    /// <returns><see langword="true"/> when a live update is possible.</returns>
    bool CanLiveUpdate(HostRecord host, PatchDefinition patch);

    /// <summary>Applies the patch live. On return the patch is installed and no reboot is pending for it.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> LiveUpdateAsync(string hostId, PatchDefinition patch, CancellationToken cancellationToken);
}
