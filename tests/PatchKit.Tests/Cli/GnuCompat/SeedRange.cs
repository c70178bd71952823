using System.Globalization;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>The seeds a randomized comparison runs: <c>FIRST-LAST</c> (or one seed) from an environment variable,
/// else the stretch CI runs.</summary>
internal static class SeedRange
{
    /// <summary>The seeds of <paramref name="variable"/>'s stretch, or of <paramref name="defaultSeeds"/> when it is
    /// unset or empty.</summary>
    public static TheoryData<int> Read(string variable, string defaultSeeds)
    {
        string[] ends = (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } asked ? asked : defaultSeeds).Split('-');
        int first = int.Parse(ends[0], CultureInfo.InvariantCulture);
        int last = int.Parse(ends[^1], CultureInfo.InvariantCulture);
        var data = new TheoryData<int>();
        for (int seed = first; seed <= last; seed++)
        {
            data.Add(seed);
        }

        return data;
    }
}
