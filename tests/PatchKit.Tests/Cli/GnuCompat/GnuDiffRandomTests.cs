using System.Globalization;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Random <c>diff</c> situations (<see cref="GnuDiffRandom"/>) run through GNU diff 3.8 and PatchKit's drop-in,
/// compared as the table's rows are (standard output and error bytes, exit status, the tree). The seeds are fixed, so
/// CI runs the same slice every time; <c>PATCHKIT_GNU_DIFF_SEEDS=FIRST-LAST</c> runs another stretch
/// (<c>eng/gnu-diff-random.sh</c>).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class GnuDiffRandomTests
{
    /// <summary>The seeds CI runs.</summary>
    private const string DefaultSeeds = "1-300";

    public static TheoryData<int> Seeds => SeedRange.Read("PATCHKIT_GNU_DIFF_SEEDS", DefaultSeeds);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomDiff_AsGnuDiff(int seed)
    {
        CompatRow row = GnuDiffRandom.Case(seed);
        if (Environment.GetEnvironmentVariable("PATCHKIT_GNU_DIFF_DUMP") is { Length: > 0 } dump)
        {
            // To reproduce a failing seed by hand: its tree and command line, written where asked.
            Dump(row, Path.Combine(dump, seed.ToString(CultureInfo.InvariantCulture)));
        }

        GnuCompatTests.Compare(row);
    }

    private static void Dump(CompatRow row, string dir)
    {
        Directory.CreateDirectory(dir);
        foreach (string d in row.Dirs)
        {
            Directory.CreateDirectory(Path.Combine(dir, d));
        }

        foreach (var (path, content) in row.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), content);
        }

        foreach (var (path, target) in row.Links)
        {
            File.CreateSymbolicLink(Path.Combine(dir, path), target);
        }

        File.WriteAllLines(Path.Combine(dir, "ARGS"), row.Args);
    }

    [Fact]
    public void Case_IsTheSameForTheSameSeed()
    {
        CompatRow one = GnuDiffRandom.Case(12345);
        CompatRow two = GnuDiffRandom.Case(12345);
        Assert.Equal(one.Name, two.Name);
        Assert.Equal(one.Files, two.Files);
        Assert.Equal(one.Links, two.Links);
        Assert.NotEqual(one.Name, GnuDiffRandom.Case(12346).Name);
    }
}
