using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>PatchKit as <c>patch</c> and <c>diff</c> on the PATH (links to the built CLI, as a drop-in install) against
/// GNU patch 2.7.6 and GNU diff 3.8, run for real on identical fresh trees: standard output and error bytes, exit
/// status and the tree left behind (contents, modes, rejects, backups, times where the row asks) must be the same.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class GnuCompatTests
{
    public static TheoryData<string> PatchRows => Names(GnuCompatRows.Patch());

    public static TheoryData<string> DiffRows => Names(GnuCompatRows.Diff());

    [Theory]
    [MemberData(nameof(PatchRows))]
    public void Patch_AsGnuPatch(string row) => Compare(Find(GnuCompatRows.Patch(), row));

    [Theory]
    [MemberData(nameof(DiffRows))]
    public void Diff_AsGnuDiff(string row) => Compare(Find(GnuCompatRows.Diff(), row));

    [Fact]
    public void Links_LeadToTheCliUnderTest()
    {
        // eng/aot-check.sh runs this table against the Native AOT binary: the links must lead to it, not to the JIT build.
        if (OperatingSystem.IsWindows() || !GnuCompatHarness.Available)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "GNU patch/diff, setsid or the built CLI is missing, and CI must run the GNU comparison");
            return;
        }

        string? native = Environment.GetEnvironmentVariable(CliRunner.NativeCliVariable);
        string expected = string.IsNullOrEmpty(native) ? Path.ChangeExtension(RepoFiles.CliDll, null) : native;
        foreach (string link in new[] { "patch", "diff" })
        {
            Assert.Equal(expected, new FileInfo(Path.Combine(GnuCompatHarness.PatchKitBin, link)).LinkTarget);
        }
    }

    [Fact]
    public void KnownGaps_NameExistingRows()
    {
        var names = GnuCompatRows.Patch().Concat(GnuCompatRows.Diff()).Select(r => r.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (string gap in GnuCompatRows.KnownGaps)
        {
            Assert.Contains(gap, names);
        }
    }

    private static TheoryData<string> Names(IEnumerable<CompatRow> rows)
    {
        var data = new TheoryData<string>();
        foreach (CompatRow r in rows)
        {
            data.Add(r.Name);
        }

        return data;
    }

    private static CompatRow Find(IEnumerable<CompatRow> rows, string name) => rows.Single(r => r.Name == name);

    /// <summary>Runs <paramref name="row"/> through GNU and PatchKit and asserts the outcomes are the same, or, for a
    /// known gap (<see cref="GnuCompatRows.KnownGaps"/>, or <paramref name="knownGap"/>), that they still differ.</summary>
    internal static void Compare(CompatRow row, bool knownGap = false)
    {
        if (OperatingSystem.IsWindows() || !GnuCompatHarness.Available)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "GNU patch/diff, setsid or the built CLI is missing, and CI must run the GNU comparison");
            return;
        }

        if (GnuCompatRows.NeedRcs.Contains(row.Name) && !File.Exists("/usr/bin/co"))
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "RCS's co is missing (tests/fixtures/debian-source/setup.sh installs it), and CI must run the -g rows");
            return;
        }

        if (row.Owners.Length > 0 && !GnuCompatHarness.IsRoot)
        {
            // Giving a file another owner needs root (CI runs as root).
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "the owner rows need root, and CI must run them");
            return;
        }

        CompatOutcome gnu = GnuCompatHarness.RunGnu(row);
        CompatOutcome patchKit = GnuCompatHarness.RunPatchKit(row);
        if (row.StdoutView is { } view)
        {
            gnu = gnu with { Stdout = view(gnu.Stdout) };
            patchKit = patchKit with { Stdout = view(patchKit.Stdout) };
        }

        if (row.StderrView is { } errorView)
        {
            gnu = gnu with { Stderr = errorView(gnu.Stderr) };
            patchKit = patchKit with { Stderr = errorView(patchKit.Stderr) };
        }

        bool same = gnu == patchKit;
        if (knownGap || GnuCompatRows.KnownGaps.Contains(row.Name))
        {
            Assert.False(same, $"'{row.Name}' now matches GNU {row.Tool}: take it off its list of known gaps (and docs/gnu-compat.md).");
            return;
        }

        Assert.True(same, $"'{row.Name}' differs from GNU {row.Tool} {string.Join(' ', row.Args)}\n===== GNU =====\n{gnu.Describe()}\n===== PatchKit =====\n{patchKit.Describe()}");
    }
}
