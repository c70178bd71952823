using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Advisories.Matching;

/// <summary>Which sentence explains an OSV decision; the words are written by <see cref="OsvReasonText"/> when first read.</summary>
internal enum OsvReason : byte
{
    /// <summary>The reason was given as text.</summary>
    None = 0,

    /// <summary>The advisory names the distribution without a release (operand: the host's ecosystem).</summary>
    ReleaseMissing,

    /// <summary>No ordering for the range type in the ecosystem (operand: <c>SEMVER</c> or <c>ECOSYSTEM</c>).</summary>
    NoOrdering,

    /// <summary>The installed version is in the <c>versions</c> list.</summary>
    Listed,

    /// <summary>The installed version is not in the <c>versions</c> list (number: the list's length).</summary>
    NotListed,

    /// <summary>No range could be evaluated and no list is given.</summary>
    NoRange,

    /// <summary>At or above a <c>limit</c> (operand: the limit).</summary>
    AtOrAboveLimit,

    /// <summary>Below <c>introduced</c> (operand: the introduced version).</summary>
    BeforeIntroduced,

    /// <summary>In an interval with no end (operand: the introduced version, <c>0</c> for all versions).</summary>
    AffectedOpen,

    /// <summary>Below <c>fixed</c> (operand: the fixed version).</summary>
    BelowFixed,

    /// <summary>At or above <c>fixed</c> (operand: the fixed version).</summary>
    AtOrAboveFixed,

    /// <summary>At or below <c>last_affected</c> (operand: the last affected version).</summary>
    AtOrBelowLast,

    /// <summary>Above <c>last_affected</c> (operand: the last affected version).</summary>
    AboveLast,

    /// <summary>The range has no <c>introduced</c> event.</summary>
    NoIntroduced,

    /// <summary>An RPM version without an epoch against one with (operand: the other version).</summary>
    EpochMissing,

    /// <summary>The pair cannot be ordered (operand: the other version; number: the <see cref="VersionScheme"/>).</summary>
    Unordered,
}

/// <summary>Writes the one-line reason of an OSV decision from its parts (the same words the matcher always gave).</summary>
internal static class OsvReasonText
{
    public static string Write(PackageMatch m, OsvReason kind, string? operand, int number)
    {
        string name = m.AdvisoryPackage;
        InstalledPackage package = m.Package;
        string label = package.Name == name ? package.Name : $"{package.Name} (source {name})";
        string v = package.Version;
        string id = m.AdvisoryId;
        string ecosystem = m.Ecosystem;
        return kind switch
        {
            OsvReason.ReleaseMissing => $"{label} {v} installed: {id} names {ecosystem} without a release, so it may be about another release than {operand}",
            OsvReason.NoOrdering => $"{label} {v} installed: no version ordering is known for {ecosystem} {operand} ranges ({id})",
            OsvReason.Listed => $"{label} {v} installed is listed as affected in {id} for {ecosystem}",
            OsvReason.NotListed => $"{label} {v} installed is not among the {number} versions listed as affected in {id} for {ecosystem}",
            OsvReason.NoRange => $"{label} {v} installed: {id} gives no version range for {ecosystem} that can be evaluated",
            OsvReason.AtOrAboveLimit => $"{label} {v} installed >= {operand} limit of the range in {id} for {ecosystem}",
            OsvReason.BeforeIntroduced => $"{label} {v} installed < {operand} introduced in {id} for {ecosystem}",
            OsvReason.AffectedOpen => $"{label} {v} installed is affected ({(operand == "0" ? "all versions" : $">= {operand} introduced")}, no fixed version) in {id} for {ecosystem}",
            OsvReason.BelowFixed => $"{label} {v} installed < {operand} fixed in {id} for {ecosystem}",
            OsvReason.AtOrAboveFixed => $"{label} {v} installed >= {operand} fixed in {id} for {ecosystem}",
            OsvReason.AtOrBelowLast => $"{label} {v} installed <= {operand} last affected in {id} for {ecosystem}",
            OsvReason.AboveLast => $"{label} {v} installed > {operand} last affected in {id} for {ecosystem}",
            OsvReason.NoIntroduced => $"{label} {v} installed: the range in {id} for {ecosystem} has no introduced event",
            OsvReason.EpochMissing => $"{label} {v} installed has no epoch and {operand} has one: the inventory must give the epoch (%{{EPOCH}}:%{{VERSION}}-%{{RELEASE}}) in {id} for {ecosystem}",
            _ => $"{label} {v} installed cannot be ordered against {operand} as a {(VersionScheme)number} version in {id} for {ecosystem}",
        };
    }
}
