namespace PatchKit.Hosts.Esx.Soap;

/// <summary>A fault of the vSphere API (a SOAP fault or a task that ended in error) or a failure to reach it: the
/// fault type (<c>InvalidLogin</c>, <c>ManagedObjectNotFound</c>, <c>InvalidState</c>) and whether trying again may
/// help. The message names the method and the endpoint, never a credential.</summary>
internal sealed class VimFaultException : PatchKitException
{
    public VimFaultException(string faultType, string message, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException)
    {
        FaultType = faultType;
        IsTransient = isTransient;
    }

    /// <summary>The vSphere fault type, or <c>Network</c>, <c>Http</c>, <c>Xml</c> for failures below the API.</summary>
    public string FaultType { get; }

    /// <summary>True for failures worth repeating (connection refused or reset, a gateway's 502/503/504).</summary>
    public bool IsTransient { get; }

    public string? ObjectValue { get; init; }
}
