using System.Globalization;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Thrown instead of calling an adapter about a host whose lease this process is known to have lost (the
/// heartbeat found it expired or taken over): the worker stops working on the host and claims the next.</summary>
internal sealed class HostLeaseLostException(string hostId, long fencingToken, CancellationToken token)
    : OperationCanceledException(string.Create(CultureInfo.InvariantCulture,
        $"The lease on host '{hostId}' (fencing token {fencingToken}) was lost: this process no longer acts on the host"), token)
{
    public string HostId { get; } = hostId;
}
