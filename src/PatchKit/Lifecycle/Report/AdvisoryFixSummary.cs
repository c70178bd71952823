namespace PatchKit.Lifecycle.Report;

/// <summary>An approved patch with the advisories it fixes and, per host, why it is missing there.</summary>
/// <param name="PatchId">The patch (an advisory id such as <c>DSA-3029-1</c>, a KB, a vendor bundle).</param>
/// <param name="Title">The patch's title.</param>
/// <param name="Cves">The vulnerabilities (CVE ids) it fixes.</param>
/// <param name="Hosts">The hosts it was approved for, each with the reason it applies
/// (<c>web1: nginx-full 1.2.1-2.2+wheezy2 installed is affected by DSA-3029-1 for Debian:7, fixed in 1.2.1-2.2+wheezy3</c>).</param>
public sealed record AdvisoryFixSummary(string PatchId, string Title, IReadOnlyList<string> Cves, IReadOnlyList<string> Hosts);
