namespace PatchKit.Hosts;

/// <summary>Move running guests off a host by live migration (vMotion, QEMU migration) and bring them back, so the
/// host can be rebooted without restarting its guests.</summary>
public interface IEvacuationCapability
{
    /// <summary>Lists the guests running on a host now (evacuation records this list before it moves anything, so
    /// a resumed run brings back exactly those guests).</summary>
    /// <param name="operation">The host, cancellation and timeout.</param>
    /// <returns>The guest ids, in a stable order.</returns>
    Task<IReadOnlyList<string>> ListGuestsAsync(HostOperation operation);

    /// <summary>Live-migrates the listed guests off the host to other hosts of its cluster. Guests already elsewhere
    /// are left where they are, so the call can be repeated after a crash.</summary>
    /// <param name="operation">The host to empty, cancellation and timeout.</param>
    /// <param name="guestIds">The guests to move.</param>
    /// <returns>The outcome, with every move and every guest that could not be moved.</returns>
    Task<EvacuationResult> EvacuateAsync(HostOperation operation, IReadOnlyList<string> guestIds);

    /// <summary>Live-migrates the listed guests back onto the host (guests already there are left alone).</summary>
    /// <param name="operation">The host to fill, cancellation and timeout.</param>
    /// <param name="guestIds">The guests to bring back.</param>
    /// <returns>The outcome.</returns>
    Task<EvacuationResult> RebalanceAsync(HostOperation operation, IReadOnlyList<string> guestIds);
}
