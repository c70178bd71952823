using System.Globalization;
using PatchKit.Internal;

namespace PatchKit.Lifecycle;

/// <summary>The rules of a policy file beyond its JSON shape, the same the Repair stage checks when it is built, but
/// pointing at the key in the file: concurrency, error budget, canary share, horizon, window durations and time zones.</summary>
internal static class LifecyclePolicyValidator
{
    public static void Validate(LifecyclePolicy policy, JsonInputProblems problems)
    {
        if (policy.MaxConcurrency < 1)
        {
            problems.Add("$.maxConcurrency", $"maxConcurrency is {policy.MaxConcurrency.ToString(CultureInfo.InvariantCulture)}; it must be at least 1 (how many hosts are patched at once).");
        }

        if (policy.ErrorBudget < 0)
        {
            problems.Add("$.errorBudget", $"errorBudget is {policy.ErrorBudget.ToString(CultureInfo.InvariantCulture)}; it must be 0 or more (how many hosts may fail before the run halts).");
        }

        if (policy.CanaryFraction is < 0 or > 1 || double.IsNaN(policy.CanaryFraction))
        {
            problems.Add("$.canaryFraction", $"canaryFraction is {policy.CanaryFraction.ToString(CultureInfo.InvariantCulture)}; it must be between 0 and 1 (0.1 puts a tenth of the hosts in the canary wave).");
        }

        if (policy.WindowHorizon <= TimeSpan.Zero)
        {
            problems.Add("$.windowHorizon", "windowHorizon must be positive, such as \"30.00:00:00\" (30 days).");
        }

        if (policy.Approval.AutoApproveAfterDays is < 0)
        {
            problems.Add("$.approval.autoApproveAfterDays", "autoApproveAfterDays must be 0 or more, or null to never approve by age.");
        }

        if (policy.LabIssues is { } issues)
        {
            if (string.IsNullOrWhiteSpace(issues.Product))
            {
                problems.Add("$.labIssues.product", "labIssues needs the product lab failures are filed against, such as \"Infrastructure\".");
            }

            if (string.IsNullOrWhiteSpace(issues.Component))
            {
                problems.Add("$.labIssues.component", "labIssues needs the component lab failures are filed against, such as \"Patching\".");
            }

            if (issues.Version is { } v && string.IsNullOrWhiteSpace(v))
            {
                problems.Add("$.labIssues.version", "labIssues.version is empty; leave it out for the tracker's default version.");
            }
        }

        for (int i = 0; i < policy.Windows.Count; i++)
        {
            var w = policy.Windows[i];
            string at = "$.windows[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (w.Duration <= TimeSpan.Zero || w.Duration > TimeSpan.FromDays(7))
            {
                problems.Add(at + ".duration", "a window's duration must be more than 0 and at most 7 days, such as \"06:00:00\".");
            }

            if (w.TimeZone is not ("UTC" or "Etc/UTC") && !TimeZoneInfo.TryFindSystemTimeZoneById(w.TimeZone, out _))
            {
                problems.Add(at + ".timeZone", $"time zone \"{w.TimeZone}\" is not known on this machine; use an IANA id such as \"Europe/Berlin\" or \"UTC\".");
            }
        }
    }
}
