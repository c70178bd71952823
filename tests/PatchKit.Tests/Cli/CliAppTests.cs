using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public void Run_UnknownCommand_ExitsTwoWithMessage()
    {
        var (code, _, error) = CliRunner.Run(Directory.GetCurrentDirectory(), null, "frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_ListsCommandsAndExitsZero()
    {
        var (code, output, _) = CliRunner.Run(Directory.GetCurrentDirectory(), null, "--help");
        Assert.Equal(0, code);
        Assert.Contains("apply", output, StringComparison.Ordinal);
        Assert.Contains("stat", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoArguments_ExitsTwoWithUsageOnStandardError()
    {
        var (code, output, error) = CliRunner.Run(Directory.GetCurrentDirectory(), null);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("patchkit: missing command", error, StringComparison.Ordinal);
        Assert.Contains("Usage: patchkit <command>", error, StringComparison.Ordinal);
    }
}
