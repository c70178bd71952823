using PatchKit.Advisories;

namespace PatchKit.Lifecycle.Resolve;

/// <summary>What Resolve decided: per host, the applicable and approved patches.</summary>
public sealed class ResolveResult
{
    private readonly Dictionary<string, HostAssessment> _byHost;

    /// <summary>Initializes a new instance of the <see cref="ResolveResult"/> class.</summary>
    /// <param name="patches">The catalog's patches by id.</param>
    /// <param name="hosts">The assessments, one per reachable host.</param>
    public ResolveResult(IReadOnlyDictionary<string, PatchDefinition> patches, IReadOnlyList<HostAssessment> hosts)
    {
        ArgumentNullException.ThrowIfNull(patches);
        ArgumentNullException.ThrowIfNull(hosts);
        Patches = patches;
        Hosts = hosts;
        _byHost = hosts.ToDictionary(h => h.HostId, StringComparer.Ordinal);
    }

    /// <summary>Gets the catalog's patches by id.</summary>
    public IReadOnlyDictionary<string, PatchDefinition> Patches { get; }

    /// <summary>Gets the assessments.</summary>
    public IReadOnlyList<HostAssessment> Hosts { get; }

    /// <summary>Finds the assessment of a host.</summary>
    /// <param name="hostId">The host.</param>
    /// <returns>The assessment, or <see langword="null"/> (unreachable or unknown host).</returns>
    public HostAssessment? Find(string hostId) => _byHost.GetValueOrDefault(hostId);
}
