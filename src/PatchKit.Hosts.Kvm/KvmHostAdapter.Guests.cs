using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PatchKit.Diffs;

namespace PatchKit.Hosts.Kvm;

public sealed partial class KvmHostAdapter
{
    /// <inheritdoc/>
    public async Task<GuestExecResult> ExecAsync(HostOperation operation, GuestCommand command)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentNullException.ThrowIfNull(command);
        await using var agent = await ConnectAgentAsync(Guest(operation.HostId), operation).ConfigureAwait(false);
        return await agent.ExecAsync(command, operation.CancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadFileAsync(HostOperation operation, string path)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await using var agent = await ConnectAgentAsync(Guest(operation.HostId), operation).ConfigureAwait(false);
        try
        {
            return await agent.ReadFileAsync(path, operation.CancellationToken).ConfigureAwait(false);
        }
        catch (QmpException ex) when (ex.Description.Contains("No such file", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task WriteFileAsync(HostOperation operation, string path, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        await using var agent = await ConnectAgentAsync(Guest(operation.HostId), operation).ConfigureAwait(false);
        await agent.WriteFileAsync(path, content, operation.CancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Payloads: <c>unified-diff</c> (Location: a local path or <c>file:</c> URI of the diff, applied under the
    /// guest's <see cref="KvmGuestDescription.PatchRoot"/>, all files or none) and <c>package</c> (Location:
    /// <c>name</c> or <c>name=version</c>, installed with apt-get, dnf, yum or zypper). The patch is recorded in the
    /// guest's <see cref="KvmGuestDescription.StateDirectory"/>; installing it again does nothing.</remarks>
    public async Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        ArgumentNullException.ThrowIfNull(request);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = Time.GetTimestamp();
        if (_hosts.TryGetValue(operation.HostId, out var host))
        {
            if (host.InstallCommand.Count == 0)
            {
                return new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "'" + operation.HostId + "' is a KVM host without an install command: install on its guests, or live update its QEMU" };
            }

            var r = await HostCommandAsync(host, host.InstallCommand, [.. request.Payloads.Select(p => p.Location)], request.PatchId, "install", operation, start).ConfigureAwait(false);
            return r.Succeeded
                ? new HostStepResult { Status = request.Reboot == RebootBehavior.Always ? HostOperationStatus.SucceededRebootRequired : r.Status, Message = r.Message, Duration = r.Duration, Installed = [request.PatchId] }
                : new HostStepResult { Status = r.Status, Message = r.Message, Duration = r.Duration, ErrorCode = r.ErrorCode, Failed = [request.PatchId] };
        }

        if (!_state.Guests.ContainsKey(operation.HostId))
        {
            return new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "'" + operation.HostId + "' is not a guest or host of this KVM adapter" };
        }

        var g = Guest(operation.HostId);
        var gate = LockOf(g.Id);
        await gate.WaitAsync(operation.CancellationToken).ConfigureAwait(false);
        try
        {
            await using var agent = await ConnectAgentAsync(g, operation).ConfigureAwait(false);
            var ct = operation.CancellationToken;
            var installed = await ReadInstalledPatchesAsync(agent, g, ct).ConfigureAwait(false);
            if (installed.Any(p => p.PatchId == request.PatchId))
            {
                return HostStepResult.Ok(Time.GetElapsedTime(start), "'" + request.PatchId + "' is already installed");
            }

            bool reboot = request.Reboot == RebootBehavior.Always;
            var notes = new List<string>();
            foreach (var payload in request.Payloads)
            {
                ct.ThrowIfCancellationRequested();
                switch (payload.Kind)
                {
                    case "unified-diff" when payload.Location.Length == 0:
                        return Failed(request, "the unified diff has no location (give the catalog entry a file: URI)", start, "NoPayloadLocation");

                    case "unified-diff":
                        {
                            byte[] diff = await File.ReadAllBytesAsync(LocalPath(payload.Location), ct).ConfigureAwait(false);
                            if (payload.Sha256.Length > 0 && !string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(diff)), payload.Sha256, StringComparison.OrdinalIgnoreCase))
                            {
                                return Failed(request, "the diff at '" + payload.Location + "' does not match its SHA-256", start, "ChecksumMismatch");
                            }

                            var (ok, message, _) = await GuestPatcher.ApplyAsync(agent, diff, g.PatchRoot, g.PatchStrip, ct).ConfigureAwait(false);
                            if (!ok)
                            {
                                return Failed(request, message, start, "PatchDoesNotApply");
                            }

                            notes.Add(message);
                            break;
                        }

                    case "package":
                        {
                            // a package file on this machine (file: URI or absolute path to a .deb/.rpm) is copied into
                            // the guest through the agent and installed from there; a name (or name=version) is
                            // installed from the guest's own repositories
                            string item = payload.Location;
                            string? uploaded = null;
                            if (LinuxPackages.IsHostPackageFile(payload.Location))
                            {
                                string hostPath = LocalPath(payload.Location);
                                if (!File.Exists(hostPath))
                                {
                                    return Failed(request, "the package file '" + hostPath + "' does not exist", start, "NoPayloadLocation");
                                }

                                byte[] file = await File.ReadAllBytesAsync(hostPath, ct).ConfigureAwait(false);
                                string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
                                if (payload.Sha256.Length > 0 && !string.Equals(sha, payload.Sha256, StringComparison.OrdinalIgnoreCase))
                                {
                                    return Failed(request, "the package at '" + payload.Location + "' does not match its SHA-256", start, "ChecksumMismatch");
                                }

                                uploaded = "/var/tmp/patchkit-" + sha[..12] + "-" + Path.GetFileName(hostPath);
                                await agent.WriteFileAsync(uploaded, file, ct).ConfigureAwait(false);
                                item = uploaded;
                            }

                            GuestExecResult r;
                            try
                            {
                                r = await agent.ExecAsync(new GuestCommand { Program = "/bin/sh", Arguments = ["-c", LinuxPackages.InstallScript, "sh", item], Timeout = TimeSpan.FromMinutes(30) }, ct).ConfigureAwait(false);
                            }
                            finally
                            {
                                if (uploaded is not null)
                                {
                                    await ShAsync(agent, "rm -f \"$1\"", CancellationToken.None, uploaded).ConfigureAwait(false);
                                }
                            }

                            if (r.ExitCode != 0)
                            {
                                return Failed(request, payload.Location + ": " + Encoding.UTF8.GetString(r.StandardError.Span).Trim(), start, r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "TimedOut");
                            }

                            string outText = Encoding.UTF8.GetString(r.StandardOutput.Span);
                            reboot |= outText.Contains("reboot-required", StringComparison.Ordinal) && request.Reboot != RebootBehavior.Never;
                            notes.Add(payload.Location + " installed");
                            break;
                        }

                    default:
                        return Failed(request, "payload kind '" + payload.Kind + "' cannot be installed in a KVM guest", start, "UnsupportedPayload");
                }
            }

            await ShAsync(agent, "mkdir -p \"$1\" && date -u +%s > \"$1/$2\"", ct, g.StateDirectory.TrimEnd('/') + "/patches", request.PatchId).ConfigureAwait(false);
            return new HostStepResult
            {
                Status = reboot ? HostOperationStatus.SucceededRebootRequired : HostOperationStatus.Succeeded,
                Installed = [request.PatchId], Message = string.Join("; ", notes), Duration = Time.GetElapsedTime(start),
            };
        }
        catch (KvmConnectionException ex)
        {
            return new HostStepResult { Status = HostOperationStatus.Unreachable, Message = ex.Message, Failed = [request.PatchId], Duration = Time.GetElapsedTime(start) };
        }
        catch (Exception ex) when (ex is QmpException or PathSafetyException or PatchFormatException or IOException)
        {
            return Failed(request, ex.Message, start, (ex as QmpException)?.ErrorClass);
        }
        finally
        {
            gate.Release();
        }
    }

    private HostStepResult Failed(InstallRequest request, string message, long start, string? code) =>
        new() { Status = HostOperationStatus.Failed, Message = message, ErrorCode = code, Failed = [request.PatchId], Duration = Time.GetElapsedTime(start) };

    private static string LocalPath(string location) =>
        location.StartsWith("file:", StringComparison.Ordinal) ? new Uri(location).LocalPath : location;

    private static async Task<IReadOnlyList<InstalledPatch>> ReadInstalledPatchesAsync(GuestAgentClient agent, KvmGuestState g, CancellationToken cancellationToken)
    {
        var r = await agent.ExecAsync(new GuestCommand
        {
            Program = "/bin/sh",
            Arguments = ["-c", "cd \"$1\" 2>/dev/null || exit 0; for f in *; do [ -f \"$f\" ] && printf '%s\\t%s\\n' \"$f\" \"$(cat \"$f\")\"; done; exit 0", "sh", g.StateDirectory.TrimEnd('/') + "/patches"],
            Timeout = TimeSpan.FromMinutes(1),
        }, cancellationToken).ConfigureAwait(false);
        var list = new List<InstalledPatch>();
        foreach (string line in Encoding.UTF8.GetString(r.StandardOutput.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            list.Add(new InstalledPatch
            {
                PatchId = f[0],
                InstalledAt = f.Length > 1 && long.TryParse(f[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? DateTimeOffset.FromUnixTimeSeconds(s) : default,
            });
        }

        return list;
    }

    /// <inheritdoc/>
    /// <remarks>Resets the guest (<c>system_reset</c>, with QEMU's reboot action set to reset) and waits until its agent
    /// answers from a new boot (a new <c>boot_id</c>), within the operation's timeout or
    /// <see cref="KvmHostAdapterOptions.BootTimeout"/>.</remarks>
    public async Task<HostStepResult> RebootAndWaitAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Fence(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long start = Time.GetTimestamp();
        if (_hosts.TryGetValue(operation.HostId, out var host))
        {
            return host.RebootCommand.Count == 0
                ? new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "'" + host.Id + "' is a KVM host without a reboot command" }
                : await HostCommandAsync(host, host.RebootCommand, [], null, "reboot", operation, start).ConfigureAwait(false);
        }

        var g = Guest(operation.HostId);
        if (g.Agent is null)
        {
            return new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = "'" + g.Id + "' has no guest agent to wait for" };
        }

        using var scope = new OperationScope(operation, operation.Timeout == Timeout.InfiniteTimeSpan ? _options.BootTimeout : operation.Timeout);
        string? before = null;
        try
        {
            try
            {
                await using var agent = await GuestAgentClient.ConnectAsync(g.Agent, AgentOptions(TimeSpan.FromSeconds(2)), scope.Token).ConfigureAwait(false);
                before = Encoding.ASCII.GetString(await agent.ReadFileAsync("/proc/sys/kernel/random/boot_id", scope.Token).ConfigureAwait(false)).Trim();
            }
            catch (Exception ex) when (ex is QmpException or KvmConnectionException)
            {
                // the agent does not answer now: any answer after the reset counts
            }

            await using (var qmp = await ConnectQmpAsync(g, operation).ConfigureAwait(false))
            {
                await qmp.ExecuteAsync("set-action", new JsonObject { ["reboot"] = "reset" }, null, scope.Token).ConfigureAwait(false);
                await qmp.ExecuteAsync("system_reset", null, null, scope.Token).ConfigureAwait(false);
            }

            await WaitForNewBootAsync(g, before, scope.Token).ConfigureAwait(false);
            return HostStepResult.Ok(Time.GetElapsedTime(start), "rebooted; the guest agent answers again");
        }
        catch (OperationCanceledException) when (scope.TimedOut(operation))
        {
            return new HostStepResult { Status = HostOperationStatus.TimedOut, Message = "'" + g.Id + "' did not answer its guest agent within " + (Time.GetElapsedTime(start).TotalSeconds).ToString("0", CultureInfo.InvariantCulture) + " s after the reset", Duration = Time.GetElapsedTime(start) };
        }
        catch (HostAdapterException ex)
        {
            return new HostStepResult { Status = HostOperationStatus.Unreachable, Message = ex.Message, Duration = Time.GetElapsedTime(start) };
        }
    }

    private async Task WaitForNewBootAsync(KvmGuestState g, string? oldBootId, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var agent = await GuestAgentClient.ConnectAsync(g.Agent!, AgentOptions(TimeSpan.FromSeconds(1)), cancellationToken).ConfigureAwait(false);
                string id = Encoding.ASCII.GetString(await agent.ReadFileAsync("/proc/sys/kernel/random/boot_id", cancellationToken).ConfigureAwait(false)).Trim();
                if (id != oldBootId)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is QmpException or KvmConnectionException)
            {
                // still booting
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a KVM host's install or reboot command on this machine (<see cref="KvmHostDescription.InstallCommand"/>,
    /// <see cref="KvmHostDescription.RebootCommand"/>); its exit code decides, its output's end goes into the message.</summary>
    private async Task<HostStepResult> HostCommandAsync(KvmHostDescription host, IList<string> command, IReadOnlyList<string> extraArgs, string? patchId, string what, HostOperation operation, long start)
    {
        var env = patchId is null ? null : new Dictionary<string, string> { ["PATCHKIT_PATCH_ID"] = patchId };
        using var scope = new OperationScope(operation, operation.Timeout == Timeout.InfiniteTimeSpan ? _options.BootTimeout : operation.Timeout);
        try
        {
            string output = await QemuProcess.RunAsync(command[0], [.. command.Skip(1), .. extraArgs], env, scope.Token).ConfigureAwait(false);
            return HostStepResult.Ok(Time.GetElapsedTime(start), "'" + host.Id + "': " + what + " command exited 0" + (Tail(output) is { Length: > 0 } t ? "; output: " + t : string.Empty));
        }
        catch (OperationCanceledException) when (scope.TimedOut(operation))
        {
            return new HostStepResult { Status = HostOperationStatus.TimedOut, Message = "'" + host.Id + "': the " + what + " command did not finish in time", Duration = Time.GetElapsedTime(start) };
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return HostStepResult.Fail("'" + host.Id + "': the " + what + " command " + ex.Message, Time.GetElapsedTime(start), "HostCommandFailed");
        }
    }

    private async Task<GuestAgentClient> ConnectAgentAsync(KvmGuestState g, HostOperation operation)
    {
        if (g.Agent is null)
        {
            throw new HostAdapterException(g.Id, "the guest has no agent socket configured", null);
        }

        try
        {
            return await GuestAgentClient.ConnectAsync(g.Agent, AgentOptions(TimeSpan.FromSeconds(10)), operation.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KvmConnectionException or QmpException)
        {
            if (Relocate(g))
            {
                return await ConnectAgentAsync(g, operation).ConfigureAwait(false);
            }

            throw new HostAdapterException(g.Id, "guest agent unreachable at " + g.Agent, ex);
        }
    }
}
