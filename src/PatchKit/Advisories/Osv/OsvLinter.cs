using System.Globalization;

namespace PatchKit.Advisories.Osv;

/// <summary>
/// The OSV linter's record and range checks that need no registry (as the OSV schema project's <c>osv-linter</c>): <c>RecordHasAffected</c>,
/// <c>RNG:001</c> introduced-event-exists, <c>RNG:002</c> range-is-distinct, plus two shape checks of ours, <c>RNG:EVT</c> (an event sets exactly
/// one member) and <c>RNG:GIT</c> (a GIT range names its repo).
/// </summary>
public static class OsvLinter
{
    /// <summary>Checks a record that was read.</summary>
    /// <param name="record">The record.</param>
    /// <param name="document">The document's name, for the findings.</param>
    /// <returns>The findings, in record order; empty when the record passes.</returns>
    public static IReadOnlyList<AdvisoryFinding> Lint(OsvRecord record, string document)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(document);
        var findings = new List<AdvisoryFinding>();
        if (record.Affected is null || record.Affected.Count == 0)
        {
            findings.Add(new("RecordHasAffected", "$.affected", document,
                record.Affected is null ? "affected field cannot be null or empty (no affected field)" : "affected field cannot be null or empty (affected is empty)"));
            return findings;
        }

        for (int a = 0; a < record.Affected.Count; a++)
        {
            IReadOnlyList<OsvRange> ranges = record.Affected[a].Ranges;
            for (int r = 0; r < ranges.Count; r++)
            {
                OsvRange range = ranges[r];
                string path = string.Create(CultureInfo.InvariantCulture, $"$.affected[{a}].ranges[{r}]");
                if (range.Type == OsvRangeType.Git && string.IsNullOrEmpty(range.Repo))
                {
                    findings.Add(new("RNG:GIT", path + ".repo", document, "a GIT range must name its repo"));
                }

                bool introduced = false;
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int e = 0; e < range.Events.Count; e++)
                {
                    OsvEvent ev = range.Events[e];
                    string eventPath = string.Create(CultureInfo.InvariantCulture, $"{path}.events[{e}]");
                    if (ev.Kind == OsvEventKind.None)
                    {
                        findings.Add(new("RNG:EVT", eventPath, document, "an event must set exactly one of introduced, fixed, last_affected, limit"));
                        continue;
                    }

                    introduced |= ev.Kind == OsvEventKind.Introduced;
                    if (!seen.TryAdd(ev.Version!, e))
                    {
                        findings.Add(new("RNG:002", eventPath, document, $"overlapping event: \"{ev.Version}\" (also events[{seen[ev.Version!]}])"));
                    }
                }

                if (!introduced)
                {
                    findings.Add(new("RNG:001", path + ".events", document, "missing 'introduced' object in event"));
                }
            }
        }

        return findings;
    }
}
