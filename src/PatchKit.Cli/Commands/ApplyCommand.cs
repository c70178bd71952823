namespace PatchKit.Cli.Commands;

/// <summary>`patchkit apply`: scaffolding until its issue lands (it says so and exits 2).</summary>
internal static class ApplyCommand
{
    public static int Run(CliContext context, string[] args) => context.Fail("'apply' is not available in this build yet");
}
