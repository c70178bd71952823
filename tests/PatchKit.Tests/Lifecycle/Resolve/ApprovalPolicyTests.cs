using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Tests.Lifecycle.Resolve;

public sealed class ApprovalPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly HostRecord Host = new() { Id = "h", Kind = HostKind.Linux, Tags = ["prod"] };

    private static PatchDefinition P(PatchSeverity s, int daysOld, PatchClassification c = PatchClassification.Security) =>
        new() { Id = "p", AppliesTo = [new PatchAppliesTo { Kind = HostKind.Linux }], Severity = s, ReleasedAt = Now.AddDays(-daysOld), Classification = c };

    [Fact]
    public void Evaluate_OldEnoughAndSevereEnough_Approved() =>
        Assert.True(new ApprovalPolicy().Evaluate(P(PatchSeverity.Important, 8), Host, Now).Approved);

    [Fact]
    public void Evaluate_TooNew_HeldWithTheDateItAutoApproves()
    {
        var d = new ApprovalPolicy().Evaluate(P(PatchSeverity.Critical, 2), Host, Now);
        Assert.False(d.Approved);
        Assert.Contains("2026-01-10", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BelowMinimumSeverity_Held() =>
        Assert.False(new ApprovalPolicy().Evaluate(P(PatchSeverity.Low, 60), Host, Now).Approved);

    [Fact]
    public void Evaluate_ClassificationNotListed_Held() =>
        Assert.False(new ApprovalPolicy { Classifications = [PatchClassification.Security] }.Evaluate(P(PatchSeverity.Critical, 60, PatchClassification.Driver), Host, Now).Approved);

    [Fact]
    public void Evaluate_ExplicitlyApproved_ApprovedWhateverTheAge() =>
        Assert.True(new ApprovalPolicy { ApprovedPatchIds = ["p"] }.Evaluate(P(PatchSeverity.Low, 0), Host, Now).Approved);

    [Fact]
    public void Evaluate_ExcludedPatchEvenIfApproved_Held() =>
        Assert.False(new ApprovalPolicy { ApprovedPatchIds = ["p"], ExcludedPatchIds = ["p"] }.Evaluate(P(PatchSeverity.Critical, 60), Host, Now).Approved);

    [Fact]
    public void Evaluate_ExcludedHostTag_Held() =>
        Assert.False(new ApprovalPolicy { ExcludedHostTags = ["prod"] }.Evaluate(P(PatchSeverity.Critical, 60), Host, Now).Approved);

    [Fact]
    public void Evaluate_NoAutoApproval_WaitsForExplicitApproval() =>
        Assert.False(new ApprovalPolicy { AutoApproveAfterDays = null }.Evaluate(P(PatchSeverity.Critical, 60), Host, Now).Approved);
}
