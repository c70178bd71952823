namespace PatchKit.Lifecycle.Resolve;

internal static class ResolveConstants
{
    public const string DefaultName = "resolve";

    /// <summary>The journal decision that freezes approvals for every attempt of a run.</summary>
    public const string DecisionKey = "resolve/assessment";
}
