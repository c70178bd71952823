using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows;

public sealed partial class WindowsHostAdapter
{
    /// <summary>Runs a program on the machine, over WinRM or through the guest agent (<c>guest-exec</c>). Over WinRM,
    /// environment entries and a working directory are set by a PowerShell wrapper and standard input is refused; through
    /// the guest agent, environment and standard input go to <c>guest-exec</c>, which cannot set a working directory
    /// (an <see cref="ArgumentException"/>).</summary>
    /// <param name="operation">The machine and the run's token.</param>
    /// <param name="command">The program and its arguments.</param>
    /// <returns>The exit code and the output bytes, or <see cref="GuestExecResult.TimedOut"/>.</returns>
    /// <exception cref="HostAdapterException">The machine cannot be reached or refused the command.</exception>
    public Task<GuestExecResult> ExecAsync(HostOperation operation, GuestCommand command)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(command);
        var m = Get(operation.HostId);
        return Translate(m, "run " + command.Program, async () =>
        {
            await FenceAsync(m, operation).ConfigureAwait(false);
            return await m.Shell.ExecAsync(command, operation.CancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>Reads a file on the machine (over WinRM as base64 through PowerShell; through the guest agent with
    /// <c>guest-file-read</c>).</summary>
    /// <param name="operation">The machine and the run's token.</param>
    /// <param name="path">The Windows path.</param>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    /// <exception cref="HostAdapterException">The machine cannot be reached or the file cannot be read.</exception>
    public Task<byte[]?> ReadFileAsync(HostOperation operation, string path)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var m = Get(operation.HostId);
        return Translate(m, "read " + path, () => m.Shell.ReadFileAsync(path, operation.CancellationToken));
    }

    /// <summary>Writes a file on the machine, replacing it (over WinRM in base64 chunks through PowerShell, moved into
    /// place after the last; through the guest agent with <c>guest-file-write</c>). Its folder must exist.</summary>
    /// <param name="operation">The machine and the run's token.</param>
    /// <param name="path">The Windows path.</param>
    /// <param name="content">The bytes.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="HostAdapterException">The machine cannot be reached or the file cannot be written.</exception>
    public Task WriteFileAsync(HostOperation operation, string path, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var m = Get(operation.HostId);
        return Translate(m, "write " + path, async () =>
        {
            await FenceAsync(m, operation).ConfigureAwait(false);
            await m.Shell.WriteFileAsync(path, content, operation.CancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Transport errors become <see cref="HostAdapterException"/> naming the host and what was attempted.</summary>
    private static async Task<T> Translate<T>(Machine m, string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (WinRmException ex)
        {
            throw new HostAdapterException(m.Id, "Could not " + what + " on " + m.Shell.Target + ": " + ex.Message, ex);
        }
        catch (Kvm.QmpException ex)
        {
            throw new HostAdapterException(m.Id, "Could not " + what + " through the guest agent " + m.Shell.Target + ": " + ex.Description, ex);
        }
    }
}
