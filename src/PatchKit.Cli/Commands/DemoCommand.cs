namespace PatchKit.Cli.Commands;

/// <summary>`patchkit demo`: scaffolding until its issue lands (it says so and exits 2).</summary>
internal static class DemoCommand
{
    public static int Run(CliContext context, string[] args) => context.Fail("'demo' is not available in this build yet");
}
