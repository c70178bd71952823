using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Versions;

public sealed class VersionComparerTests
{
    [Fact]
    public void TryCompare_UnknownScheme_IsUnknownNotAGuess()
    {
        Assert.False(VersionComparer.TryCompare(VersionScheme.Unknown, "1.0", "1.0", out int result));
        Assert.Equal(0, result);
        Assert.False(VersionComparer.IsValid(VersionScheme.Unknown, "1.0"));
        Assert.False(VersionComparer.TryCompare((VersionScheme)99, "1", "2", out _));
    }

    [Fact]
    public void For_UnknownScheme_Throws()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => VersionComparer.For(VersionScheme.Unknown));
        Assert.Contains("Unknown", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VersionScheme.Dpkg)]
    [InlineData(VersionScheme.Rpm)]
    [InlineData(VersionScheme.SemVer)]
    [InlineData(VersionScheme.EsxiRelease)]
    [InlineData(VersionScheme.EsxiBuild)]
    [InlineData(VersionScheme.WindowsBuild)]
    public void For_EachScheme_ReturnsItsComparer(VersionScheme scheme)
    {
        Assert.Equal(scheme, VersionComparer.For(scheme).Scheme);
    }

    [Fact]
    public void Compare_UnorderablePair_ThrowsNamingBothStrings()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => VersionComparer.For(VersionScheme.SemVer).Compare("v1.0.0", "1.0.0"));
        Assert.Contains("'v1.0.0'", e.Message, StringComparison.Ordinal);
        Assert.Contains("SemVer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_Nulls_SortFirst()
    {
        VersionComparer c = VersionComparer.For(VersionScheme.Dpkg);
        Assert.Equal(-1, c.Compare(null, "1"));
        Assert.Equal(1, c.Compare("1", null));
        Assert.Equal(0, c.Compare(null, null));
    }

    [Fact]
    public void Sort_DpkgList_UsesTheComparer()
    {
        var list = new List<string> { "1.0", "1:0.1", "1.0~rc1", "1.0-1", "0.9" };
        list.Sort(VersionComparer.For(VersionScheme.Dpkg));
        Assert.Equal(["0.9", "1.0~rc1", "1.0", "1.0-1", "1:0.1"], list);
    }

    [Theory]
    [InlineData("", "1")]
    [InlineData("1 2", "1")]
    [InlineData("a:1", "1")]
    [InlineData("1:", "1")]
    [InlineData("1.0-", "1")]
    [InlineData("-1:1", "1")]
    public void Dpkg_StringDpkgRejects_IsUnknown(string bad, string other)
    {
        Assert.False(VersionComparer.TryCompare(VersionScheme.Dpkg, bad, other, out _));
        Assert.False(VersionComparer.IsValid(VersionScheme.Dpkg, bad));
    }

    [Theory]
    [InlineData("10.0.19045.3930", "10.0.19045.4046", -1)]
    [InlineData("10.0.22631.2861", "10.0.19045.9999", 1)]
    [InlineData("16.0.5508.1000", "16.0.5508.1000", 0)]
    [InlineData("16.0.10417.20018", "16.0.5508.1000", 1)]
    [InlineData("10.0.19045", "10.0.19045.1", -1)]
    public void WindowsBuild_Pairs_OrderNumerically(string a, string b, int expected)
    {
        Assert.True(VersionComparer.TryCompare(VersionScheme.WindowsBuild, a, b, out int result));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("10.0")]
    [InlineData("10.0.x.1")]
    [InlineData("10..0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("<16.0.5508.1000")]
    public void WindowsBuild_NotABuild_IsUnknown(string bad)
    {
        Assert.False(VersionComparer.IsValid(VersionScheme.WindowsBuild, bad));
        Assert.False(VersionComparer.TryCompare(VersionScheme.WindowsBuild, bad, "10.0.1.1", out _));
    }

    [Theory]
    [InlineData("ESXi670-202010401-SG", "6.7.0-3.139.17700523")]   // a 6.x patch id carries no build: unknown, not a guess
    [InlineData("ESXi80U3", "ESXi80U3-24022510")]
    [InlineData("8.0", "ESXi80U3-24022510")]
    [InlineData("9.0.1.12345", "9.0.1.0100")]
    public void EsxiRelease_UnorderablePair_IsUnknown(string a, string b)
    {
        Assert.False(VersionComparer.TryCompare(VersionScheme.EsxiRelease, a, b, out _));
    }

    [Fact]
    public void EsxiBuild_AcrossUpdateLines_DiffersFromRelease()
    {
        // Patched the same day on two lines: the U2 build number is higher, the U3 release is later.
        Assert.True(VersionComparer.TryCompare(VersionScheme.EsxiBuild, "ESXi80U2e-24789317", "ESXi80U3f-24784735", out int build));
        Assert.True(VersionComparer.TryCompare(VersionScheme.EsxiRelease, "ESXi80U2e-24789317", "ESXi80U3f-24784735", out int release));
        Assert.Equal(1, build);
        Assert.Equal(-1, release);
    }

    [Fact]
    public void TryCompare_EverySchemeOnWarmPath_AllocatesNothing()
    {
        (VersionScheme Scheme, string A, string B)[] cases =
        [
            (VersionScheme.Dpkg, "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2"),
            (VersionScheme.Rpm, "6.2.0-49.module+el8.10.0+21533+73236039", "1:6.2.0-53.module+el8.10.0+22375+ea5e8167.2"),
            (VersionScheme.SemVer, "1.0.0-alpha.beta.11", "1.0.0-alpha.beta.2+build.5"),
            (VersionScheme.EsxiRelease, "ESXi80U2e-24789317", "8.0.3-0.70.24674464"),
            (VersionScheme.EsxiBuild, "ESXi80U2e-24789317", "8.0.3-0.70.24674464"),
            (VersionScheme.WindowsBuild, "10.0.19045.3930", "10.0.19045.4046"),
        ];
        int sum = 0;
        foreach ((VersionScheme scheme, string a, string b) in cases)
        {
            sum += VersionComparer.TryCompare(scheme, a, b, out int r) ? r : 9;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            foreach ((VersionScheme scheme, string a, string b) in cases)
            {
                sum += VersionComparer.TryCompare(scheme, a, b, out int r) ? r : 9;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(int.MinValue, sum);
    }
}
