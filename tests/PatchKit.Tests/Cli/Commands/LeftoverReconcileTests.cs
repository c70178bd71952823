using PatchKit.Hosts.Simulated;
using PatchKit.Tests.Infrastructure;
using PatchKit.Tests.Lifecycle.Journal;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>Issue 25, item 7: a run killed while its snapshots (or lab clones, or a host in maintenance mode) are on the
/// simulated fleet, whose journal is then lost (replaced by garbage, emptied, cut in half). Following the tool's advice
/// (a new run id) on the same fleet, the new run finds what PatchKit left there, lists it under "needs attention" and
/// never reports 100 % compliance while it is there; <c>--remove-leftovers</c> removes the snapshots and clones. All
/// through the real CLI process; the fleet's state file outlives each process.</summary>
public sealed class LeftoverReconcileTests
{
    [Theory]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("half")]
    public void NewRun_AfterLostJournal_ReportsAndRemovesWhatTheKilledRunLeft(string damage)
    {
        using var dir = new TempDir();
        string state = Path.Combine(dir.Path, "fleet-state.json");
        string journal = Path.Combine(dir.Path, "r1.journal");

        // 1. Kill run r1 at the first crash point after which the fleet holds one of its snapshots.
        bool leftSomething = false;
        for (int crashAt = 2; crashAt <= 60 && !leftSomething; crashAt++)
        {
            foreach (string f in Directory.EnumerateFiles(dir.Path))
            {
                File.Delete(f);
            }

            var (code, _, _) = CrashResumeTests.RunChild(dir.Path, "r1", journal, state, crashAt);
            if (code != 137)
            {
                continue;
            }

            leftSomething = File.Exists(state) && SimulatedHostAdapter.ReadState(state).Machines.Any(m => m.Snapshots.Any(s => s.Name.StartsWith("patchkit-r1-", StringComparison.Ordinal)));
        }

        Assert.True(leftSomething, "no crash point left a snapshot of r1 on the fleet");

        // 2. The journal is lost.
        byte[] bytes = File.ReadAllBytes(journal);
        File.WriteAllBytes(journal, damage switch
        {
            "garbage" => [.. Enumerable.Range(0, bytes.Length + 100).Select(i => (byte)(i * 7919 % 251))],
            "empty" => [],
            _ => bytes[..(bytes.Length / 2)],
        });

        // 3. A new run id on the same fleet: what r1 left is reported, and compliance is not 100 %.
        var (code2, out2, err2) = CrashResumeTests.RunChild(dir.Path, "r2", Path.Combine(dir.Path, "r2.journal"), state, null);
        Assert.True(code2 is 0 or 1, err2);
        Assert.Contains("needs attention", out2, StringComparison.Ordinal);
        Assert.Contains("snapshot 'patchkit-r1-", out2, StringComparison.Ordinal);
        Assert.Contains("--remove-leftovers", out2, StringComparison.Ordinal);
        Assert.DoesNotContain("compliance 100.0 %", out2, StringComparison.Ordinal);
        Assert.Contains(SimulatedHostAdapter.ReadState(state).Machines, m => m.Snapshots.Any(s => s.Name.StartsWith("patchkit-r1-", StringComparison.Ordinal)));

        // 4. Asked to, the next run removes them (and its own are not touched: it leaves none behind).
        var (code3, out3, err3) = CrashResumeTests.RunChild(dir.Path, "r3", Path.Combine(dir.Path, "r3.journal"), state, null, "--remove-leftovers");
        Assert.True(code3 is 0 or 1, err3);
        var after = SimulatedHostAdapter.ReadState(state);
        Assert.DoesNotContain(after.Machines, m => m.Snapshots.Any(s => s.Name.StartsWith("patchkit-r1-", StringComparison.Ordinal) || s.Name.StartsWith("patchkit-r2-", StringComparison.Ordinal)));
        Assert.DoesNotContain(after.Machines, m => m.CloneOf is not null && m.Id.StartsWith("patchkit-lab-r1-", StringComparison.Ordinal));
        Assert.DoesNotContain("snapshot 'patchkit-r1-", out3, StringComparison.Ordinal);
        if (!after.Machines.Any(m => m.InMaintenanceMode))
        {
            Assert.DoesNotContain("left on the host", out3, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("compliance 100.0 %", out3, StringComparison.Ordinal);
        }
    }
}
