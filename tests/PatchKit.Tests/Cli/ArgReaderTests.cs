using PatchKit.Cli;

namespace PatchKit.Tests.Cli;

/// <summary>The GNU getopt_long behaviours docs/cli-parsing.md keeps ArgReader for.</summary>
public sealed class ArgReaderTests
{
    private static readonly ArgOption s_strip = new('p', "strip", true, "strip");
    private static readonly ArgOption s_dryRun = new('\0', "dry-run", false, "dry run");
    private static readonly ArgOption s_directory = new('d', "directory", true, "dir");
    private static readonly ArgOption s_forward = new('N', "forward", false, "forward");
    private static readonly ArgOption s_silent = new('s', "silent", false, "silent");
    private static readonly ArgOption[] s_options = [s_strip, s_dryRun, s_directory, s_forward, s_silent];

    [Fact]
    public void Parse_UnambiguousLongPrefix_IsTheLongOption()
    {
        var (options, operands) = ArgReader.Parse(["--dry", "--str=2"], s_options);
        Assert.Equal([s_dryRun, s_strip], options.Select(o => o.Option));
        Assert.Equal("2", options[1].Value);
        Assert.Empty(operands);
    }

    [Fact]
    public void Parse_UnknownLongOption_IsAnErrorNotAnOperand()
    {
        var ex = Assert.Throws<ArgReaderException>(() => ArgReader.Parse(["--bogus", "fix.patch"], s_options));
        Assert.Equal("unrecognized option '--bogus'", ex.Message);
    }

    [Fact]
    public void Parse_AmbiguousPrefix_IsAnError()
    {
        var options = new[] { s_dryRun, new ArgOption('\0', "dry-cleaning", false, "x") };
        var ex = Assert.Throws<ArgReaderException>(() => ArgReader.Parse(["--dry"], options));
        Assert.Equal("option '--dry' is ambiguous", ex.Message);
    }

    [Fact]
    public void Parse_AtSign_IsAnOperandNotAResponseFile()
    {
        var (options, operands) = ArgReader.Parse(["@fix.patch"], s_options);
        Assert.Empty(options);
        Assert.Equal(["@fix.patch"], operands);
    }

    [Fact]
    public void Parse_BundleWithAttachedValue_SetsEachOption()
    {
        var (options, _) = ArgReader.Parse(["-Nsp1"], s_options);
        Assert.Equal([s_forward, s_silent, s_strip], options.Select(o => o.Option));
        Assert.Equal("1", options[2].Value);
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var (options, operands) = ArgReader.Parse(["-p", "1", "--", "-x", "--dry"], s_options);
        Assert.Single(options);
        Assert.Equal(["-x", "--dry"], operands);
    }
}
