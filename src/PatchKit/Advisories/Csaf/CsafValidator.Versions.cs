using System.Globalization;
using PatchKit.Advisories.Versions;

namespace PatchKit.Advisories.Csaf;

/// <summary>Document versions and revision history: 6.1.14, 6.1.16 to 6.1.22, 6.1.30.</summary>
public static partial class CsafValidator
{
    private readonly record struct DocVersion(bool IsInteger, long Major, bool HasPreRelease, string Text);

    private static void VersionTests(CsafDocument doc, Findings findings)
    {
        CsafTracking? tracking = doc.Document?.Tracking;
        if (tracking is null)
        {
            return;
        }

        const string TrackingPath = "$.document.tracking";
        bool released = tracking.Status is "final" or "interim";
        bool haveVersion = TryVersion(tracking.Version, out DocVersion version);
        IReadOnlyList<CsafRevision> history = tracking.RevisionHistory;
        var items = new List<(DocVersion Version, DateTimeOffset? Date, int Index)>();
        for (int i = 0; i < history.Count; i++)
        {
            if (TryVersion(history[i].Number, out DocVersion number))
            {
                items.Add((number, TryDate(history[i].Date), i));
            }
        }

        // 6.1.30 Mixed Integer and Semantic Versioning.
        bool mixed = items.Any(it => haveVersion && it.Version.IsInteger != version.IsInteger) || items.Select(static it => it.Version.IsInteger).Distinct().Count() > 1;
        if (mixed)
        {
            findings.Add("6.1.30", TrackingPath + ".version", "integer and semantic versioning are mixed in the version and the revision history");
        }

        if (haveVersion)
        {
            // 6.1.17 Document Status Draft; 6.1.20 Non-draft Document Version.
            if ((version.Major == 0 || version.HasPreRelease) && tracking.Status != "draft")
            {
                findings.Add("6.1.17", TrackingPath + ".status", $"version {version.Text} is a draft version but the status is \"{tracking.Status}\"");
            }

            if (released && version.HasPreRelease)
            {
                findings.Add("6.1.20", TrackingPath + ".version", $"version {version.Text} has a pre-release part but the status is \"{tracking.Status}\"");
            }
        }

        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((DocVersion number, _, int i) in items)
        {
            string path = P($"{TrackingPath}.revision_history[{i}].number");
            if (released && number.Major == 0)
            {
                findings.Add("6.1.18", path, $"revision {number.Text} is a draft version in a document with status \"{tracking.Status}\"");
            }

            if (number.HasPreRelease)
            {
                findings.Add("6.1.19", path, $"revision {number.Text} has a pre-release part");
            }

            if (!numbers.TryAdd(number.Text, i))
            {
                findings.Add("6.1.22", path, $"revision number {number.Text} appears more than once (first at revision_history[{numbers[number.Text]}])");
            }
        }

        if (mixed || items.Count == 0)
        {
            return;
        }

        // 6.1.21 Missing Item in Revision History: sorted by number, the (major) versions start at 0 or 1 and never skip one.
        var byNumber = items.OrderBy(static it => it.Version, Comparer<DocVersion>.Create(CompareVersions)).ToList();
        if (byNumber[0].Version.Major > 1)
        {
            findings.Add("6.1.21", P($"{TrackingPath}.revision_history[{byNumber[0].Index}].number"), $"the revision history starts at {byNumber[0].Version.Text}, not at 0 or 1");
        }

        for (int i = 1; i < byNumber.Count; i++)
        {
            if (byNumber[i].Version.Major - byNumber[i - 1].Version.Major > 1)
            {
                findings.Add("6.1.21", P($"{TrackingPath}.revision_history[{byNumber[i].Index}].number"), $"the revision history goes from {byNumber[i - 1].Version.Text} to {byNumber[i].Version.Text}: a version is missing");
            }
        }

        if (items.Any(static it => it.Date is null))
        {
            return;
        }

        // 6.1.14 Sorted Revision History: sorted by date (equal dates by number), the numbers ascend.
        var byDate = items.OrderBy(static it => it.Date).ThenBy(static it => it.Version, Comparer<DocVersion>.Create(CompareVersions)).ToList();
        for (int i = 1; i < byDate.Count; i++)
        {
            if (CompareVersions(byDate[i - 1].Version, byDate[i].Version) > 0)
            {
                findings.Add("6.1.14", P($"{TrackingPath}.revision_history[{byDate[i].Index}].number"), $"revision {byDate[i].Version.Text} is dated after revision {byDate[i - 1].Version.Text} but numbered below it");
                break;
            }
        }

        // 6.1.16 Latest Document Version: the version is the number of the latest revision (build metadata ignored; pre-release too for drafts).
        if (haveVersion)
        {
            DocVersion latest = items.OrderBy(static it => it.Date).ThenBy(static it => it.Version, Comparer<DocVersion>.Create(CompareVersions)).Last().Version;
            bool draft = tracking.Status == "draft";
            if (Strip(latest.Text, draft) != Strip(version.Text, draft))
            {
                findings.Add("6.1.16", TrackingPath + ".version", $"version {version.Text} is not the number of the latest revision ({latest.Text})");
            }
        }
    }

    private static string Strip(string version, bool preRelease)
    {
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        string s = plus >= 0 ? version[..plus] : version;
        int hyphen = s.IndexOf('-', StringComparison.Ordinal);
        return preRelease && hyphen >= 0 ? s[..hyphen] : s;
    }

    private static bool TryVersion(string? text, out DocVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (!VersionText.HasNonDigit(text) && (text.Length == 1 || text[0] != '0') && text.Length < 18)
        {
            version = new DocVersion(true, long.Parse(text, CultureInfo.InvariantCulture), false, text);
            return true;
        }

        if (SemVerComparer.TryParse(text, out ReadOnlySpan<char> major, out _, out _, out ReadOnlySpan<char> pre) && major.Length < 18)
        {
            version = new DocVersion(false, long.Parse(major, CultureInfo.InvariantCulture), !pre.IsEmpty, text);
            return true;
        }

        return false;
    }

    private static int CompareVersions(DocVersion a, DocVersion b) =>
        a.IsInteger && b.IsInteger ? a.Major.CompareTo(b.Major)
        : !a.IsInteger && !b.IsInteger && VersionComparer.TryCompare(VersionScheme.SemVer, a.Text, b.Text, out int c) ? c
        : a.Major.CompareTo(b.Major);

    private static DateTimeOffset? TryDate(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset d) ? d : null;
}
