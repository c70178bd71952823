using System.Text.Json;

namespace PatchKit.Hosts.Kvm;

/// <summary>An asynchronous QMP event (<c>STOP</c>, <c>RESUME</c>, <c>JOB_STATUS_CHANGE</c>, <c>BLOCK_JOB_READY</c>, ...).</summary>
public sealed class QmpEvent
{
    /// <summary>Gets the event name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the event's <c>data</c> member (an undefined element when the event has none).</summary>
    public JsonElement Data { get; init; }

    /// <summary>Gets the time QEMU stamped on the event (host clock).</summary>
    public DateTimeOffset Timestamp { get; init; }
}
