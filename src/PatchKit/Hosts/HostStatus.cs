namespace PatchKit.Hosts;

/// <summary>How a host answered during inventory. An unreachable host is a status, not an exception.</summary>
public enum HostStatus
{
    /// <summary>Not reported: the lifecycle treats the host as unreachable and leaves it alone.</summary>
    Unknown = 0,

    /// <summary>The host answered.</summary>
    Reachable = 1,

    /// <summary>The host did not answer; it is reported and left alone.</summary>
    Unreachable = 2,
}
