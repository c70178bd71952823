using System.Globalization;
using PatchKit.Hosts.Windows.Updates;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows;

public sealed partial class WindowsHostAdapter
{
    private const string JobCheckpointPrefix = "wua-job:";

    /// <summary>Installs one update. <see cref="InstallRequest.PatchId"/> is a KB number (<c>KB5034768</c>) or a Windows
    /// Update UpdateID (a GUID). With an <c>msu</c> payload it runs <c>wusa /quiet /norestart</c>, with a <c>cab</c>
    /// payload <c>DISM /Online /Add-Package</c>; otherwise the Windows Update Agent installs it in a job whose handle is
    /// checkpointed, so a restarted run waits for that job instead of starting another. An update already installed
    /// succeeds with nothing installed; an update that is still not installed after
    /// <see cref="WindowsHostAdapterOptions.MaxRebootsPerUpdate"/> reboots fails with <c>REBOOT_LOOP</c>.</summary>
    /// <param name="operation">The host and the run's token, clock and checkpoint.</param>
    /// <param name="request">The update.</param>
    /// <returns>What happened, with installer error codes kept.</returns>
    public async Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(request);
        var ct = operation.CancellationToken;
        ct.ThrowIfCancellationRequested();
        long start = operation.TimeProvider.GetTimestamp();
        var m = Get(operation.HostId);
        try
        {
            if (operation.Checkpoint is { } cp && cp.StartsWith(JobCheckpointPrefix, StringComparison.Ordinal)
                && WindowsOutputParser.IsJobId(cp[JobCheckpointPrefix.Length..]))
            {
                string resumed = cp[JobCheckpointPrefix.Length..];
                _logger.InstallJobResumed(resumed, request.PatchId, m.Id);
                return await WaitForJobAsync(m, resumed, request, operation, start).ConfigureAwait(false);
            }

            var (kb, updateId) = ParseTarget(request.PatchId);
            var installed = await InstalledAsync(m, ct).ConfigureAwait(false);
            if (installed.Any(u => string.Equals(u.Id, request.PatchId, StringComparison.OrdinalIgnoreCase)
                || (updateId is not null && string.Equals(u.UpdateId, updateId, StringComparison.OrdinalIgnoreCase))))
            {
                return new HostStepResult { Status = HostOperationStatus.Succeeded, Message = request.PatchId + " is already installed on " + m.Id + ".", Duration = operation.TimeProvider.GetElapsedTime(start) };
            }

            var os = await OsInfoAsync(m, ct).ConfigureAwait(false);
            var key = (m.Id, request.PatchId.ToUpperInvariant());
            if (_rebootsAsked.TryGetValue(key, out var boots))
            {
                int rebootsSince;
                lock (boots)
                {
                    rebootsSince = boots.Count(b => b < os.LastBootUpTime);
                }

                if (rebootsSince >= _maxReboots)
                {
                    _logger.RebootLoop(request.PatchId, m.Id, rebootsSince);
                    return new HostStepResult
                    {
                        Status = HostOperationStatus.Failed,
                        ErrorCode = "REBOOT_LOOP",
                        Message = request.PatchId + " on " + m.Id + " asked for a reboot after " + rebootsSince.ToString(CultureInfo.InvariantCulture)
                            + " installs and is still not installed after as many reboots; not installing it again (reboot loop).",
                        Failed = [request.PatchId],
                        Duration = operation.TimeProvider.GetElapsedTime(start),
                    };
                }
            }

            var payload = request.Payloads.FirstOrDefault(p => p.Kind.Equals("msu", StringComparison.OrdinalIgnoreCase) || p.Kind.Equals("cab", StringComparison.OrdinalIgnoreCase));
            HostStepResult result = payload is not null
                ? await InstallPayloadAsync(m, payload, request, operation, start).ConfigureAwait(false)
                : await StartJobAsync(m, kb, updateId, request, operation, start).ConfigureAwait(false);
            if (result.Status == HostOperationStatus.SucceededRebootRequired)
            {
                var list = _rebootsAsked.GetOrAdd(key, static _ => []);
                lock (list)
                {
                    if (!list.Contains(os.LastBootUpTime))
                    {
                        list.Add(os.LastBootUpTime);
                    }
                }
            }

            return result;
        }
        catch (Exception ex) when (ex is WinRmException or FormatException or HostAdapterException)
        {
            return Failure(ex, operation.TimeProvider.GetElapsedTime(start));
        }
    }

    /// <summary>KB5034768 → ("5034768", null); a GUID → (null, guid). Anything else cannot be sent to a script.</summary>
    internal static (string? Kb, string? UpdateId) ParseTarget(string patchId)
    {
        string p = patchId.Trim();
        if (p.StartsWith("KB", StringComparison.OrdinalIgnoreCase) && p.Length is > 2 and <= 12 && !p.AsSpan(2).ContainsAnyExceptInRange('0', '9'))
        {
            return (p[2..], null);
        }

        if (Guid.TryParseExact(p, "D", out var g))
        {
            return (null, g.ToString("D"));
        }

        throw new HostAdapterException("'" + patchId + "' is neither a KB number (KB1234567) nor a Windows Update UpdateID (a GUID).");
    }

    private async Task<HostStepResult> InstallPayloadAsync(Machine m, InstallPayload payload, InstallRequest request, HostOperation operation, long start)
    {
        string path = payload.Location;
        if (path.Length == 0 || path.AsSpan().ContainsAny("\"\r\n") || path.Contains('|', StringComparison.Ordinal) || path.Contains('&', StringComparison.Ordinal))
        {
            throw new HostAdapterException(m.Id, "The payload location '" + path + "' is not a usable Windows path", null);
        }

        bool msu = payload.Kind.Equals("msu", StringComparison.OrdinalIgnoreCase);
        var r = msu
            ? await m.Shell.RunCommandAsync("wusa.exe", ["\"" + path + "\"", "/quiet", "/norestart"], operation.CancellationToken).ConfigureAwait(false)
            : await m.Shell.RunCommandAsync("dism.exe", ["/Online", "/Add-Package", "/PackagePath:\"" + path + "\"", "/Quiet", "/NoRestart"], operation.CancellationToken).ConfigureAwait(false);
        var status = WindowsResultCodes.FromExitCode(r.ExitCode);
        string tool = msu ? "wusa" : "DISM";
        return new HostStepResult
        {
            Status = status,
            ErrorCode = r.ExitCode == 0 ? null : WindowsResultCodes.Format(r.ExitCode),
            Message = tool + " " + request.PatchId + " on " + m.Id + ": " + WindowsResultCodes.Meaning(r.ExitCode) + ".",
            Installed = status is HostOperationStatus.Succeeded or HostOperationStatus.SucceededRebootRequired && r.ExitCode != WindowsResultCodes.WuSAlreadyInstalled ? [request.PatchId] : [],
            Failed = status == HostOperationStatus.Failed ? [request.PatchId] : [],
            Duration = operation.TimeProvider.GetElapsedTime(start),
        };
    }

    private async Task<HostStepResult> StartJobAsync(Machine m, string? kb, string? updateId, InstallRequest request, HostOperation operation, long start)
    {
        string jobId = Guid.NewGuid().ToString("N");
        var started = await RunPowerShellAsync(m, WindowsScripts.StartInstall(jobId, kb, updateId), "start the Windows Update install", operation.CancellationToken).ConfigureAwait(false);
        if (WindowsOutputParser.ParseJobId(started.Span) != jobId)
        {
            throw new FormatException("The install job start answered with another job id.");
        }

        await operation.CheckpointAsync(JobCheckpointPrefix + jobId).ConfigureAwait(false);
        _logger.InstallJobStarted(request.PatchId, m.Id, jobId);
        return await WaitForJobAsync(m, jobId, request, operation, start).ConfigureAwait(false);
    }

    private async Task<HostStepResult> WaitForJobAsync(Machine m, string jobId, InstallRequest request, HostOperation operation, long start)
    {
        var ct = operation.CancellationToken;
        long unreachableSince = 0;
        while (true)
        {
            WindowsInstallJobStatus status;
            try
            {
                status = WindowsOutputParser.ParseJobStatus((await RunPowerShellAsync(m, WindowsScripts.JobStatus(jobId), "read the install job's state", ct).ConfigureAwait(false)).Span);
                unreachableSince = 0;
            }
            catch (WinRmException ex) when (ex.Kind == WinRmErrorKind.Unreachable)
            {
                // The machine may restart by itself during an install; keep waiting up to the reboot timeout.
                if (unreachableSince == 0)
                {
                    unreachableSince = operation.TimeProvider.GetTimestamp();
                }
                else if (operation.TimeProvider.GetElapsedTime(unreachableSince) > _rebootTimeout)
                {
                    throw;
                }

                await Task.Delay(_pollInterval, operation.TimeProvider, ct).ConfigureAwait(false);
                continue;
            }

            if (status.State == "Unknown")
            {
                return new HostStepResult
                {
                    Status = HostOperationStatus.Failed,
                    ErrorCode = "JOB_NOT_FOUND",
                    Message = "Install job " + jobId + " of " + request.PatchId + " is not known on " + m.Id + " (no state file, no scheduled task).",
                    Duration = operation.TimeProvider.GetElapsedTime(start),
                };
            }

            if (status.IsDone)
            {
                return JobResult(m, jobId, request, status, operation.TimeProvider.GetElapsedTime(start));
            }

            operation.ReportProgress("Windows Update job " + jobId + " of " + request.PatchId + ": " + status.State);
            await Task.Delay(_pollInterval, operation.TimeProvider, ct).ConfigureAwait(false);
        }
    }

    private static HostStepResult JobResult(Machine m, string jobId, InstallRequest request, WindowsInstallJobStatus status, TimeSpan duration)
    {
        var result = WindowsResultCodes.FromWua(status.ResultCode, status.RebootRequired, status.HResult);
        var installed = new List<string>();
        var failed = new List<string>();
        foreach (var u in status.Updates)
        {
            string id = WindowsOutputParser.KbOf(u.Title) ?? (status.Updates.Count == 1 ? request.PatchId : u.UpdateId);
            (u.ResultCode is 2 or 3 ? installed : failed).Add(id);
        }

        if (status.Updates.Count == 0 && result == HostOperationStatus.Failed)
        {
            failed.Add(request.PatchId);
        }

        string meaning = status.HResult != 0 ? WindowsResultCodes.Meaning(status.HResult) : result switch
        {
            HostOperationStatus.SucceededRebootRequired => "installed, a reboot is required",
            HostOperationStatus.Succeeded => "installed",
            HostOperationStatus.Partial => "some updates failed",
            _ => "result code " + status.ResultCode.ToString(CultureInfo.InvariantCulture),
        };
        return new HostStepResult
        {
            Status = result,
            ErrorCode = status.HResult != 0 ? WindowsResultCodes.Format(status.HResult) : null,
            Message = "Windows Update " + request.PatchId + " on " + m.Id + " (job " + jobId + "): " + meaning + (status.Error.Length > 0 ? " (" + status.Error + ")" : string.Empty) + ".",
            Installed = installed,
            Failed = failed,
            Duration = duration,
        };
    }
}
