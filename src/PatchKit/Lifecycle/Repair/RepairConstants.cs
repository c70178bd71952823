namespace PatchKit.Lifecycle.Repair;

internal static class RepairConstants
{
    public const string DefaultName = "repair";
    public const string LabWave = "lab";
    public const string CanaryWave = "canary";
    public const string RestWave = "rest";
    public const string HealthCheck = "health-check";
}
