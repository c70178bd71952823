using System.Text;
using PatchKit.Cli;
using PatchKit.Cli.Commands;

namespace PatchKit.Tests.Cli.Commands;

public class GnuDropInTests
{
    [Fact]
    public void EdScript_ShellCommand_IsRefusedAndNothingRuns()
    {
        string marker = Path.Combine(Path.GetTempPath(), "patchkit-ed-" + Guid.NewGuid().ToString("N"));
        byte[] script = Encoding.UTF8.GetBytes($"1a\nx\n.\n!touch {marker}\nw\n");
        byte[]? result = GnuEdScript.Apply("a\n"u8.ToArray(), script, out string? error);
        Assert.Null(result);
        Assert.Contains("runs no other command", error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void EdScript_AsDiffWritesIt_Applies()
    {
        byte[]? result = GnuEdScript.Apply("1\n2\n3\n"u8.ToArray(), "3c\nthree\n.\n1d\n"u8.ToArray(), out string? error);
        Assert.Null(error);
        Assert.Equal("2\nthree\n", Encoding.UTF8.GetString(result!));
    }

    [Theory]
    [InlineData("patch", "patch")]
    [InlineData("diff", "diff")]
    public void InvokedThroughLink_BecomesTheDropInCommand(string name, string command)
    {
        string[] args = CliApp.ForInvokedName(name, ["-p1", "-i", "x.diff"]);
        Assert.Equal([command, "-p1", "-i", "x.diff"], args);
    }

    [Fact]
    public void InvokedAsPatchkit_KeepsItsArguments()
    {
        Assert.Equal(["apply", "-p1"], CliApp.ForInvokedName("patchkit", ["apply", "-p1"]));
    }
}
