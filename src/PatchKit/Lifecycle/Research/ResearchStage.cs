using System.Globalization;
using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle.Research;

/// <summary>Research, the lab gate of seed 001: for each group of like machines, snapshot one production machine,
/// clone it into the lab once per approved patch, apply the patch there, reboot if needed, run the health check and
/// the verification hook, destroy the clone, and finally remove the production snapshot. Only patches that passed
/// are promoted. Every step is journaled, so a crash leaves no clone or snapshot behind once the run resumes.</summary>
internal sealed class ResearchStage : PatchStage
{
    private readonly string _name;
    private readonly bool _requireLab;
    private readonly Func<OnLabVerifyArguments, ValueTask<bool>>? _verify;
    private readonly TimeSpan _rebootTimeout;

    public ResearchStage(string name, ResearchStageOptions options)
    {
        _name = name;
        _requireLab = options.RequireLab;
        _verify = options.Verify;
        _rebootTimeout = options.RebootTimeout;
    }

    protected internal override async ValueTask ExecuteAsync(PatchRunContext context)
    {
        var fleet = context.Fleet ?? throw new PipelineStageException(_name, "Reach must run before Research", null);
        var assessment = context.Assessment ?? throw new PipelineStageException(_name, "Resolve must run before Research", null);
        var groups = new SortedDictionary<string, (List<ReachedHost> Hosts, SortedSet<string> Patches)>(StringComparer.Ordinal);
        foreach (var a in assessment.Hosts)
        {
            if (a.Approved.Count == 0 || fleet.Find(a.HostId) is not { } reached)
            {
                continue;
            }

            string g = ResearchResult.GroupOf(reached.Host);
            if (!groups.TryGetValue(g, out var entry))
            {
                groups[g] = entry = ([], new SortedSet<string>(StringComparer.Ordinal));
            }

            entry.Hosts.Add(reached);
            entry.Patches.UnionWith(a.Approved);
        }

        var tests = new List<LabTestResult>();
        int done = 0;
        foreach (var (group, (hosts, patchIds)) in groups)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var patches = patchIds.Select(id => assessment.Patches[id]).OrderBy(p => p.ReleasedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            await TestGroupAsync(context, group, hosts, patches, tests).ConfigureAwait(false);
            context.ReportProgress(_name, $"lab verdicts for {group}: {tests.Count(t => t.Group == group && t.Passed)} of {patches.Count} promoted", ++done, groups.Count);
        }

        context.Research = new ResearchResult(tests);
    }

    private static string Safe(string s) => s.Replace(':', '-').Replace('/', '-').Replace(' ', '-');

    private async ValueTask TestGroupAsync(PatchRunContext context, string group, List<ReachedHost> hosts, List<PatchDefinition> patches,
        List<LabTestResult> tests)
    {
        var source = hosts.OrderBy(h => h.Host.Id, StringComparer.Ordinal).FirstOrDefault(h =>
            (h.Host.Capabilities & (HostCapabilities.Snapshot | HostCapabilities.LabClone)) == (HostCapabilities.Snapshot | HostCapabilities.LabClone)
            && h.Adapter is ISnapshotCapability && h.Adapter is ILabCloneCapability && h.Adapter is IInstallCapability);
        if (source is null)
        {
            Log.NoLabForGroup(context.Logger, group);
            foreach (var p in patches)
            {
                tests.Add(new LabTestResult(group, p.Id, string.Empty, string.Empty, !_requireLab,
                    _requireLab ? "held: no machine of the group can be cloned to a lab" : "promoted untested: no lab available"));
            }

            return;
        }

        if (context.IsDryRun)
        {
            foreach (var p in patches)
            {
                tests.Add(new LabTestResult(group, p.Id, source.Host.Id, string.Empty, true, "dry run: would be tested on a lab clone of " + source.Host.Id));
            }

            return;
        }

        var adapter = source.Adapter;
        var snapshots = (ISnapshotCapability)adapter;
        var lab = (ILabCloneCapability)adapter;
        var install = (IInstallCapability)adapter;
        string hostId = source.Host.Id;
        string prefix = "research/" + group + "/";
        string snapshotName = "patchkit-" + context.RunId + "-lab-" + Safe(group);
        var ct = context.CancellationToken;

        var snap = await context.RunStepAsync(prefix + "snapshot", hostId, snapshotName,
            async (_, c) =>
            {
                var s = await snapshots.CreateSnapshotAsync(hostId, snapshotName, c).ConfigureAwait(false);
                return new StepOutcome(true, "snapshot " + s.Name, TimeSpan.Zero, s.SnapshotId);
            },
            async (_, c) =>
            {
                var found = (await snapshots.ListSnapshotsAsync(hostId, c).ConfigureAwait(false)).FirstOrDefault(s => s.Name == snapshotName);
                return found is null ? null : new StepOutcome(true, "snapshot found", TimeSpan.Zero, found.SnapshotId);
            }).ConfigureAwait(false);
        if (!snap.Succeeded || snap.Data is null)
        {
            foreach (var p in patches)
            {
                tests.Add(new LabTestResult(group, p.Id, hostId, string.Empty, false, "held: snapshot failed: " + snap.Message));
            }

            return;
        }

        for (int i = 0; i < patches.Count; i++)
        {
            var patch = patches[i];
            string cloneName = "lab-" + context.RunId + "-" + Safe(group) + "-" + i.ToString(CultureInfo.InvariantCulture);
            string key = prefix + patch.Id + "/";
            var clone = await context.RunStepAsync(key + "clone", hostId, cloneName,
                async (_, c) =>
                {
                    var made = await lab.CreateLabCloneAsync(hostId, snap.Data, cloneName, c).ConfigureAwait(false);
                    Log.LabCloneCreated(context.Logger, made.CloneId, hostId);
                    return new StepOutcome(true, "clone " + made.CloneId, TimeSpan.Zero, made.CloneId);
                },
                async (_, c) =>
                {
                    var found = (await lab.ListLabClonesAsync(c).ConfigureAwait(false)).FirstOrDefault(x => x.Name == cloneName);
                    return found is null ? null : new StepOutcome(true, "clone found", TimeSpan.Zero, found.CloneId);
                }).ConfigureAwait(false);
            if (!clone.Succeeded || clone.Data is null)
            {
                tests.Add(new LabTestResult(group, patch.Id, hostId, string.Empty, false, "held: lab clone failed: " + clone.Message));
                continue;
            }

            string cloneId = clone.Data;
            string verdict = await TryPatchAsync(context, key, adapter, install, cloneId, new LabClone(cloneId, hostId, cloneName), patch).ConfigureAwait(false);
            await context.RunStepAsync(key + "destroy", cloneId, null,
                async (_, c) => Outcome(await lab.DestroyLabCloneAsync(cloneId, c).ConfigureAwait(false)), null).ConfigureAwait(false);
            bool passed = verdict.Length == 0;
            if (passed)
            {
                Log.PatchPromoted(context.Logger, patch.Id, group);
            }
            else
            {
                Log.PatchRejected(context.Logger, patch.Id, group, verdict);
            }

            tests.Add(new LabTestResult(group, patch.Id, hostId, cloneId, passed, passed ? "passed on lab clone" : verdict));
        }

        await context.RunStepAsync(prefix + "remove-snapshot", hostId, snap.Data,
            async (id, c) => Outcome(await snapshots.RemoveSnapshotAsync(hostId, id!, c).ConfigureAwait(false)), null).ConfigureAwait(false);
        _ = ct;
    }

    /// <summary>Installs, reboots if needed and verifies on the clone; returns the empty string when it passed.</summary>
    private async ValueTask<string> TryPatchAsync(PatchRunContext context, string key, IHostAdapter adapter, IInstallCapability install, string cloneId,
        LabClone clone, PatchDefinition patch)
    {
        var installed = await context.RunStepAsync(key + "install", cloneId, null,
            async (_, c) => Outcome(await install.InstallAsync(cloneId, patch, c).ConfigureAwait(false)), null).ConfigureAwait(false);
        if (!installed.Succeeded)
        {
            return "install failed in the lab: " + installed.Message;
        }

        if (patch.RequiresReboot && adapter is IRebootCapability reboot)
        {
            var back = await context.RunStepAsync(key + "reboot", cloneId, null,
                async (_, c) => Outcome(await reboot.RebootAndWaitAsync(cloneId, _rebootTimeout, c).ConfigureAwait(false)), null).ConfigureAwait(false);
            if (!back.Succeeded)
            {
                return "lab clone did not come back after reboot: " + back.Message;
            }
        }

        var verified = await context.RunStepAsync(key + "verify", cloneId, null,
            async (_, c) =>
            {
                var health = await adapter.RunStepAsync(cloneId, new HostStep(ResearchConstants.HealthCheck, []), c).ConfigureAwait(false);
                if (!health.Succeeded)
                {
                    return Outcome(health);
                }

                if (_verify is { } hook && !await hook(new OnLabVerifyArguments(context, clone, patch, adapter)).ConfigureAwait(false))
                {
                    return new StepOutcome(false, "verification hook rejected the patch", health.Duration, null);
                }

                return Outcome(health);
            }, null).ConfigureAwait(false);
        return verified.Succeeded ? string.Empty : "verification failed in the lab: " + verified.Message;
    }

    private static StepOutcome Outcome(HostStepResult r) => new(r.Succeeded, r.Message, r.Duration, null);
}
