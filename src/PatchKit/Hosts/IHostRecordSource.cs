namespace PatchKit.Hosts;

/// <summary>An adapter that can take one host's inventory record without taking the whole fleet's. A worker that
/// claims a host from a shared queue reads the host again before acting on it; with this interface that read costs
/// one host, not the fleet (<see cref="IHostAdapter.GetInventoryAsync"/> is the fallback).</summary>
public interface IHostRecordSource
{
    /// <summary>Takes the inventory record of one host now.</summary>
    /// <param name="operation">The host, cancellation and fencing token.</param>
    /// <returns>The record, or <see langword="null"/> when the adapter does not know the host.</returns>
    Task<HostRecord?> GetHostRecordAsync(HostOperation operation);
}
