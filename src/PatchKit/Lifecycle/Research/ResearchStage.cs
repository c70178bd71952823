using System.Globalization;
using System.Runtime.CompilerServices;
using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Reach;

namespace PatchKit.Lifecycle.Research;

/// <summary>Research, the lab gate: for each group of like machines, snapshot one production machine,
/// clone it into the lab once per approved patch, apply the patch there, reboot if needed, run the health check and
/// the verification hook, destroy the clone, and finally remove the production snapshot. Only patches that passed
/// are promoted. Every step is journaled, so a crash leaves no clone or snapshot behind once the run resumes.</summary>
internal sealed partial class ResearchStage : PatchStage
{
    private readonly string _name;
    private readonly bool _requireLab;
    private readonly Func<OnLabVerifyArguments, ValueTask<bool>>? _verify;
    private readonly TimeSpan _rebootTimeout;
    private readonly TimeSpan _stepTimeout;
    private readonly Integrations.IIssueTracker? _issueTracker;
    private readonly string? _issueProduct;
    private readonly string? _issueComponent;
    private readonly string? _issueVersion;
    private readonly string? _reportDirectory;

    public ResearchStage(string name, ResearchStageOptions options)
    {
        _name = name;
        _requireLab = options.RequireLab;
        _verify = options.Verify;
        _rebootTimeout = options.RebootTimeout;
        _stepTimeout = options.StepTimeout;
        _issueTracker = options.IssueTracker;
        _issueProduct = options.IssueProduct;
        _issueComponent = options.IssueComponent;
        _issueVersion = options.IssueVersion;
        _reportDirectory = options.ReportDirectory;
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
        var labTime = new StrongBox<TimeSpan>(TimeSpan.Zero);
        int done = 0;
        foreach (var (group, (hosts, patchIds)) in groups)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var patches = patchIds.Select(id => assessment.Patches[id]).OrderBy(p => p.ReleasedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            await TestGroupAsync(context, group, hosts, patches, tests, labTime).ConfigureAwait(false);
            context.ReportProgress(_name, $"lab verdicts for {group}: {tests.Count(t => t.Group == group && t.Passed)} of {patches.Count} promoted", ++done, groups.Count);
        }

        context.Research = new ResearchResult(tests) { LabDuration = labTime.Value };
    }

    private static string Safe(string s) => s.Replace(':', '-').Replace('/', '-').Replace(' ', '-');

    private async ValueTask TestGroupAsync(PatchRunContext context, string group, List<ReachedHost> hosts, List<PatchDefinition> patches,
        List<LabTestResult> tests, StrongBox<TimeSpan> labTime)
    {
        var source = hosts.OrderBy(h => h.Host.Id, StringComparer.Ordinal).FirstOrDefault(h =>
            h.Has<ISnapshotCapability>() && h.Has<ILabCloneCapability>() && h.Adapter is IInstallCapability);
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

        context.LaneTime.Value = context.StartedAt + labTime.Value;
        var snap = await context.RunStepAsync(prefix + "snapshot", hostId, snapshotName, _stepTimeout,
            async (op, _) =>
            {
                var s = await snapshots.CreateSnapshotAsync(op, snapshotName).ConfigureAwait(false);
                return new StepOutcome(true, "snapshot " + s.Name, TimeSpan.Zero, s.SnapshotId, Status: HostOperationStatus.Succeeded);
            },
            async (op, _) =>
            {
                var found = (await snapshots.ListSnapshotsAsync(op).ConfigureAwait(false)).FirstOrDefault(s => s.Name == snapshotName);
                return found is null ? null : new StepOutcome(true, "snapshot found", TimeSpan.Zero, found.SnapshotId, Status: HostOperationStatus.Succeeded);
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
            string cloneName = Reach.Leftover.ClonePrefix + context.RunId + "-" + Safe(group) + "-" + i.ToString(CultureInfo.InvariantCulture);
            string key = prefix + patch.Id + "/";
            context.LaneTime.Value = context.StartedAt + labTime.Value;
            var clone = await context.RunStepAsync(key + "clone", hostId, cloneName, _stepTimeout,
                async (op, _) =>
                {
                    var made = await lab.CreateLabCloneAsync(op, snap.Data, cloneName).ConfigureAwait(false);
                    Log.LabCloneCreated(context.Logger, made.CloneId, hostId);
                    return new StepOutcome(true, "clone " + made.CloneId, TimeSpan.Zero, made.CloneId, Status: HostOperationStatus.Succeeded);
                },
                async (op, _) =>
                {
                    var found = (await lab.ListLabClonesAsync(op).ConfigureAwait(false)).FirstOrDefault(x => x.Name == cloneName);
                    return found is null ? null : new StepOutcome(true, "clone found", TimeSpan.Zero, found.CloneId, Status: HostOperationStatus.Succeeded);
                }).ConfigureAwait(false);
            if (!clone.Succeeded || clone.Data is null)
            {
                tests.Add(new LabTestResult(group, patch.Id, hostId, string.Empty, false, "held: lab clone failed: " + clone.Message));
                continue;
            }

            string cloneId = clone.Data;
            string verdict = await TryPatchAsync(context, key, adapter, install, cloneId, new LabClone { CloneId = cloneId, SourceHostId = hostId, Name = cloneName }, patch, labTime).ConfigureAwait(false);
            context.LaneTime.Value = context.StartedAt + labTime.Value;
            await context.RunStepAsync(key + "destroy", cloneId, null, _stepTimeout,
                async (op, _) => StepOutcome.From(await lab.DestroyLabCloneAsync(op).ConfigureAwait(false)), null).ConfigureAwait(false);
            bool passed = verdict.Length == 0;
            (string? IssueId, string? Problem) issue;
            if (passed)
            {
                Log.PatchPromoted(context.Logger, patch.Id, group);
                issue = await ReportPassAsync(context, group, hostId, patch).ConfigureAwait(false);
            }
            else
            {
                Log.PatchRejected(context.Logger, patch.Id, group, verdict);
                issue = await ReportRejectionAsync(context, group, hostId, cloneId, patch, verdict).ConfigureAwait(false);
            }

            tests.Add(new LabTestResult(group, patch.Id, hostId, cloneId, passed, passed ? "passed on lab clone" : verdict)
            {
                IssueId = issue.IssueId,
                IssueProblem = issue.Problem,
            });
        }

        context.LaneTime.Value = context.StartedAt + labTime.Value;
        await context.RunStepAsync(prefix + "remove-snapshot", hostId, snap.Data, _stepTimeout,
            async (op, id) => StepOutcome.From(await snapshots.RemoveSnapshotAsync(op, id.Data!).ConfigureAwait(false)), null).ConfigureAwait(false);
        _ = ct;
    }

    /// <summary>Installs, reboots if needed and verifies on the clone; returns the empty string when it passed.</summary>
    private async ValueTask<string> TryPatchAsync(PatchRunContext context, string key, IHostAdapter adapter, IInstallCapability install, string cloneId,
        LabClone clone, PatchDefinition patch, StrongBox<TimeSpan> labTime)
    {
        var request = Repair.InstallRequests.From(patch);
        context.LaneTime.Value = context.StartedAt + labTime.Value;
        var installed = await Timed(labTime, context.RunStepAsync(key + "install", cloneId, null, _stepTimeout,
            async (op, _) => StepOutcome.From(await install.InstallAsync(op, request).ConfigureAwait(false)), null)).ConfigureAwait(false);
        if (!installed.Succeeded)
        {
            return "install failed in the lab: " + installed.Message;
        }

        // Reboot when the install said so, or, when it did not say, when the catalog says the patch needs one.
        bool reboot = installed.RebootRequired || (installed.Status == HostOperationStatus.Unknown && patch.RequiresReboot);
        if (reboot && adapter is IRebootCapability rebooter)
        {
            context.LaneTime.Value = context.StartedAt + labTime.Value;
            var back = await Timed(labTime, context.RunStepAsync(key + "reboot", cloneId, null, _rebootTimeout,
                async (op, _) => StepOutcome.From(await rebooter.RebootAndWaitAsync(op).ConfigureAwait(false)), null)).ConfigureAwait(false);
            if (!back.Succeeded)
            {
                return "lab clone did not come back after reboot: " + back.Message;
            }
        }

        context.LaneTime.Value = context.StartedAt + labTime.Value;
        var verified = await Timed(labTime, context.RunStepAsync(key + "verify", cloneId, null, _stepTimeout,
            async (op, _) =>
            {
                var health = await StepOutcome.HealthAsync(adapter as IHealthCheckCapability, op).ConfigureAwait(false);
                if (!health.Succeeded)
                {
                    return health;
                }

                if (_verify is { } hook && !await hook(new OnLabVerifyArguments(context, clone, patch, adapter)).ConfigureAwait(false))
                {
                    return new StepOutcome(false, "verification hook rejected the patch", health.Duration, null, Status: HostOperationStatus.Failed);
                }

                return health;
            }, null)).ConfigureAwait(false);
        return verified.Succeeded ? string.Empty : "verification failed in the lab: " + verified.Message;
    }

    /// <summary>Adds a fresh step's duration to the lab's timeline (the lab runs one clone at a time).</summary>
    private static async ValueTask<StepOutcome> Timed(StrongBox<TimeSpan> labTime, ValueTask<StepOutcome> step)
    {
        // A step an earlier attempt finished counts with its journaled duration: a resumed run's lab takes as long
        // on the run's clock as an uninterrupted one.
        var o = await step.ConfigureAwait(false);
        labTime.Value += o.Duration;
        return o;
    }
}
