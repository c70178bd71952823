namespace PatchKit.Cli.Commands;

/// <summary>`patchkit stat`: scaffolding until its issue lands (it says so and exits 2).</summary>
internal static class StatCommand
{
    public static int Run(CliContext context, string[] args) => context.Fail("'stat' is not available in this build yet");
}
