using PatchKit.Hosts;

namespace PatchKit.Advisories.Matching;

/// <summary>One decision: an installed package against one advisory, with the reason in words.</summary>
/// <param name="AdvisoryId">The advisory id (<c>DSA-3029-1</c>, <c>ALSA-2023:0101</c>).</param>
/// <param name="Ecosystem">The advisory's ecosystem as written (<c>Debian:12</c>, <c>Ubuntu:22.04:LTS</c>).</param>
/// <param name="AdvisoryPackage">The package name the advisory uses (a source package for Debian and Ubuntu).</param>
/// <param name="Package">The installed package the decision is about.</param>
/// <param name="Decision">The decision.</param>
/// <param name="FixedVersion">The version that fixes it in this ecosystem, or <see langword="null"/> when the advisory gives none.</param>
/// <param name="Reason">Why, in one line: <c>openssl 3.0.11-1~deb12u1 installed &lt; 3.0.13-1~deb12u1 fixed in DSA-5678-1 for Debian:12</c>.</param>
public sealed record PackageMatch(
    string AdvisoryId,
    string Ecosystem,
    string AdvisoryPackage,
    InstalledPackage Package,
    MatchDecision Decision,
    string? FixedVersion,
    string Reason)
{
    /// <summary>Gets the vulnerability the decision is about when the advisory covers several (a CSAF document's CVE), or <see langword="null"/>.</summary>
    public string? Vulnerability { get; init; }

    /// <summary>Gets what fixes it, when the advisory says (<c>KB5002741 https://support.microsoft.com/help/5002741</c>, an errata URL, an ESXi release), or <see langword="null"/>.</summary>
    public string? Remediation { get; init; }
}
