using System.Text.Json;
using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle.Resolve;

/// <summary>Resolve: match the catalog to every reachable host, apply the approval rules, and journal the decision so
/// a resumed run installs exactly what the first attempt approved.</summary>
internal sealed class ResolveStage : PatchStage
{
    private readonly string _name;
    private readonly IPatchCatalog _catalog;
    private readonly ApprovalPolicy _approval;
    private readonly Func<OnHostAssessedArguments, ValueTask>? _onHostAssessed;

    public ResolveStage(string name, ResolveStageOptions options)
    {
        _name = name;
        _catalog = options.Catalog!;
        _approval = options.Approval;
        _onHostAssessed = options.OnHostAssessed;
    }

    protected internal override async ValueTask ExecuteAsync(PatchRunContext context)
    {
        var fleet = context.Fleet ?? throw new PipelineStageException(_name, "Reach must run before Resolve", null);
        var patches = await _catalog.GetPatchesAsync(context.CancellationToken).ConfigureAwait(false);
        Log.CatalogLoaded(context.Logger, patches.Count);
        var byId = new Dictionary<string, PatchDefinition>(patches.Count, StringComparer.Ordinal);
        foreach (var p in patches)
        {
            byId[p.Id] = p;
        }

        List<HostAssessment> assessments;
        if (context.TryGetDecision(ResolveConstants.DecisionKey, out string? frozen) && frozen is not null)
        {
            assessments = JsonSerializer.Deserialize(frozen, LifecycleJsonContext.Default.ListHostAssessment) ?? [];
            Log.AssessmentReused(context.Logger, context.RunId);
        }
        else
        {
            var ordered = patches.OrderBy(p => p.ReleasedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
            var now = context.TimeProvider.GetUtcNow();
            assessments = new List<HostAssessment>(fleet.Hosts.Count);
            foreach (var reached in fleet.Hosts)
            {
                if (reached.Host.Status == HostStatus.Reachable)
                {
                    assessments.Add(Assess(reached.Host, ordered, now));
                }
            }

            if (!context.IsDryRun)
            {
                await context.AppendAsync(JournalRecordKind.Decision, ResolveConstants.DecisionKey, null, assessments.Count + " hosts assessed",
                    JsonSerializer.Serialize(assessments, LifecycleJsonContext.Default.ListHostAssessment)).ConfigureAwait(false);
            }
        }

        int applicable = 0, approved = 0;
        foreach (var a in assessments)
        {
            applicable += a.Applicable.Count;
            approved += a.Approved.Count;
            if (_onHostAssessed is { } hook)
            {
                await hook(new OnHostAssessedArguments(context, a)).ConfigureAwait(false);
            }
        }

        Log.FleetAssessed(context.Logger, assessments.Count, applicable, approved);
        context.Assessment = new ResolveResult(byId, assessments);
        context.ReportProgress(_name, $"{approved} of {applicable} missing patch installs approved", assessments.Count, assessments.Count);
    }

    private HostAssessment Assess(HostRecord host, PatchDefinition[] ordered, DateTimeOffset now)
    {
        var applicable = new List<string>();
        var approved = new List<string>();
        var held = new List<HeldPatch>();
        foreach (var patch in ordered)
        {
            if (!patch.AppliesToHost(host) || host.IsInstalled(patch.Id))
            {
                continue;
            }

            applicable.Add(patch.Id);
            var decision = _approval.Evaluate(patch, host, now);
            if (decision.Approved)
            {
                approved.Add(patch.Id);
            }
            else
            {
                held.Add(new HeldPatch(patch.Id, decision.Reason));
            }
        }

        return new HostAssessment { HostId = host.Id, Applicable = applicable, Approved = approved, Held = held };
    }
}
