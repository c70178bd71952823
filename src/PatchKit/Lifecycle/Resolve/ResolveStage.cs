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
    private readonly IPatchCatalog[] _catalogs;
    private readonly ApprovalPolicy _approval;
    private readonly Func<OnHostAssessedArguments, ValueTask>? _onHostAssessed;

    public ResolveStage(string name, ResolveStageOptions options)
    {
        _name = name;
        _catalogs = [.. (options.Catalog is { } c ? [c] : Array.Empty<IPatchCatalog>()).Concat(options.Catalogs)];
        var a = options.Approval;
        _approval = new ApprovalPolicy // a copy: editing the options after Build() changes nothing
        {
            MinimumSeverity = a.MinimumSeverity,
            Classifications = [.. a.Classifications],
            AutoApproveAfterDays = a.AutoApproveAfterDays,
            ApprovedPatchIds = [.. a.ApprovedPatchIds],
            ExcludedPatchIds = [.. a.ExcludedPatchIds],
            ExcludedHostTags = [.. a.ExcludedHostTags],
        };
        _onHostAssessed = options.OnHostAssessed;
    }

    protected internal override async ValueTask ExecuteAsync(PatchRunContext context)
    {
        var fleet = context.Fleet ?? throw new PipelineStageException(_name, "Reach must run before Resolve", null);
        var query = new PatchQuery
        {
            HostKinds = fleet.Hosts.Select(h => h.Host.Kind).ToHashSet(),
            PackageNames = fleet.Hosts.SelectMany(h => h.Host.Packages).SelectMany(p => new[] { p.Name, p.SourceName }).Where(n => n.Length > 0)
                .ToHashSet(StringComparer.Ordinal),
        };
        var byId = new Dictionary<string, PatchDefinition>(StringComparer.Ordinal);
        foreach (var catalog in _catalogs)
        {
            await foreach (var p in catalog.QueryAsync(query, context.CancellationToken).ConfigureAwait(false))
            {
                byId.TryAdd(p.Id, p);
            }
        }

        var patches = byId.Values.ToList();
        Log.CatalogLoaded(context.Logger, patches.Count);
        var supersededBy = SupersededBy(patches);

        List<HostAssessment> assessments;
        if (context.TryGetDecisionRecord(ResolveConstants.DecisionKey, out var frozen) && (frozen.Assessments is not null || frozen.Data is not null))
        {
            // Format 3 records carry the assessments typed; older ones as JSON text in Data.
            assessments = frozen.Assessments is { } typed ? [.. typed] : JsonSerializer.Deserialize(frozen.Data!, LifecycleJsonContext.Default.ListHostAssessment) ?? [];
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
                    assessments.Add(Assess(reached.Host, ordered, supersededBy, now));
                }
            }

            if (!context.IsDryRun)
            {
                await context.AppendAsync(JournalRecordKind.Decision, ResolveConstants.DecisionKey, null, assessments.Count + " hosts assessed", null,
                    assessments: assessments).ConfigureAwait(false);
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

    private HostAssessment Assess(HostRecord host, PatchDefinition[] ordered, Dictionary<string, List<string>> supersededBy, DateTimeOffset now)
    {
        var applicable = new List<string>();
        var approved = new List<string>();
        var held = new List<HeldPatch>();
        foreach (var patch in ordered)
        {
            if (!patch.AppliesToHost(host) || host.IsInstalled(patch.Id) || CoveredByInstalled(supersededBy, host, patch.Id))
            {
                continue;
            }

            // A newer cumulative patch for this host replaces this one: install that, not both.
            if (supersededBy.ContainsKey(patch.Id)
                && ordered.LastOrDefault(q => Supersedes(supersededBy, q.Id, patch.Id) && q.AppliesToHost(host) && !host.IsInstalled(q.Id)) is { } newer)
            {
                held.Add(new HeldPatch(patch.Id, "superseded by " + newer.Id));
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

    private static Dictionary<string, List<string>> SupersededBy(List<PatchDefinition> patches)
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in patches)
        {
            foreach (string old in p.Supersedes)
            {
                if (!map.TryGetValue(old, out var list))
                {
                    map[old] = list = [];
                }

                list.Add(p.Id);
            }
        }

        return map;
    }

    /// <summary>Whether <paramref name="newer"/> replaces <paramref name="older"/>, directly or through a chain.</summary>
    private static bool Supersedes(Dictionary<string, List<string>> supersededBy, string newer, string older)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<string>();
        todo.Push(older);
        while (todo.Count > 0)
        {
            if (!supersededBy.TryGetValue(todo.Pop(), out var by))
            {
                continue;
            }

            foreach (string id in by)
            {
                if (id == newer)
                {
                    return true;
                }

                if (seen.Add(id))
                {
                    todo.Push(id);
                }
            }
        }

        return false;
    }

    /// <summary>A host on the November rollup does not lack September's.</summary>
    private static bool CoveredByInstalled(Dictionary<string, List<string>> supersededBy, HostRecord host, string patchId)
    {
        foreach (var installed in host.InstalledPatches)
        {
            if (Supersedes(supersededBy, installed.PatchId, patchId))
            {
                return true;
            }
        }

        return false;
    }
}
