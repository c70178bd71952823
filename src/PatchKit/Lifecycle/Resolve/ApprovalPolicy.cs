using System.Globalization;
using PatchKit.Advisories;
using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Resolve;

/// <summary>Which applicable patches are installed: by severity and classification, automatically N days after
/// release, explicitly approved, or explicitly excluded. Rules are checked in that order: exclusions first, then
/// explicit approval, then severity, classification and age.</summary>
public sealed class ApprovalPolicy
{
    /// <summary>Gets or sets the lowest severity approved automatically.</summary>
    /// <value>The default value is <see cref="PatchSeverity.Moderate"/>.</value>
    public PatchSeverity MinimumSeverity { get; set; } = PatchSeverity.Moderate;

    /// <summary>Gets the classifications approved automatically; empty approves every classification.</summary>
    public IList<PatchClassification> Classifications { get; set; } = [];

    /// <summary>Gets or sets how many days after release a patch is approved automatically, or <see langword="null"/>
    /// to approve only the patches listed in <see cref="ApprovedPatchIds"/>.</summary>
    /// <value>The default value is 7.</value>
    public int? AutoApproveAfterDays { get; set; } = 7;

    /// <summary>Gets patches approved whatever their age, severity and classification.</summary>
    public IList<string> ApprovedPatchIds { get; set; } = [];

    /// <summary>Gets patches never installed.</summary>
    public IList<string> ExcludedPatchIds { get; set; } = [];

    /// <summary>Gets host tags whose hosts get no patch at all.</summary>
    public IList<string> ExcludedHostTags { get; set; } = [];

    /// <summary>Decides whether a patch is approved for a host now.</summary>
    /// <param name="patch">The patch, already known to apply to the host.</param>
    /// <param name="host">The host.</param>
    /// <param name="now">The time of the decision.</param>
    /// <returns>The decision.</returns>
    public ApprovalDecision Evaluate(PatchDefinition patch, HostRecord host, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(host);
        if (ExcludedPatchIds.Contains(patch.Id))
        {
            return new(false, "excluded by policy");
        }

        foreach (string tag in ExcludedHostTags)
        {
            if (host.HasTag(tag))
            {
                return new(false, "host tag '" + tag + "' is excluded by policy");
            }
        }

        if (ApprovedPatchIds.Contains(patch.Id))
        {
            return new(true, "explicitly approved");
        }

        if (patch.Severity < MinimumSeverity)
        {
            return new(false, "severity " + patch.Severity + " is below " + MinimumSeverity);
        }

        if (Classifications.Count > 0 && !Classifications.Contains(patch.Classification))
        {
            return new(false, "classification " + patch.Classification + " is not approved automatically");
        }

        if (AutoApproveAfterDays is not { } days)
        {
            return new(false, "waiting for explicit approval");
        }

        var due = patch.ReleasedAt + TimeSpan.FromDays(days);
        return now >= due
            ? new(true, "auto-approved " + days.ToString(CultureInfo.InvariantCulture) + " days after release")
            : new(false, "auto-approves on " + due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
