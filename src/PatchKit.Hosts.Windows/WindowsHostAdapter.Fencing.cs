using System.Globalization;
using PatchKit.Hosts.Windows.Updates;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows;

public sealed partial class WindowsHostAdapter
{
    private const string LeaseLost = "Lease lost: ";

    /// <summary>Refuses a call whose fencing token is older than the one stored on the Windows machine itself
    /// (<see cref="WindowsScripts.Fence"/>: compare-and-set in the registry under a machine-wide mutex, through the same
    /// WinRM shell or guest agent as every other command), and stores a newer one. Called before every call that changes
    /// the machine, and by <see cref="IdentifyAsync"/>, with which a new lease announces itself. No token: no check.</summary>
    /// <exception cref="HostAdapterException">A newer lease holds the machine (the message starts with "Lease lost"), or
    /// the check could not run (the transport's error).</exception>
    private async Task FenceAsync(Machine m, HostOperation operation)
    {
        if (operation.FencingToken is not { } token)
        {
            return;
        }

        var (accepted, stored) = WindowsOutputParser.ParseFence((await Translate(m, "check the fencing token",
            () => RunPowerShellAsync(m, WindowsScripts.Fence(m.Id, token), "check the fencing token", operation.CancellationToken)).ConfigureAwait(false)).Span);
        if (!accepted)
        {
            throw new HostAdapterException(m.Id, string.Create(CultureInfo.InvariantCulture,
                $"{LeaseLost}a newer lease (fencing token {stored}) holds '{m.Id}' (HKLM\\SOFTWARE\\PatchKit\\Fence on {m.Shell.Target}); this caller's token {token} is stale, so nothing was done on the host"), null);
        }
    }

    /// <summary>The fence check of a call that reports failures as a result: a transport failure becomes that result; a
    /// lost lease is thrown (the worker must stop, not record a failure of the host).</summary>
    private async Task<HostStepResult?> FenceOrFailureAsync(Machine m, HostOperation operation, long start)
    {
        try
        {
            await FenceAsync(m, operation).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is WinRmException or FormatException || (ex is HostAdapterException h && !IsLeaseLost(h)))
        {
            return Failure(ex.InnerException is WinRmException w ? w : ex, operation.TimeProvider.GetElapsedTime(start));
        }
    }

    private static bool IsLeaseLost(HostAdapterException ex) => ex.Message.StartsWith(LeaseLost, StringComparison.Ordinal);
}
