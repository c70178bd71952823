using System.Text.Json.Serialization;

namespace PatchKit.Advisories.Osv;

/// <summary>How the versions of an <see cref="OsvRange"/> are ordered. Any other value in a record is a format error.</summary>
[JsonConverter(typeof(OsvRangeTypeConverter))]
public enum OsvRangeType
{
    /// <summary>Not set (never the result of reading: a range without a type is reported).</summary>
    None = 0,

    /// <summary><c>SEMVER</c>: SemVer 2.0.0 versions (without a leading <c>v</c>).</summary>
    Semver = 1,

    /// <summary><c>ECOSYSTEM</c>: the ecosystem's own version order (dpkg for Debian, rpm for AlmaLinux, PEP 440 for PyPI, …).</summary>
    Ecosystem = 2,

    /// <summary><c>GIT</c>: commit hashes of the range's <c>repo</c>.</summary>
    Git = 3,
}
