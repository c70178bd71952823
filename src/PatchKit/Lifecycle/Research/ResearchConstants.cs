namespace PatchKit.Lifecycle.Research;

internal static class ResearchConstants
{
    public const string DefaultName = "research";

    public const string HealthCheck = "health-check";

    public const string IssueDecisionPrefix = "research/issue/";
}
