using System.Globalization;

namespace PatchKit.Cli.Rendering;

/// <summary>Counts in words: <c>1 host</c>, <c>2 hosts</c>, <c>0 hosts</c>.</summary>
internal static class Plural
{
    /// <summary>Returns the count and the noun, singular for exactly one.</summary>
    /// <param name="count">The count.</param>
    /// <param name="singular">The noun for one (<c>host</c>).</param>
    /// <param name="plural">The noun for any other count, or <see langword="null"/> for <paramref name="singular"/> + <c>s</c>.</param>
    /// <returns>The text.</returns>
    public static string Of(long count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");
}
