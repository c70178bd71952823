using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Research;

/// <summary>What the lab gate verified: one verdict per patch and group of like machines.</summary>
public sealed class ResearchResult
{
    private readonly HashSet<(string Group, string PatchId)> _promoted = [];

    /// <summary>Initializes a new instance of the <see cref="ResearchResult"/> class.</summary>
    /// <param name="tests">The verdicts.</param>
    public ResearchResult(IReadOnlyList<LabTestResult> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        Tests = tests;
        foreach (var t in tests)
        {
            if (t.Passed)
            {
                _promoted.Add((t.Group, t.PatchId));
            }
        }
    }

    /// <summary>Gets the verdicts.</summary>
    public IReadOnlyList<LabTestResult> Tests { get; }

    /// <summary>Returns the group a host's patches are tested for: same kind and version.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The group key.</returns>
    public static string GroupOf(HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Kind + "-" + host.Version;
    }

    /// <summary>Returns whether a patch passed the lab for a host's group.</summary>
    /// <param name="host">The host.</param>
    /// <param name="patchId">The patch.</param>
    /// <returns><see langword="true"/> when promoted.</returns>
    public bool IsPromoted(HostRecord host, string patchId) => _promoted.Contains((GroupOf(host), patchId));
}
