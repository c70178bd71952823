namespace PatchKit.Hosts.Windows;

/// <summary>How PatchKit authenticates to a WinRM listener.</summary>
public enum WinRmAuthentication
{
    /// <summary>Negotiate (SPNEGO; NTLM where there is no domain controller), what Windows offers by default.</summary>
    Negotiate = 0,

    /// <summary>NTLM, sent under the <c>Negotiate</c> scheme as Windows expects.</summary>
    Ntlm = 1,

    /// <summary>HTTP Basic with a local account; only over HTTPS unless unencrypted HTTP is explicitly allowed.</summary>
    Basic = 2,
}
