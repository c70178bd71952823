using PatchKit.Advisories;

namespace PatchKit.Hosts;

/// <summary>Install a patch (esxcli software vib/component, a package manager, Windows Update, a unified diff applied
/// inside the guest).</summary>
public interface IInstallCapability
{
    /// <summary>Installs the patch. Installing a patch that is already installed succeeds without doing anything.</summary>
    /// <param name="hostId">The host.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome. The host's <see cref="HostRecord.PendingReboot"/> tells whether a reboot is now due.</returns>
    Task<HostStepResult> InstallAsync(string hostId, PatchDefinition patch, CancellationToken cancellationToken);
}
