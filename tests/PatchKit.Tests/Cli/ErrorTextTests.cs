using System.Text.Json;
using PatchKit.Cli;
using PatchKit.Diffs;

namespace PatchKit.Tests.Cli;

/// <summary>The CLI runs with UseSystemResourceKeys, so .NET messages arrive as keys; these are the forms it meets.</summary>
public sealed class ErrorTextTests
{
    [Theory]
    [InlineData("IO_FileNotFound_FileName, /srv/fix.patch", "the file '/srv/fix.patch' does not exist")]
    [InlineData("IO_PathNotFound_Path, /srv/x/y", "a folder on the path '/srv/x/y' does not exist")]
    [InlineData("UnauthorizedAccess_IODenied_Path, /etc/shadow", "permission denied for '/etc/shadow'")]
    [InlineData("IO_FileExists_Name, /tmp/tools", "'/tmp/tools' already exists")]
    [InlineData("IO_SomethingNew_Path, /x", "an input/output error occurred on '/x'")]
    public void Describe_IOExceptionWithResourceKey_GivesASentence(string message, string expected)
    {
        Assert.Equal(expected, ErrorText.Describe(new IOException(message)));
    }

    [Fact]
    public void Describe_KeyNotFound_NamesTheKey()
    {
        Assert.Equal("'qemu-8.2.9' was not found", ErrorText.Describe(new KeyNotFoundException("Arg_KeyNotFoundWithKey, qemu-8.2.9")));
    }

    [Fact]
    public void Describe_ArgumentExceptionWithParamNameSuffix_DropsTheKey()
    {
        var ex = new ArgumentException("Invalid RepairStageOptions: MaxConcurrency must be at least 1. Arg_ParamName_Name, options");
        Assert.Equal("Invalid RepairStageOptions: MaxConcurrency must be at least 1", ErrorText.Describe(ex));
    }

    [Fact]
    public void Describe_LibraryExceptionQuotingItsCause_PutsTheCauseInWords()
    {
        var cause = new IOException("IO_FileExists_Name, /t/tools");
        var ex = new PatchApplyException($"Writing the tree failed, so every change was rolled back: {cause.Message}", "tools", cause);
        Assert.Equal("Writing the tree failed, so every change was rolled back: '/t/tools' already exists", ErrorText.Describe(ex));
    }

    [Fact]
    public void Describe_JsonExceptionFromTheSerializer_GivesOneBasedPosition()
    {
        var ex = new JsonException("DeserializeUnableToConvertValue, System.Int32", "$.maxConcurrency", 0, 22);
        Assert.Equal("invalid JSON at $.maxConcurrency, line 1, column 23", ErrorText.Describe(ex));
    }

    [Fact]
    public void Scrub_DiffErrorWithEmbeddedKey_GivesWords()
    {
        Assert.Equal("old/a: permission denied for '/srv/old/a'", ErrorText.Scrub("old/a: UnauthorizedAccess_IODenied_Path, /srv/old/a"));
    }

    [Fact]
    public void Describe_OrdinaryMessage_IsKept()
    {
        Assert.Equal("No space left on device : '/x'", ErrorText.Describe(new IOException("No space left on device : '/x'")));
    }
}
