namespace PatchKit.Hosts;

/// <summary>Install a patch (esxcli software vib/component, a package manager, Windows Update, a unified diff applied
/// inside the guest).</summary>
public interface IInstallCapability
{
    /// <summary>Installs the patch. Installing a patch that is already installed succeeds without doing anything.</summary>
    /// <param name="operation">The host, cancellation, timeout and checkpoints (an install job's handle).</param>
    /// <param name="request">What to install.</param>
    /// <returns>The outcome: <see cref="HostOperationStatus.SucceededRebootRequired"/> when the host now needs a reboot,
    /// <see cref="HostOperationStatus.Partial"/> with the items installed and failed, the platform's error code on failure.</returns>
    Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request);
}
