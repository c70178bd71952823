namespace PatchKit.Lifecycle.Reach;

internal static class ReachConstants
{
    public const string DefaultName = "reach";
}
