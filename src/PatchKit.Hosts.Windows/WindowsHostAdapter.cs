using System.Globalization;
using Microsoft.Extensions.Logging;
using PatchKit.Hosts.Windows.Updates;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows;

/// <summary>Windows machines (hosts or guests) over WinRM or the QEMU guest agent: inventory (OS version, build and
/// UBR, installed updates, pending reboot), Windows Update installs by KB or UpdateID and .msu (wusa) or .cab (DISM)
/// payloads (SYSTEM scheduled-task jobs, checkpointed, picked up again after a restart), reboots that wait for a new
/// boot time, reboot-loop detection counted on the machine, and commands and files for verification hooks.</summary>
/// <remarks>Every command goes through one transport seam per machine: a WinRM shell, or the guest agent's
/// <c>guest-exec</c> when <see cref="WindowsHostOptions.GuestAgentEndpoint"/> is set.</remarks>
public sealed partial class WindowsHostAdapter : IHostAdapter, IInstallCapability, IRebootCapability, IHealthCheckCapability, IGuestExecCapability
{
    private const HostCapabilities Supported = HostCapabilities.Install | HostCapabilities.Reboot | HostCapabilities.HealthCheck | HostCapabilities.GuestExec;

    private readonly Dictionary<string, Machine> _machines = new(StringComparer.Ordinal);
    private readonly List<Machine> _order = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _rebootTimeout;
    private readonly TimeSpan _pollInterval;
    private readonly int _maxReboots;

    /// <summary>Initializes a new instance of the <see cref="WindowsHostAdapter"/> class.</summary>
    /// <param name="options">The machines and timings; validated here, copied (later changes have no effect).</param>
    public WindowsHostAdapter(WindowsHostAdapterOptions options)
        : this(options, static h => h.GuestAgentEndpoint is { } agent
            ? new GuestAgent.GuestAgentWindowsShell(agent, "powershell", GuestAgentCommandTimeout)
            : new WinRmShell(new WinRmConnectionOptions(h.Connection)))
    {
    }

    /// <summary>How long one command may run through the guest agent (a Windows Update install runs as a scheduled task
    /// the adapter polls, so single commands are short).</summary>
    internal static readonly TimeSpan GuestAgentCommandTimeout = TimeSpan.FromMinutes(10);

    internal WindowsHostAdapter(WindowsHostAdapterOptions options, Func<WindowsHostOptions, IWindowsShell> shellFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shellFactory);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Windows adapter options are not usable: " + string.Join(" ", problems), nameof(options));
        }

        _time = options.TimeProvider;
        _logger = options.LoggerFactory.CreateLogger("PatchKit.Hosts.Windows");
        _rebootTimeout = options.RebootTimeout;
        _pollInterval = options.PollInterval;
        _maxReboots = options.MaxRebootsPerUpdate;
        foreach (var h in options.Hosts)
        {
            var m = new Machine(h.Id, string.IsNullOrEmpty(h.Name) ? h.Id : h.Name, shellFactory(h));
            _machines.Add(h.Id, m);
            _order.Add(m);
        }
    }

    /// <inheritdoc/>
    public string Name => "windows";

    /// <inheritdoc/>
    public async Task<FleetInventory> GetInventoryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var records = await Task.WhenAll(_order.Select(m => InventoryOneAsync(m, cancellationToken))).ConfigureAwait(false);
        return new FleetInventory { Hosts = records, TakenAt = _time.GetUtcNow() };
    }

    /// <inheritdoc/>
    public async Task<HostIdentity?> IdentifyAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        var m = Get(operation.HostId);
        try
        {
            await FenceAsync(m, operation).ConfigureAwait(false); // a new lease announces itself here
            var os = await OsInfoAsync(m, operation.CancellationToken).ConfigureAwait(false);
            return new HostIdentity { HostId = m.Id, Kind = HostKind.Windows, Version = os.Version, Build = os.FullBuild, BootedAt = os.LastBootUpTime };
        }
        catch (Exception ex) when (ex is WinRmException or FormatException || (ex is HostAdapterException h && !IsLeaseLost(h)))
        {
            _logger.HostUnreachable(m.Id, ex.Message);
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<HostStepResult> RunStepAsync(HostOperation operation, HostStep step)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(step);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = operation.TimeProvider.GetTimestamp();
        var m = Get(operation.HostId);
        if (step.Name is not ("windows.search-updates" or "windows.pending-reboot"))
        {
            return new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "The Windows adapter has no step '" + step.Name + "'." };
        }

        try
        {
            string message;
            if (step.Name == "windows.search-updates")
            {
                var found = WindowsOutputParser.ParseSearch((await RunPowerShellAsync(m, WindowsScripts.Search, "search for updates", operation.CancellationToken).ConfigureAwait(false)).Span);
                message = found.Count == 0 ? "No applicable updates." : "Applicable: " + string.Join(", ", found.Select(u => u.KbArticleIds.Count > 0 ? string.Join('/', u.KbArticleIds) : u.UpdateId));
            }
            else
            {
                var p = await PendingRebootAsync(m, operation.CancellationToken).ConfigureAwait(false);
                message = "Reboot pending: " + (p.Any ? "yes" : "no") + " (CBS " + p.CbsRebootPending + ", Windows Update " + p.WindowsUpdateRebootRequired + ", PendingFileRenameOperations " + p.PendingFileRenameOperations + ")";
            }

            return HostStepResult.Ok(operation.TimeProvider.GetElapsedTime(start), message);
        }
        catch (Exception ex) when (ex is WinRmException or FormatException or HostAdapterException)
        {
            return Failure(ex, operation.TimeProvider.GetElapsedTime(start));
        }
    }

    /// <inheritdoc/>
    public async Task<HostStepResult> CheckHealthAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = operation.TimeProvider.GetTimestamp();
        var m = Get(operation.HostId);
        try
        {
            var os = await OsInfoAsync(m, operation.CancellationToken).ConfigureAwait(false);
            var pending = await PendingRebootAsync(m, operation.CancellationToken).ConfigureAwait(false);
            return HostStepResult.Ok(operation.TimeProvider.GetElapsedTime(start),
                os.Caption + " build " + os.FullBuild + ", up since " + os.LastBootUpTime.ToString("u", CultureInfo.InvariantCulture) + (pending.Any ? ", reboot pending" : string.Empty));
        }
        catch (Exception ex) when (ex is WinRmException or FormatException or HostAdapterException)
        {
            return Failure(ex, operation.TimeProvider.GetElapsedTime(start));
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var m in _order)
        {
            await m.Shell.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static HostStepResult Failure(Exception ex, TimeSpan duration) => ex switch
    {
        WinRmException { Kind: WinRmErrorKind.Unreachable } => new HostStepResult { Status = HostOperationStatus.Unreachable, Message = ex.Message, Duration = duration },
        WinRmException w => new HostStepResult { Status = HostOperationStatus.Failed, Message = w.Message, Duration = duration, ErrorCode = w.WsManCode ?? (w.Kind == WinRmErrorKind.Unauthorized ? "HTTP_401" : null) },
        _ => new HostStepResult { Status = HostOperationStatus.Failed, Message = ex.Message, Duration = duration },
    };

    private Machine Get(string hostId) =>
        _machines.TryGetValue(hostId, out var m) ? m : throw new HostAdapterException(hostId, "The Windows adapter does not manage this host", null);

    private async Task<HostRecord> InventoryOneAsync(Machine m, CancellationToken cancellationToken)
    {
        try
        {
            var os = await OsInfoAsync(m, cancellationToken).ConfigureAwait(false);
            var updates = await InstalledAsync(m, cancellationToken).ConfigureAwait(false);
            var pending = await PendingRebootAsync(m, cancellationToken).ConfigureAwait(false);
            return new HostRecord
            {
                Id = m.Id,
                Name = m.Name,
                Kind = HostKind.Windows,
                Version = os.Version,
                Build = os.FullBuild,
                Os = new OsIdentity { Id = "windows", VersionId = os.Version, Build = os.FullBuild, PrettyName = os.Caption },
                InstalledPatches = [.. updates.Select(u => new InstalledPatch { PatchId = u.Id, InstalledAt = u.InstalledAt })],
                Packages = [.. updates.Select(u => new InstalledPackage
                {
                    Format = PackageFormat.WindowsUpdate,
                    Name = u.Id,
                    Version = u.InstalledAt == default ? string.Empty : u.InstalledAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    UpdateId = u.UpdateId,
                    Vendor = "Microsoft",
                })],
                Status = HostStatus.Reachable,
                PendingReboot = pending.Any,
                Capabilities = Supported,
            };
        }
        catch (Exception ex) when (ex is WinRmException or FormatException or HostAdapterException)
        {
            _logger.HostUnreachable(m.Id, ex.Message);
            return new HostRecord { Id = m.Id, Name = m.Name, Kind = HostKind.Windows, Status = HostStatus.Unreachable, Capabilities = Supported };
        }
    }

    private async Task<WindowsOsInfo> OsInfoAsync(Machine m, CancellationToken cancellationToken) =>
        WindowsOutputParser.ParseOsInfo((await RunPowerShellAsync(m, WindowsScripts.OsInfo, "read the OS version", cancellationToken).ConfigureAwait(false)).Span);

    private async Task<IReadOnlyList<WindowsInstalledUpdate>> InstalledAsync(Machine m, CancellationToken cancellationToken) =>
        WindowsOutputParser.ParseInstalledUpdates((await RunPowerShellAsync(m, WindowsScripts.InstalledUpdates, "list installed updates", cancellationToken).ConfigureAwait(false)).Span);

    private async Task<WindowsPendingReboot> PendingRebootAsync(Machine m, CancellationToken cancellationToken) =>
        WindowsOutputParser.ParsePendingReboot((await RunPowerShellAsync(m, WindowsScripts.PendingReboot, "check for a pending reboot", cancellationToken).ConfigureAwait(false)).Span);

    /// <summary>Runs a script; a non-zero exit is an error naming the host, the step and PowerShell's error text.</summary>
    private static async Task<ReadOnlyMemory<byte>> RunPowerShellAsync(Machine m, string script, string what, CancellationToken cancellationToken)
    {
        var r = await m.Shell.RunPowerShellAsync(script, cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            string err = WindowsOutputParser.ErrorText(r.StandardError.Span);
            throw new HostAdapterException(m.Id, "PowerShell could not " + what + " on " + m.Shell.Target + " (exit " + r.ExitCode.ToString(CultureInfo.InvariantCulture) + "): " + (err.Length > 300 ? err[..300] + "…" : err), null);
        }

        return r.StandardOutput;
    }

    private sealed record Machine(string Id, string Name, IWindowsShell Shell);
}
