using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace PatchKit.Advisories.Versions;

/// <summary>
/// Orders version strings of one <see cref="VersionScheme"/>. Every comparer answers "unknown" (<see cref="TryCompare(ReadOnlySpan{char}, ReadOnlySpan{char}, out int)"/>
/// returns <see langword="false"/>) for a pair it cannot order, rather than guessing. Instances are stateless singletons, safe to share between threads.
/// </summary>
/// <remarks>
/// The dpkg, rpm and SemVer orderings are checked against <c>dpkg --compare-versions</c> (dpkg 1.21), librpm 4.18's <c>labelCompare</c> and node-semver.
/// </remarks>
public abstract class VersionComparer : IComparer<string>
{
    private protected VersionComparer()
    {
    }

    /// <summary>Gets the scheme this comparer orders.</summary>
    public abstract VersionScheme Scheme { get; }

    /// <summary>Returns the comparer of a scheme.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <returns>Its comparer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is <see cref="VersionScheme.Unknown"/> or not defined: an unknown scheme has no order.</exception>
    public static VersionComparer For(VersionScheme scheme) => Find(scheme) ?? ThrowUnknownScheme(scheme);

    /// <summary>Compares two versions of a scheme without throwing.</summary>
    /// <param name="scheme">The scheme; <see cref="VersionScheme.Unknown"/> always answers unknown.</param>
    /// <param name="x">The first version.</param>
    /// <param name="y">The second version.</param>
    /// <param name="result">Negative, zero or positive (−1, 0, 1) when <paramref name="x"/> is lower, equal or higher; 0 when unknown.</param>
    /// <returns><see langword="true"/> when the pair is ordered; <see langword="false"/> for an unknown scheme, a string the scheme cannot read, or a pair it does not order.</returns>
    public static bool TryCompare(VersionScheme scheme, ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result)
    {
        VersionComparer? comparer = Find(scheme);
        if (comparer is null)
        {
            result = 0;
            return false;
        }

        return comparer.TryCompare(x, y, out result);
    }

    /// <summary>Tells whether a string is a well-formed version of a scheme (always <see langword="false"/> for <see cref="VersionScheme.Unknown"/>).</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="version">The version string.</param>
    /// <returns><see langword="true"/> when it is well formed.</returns>
    public static bool IsValid(VersionScheme scheme, ReadOnlySpan<char> version) => Find(scheme)?.IsValid(version) ?? false;

    /// <summary>Compares two versions without throwing.</summary>
    /// <param name="x">The first version.</param>
    /// <param name="y">The second version.</param>
    /// <param name="result">−1, 0 or 1 when <paramref name="x"/> is lower, equal or higher; 0 when unknown.</param>
    /// <returns><see langword="false"/> when the pair cannot be ordered in this scheme.</returns>
    public abstract bool TryCompare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, out int result);

    /// <summary>Tells whether a string is a well-formed version of this scheme. Some schemes still order strings that are not (dpkg and rpm compare anything non-empty, as the tools do).</summary>
    /// <param name="version">The version string.</param>
    /// <returns><see langword="true"/> when it is well formed.</returns>
    public abstract bool IsValid(ReadOnlySpan<char> version);

    /// <summary>Compares two versions; <see langword="null"/> sorts first.</summary>
    /// <param name="x">The first version.</param>
    /// <param name="y">The second version.</param>
    /// <returns>−1, 0 or 1.</returns>
    /// <exception cref="ArgumentException">The pair cannot be ordered in this scheme (the message names both strings).</exception>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        if (!TryCompare(x, y, out int result))
        {
            ThrowNotComparable(Scheme, x, y);
        }

        return result;
    }

    private static VersionComparer? Find(VersionScheme scheme) => scheme switch
    {
        VersionScheme.Dpkg => DpkgVersionComparer.Instance,
        VersionScheme.Rpm => RpmVersionComparer.Instance,
        VersionScheme.SemVer => SemVerComparer.Instance,
        VersionScheme.EsxiRelease => EsxiVersionComparer.Release,
        VersionScheme.EsxiBuild => EsxiVersionComparer.Build,
        VersionScheme.WindowsBuild => WindowsBuildComparer.Instance,
        _ => null,
    };

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VersionComparer ThrowUnknownScheme(VersionScheme scheme) =>
        throw new ArgumentOutOfRangeException(nameof(scheme), scheme, $"The version scheme '{scheme}' has no ordering; versions of an unknown scheme cannot be compared.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotComparable(VersionScheme scheme, string x, string y) =>
        throw new ArgumentException($"'{x}' and '{y}' cannot be ordered as {scheme} versions (one is not a {scheme} version, or the scheme does not order this pair).");
}
