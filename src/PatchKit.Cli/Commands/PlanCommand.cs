namespace PatchKit.Cli.Commands;

/// <summary>`patchkit plan`: scaffolding until its issue lands (it says so and exits 2).</summary>
internal static class PlanCommand
{
    public static int Run(CliContext context, string[] args) => context.Fail("'plan' is not available in this build yet");
}
