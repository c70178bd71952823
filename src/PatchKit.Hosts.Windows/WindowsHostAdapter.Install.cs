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
        if (await FenceOrFailureAsync(m, operation, start).ConfigureAwait(false) is { } fenced)
        {
            return fenced;
        }

        try
        {
            var (kb, updateId) = ParseTarget(request.PatchId);
            string patchKey = kb is not null ? "KB" + kb : updateId!;
            if (operation.Checkpoint is { } cp && ParseJobCheckpoint(cp) is { } resumed)
            {
                _logger.InstallJobResumed(resumed.JobId, request.PatchId, m.Id);
                var done = await WaitForJobAsync(m, resumed.JobId, resumed.Kind, request, operation, start).ConfigureAwait(false);
                return await NoteRebootAskAsync(m, patchKey, done, null, ct).ConfigureAwait(false);
            }

            var installed = await InstalledAsync(m, ct).ConfigureAwait(false);
            if (installed.Any(u => string.Equals(u.Id, request.PatchId, StringComparison.OrdinalIgnoreCase)
                || (updateId is not null && string.Equals(u.UpdateId, updateId, StringComparison.OrdinalIgnoreCase))))
            {
                return new HostStepResult { Status = HostOperationStatus.Succeeded, Message = request.PatchId + " is already installed on " + m.Id + ".", Duration = operation.TimeProvider.GetElapsedTime(start) };
            }

            // The boot times at which earlier installs of this update asked for a reboot are kept on the machine, so the
            // count survives a restart of the orchestrator and spans runs.
            var os = await OsInfoAsync(m, ct).ConfigureAwait(false);
            var asked = WindowsOutputParser.ParseBootList((await RunPowerShellAsync(m, WindowsScripts.RebootAsks(patchKey, null), "read the update's reboot count", ct).ConfigureAwait(false)).Span);
            int rebootsSince = asked.Count(b => b < os.LastBootUpTime);
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

            var payload = request.Payloads.FirstOrDefault(p => p.Kind.Equals("msu", StringComparison.OrdinalIgnoreCase) || p.Kind.Equals("cab", StringComparison.OrdinalIgnoreCase));
            HostStepResult result = payload is not null
                ? await InstallPayloadAsync(m, payload, request, operation, start).ConfigureAwait(false)
                : await StartJobAsync(m, kb, updateId, request, operation, start).ConfigureAwait(false);
            result = await NoteRebootAskAsync(m, patchKey, result, os.LastBootUpTime, ct).ConfigureAwait(false);
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

    /// <summary>A checkpoint this adapter wrote: <c>wua-job:ID</c>, <c>wusa-job:ID</c> or <c>dism-job:ID</c>.</summary>
    internal static (string JobId, string Kind)? ParseJobCheckpoint(string checkpoint)
    {
        int colon = checkpoint.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !WindowsOutputParser.IsJobId(checkpoint[(colon + 1)..]))
        {
            return null;
        }

        return checkpoint[..colon] switch
        {
            "wua-job" => (checkpoint[(colon + 1)..], "wua"),
            "wusa-job" or "dism-job" => (checkpoint[(colon + 1)..], "payload"),
            _ => null,
        };
    }

    /// <summary>Records on the machine that an install of the update asked for a reboot at this boot.</summary>
    private async Task<HostStepResult> NoteRebootAskAsync(Machine m, string patchKey, HostStepResult result, DateTimeOffset? bootTime, CancellationToken ct)
    {
        if (result.Status != HostOperationStatus.SucceededRebootRequired)
        {
            return result;
        }

        var boot = bootTime ?? (await OsInfoAsync(m, ct).ConfigureAwait(false)).LastBootUpTime;
        await RunPowerShellAsync(m, WindowsScripts.RebootAsks(patchKey, boot.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)), "record the update's reboot request", ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>wusa (.msu) or DISM (.cab) as a SYSTEM scheduled-task job, like a Windows Update install: wusa refuses a
    /// remote logon (0x80070005). The handle is checkpointed as <c>wusa-job:ID</c> or <c>dism-job:ID</c>.</summary>
    private async Task<HostStepResult> InstallPayloadAsync(Machine m, InstallPayload payload, InstallRequest request, HostOperation operation, long start)
    {
        string path = payload.Location;
        if (path.Length == 0 || path.AsSpan().ContainsAny("\"\r\n\0") || path.Contains('|', StringComparison.Ordinal) || path.Contains('&', StringComparison.Ordinal))
        {
            throw new HostAdapterException(m.Id, "The payload location '" + path + "' is not a usable Windows path", null);
        }

        string tool = payload.Kind.Equals("msu", StringComparison.OrdinalIgnoreCase) ? "wusa" : "dism";
        path = await StagePayloadAsync(m, payload, operation.CancellationToken).ConfigureAwait(false);
        string jobId = Guid.NewGuid().ToString("N");
        var started = await RunPowerShellAsync(m, WindowsScripts.StartPayloadInstall(jobId, tool, path), "start the " + tool + " install", operation.CancellationToken).ConfigureAwait(false);
        if (WindowsOutputParser.ParseJobId(started.Span) != jobId)
        {
            throw new FormatException("The install job start answered with another job id.");
        }

        await operation.CheckpointAsync(tool + "-job:" + jobId).ConfigureAwait(false);
        _logger.InstallJobStarted(request.PatchId, m.Id, jobId);
        return await WaitForJobAsync(m, jobId, "payload", request, operation, start).ConfigureAwait(false);
    }

    /// <summary>Where payloads copied to the machine go.</summary>
    internal const string PayloadDirectory = @"C:\ProgramData\PatchKit\payloads";

    /// <summary>A payload whose Location is a <c>file:</c> URI is a file of the orchestrator's: it is checked against
    /// its SHA-256 (when given), copied to <see cref="PayloadDirectory"/> on the machine (WinRM or the guest agent's
    /// guest-file-write) and checked there again. Any other Location is a path the machine reads itself, checked on the
    /// machine when a SHA-256 is given. Returns the path the installer uses.</summary>
    private static async Task<string> StagePayloadAsync(Machine m, InstallPayload payload, CancellationToken ct)
    {
        string expected = payload.Sha256.Trim().ToLowerInvariant();
        string guestPath = payload.Location;
        if (payload.Location.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(payload.Location, UriKind.Absolute, out var uri) || !uri.IsFile)
            {
                throw new HostAdapterException(m.Id, "The payload location '" + payload.Location + "' is not a file: URI", null);
            }

            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(uri.LocalPath, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new HostAdapterException(m.Id, "The payload " + uri.LocalPath + " cannot be read here: " + ex.Message, ex);
            }

            string local = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            if (expected.Length > 0 && local != expected)
            {
                throw new HostAdapterException(m.Id, "The payload " + uri.LocalPath + " has SHA-256 " + local + ", not the expected " + expected + "; not copied", null);
            }

            string name = Path.GetFileName(uri.LocalPath);
            if (name.Length == 0 || name.AsSpan().IndexOfAny("'\"\\/:*?<>|") >= 0)
            {
                throw new HostAdapterException(m.Id, "The payload file name '" + name + "' is not usable on Windows", null);
            }

            guestPath = PayloadDirectory + "\\" + name;
            await RunPowerShellAsync(m, WindowsScripts.EnsureDirectory(PayloadDirectory), "create the payload folder", ct).ConfigureAwait(false);
            await m.Shell.WriteFileAsync(guestPath, bytes, ct).ConfigureAwait(false);
            expected = local;
        }

        if (expected.Length > 0)
        {
            string onMachine = WindowsOutputParser.Decode((await RunPowerShellAsync(m, WindowsScripts.FileHash(guestPath), "hash the payload", ct).ConfigureAwait(false)).Span).Trim();
            if (onMachine != expected)
            {
                throw new HostAdapterException(m.Id, "The payload " + guestPath + " on " + m.Id + (onMachine == "absent" ? " does not exist" : " has SHA-256 " + onMachine + ", not the expected " + expected) + "; not installed", null);
            }
        }

        return guestPath;
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
        return await WaitForJobAsync(m, jobId, "wua", request, operation, start).ConfigureAwait(false);
    }

    private async Task<HostStepResult> WaitForJobAsync(Machine m, string jobId, string kind, InstallRequest request, HostOperation operation, long start)
    {
        var ct = operation.CancellationToken;
        long unreachableSince = 0;
        while (true)
        {
            WindowsInstallJobStatus status;
            try
            {
                status = WindowsOutputParser.ParseJobStatus((await RunPowerShellAsync(m, WindowsScripts.JobStatus(jobId, kind), "read the install job's state", ct).ConfigureAwait(false)).Span);
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
                return kind == "payload"
                    ? PayloadResult(m, jobId, request, status, operation.TimeProvider.GetElapsedTime(start))
                    : JobResult(m, jobId, request, status, operation.TimeProvider.GetElapsedTime(start));
            }

            operation.ReportProgress("Install job " + jobId + " of " + request.PatchId + ": " + status.State);
            await Task.Delay(_pollInterval, operation.TimeProvider, ct).ConfigureAwait(false);
        }
    }

    /// <summary>wusa's or DISM's exit code as the install result; the code is kept, with its meaning and the end of
    /// the tool's output.</summary>
    private static HostStepResult PayloadResult(Machine m, string jobId, InstallRequest request, WindowsInstallJobStatus status, TimeSpan duration)
    {
        int code = status.ExitCode ?? status.HResult;
        var result = status.ExitCode is null && status.Error.Length == 0 ? HostOperationStatus.Failed : WindowsResultCodes.FromExitCode(code);
        string output = status.Output.Trim();
        if (output.Length > 300)
        {
            output = "…" + output[^300..];
        }

        return new HostStepResult
        {
            Status = result,
            ErrorCode = code == 0 ? null : WindowsResultCodes.Format(code),
            Message = "Install of " + request.PatchId + " on " + m.Id + " (job " + jobId + "): " + WindowsResultCodes.Meaning(code)
                + (status.Error.Length > 0 ? " (" + status.Error + ")" : string.Empty) + (output.Length > 0 ? "; output: " + output : string.Empty) + ".",
            Installed = result is HostOperationStatus.Succeeded or HostOperationStatus.SucceededRebootRequired && code != WindowsResultCodes.WuSAlreadyInstalled ? [request.PatchId] : [],
            Failed = result == HostOperationStatus.Failed ? [request.PatchId] : [],
            Duration = duration,
        };
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
