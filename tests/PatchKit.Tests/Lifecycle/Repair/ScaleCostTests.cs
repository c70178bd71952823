using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Repair;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Repair;

/// <summary>The cost of a simulated run grows with the fleet linearly: counted operations, not timings (speed is for
/// the benchmarks). Every walk over the whole simulated fleet is counted by the adapter
/// (<c>SimulatedHostAdapter.FleetPasses</c>); every flush of the file journal by the journal.</summary>
public sealed class ScaleCostTests
{
    private static (PatchRunResult Result, SimulatedHostAdapter Adapter) Run(int hypervisors, IRunJournal? journal = null) =>
        TestFleet.Run(SimulatedFleetGenerator.Generate(seed: 5, hypervisors: hypervisors, guestsPerHost: 3, hostsPerCluster: 16), TestFleet.Catalog(),
            repair: o => o.MaxConcurrency = 8, journal: journal);

    [Fact]
    public void SimulatedRun_WalksTheWholeFleetAFixedNumberOfTimes_WhateverItsSize()
    {
        // Before the adapter's indexes, listing a host's guests or lab clones, a host record, a reboot and every
        // evacuation walked every machine: passes grew with the hosts, the run's cost with their square.
        var (small, smallAdapter) = Run(hypervisors: 50);   // 200 machines
        var (large, largeAdapter) = Run(hypervisors: 200);  // 800 machines

        Assert.Equal(200, small.Report!.Hosts.Count);
        Assert.Equal(800, large.Report!.Hosts.Count);
        Assert.Equal(0, large.Report.Failed);
        Assert.True(large.Report.Patched >= 790, "patched " + large.Report.Patched);
        int evacuated = large.Context.Repair!.Outcomes.Count(o => o.Path == RepairPath.Evacuate);
        Assert.True(evacuated >= 50, $"hypervisors evacuated (the walk that was quadratic): {evacuated}");
        Assert.True(smallAdapter.FleetPasses <= 6, "passes over the fleet: " + smallAdapter.FleetPasses);
        Assert.Equal(smallAdapter.FleetPasses, largeAdapter.FleetPasses);
    }

    [Fact]
    public async Task SimulatedRun_FileJournal_FlushesOncePerStepNotPerRecord_AndEveryRecordIsOnFileAtTheEnd()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "run.journal");
        long flushes;
        PatchRunResult result;
        using (var journal = new FileRunJournal(path))
        {
            (result, _) = Run(hypervisors: 25, journal);
            flushes = journal.Flushes;
        }

        Assert.Equal(100, result.Report!.Patched);
        using var reader = new FileRunJournal(path);
        var records = (await reader.ReadAsync("test-run", CancellationToken.None)).Records;
        int started = records.Count(r => r.Kind == JournalRecordKind.StepStarted);
        int ended = records.Count(r => r.Kind is JournalRecordKind.StepCompleted or JournalRecordKind.StepFailed);
        int other = records.Count - started - ended;
        Assert.True(started > 400, "steps: " + started);
        Assert.Equal(started, ended); // every step's end record made it to the file (the last of each host by the stage's flush)

        // Each start record is flushed before its step acts; the end records ride along (before: a flush per record,
        // here 1,061). A few more than one per step: while the first hosts run together, an end record written during
        // a flush is flushed in the next group.
        Assert.True(flushes < records.Count * 6 / 10, $"flushes {flushes}, records {records.Count} ({started} started, {other} other)");
    }
}
