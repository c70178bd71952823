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
/// <remarks>The OSV matcher builds the words of <see cref="Reason"/> the first time they are read (a fleet's decisions are counted far
/// more often than shown); equality compares the words either way.</remarks>
public sealed record PackageMatch(
    string AdvisoryId,
    string Ecosystem,
    string AdvisoryPackage,
    InstalledPackage Package,
    MatchDecision Decision,
    string? FixedVersion,
    string Reason)
{
    // What the reason is made of when the matcher left it to be written on first read (OsvReason.None: Reason was given).
    private readonly OsvReason _kind;
    private readonly string? _operand;
    private readonly int _number;

    /// <summary>Initializes a decision whose reason is written from its parts when first read.</summary>
    internal PackageMatch(
        string advisoryId, string ecosystem, string advisoryPackage, InstalledPackage package, MatchDecision decision, string? fixedVersion,
        OsvReason kind, string? operand, int number)
        : this(advisoryId, ecosystem, advisoryPackage, package, decision, fixedVersion, (string)null!)
    {
        _kind = kind;
        _operand = operand;
        _number = number;
    }

    /// <summary>Gets why, in one line: <c>openssl 3.0.11-1~deb12u1 installed &lt; 3.0.13-1~deb12u1 fixed in DSA-5678-1 for Debian:12</c>.</summary>
    public string Reason
    {
        get => field ??= _kind == OsvReason.None ? null! : OsvReasonText.Write(this, _kind, _operand, _number);
        init => field = value;
    } = Reason;

    /// <summary>Gets the vulnerability the decision is about when the advisory covers several (a CSAF document's CVE), or <see langword="null"/>.</summary>
    public string? Vulnerability { get; init; }

    /// <summary>Gets what fixes it, when the advisory says (<c>KB5002741 https://support.microsoft.com/help/5002741</c>, an errata URL, an ESXi release), or <see langword="null"/>.</summary>
    public string? Remediation { get; init; }

    /// <summary>Tells whether another decision says the same: same advisory, package, decision, fixed version, reason, vulnerability and remediation.</summary>
    /// <param name="other">The other decision.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public bool Equals(PackageMatch? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && string.Equals(AdvisoryId, other.AdvisoryId, StringComparison.Ordinal)
            && string.Equals(Ecosystem, other.Ecosystem, StringComparison.Ordinal)
            && string.Equals(AdvisoryPackage, other.AdvisoryPackage, StringComparison.Ordinal)
            && Equals(Package, other.Package)
            && Decision == other.Decision
            && string.Equals(FixedVersion, other.FixedVersion, StringComparison.Ordinal)
            && string.Equals(Reason, other.Reason, StringComparison.Ordinal)
            && string.Equals(Vulnerability, other.Vulnerability, StringComparison.Ordinal)
            && string.Equals(Remediation, other.Remediation, StringComparison.Ordinal));

    /// <summary>Returns a hash of the advisory, package and decision.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(AdvisoryId, AdvisoryPackage, Package, Decision);
}
