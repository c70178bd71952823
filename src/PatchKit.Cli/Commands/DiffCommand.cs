namespace PatchKit.Cli.Commands;

/// <summary>`patchkit diff`: scaffolding until its issue lands (it says so and exits 2).</summary>
internal static class DiffCommand
{
    public static int Run(CliContext context, string[] args) => context.Fail("'diff' is not available in this build yet");
}
