using System.Globalization;
using System.Text;
using PatchKit.Advisories;
using PatchKit.Integrations;
using PatchKit.Internal;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle.Research;

/// <summary>Files one issue per patch that fails the lab for a group, when an <see cref="IIssueTracker"/> is configured.</summary>
internal sealed partial class ResearchStage
{
    /// <summary>The most of a verification's output an issue quotes (its tail is kept: errors come last).</summary>
    internal const int MaxQuotedOutput = 4000;

    /// <summary>Files (or, when the tracker already holds the stable key, comments on) the issue for a rejected patch. The
    /// outcome is journaled as a decision, so a resumed run does not file again; a tracker failure is logged, returned for
    /// the report and never fails the run.</summary>
    /// <returns>The issue id, or why the tracker could not be told; both <see langword="null"/> without a tracker.</returns>
    private async ValueTask<(string? IssueId, string? Problem)> ReportRejectionAsync(PatchRunContext context, string group, string hostId, string cloneId,
        PatchDefinition patch, string verdict)
    {
        if (_issueTracker is not { } tracker)
        {
            return (null, null);
        }

        string decisionKey = ResearchConstants.IssueDecisionPrefix + group + "/" + patch.Id;
        if (context.TryGetDecision(decisionKey, out string? journaled))
        {
            return (journaled, null);
        }

        string stableKey = "lab-verify:" + patch.Id + ":" + group;
        // The text leaves the run for an outside system: mask every secret revealed so far, as the journal does.
        string text = Redactor.Redact(Describe(context, group, hostId, cloneId, patch, verdict));
        try
        {
            var ct = context.CancellationToken;
            string issueId;
            if (await tracker.FindAsync(stableKey, ct).ConfigureAwait(false) is { } existing)
            {
                await tracker.CommentAsync(existing.Id, text, ct).ConfigureAwait(false);
                issueId = existing.Id;
            }
            else
            {
                var filed = await tracker.FileAsync(new IssueReport
                {
                    StableKey = stableKey,
                    Summary = "Patch " + patch.Id + " failed lab verification for " + group,
                    Description = text,
                    Product = _issueProduct!,
                    Component = _issueComponent!,
                    Version = _issueVersion,
                }, ct).ConfigureAwait(false);
                issueId = filed.Id;
            }

            await context.AppendAsync(JournalRecordKind.Decision, decisionKey, hostId, "issue " + issueId + " for " + patch.Id, issueId).ConfigureAwait(false);
            Log.IssueFiled(context.Logger, issueId, patch.Id, group);
            return (issueId, null);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            string problem = Problem(ex);
            Log.IssueNotFiled(context.Logger, patch.Id, group, problem);
            return (null, problem);
        }
    }

    /// <summary>When a patch an earlier run filed an issue for now passes the lab, comments on the issue and resolves it
    /// (RESOLVED FIXED in Bugzilla). Journaled as a decision; a tracker failure is logged, returned for the report and never
    /// fails the run.</summary>
    /// <returns>The issue resolved (or <see langword="null"/> when none was open), or why the tracker could not be told.</returns>
    private async ValueTask<(string? IssueId, string? Problem)> ReportPassAsync(PatchRunContext context, string group, string hostId, PatchDefinition patch)
    {
        if (_issueTracker is not { } tracker)
        {
            return (null, null);
        }

        string decisionKey = ResearchConstants.IssueDecisionPrefix + group + "/" + patch.Id + "/passed";
        if (context.TryGetDecision(decisionKey, out string? journaled))
        {
            return (journaled, null);
        }

        string stableKey = "lab-verify:" + patch.Id + ":" + group;
        try
        {
            var ct = context.CancellationToken;
            if (await tracker.FindAsync(stableKey, ct).ConfigureAwait(false) is not { } open
                || open.Status is "RESOLVED" or "VERIFIED" or "CLOSED")
            {
                // Nothing open: journaled too, so a resumed run does not ask again.
                await context.AppendAsync(JournalRecordKind.Decision, decisionKey, hostId, "no open issue for " + patch.Id, null).ConfigureAwait(false);
                return (null, null);
            }

            await tracker.ResolveAsync(open.Id, "Patch " + patch.Id + " passed lab verification for " + group + " (lab clone of " + hostId + ", run "
                + context.RunId + ")." + ReportPointer(context), ct).ConfigureAwait(false);
            await context.AppendAsync(JournalRecordKind.Decision, decisionKey, hostId, "issue " + open.Id + " resolved: " + patch.Id + " passed", open.Id)
                .ConfigureAwait(false);
            Log.IssueResolved(context.Logger, open.Id, patch.Id, group);
            return (open.Id, null);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            string problem = Problem(ex);
            Log.IssueNotFiled(context.Logger, patch.Id, group, problem);
            return (null, problem);
        }
    }

    /// <summary>The issue's text: what failed, where, the verification and its output (the tail, trimmed), the run and its report.</summary>
    private string Describe(PatchRunContext context, string group, string hostId, string cloneId, PatchDefinition patch, string verdict)
    {
        var sb = new StringBuilder();
        sb.Append("Patch ").Append(patch.Id).Append(" failed lab verification for the host group ").Append(group).Append(".\n\n");
        sb.Append("Patch:        ").Append(patch.Id);
        if (patch.Title.Length > 0)
        {
            sb.Append(" (").Append(patch.Title).Append(')');
        }

        sb.Append('\n');
        sb.Append("Host group:   ").Append(group).Append('\n');
        sb.Append("Lab clone:    ").Append(cloneId.Length > 0 ? cloneId : "(none)").Append(", cloned from ").Append(hostId).Append('\n');
        sb.Append("Verification: the adapter's health check").Append(_verify is null ? string.Empty : ", then the verification hook").Append('\n');
        sb.Append("Run:          ").Append(context.RunId).Append('\n');
        if (ReportPath(context) is { } report)
        {
            sb.Append("Report:       ").Append(report).Append('\n');
        }

        string output = verdict.Length <= MaxQuotedOutput ? verdict
            : "[… " + (verdict.Length - MaxQuotedOutput).ToString(CultureInfo.InvariantCulture) + " characters left out]\n" + verdict[^MaxQuotedOutput..];
        sb.Append("\nOutput:\n").Append(output).Append('\n');
        return sb.ToString();
    }

    private string? ReportPath(PatchRunContext context) =>
        _reportDirectory is null ? null : Path.Combine(_reportDirectory, "patchkit-report-" + context.RunId + ".html");

    private string ReportPointer(PatchRunContext context) => ReportPath(context) is { } p ? " Report: " + p : string.Empty;

    /// <summary>Why the tracker could not be told, for the log and the report: the tracker's own message (it names the
    /// endpoint, never the key), with every revealed secret masked.</summary>
    private static string Problem(Exception ex) =>
        Redactor.Redact(ex is IssueTrackerException ? ex.Message : ex.GetType().Name + ": " + ex.Message);
}
