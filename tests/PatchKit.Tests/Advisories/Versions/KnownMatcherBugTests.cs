using PatchKit.Advisories.Versions;

namespace PatchKit.Tests.Advisories.Versions;

/// <summary>
/// Orderings other matchers got wrong, as cases: epochs (grype #437, syft #408), Debian backports <c>~bpo</c> (wazuh #38474), a Debian
/// version without its release suffix (osv.dev #4230), RHEL module releases. The expectations are checked against dpkg and librpm too.
/// </summary>
public sealed class KnownMatcherBugTests
{
    public static TheoryData<string, string, int> DpkgCases => new()
    {
        { "1:1.0-1", "2.0-1", 1 },                       // an epoch outweighs any upstream version (grype #437)
        { "0:1.0-1", "1.0-1", 0 },                       // epoch 0 is the same as none
        { "1:2.30-1", "2.31-1", 1 },
        { "1.2.3-1~bpo11+1", "1.2.3-1", -1 },            // a backport sorts below the release it backports (wazuh #38474)
        { "1.2.3-1~bpo11+1", "1.2.2-1", 1 },
        { "9.2p1-2+deb12u3", "9.2p1-2", 1 },             // Debian security update above the base release (osv.dev #4230)
        { "9.2p1-2+deb12u3", "9.2p1-2+deb12u2", 1 },
        { "1:9.2p1-2+deb12u3", "9.2p1-2+deb12u3", 1 },
        { "2.36-9+deb12u4", "2.36-9+deb12u10", -1 },
        { "1.0~rc1", "1.0", -1 },
        { "1.0~~", "1.0~", -1 },
        { "1.0+dfsg-1", "1.0-1", 1 },
        { "1.0", "1.0-0", 0 },                           // an absent revision is the same as "0"
        { "8.9p1-3ubuntu0.10", "8.9p1-3ubuntu0.4", 1 },
    };

    public static TheoryData<string, string, int> RpmCases => new()
    {
        { "1:1.0-1.el8", "2.0-1.el8", 1 },                 // epochs (syft #408)
        { "0:8.7p1-38.el9", "8.7p1-38.el9", 0 },
        { "1:3.0.7-27.el9", "3.0.7-27.el9", 1 },
        { "6.2.0-49.module+el8.10.0+21533+73236039", "6.2.0-53.module+el8.10.0+22375+ea5e8167.2", -1 },  // RHEL module releases
        { "6.2.0-53.module+el8.10.0+22375+ea5e8167.2", "6.2.0-53.module+el8.10.0+22375+ea5e8167", 1 },
        { "8.2.0-11.module_el8.10.0+3832+a9a1e0e5", "8.2.0-11.module+el8.10.0+21533+73236039", -1 },     // separators are not compared; the build id is
        { "4.18.0-553.el8_10", "4.18.0-553.5.1.el8_10", -1 },
        { "7.76.1-29.el9_4", "7.76.1-29.el9_4.1", -1 },
        { "1.0~rc1-1", "1.0-1", -1 },
        { "1.0^post1-1", "1.0-1", 1 },
        { "1.0^post1-1", "1.0.1-1", -1 },
        { "1.0", "1.0-1", -1 },                             // no release sorts below any release (python3-rpm labelCompare)
    };

    [Theory]
    [MemberData(nameof(DpkgCases))]
    public void Dpkg_KnownCase_OrdersAsDpkg(string a, string b, int expected)
    {
        Assert.True(VersionComparer.TryCompare(VersionScheme.Dpkg, a, b, out int result));
        Assert.Equal(expected, result);
        Assert.Equal(-expected, VersionComparer.For(VersionScheme.Dpkg).Compare(b, a));
    }

    [Theory]
    [MemberData(nameof(RpmCases))]
    public void Rpm_KnownCase_OrdersAsLibrpm(string a, string b, int expected)
    {
        Assert.True(VersionComparer.TryCompare(VersionScheme.Rpm, a, b, out int result));
        Assert.Equal(expected, result);
        Assert.Equal(-expected, VersionComparer.For(VersionScheme.Rpm).Compare(b, a));
    }

    [ReferenceToolFact("dpkg")]
    public void DpkgCases_Expectations_AreDpkgs()
    {
        List<(string, string, int)> cases = [.. DpkgCases.Select(static r => ((string)r[0], (string)r[1], (int)r[2]))];
        int?[] dpkg = ReferenceTools.Dpkg([.. cases.Select(static c => (c.Item1, c.Item2))]);
        Assert.Equal(cases.Select(static c => (int?)c.Item3), dpkg);
    }

    [ReferenceToolFact("python3-rpm")]
    public void RpmCases_Expectations_AreLibrpms()
    {
        List<(string, string, int)> cases = [.. RpmCases.Select(static r => ((string)r[0], (string)r[1], (int)r[2]))];
        int?[] rpm = ReferenceTools.RpmLabelCompare([.. cases.Select(static c => (c.Item1, c.Item2))], bare: false);
        Assert.Equal(cases.Select(static c => (int?)c.Item3), rpm);
    }
}
