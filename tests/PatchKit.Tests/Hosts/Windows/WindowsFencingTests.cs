using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using static PatchKit.Tests.Hosts.Windows.WindowsFleet;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>Fencing on the Windows machine, over the WinRM fixture (real NTLM auth and message sealing): the fencing token
/// travels in the adapter's fence script and is compared-and-set on the machine (on Windows: the registry under a named
/// mutex; the fixture answers the script with the same compare-and-set per machine, written for the fixture — its
/// PowerShell is not run here). Two adapters on one machine stand for two workers.</summary>
[Collection("winrm")]
public sealed class WindowsFencingTests(WinRmFixture fx)
{
    private static HostOperation Op(string id, long token) => new(id) { FencingToken = token };

    private List<JsonElement> Scripts(string machine, string marker) =>
        [.. fx.Envelopes().Where(e => e.GetProperty("machine").GetString() == machine
            && e.TryGetProperty("ps_script", out var s) && s.GetString()!.StartsWith("# patchkit:" + marker, StringComparison.Ordinal))];

    private List<JsonElement> Commands(string machine, string start) =>
        [.. fx.Envelopes().Where(e => e.GetProperty("machine").GetString() == machine
            && e.TryGetProperty("command_line", out var c) && c.GetString() is { } line && line.StartsWith(start, StringComparison.OrdinalIgnoreCase))];

    [WinRmFact]
    public async Task StaleLeaseHolder_IsRefusedOnTheMachine_BeforeInstallExecWriteOrReboot_TheNewHolderWorks()
    {
        string machine = NewMachine();
        await using var stale = Adapter(Host(fx, "win1", machine));
        await using var holder = Adapter(Host(fx, "win1", machine));
        long old = 9_100_001, current = 9_100_002;

        Assert.NotNull(await stale.IdentifyAsync(Op("win1", old)));
        Assert.NotNull(await holder.IdentifyAsync(Op("win1", current))); // the lease moved: the new holder announces itself

        var refused = new[]
        {
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.InstallAsync(Op("win1", old), new InstallRequest { PatchId = "KB5035011" })),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.ExecAsync(Op("win1", old), new GuestCommand { Program = "hostname" })),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.WriteFileAsync(Op("win1", old), @"C:\stale.txt", "x"u8.ToArray())),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.RebootAndWaitAsync(Op("win1", old))),
            await Assert.ThrowsAsync<HostAdapterException>(() => stale.IdentifyAsync(Op("win1", old))),
        };
        foreach (var ex in refused)
        {
            Assert.Equal("win1", ex.HostId);
            Assert.StartsWith("Lease lost", ex.Message, StringComparison.Ordinal);
            Assert.Contains("fencing token 9100002", ex.Message, StringComparison.Ordinal);
            Assert.Contains("token 9100001 is stale", ex.Message, StringComparison.Ordinal);
        }

        // nothing of the stale calls reached the machine: no install job, no exec, no file, no shutdown
        Assert.Empty(Scripts(machine, "wua-install-start"));
        Assert.Empty(Commands(machine, "hostname"));
        Assert.Empty(Scripts(machine, "file-write"));
        Assert.Empty(Commands(machine, "shutdown"));
        Assert.Null(await holder.ReadFileAsync(Op("win1", current), @"C:\stale.txt"));
        Assert.DoesNotContain((await holder.GetInventoryAsync(CancellationToken.None)).Hosts.Single().InstalledPatches, p => p.PatchId == "KB5035011");

        // the holder's token passed on the machine; its install runs
        var r = await holder.InstallAsync(Op("win1", current), new InstallRequest { PatchId = "KB5035011" });
        Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
        Assert.Single(Scripts(machine, "wua-install-start"));

        // every fence script carried its caller's token to the machine
        var fences = Scripts(machine, "fence").Select(e => e.GetProperty("ps_script").GetString()!).ToList();
        Assert.Contains(fences, s => s.StartsWith("# patchkit:fence token=9100001\n", StringComparison.Ordinal));
        Assert.Contains(fences, s => s.StartsWith("# patchkit:fence token=9100002\n", StringComparison.Ordinal));
        Assert.All(fences, s => Assert.Contains("$id = 'win1'", s, StringComparison.Ordinal));

        // a call without a token (one orchestrator) is not fenced
        await using var single = Adapter(Host(fx, "win1", machine));
        Assert.NotNull(await single.IdentifyAsync(new HostOperation("win1")));
    }

    [WinRmFact]
    public async Task RacingWorkers_OnOneMachine_OnlyTheNewestTokenKeepsPassing()
    {
        string machine = NewMachine();
        const int Workers = 6;
        var adapters = Enumerable.Range(0, Workers).Select(_ => Adapter(Host(fx, "win1", machine))).ToArray();
        try
        {
            var rng = new Random(21);
            for (int round = 0; round < 3; round++)
            {
                long[] tokens = [.. Enumerable.Range(1, Workers).Select(i => 9_200_000L + (round * 10) + i)];
                rng.Shuffle(tokens);
                await Task.WhenAll(adapters.Select(async (a, i) =>
                {
                    try
                    {
                        await a.IdentifyAsync(Op("win1", tokens[i]));
                    }
                    catch (HostAdapterException ex) when (ex.Message.StartsWith("Lease lost", StringComparison.Ordinal))
                    {
                    }
                }));

                long newest = tokens.Max();
                for (int i = 0; i < Workers; i++)
                {
                    if (tokens[i] == newest)
                    {
                        Assert.NotNull(await adapters[i].IdentifyAsync(Op("win1", tokens[i])));
                    }
                    else
                    {
                        await Assert.ThrowsAsync<HostAdapterException>(() => adapters[i].ExecAsync(Op("win1", tokens[i]), new GuestCommand { Program = "hostname" }));
                    }
                }
            }

            Assert.Empty(Commands(machine, "hostname")); // no stale exec reached the machine
        }
        finally
        {
            foreach (var a in adapters)
            {
                await a.DisposeAsync();
            }
        }
    }
}
