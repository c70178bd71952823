using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using static PatchKit.Tests.Hosts.Windows.WindowsFleet;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The Windows adapter against the WinRM fixture (real NTLM auth and message sealing over HTTP; the replayed
/// Windows answers and the canned script outputs of tests/fixtures/winrm/canned-patchkit.json, written from the
/// documented formats: Win32_OperatingSystem, Get-HotFix, the WUA job's state file).</summary>
[Collection("winrm-reboot")]
public sealed class WindowsHostAdapterTests(WinRmFixture fx)
{
    private List<JsonElement> Scripts(string machine, string marker) =>
        [.. fx.Envelopes().Where(e => e.GetProperty("machine").GetString() == machine
            && e.TryGetProperty("ps_script", out var s) && s.GetString()!.StartsWith("# patchkit:" + marker, StringComparison.Ordinal))];

    [WinRmFact]
    public async Task Inventory_OsBuildUbr_InstalledUpdates_PendingReboot_DownHostIsUnreachable()
    {
        string machine = NewMachine();
        await using var adapter = Adapter(Host(fx, "win1", machine), Down(fx, "gone"));
        var inv = await adapter.GetInventoryAsync(CancellationToken.None);
        var win1 = inv.Hosts.Single(h => h.Id == "win1");
        Assert.Equal(HostStatus.Reachable, win1.Status);
        Assert.Equal(HostKind.Windows, win1.Kind);
        Assert.Equal("10.0.17763", win1.Version);
        Assert.Equal("17763.5329", win1.Build);
        Assert.Equal("Microsoft Windows Server 2019 Datacenter", win1.Os!.PrettyName);
        Assert.Equal(["KB5034439", "KB5034768"], win1.InstalledPatches.Select(p => p.PatchId));
        Assert.All(win1.Packages, p => Assert.Equal(PackageFormat.WindowsUpdate, p.Format));
        Assert.False(win1.PendingReboot);
        Assert.Equal(HostStatus.Unreachable, inv.Hosts.Single(h => h.Id == "gone").Status);

        var id = await adapter.IdentifyAsync(Op("win1"));
        Assert.NotNull(id);
        Assert.Equal("17763.5329", id.Build);
        Assert.True(id.BootedAt < DateTimeOffset.UtcNow);
    }

    [WinRmFact]
    public async Task InstallByKb_StartsOneJob_ChecksItIn_PollsUntilDone_RebootRequired_ThenInventoryShowsIt()
    {
        string machine = NewMachine();
        await using var adapter = Adapter(Host(fx, "win1", machine));
        var checkpoints = new List<string>();
        var r = await adapter.InstallAsync(Op("win1", onCheckpoint: (h, _) => { checkpoints.Add(h); return ValueTask.CompletedTask; }),
            new InstallRequest { PatchId = "KB5035001" });
        Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
        Assert.Equal(["KB5035001"], r.Installed);
        Assert.Null(r.ErrorCode);
        string handle = Assert.Single(checkpoints);
        Assert.Matches("^wua-job:[0-9a-f]{32}$", handle);
        Assert.Single(Scripts(machine, "wua-install-start"));
        var polls = Scripts(machine, "wua-job-status");
        Assert.Equal(2, polls.Count); // Running, then Done
        Assert.All(polls, p => Assert.Contains(handle["wua-job:".Length..], p.GetProperty("ps_script").GetString()!, StringComparison.Ordinal));

        var host = (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single();
        Assert.Contains(host.InstalledPatches, p => p.PatchId == "KB5035001");
        Assert.True(host.PendingReboot);

        var again = await adapter.InstallAsync(Op("win1"), new InstallRequest { PatchId = "KB5035001" });
        Assert.Equal(HostOperationStatus.Succeeded, again.Status);
        Assert.Empty(again.Installed);
        Assert.Single(Scripts(machine, "wua-install-start"));
    }

    [WinRmFact]
    public async Task OrchestratorKilledAfterTheCheckpoint_ResumeWaitsForThatJob_StartsNoOther()
    {
        string machine = NewMachine();
        await using (var first = Adapter(Host(fx, "win1", machine)))
        {
            using var kill = new CancellationTokenSource();
            string? saved = null;
            var op = Op("win1", kill.Token, onCheckpoint: async (h, _) => { saved = h; await kill.CancelAsync(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.InstallAsync(op, new InstallRequest { PatchId = "KB5035002" }));
            Assert.NotNull(saved);

            // a new process: a new adapter, the journaled handle handed back
            await using var second = Adapter(Host(fx, "win1", machine));
            var r = await second.InstallAsync(Op("win1", checkpoint: saved), new InstallRequest { PatchId = "KB5035002" });
            Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
            Assert.Single(Scripts(machine, "wua-install-start"));
            Assert.All(Scripts(machine, "wua-job-status"), p => Assert.Contains(saved["wua-job:".Length..], p.GetProperty("ps_script").GetString()!, StringComparison.Ordinal));
        }
    }

    [WinRmTheory]
    [InlineData("msu", "wusa")]
    [InlineData("cab", "dism")]
    public async Task InstallFromPayload_RunsAsAScheduledTaskJob_Checkpointed_ExitCode3010_IsSucceededRebootRequired_OutputKept(string kind, string tool)
    {
        string machine = NewMachine();
        await using var adapter = Adapter(Host(fx, "win1", machine));
        var checkpoints = new List<string>();
        var r = await adapter.InstallAsync(Op("win1", onCheckpoint: (h, _) => { checkpoints.Add(h); return ValueTask.CompletedTask; }), new InstallRequest
        {
            PatchId = "KB5035003",
            Payloads = [new InstallPayload { Kind = kind, Location = @"C:\Updates\windows10.0-kb5035003-x64." + kind }],
        });
        Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
        Assert.Equal("3010", r.ErrorCode);
        Assert.Equal(["KB5035003"], r.Installed);
        Assert.Contains("Restart Windows to complete this operation", r.Message, StringComparison.Ordinal); // the job's output, collected
        string handle = Assert.Single(checkpoints);
        Assert.Matches("^" + tool + "-job:[0-9a-f]{32}$", handle);

        // wusa/DISM are not run over the remote logon (wusa refuses it with 0x80070005): a SYSTEM scheduled task runs them
        string start = Assert.Single(Scripts(machine, "payload-install-start")).GetProperty("ps_script").GetString()!;
        Assert.Contains("$Tool = '" + tool + "'", start, StringComparison.Ordinal);
        Assert.Contains(@"$Path = 'C:\Updates\windows10.0-kb5035003-x64." + kind + "'", start, StringComparison.Ordinal);
        Assert.Contains("Register-ScheduledTask", start, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Envelopes(), e => e.GetProperty("machine").GetString() == machine
            && e.TryGetProperty("command_line", out var c) && c.GetString()!.StartsWith(tool, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, Scripts(machine, "payload-job-status").Count); // Starting, Running, Done
    }

    [WinRmFact]
    public async Task PayloadInstall_OrchestratorKilledAfterTheCheckpoint_ResumeWaitsForThatJob()
    {
        string machine = NewMachine();
        var request = new InstallRequest { PatchId = "KB5035004", Payloads = [new InstallPayload { Kind = "msu", Location = @"C:\Updates\windows10.0-kb5035004-x64.msu" }] };
        string? saved = null;
        await using (var first = Adapter(Host(fx, "win1", machine)))
        {
            using var kill = new CancellationTokenSource();
            var op = Op("win1", kill.Token, onCheckpoint: async (h, _) => { saved = h; await kill.CancelAsync(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.InstallAsync(op, request));
        }

        Assert.NotNull(saved);
        await using var second = Adapter(Host(fx, "win1", machine));
        var r = await second.InstallAsync(Op("win1", checkpoint: saved), request);
        Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
        Assert.Single(Scripts(machine, "payload-install-start"));
        Assert.All(Scripts(machine, "payload-job-status"), p => Assert.Contains(saved["wusa-job:".Length..], p.GetProperty("ps_script").GetString()!, StringComparison.Ordinal));
    }

    [WinRmFact]
    public async Task Reboot_ConnectionLostMeanwhile_WaitsForANewBootTime()
    {
        string machine = NewMachine();
        await using var adapter = Adapter(Host(fx, "win1", machine));
        var before = (await adapter.IdentifyAsync(Op("win1")))!.BootedAt;
        var r = await adapter.RebootAndWaitAsync(new HostOperation("win1") { Timeout = TimeSpan.FromSeconds(60) });
        Assert.Equal(HostOperationStatus.Succeeded, r.Status);
        var after = (await adapter.IdentifyAsync(Op("win1")))!.BootedAt;
        Assert.True(after > before, $"{after:o} after {before:o}");
        // while it rebooted the listener refused shells (503), and the adapter kept polling
        Assert.Contains(fx.Envelopes(), e => e.GetProperty("machine").GetString() == machine && e.TryGetProperty("status", out var s) && s.GetInt32() == 503);
    }

    [WinRmFact]
    public async Task RebootLoop_CountedOnTheMachine_SurvivesARestartOfTheOrchestrator_IsReported_NotFollowed()
    {
        string machine = NewMachine();
        var request = new InstallRequest { PatchId = "KB5035999" }; // the fixture's update that never ends up installed

        // every cycle is a new adapter, as after a restart of PatchKit: nothing is remembered in the process
        WindowsHostAdapter NewAdapter()
        {
            var options = new WindowsHostAdapterOptions { PollInterval = TimeSpan.FromMilliseconds(200), MaxRebootsPerUpdate = 2 };
            options.Hosts.Add(Host(fx, "win1", machine));
            return new WindowsHostAdapter(options);
        }

        for (int i = 0; i < 2; i++)
        {
            await using (var adapter = NewAdapter())
            {
                var r = await adapter.InstallAsync(Op("win1"), request);
                Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
            }

            await using (var adapter = NewAdapter())
            {
                Assert.Equal(HostOperationStatus.Succeeded, (await adapter.RebootAndWaitAsync(new HostOperation("win1") { Timeout = TimeSpan.FromSeconds(60) })).Status);
            }
        }

        await using (var adapter = NewAdapter())
        {
            var loop = await adapter.InstallAsync(Op("win1"), request);
            Assert.Equal(HostOperationStatus.Failed, loop.Status);
            Assert.Equal("REBOOT_LOOP", loop.ErrorCode);
            Assert.Equal(["KB5035999"], loop.Failed);
        }

        Assert.Equal(2, Scripts(machine, "wua-install-start").Count);
        // two boot times recorded on the machine, one per install that asked for a reboot
        Assert.Equal(2, Scripts(machine, "reboot-asks patch=KB5035999 boot=2").Count);
    }

    [WinRmFact]
    public async Task WrongPassword_HealthCheckFails_Names401_NeverThePassword_InventorySaysUnreachable()
    {
        const string wrong = "Wrong-Password-For-Test";
        await using var adapter = Adapter(Host(fx, "win1", NewMachine(), wrong));
        var r = await adapter.CheckHealthAsync(Op("win1"));
        Assert.Equal(HostOperationStatus.Failed, r.Status);
        Assert.Equal("HTTP_401", r.ErrorCode);
        Assert.True(r.Message.Contains("check the user name", StringComparison.Ordinal), r.Message);
        Assert.DoesNotContain(wrong, r.Message, StringComparison.Ordinal);
        Assert.Equal(HostStatus.Unreachable, (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single().Status);
    }

    [WinRmFact]
    public async Task Steps_SearchAndPendingReboot_UnknownStepIsNotApplicable()
    {
        await using var adapter = Adapter(Host(fx, "win1", NewMachine()));
        var search = await adapter.RunStepAsync(Op("win1"), new HostStep { Name = "windows.search-updates" });
        Assert.True(search.Succeeded, search.Message);
        Assert.Contains("KB5034768", search.Message, StringComparison.Ordinal); // the fixture's WUA search answer
        var pending = await adapter.RunStepAsync(Op("win1"), new HostStep { Name = "windows.pending-reboot" });
        Assert.StartsWith("Reboot pending: no", pending.Message, StringComparison.Ordinal);
        Assert.Equal(HostOperationStatus.NotApplicable, (await adapter.RunStepAsync(Op("win1"), new HostStep { Name = "esx.enter-maintenance" })).Status);
    }

    [Fact]
    public void Targets_KbOrUpdateId_AnythingElseIsRefusedBeforeReachingAScript()
    {
        Assert.Equal(("5034768", null), WindowsHostAdapter.ParseTarget("KB5034768"));
        Assert.Equal((null, "5e4b1d77-9a0e-4a0c-8d3f-0b8f4c2a6d11"), WindowsHostAdapter.ParseTarget("5E4B1D77-9A0E-4A0C-8D3F-0B8F4C2A6D11"));
        Assert.Throws<HostAdapterException>(() => WindowsHostAdapter.ParseTarget("KB1'; Remove-Item C:\\"));
        Assert.Throws<HostAdapterException>(() => WindowsHostAdapter.ParseTarget("openssl-3.0.13"));
    }

    [Fact]
    public void Options_EveryProblemAtOnce()
    {
        var o = new WindowsHostAdapterOptions { PollInterval = TimeSpan.Zero, MaxRebootsPerUpdate = 0 };
        o.Hosts.Add(new WindowsHostOptions { Id = "a", Connection = new WinRmConnectionOptions { Endpoint = new Uri("http://h:5985/wsman"), Authentication = WinRmAuthentication.Basic } });
        o.Hosts.Add(new WindowsHostOptions { Id = "a" });
        var problems = o.Validate();
        Assert.Contains(problems, p => p.Contains("appears twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Basic authentication over http://", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("UserName must be set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("PollInterval", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MaxRebootsPerUpdate", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new WindowsHostAdapter(o));
    }
}
