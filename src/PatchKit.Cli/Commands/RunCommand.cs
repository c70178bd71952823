namespace PatchKit.Cli.Commands;

/// <summary>`patchkit run`: scaffolding until its issue lands (it says so and exits 2).</summary>
internal static class RunCommand
{
    public static int Run(CliContext context, string[] args) => context.Fail("'run' is not available in this build yet");
}
