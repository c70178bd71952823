namespace PatchKit.Lifecycle.Report;

internal static class ReportConstants
{
    public const string DefaultName = "report";
}
