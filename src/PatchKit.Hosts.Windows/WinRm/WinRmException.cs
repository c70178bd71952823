namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>What went wrong talking to a WinRM listener.</summary>
internal enum WinRmErrorKind
{
    /// <summary>No connection, a dropped connection, or the listener answered that it is unavailable (a reboot).</summary>
    Unreachable,

    /// <summary>The credentials were refused (HTTP 401 after authenticating).</summary>
    Unauthorized,

    /// <summary>The server certificate failed validation or did not match the pinned thumbprint.</summary>
    Certificate,

    /// <summary>A WS-Management SOAP fault.</summary>
    Fault,

    /// <summary>An answer that is not WS-Management as expected.</summary>
    Protocol,
}

/// <summary>A WinRM failure; the message names the endpoint and the action, never a credential.</summary>
internal sealed class WinRmException : Exception
{
    public WinRmException(WinRmErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public WinRmErrorKind Kind { get; }

    /// <summary>The WSManFault code (e.g. 2150858793), when the server sent one.</summary>
    public string? WsManCode { get; init; }

    /// <summary>The SOAP fault subcode (e.g. <c>w:TimedOut</c>), when the server sent one.</summary>
    public string? Subcode { get; init; }

    /// <summary>The HTTP status, when there was a response.</summary>
    public int HttpStatus { get; init; }

    /// <summary>The fault that means "the command is still running": OperationTimeout elapsed on a Receive.</summary>
    public bool IsOperationTimeout => Kind == WinRmErrorKind.Fault &&
        (WsManCode == "2150858793" || (Subcode is not null && Subcode.EndsWith(":TimedOut", StringComparison.Ordinal)));

    /// <summary>The shell is gone (deleted, or the host rebooted).</summary>
    public bool IsShellNotFound => Kind == WinRmErrorKind.Fault && WsManCode == "2150858843";
}
