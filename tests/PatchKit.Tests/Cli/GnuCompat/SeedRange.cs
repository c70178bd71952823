using System.Globalization;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>The seeds a randomized comparison runs: <c>FIRST-LAST</c> (or one seed), or several of these separated by
/// commas, from an environment variable, else the stretch CI runs.</summary>
internal static class SeedRange
{
    /// <summary>The seeds of <paramref name="variable"/>'s stretch, or of <paramref name="defaultSeeds"/> when it is
    /// unset or empty; the default stretch leaves out <paramref name="unsteady"/> (seeds whose reference result varies
    /// from run to run), a stretch asked for runs them all.</summary>
    public static TheoryData<int> Read(string variable, string defaultSeeds, IReadOnlySet<int>? unsteady = null)
    {
        string? asked = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } a ? a : null;
        var data = new TheoryData<int>();
        foreach (string stretch in (asked ?? defaultSeeds).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = stretch.Split('-');
            int first = int.Parse(ends[0], CultureInfo.InvariantCulture);
            int last = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            for (int seed = first; seed <= last; seed++)
            {
                if (asked is not null || unsteady is null || !unsteady.Contains(seed))
                {
                    data.Add(seed);
                }
            }
        }

        return data;
    }
}
