namespace PatchKit.Hosts;

/// <summary>Apply a patch without restarting guests: QEMU live update (the new binary takes over the running guests),
/// kernel live patching, ESX components that need no reboot.</summary>
public interface ILiveUpdateCapability
{
    /// <summary>Returns whether this patch can be applied live on this host. Consulted by the planner, not at run time.</summary>
    /// <param name="host">The host as inventoried.</param>
    /// <param name="request">What would be installed.</param>
    /// <param name="livePatchable">Whether the patch's vendor says it can be applied live.</param>
    /// <returns><see langword="true"/> when a live update is possible.</returns>
    bool CanLiveUpdate(HostRecord host, InstallRequest request, bool livePatchable);

    /// <summary>Applies the patch live. On return the patch is installed and no reboot is pending for it.</summary>
    /// <param name="operation">The host, cancellation, timeout and checkpoints.</param>
    /// <param name="request">What to install.</param>
    /// <returns>The outcome.</returns>
    Task<HostStepResult> LiveUpdateAsync(HostOperation operation, InstallRequest request);
}
