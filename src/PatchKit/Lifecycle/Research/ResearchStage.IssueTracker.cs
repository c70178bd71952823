using PatchKit.Advisories;
using PatchKit.Integrations;
using PatchKit.Internal;
using PatchKit.Lifecycle.Journal;

namespace PatchKit.Lifecycle.Research;

/// <summary>Files one issue per patch that fails the lab for a group, when an <see cref="IIssueTracker"/> is configured.</summary>
internal sealed partial class ResearchStage
{
    /// <summary>Files (or, when the tracker already holds the stable key, comments on) the issue for a rejected patch. The
    /// outcome is journaled as a decision, so a resumed run does not file again; a tracker failure is logged and never
    /// fails the run.</summary>
    private async ValueTask ReportRejectionAsync(PatchRunContext context, string group, string hostId, PatchDefinition patch, string verdict)
    {
        if (_issueTracker is not { } tracker)
        {
            return;
        }

        string decisionKey = ResearchConstants.IssueDecisionPrefix + group + "/" + patch.Id;
        if (context.TryGetDecision(decisionKey, out _))
        {
            return;
        }

        string stableKey = "lab-verify:" + patch.Id + ":" + group;
        // The text leaves the run for an outside system: mask every secret revealed so far, as the journal does.
        string text = Redactor.Redact("Patch " + patch.Id + " failed lab verification for " + group + " (lab clone of " + hostId + ", run " + context.RunId + "): " + verdict);
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
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.IssueNotFiled(context.Logger, patch.Id, group, ex.GetType().Name + ": " + Redactor.Redact(ex.Message));
        }
    }

    /// <summary>When a patch an earlier run filed an issue for now passes the lab, comments on the issue and resolves it
    /// (RESOLVED FIXED in Bugzilla). Journaled as a decision; a tracker failure is logged and never fails the run.</summary>
    private async ValueTask ReportPassAsync(PatchRunContext context, string group, string hostId, PatchDefinition patch)
    {
        if (_issueTracker is not { } tracker)
        {
            return;
        }

        string decisionKey = ResearchConstants.IssueDecisionPrefix + group + "/" + patch.Id + "/passed";
        if (context.TryGetDecision(decisionKey, out _))
        {
            return;
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
                return;
            }

            await tracker.ResolveAsync(open.Id, "Patch " + patch.Id + " passed lab verification for " + group + " (lab clone of " + hostId + ", run "
                + context.RunId + ").", ct).ConfigureAwait(false);
            await context.AppendAsync(JournalRecordKind.Decision, decisionKey, hostId, "issue " + open.Id + " resolved: " + patch.Id + " passed", open.Id)
                .ConfigureAwait(false);
            Log.IssueResolved(context.Logger, open.Id, patch.Id, group);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.IssueNotFiled(context.Logger, patch.Id, group, ex.GetType().Name + ": " + Redactor.Redact(ex.Message));
        }
    }
}
