using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Repair;

namespace PatchKit.Tests.Lifecycle.Resolve;

public sealed class ResolveStageTests
{
    [Fact]
    public void Execute_InstalledPatchAndOtherKinds_NotApplicable()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("lin1", HostKind.Linux) with { InstalledPatches = [new InstalledPatch { PatchId = "ossl-1", InstalledAt = TestFleet.Start.AddDays(-3) }] });
        var (result, _) = TestFleet.Run(fleet, TestFleet.Catalog());
        Assert.Empty(result.Context.Assessment!.Find("lin1")!.Applicable);
        Assert.Equal(HostOutcomeState.NotApplicable, result.Outcome("lin1").State);
    }

    [Fact]
    public void Execute_LowSeverityPatch_SkippedForApprovalWithReason()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("lin1", HostKind.Linux));
        var (result, _) = TestFleet.Run(fleet, [TestFleet.Patch("low-1", HostKind.Linux, severity: PatchSeverity.Low)]);
        var o = result.Outcome("lin1");
        Assert.Equal(HostOutcomeState.Skipped, o.State);
        Assert.Equal(SkipReason.Approval, o.SkipReason);
        Assert.Contains("below", o.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_AppliesToVersionPrefix_OnlyMatchingHosts()
    {
        var fleet = TestFleet.Fleet(TestFleet.Host("esx1", HostKind.Esx), TestFleet.Host("esx7", HostKind.Esx) with { Version = "7.0.3" });
        var patch = TestFleet.Patch("esx8-only", HostKind.Esx) with { AppliesTo = [new PatchAppliesTo { Kind = HostKind.Esx, VersionPrefix = "8.0" }] };
        var (result, _) = TestFleet.Run(fleet, [patch], dryRun: true);
        Assert.Equal(["esx8-only"], result.Context.Assessment!.Find("esx1")!.Applicable);
        Assert.Empty(result.Context.Assessment.Find("esx7")!.Applicable);
    }
}
