namespace PatchKit.Hosts;

/// <summary>Move running guests off a host by live migration (vMotion, QEMU migration) and bring them back, so the
/// host can be rebooted without restarting its guests.</summary>
public interface IEvacuationCapability
{
    /// <summary>Live-migrates the listed guests off the host to other hosts of its cluster. Guests already elsewhere
    /// are left where they are, so the call can be repeated after a crash.</summary>
    /// <param name="hostId">The host to empty.</param>
    /// <param name="guestIds">The guests to move.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome, with every move. A migration that does not finish in time is a failed result.</returns>
    Task<EvacuationResult> EvacuateAsync(string hostId, IReadOnlyList<string> guestIds, CancellationToken cancellationToken);

    /// <summary>Live-migrates the listed guests back onto the host (guests already there are left alone).</summary>
    /// <param name="hostId">The host to fill.</param>
    /// <param name="guestIds">The guests to bring back.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    Task<EvacuationResult> RebalanceAsync(string hostId, IReadOnlyList<string> guestIds, CancellationToken cancellationToken);
}
