using System.Text.RegularExpressions;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>Every error path of the real CLI process (its runtime configuration sets UseSystemResourceKeys): exit 2, a
/// sentence that names the file, and for JSON inputs the JSON path, the 1-based line and column; no .NET resource key,
/// no stack trace.</summary>
public sealed partial class CliErrorTests
{
    private const string Fleet = """
        {
          "startTime": "2026-01-05T00:00:00+00:00",
          "hosts": [
            { "id": "esx01", "kind": "Esx", "version": "8.0.2" },
            { "id": "web01", "kind": "Windows", "parentId": "esx01" }
          ]
        }
        """;

    private const string Catalog = """
        {
          "patches": [
            { "id": "ESXi80U2-202512", "appliesTo": [ { "kind": "Esx" } ], "severity": "Critical", "releasedAt": "2025-12-16T00:00:00+00:00" }
          ]
        }
        """;

    private const string Policy = """
        {
          "windows": [ { "start": "22:00:00", "duration": "06:00:00", "timeZone": "Europe/Berlin" } ],
          "maxConcurrency": 2,
          "errorBudget": 1
        }
        """;

    /// <summary>Name → (which file, its text, what stderr must contain).</summary>
    private static readonly Dictionary<string, (string File, string Text, string[] Expected)> s_cases = new()
    {
        ["policy-misspelt-key"] = ("policy", Policy.Replace("\"maxConcurrency\"", "\"maxConcurency\"", StringComparison.Ordinal),
            ["policy file", "$.maxConcurency", "line 3, column 3", "did you mean \"maxConcurrency\""]),
        ["policy-max-concurrency-zero"] = ("policy", Policy.Replace("\"maxConcurrency\": 2", "\"maxConcurrency\": 0", StringComparison.Ordinal),
            ["policy file", "$.maxConcurrency", "line 3, column 21", "at least 1"]),
        ["policy-unknown-time-zone"] = ("policy", Policy.Replace("Europe/Berlin", "Mars/Olympus", StringComparison.Ordinal),
            ["policy file", "$.windows[0].timeZone", "line 2, column 75", "Mars/Olympus", "not known"]),
        ["policy-number-as-text"] = ("policy", Policy.Replace("\"errorBudget\": 1", "\"errorBudget\": \"one\"", StringComparison.Ordinal),
            ["policy file", "$.errorBudget", "line 4, column 18", "whole number"]),
        ["policy-bad-duration"] = ("policy", Policy.Replace("06:00:00", "6 hours", StringComparison.Ordinal),
            ["policy file", "$.windows[0].duration", "line 2, column 51", "duration such as"]),
        ["policy-not-json"] = ("policy", Policy.Replace("\"maxConcurrency\": 2,", "\"maxConcurrency\": 2", StringComparison.Ordinal),
            ["policy file", "line 4, column 3", "not valid JSON"]),
        ["policy-empty"] = ("policy", string.Empty, ["policy file", "line 1, column 1"]),
        ["fleet-duplicate-host-id"] = ("fleet", Fleet.Replace("\"id\": \"web01\"", "\"id\": \"esx01\"", StringComparison.Ordinal),
            ["fleet file", "$.hosts[1].id", "line 5, column 13", "\"esx01\" is already used by $.hosts[0]"]),
        ["fleet-dangling-parent"] = ("fleet", Fleet.Replace("\"parentId\": \"esx01\"", "\"parentId\": \"esx10\"", StringComparison.Ordinal),
            ["fleet file", "$.hosts[1].parentId", "line 5, column 53", "\"esx10\" names no host", "did you mean \"esx01\""]),
        ["fleet-missing-start-time"] = ("fleet", Fleet.Replace("\"startTime\": \"2026-01-05T00:00:00+00:00\",", string.Empty, StringComparison.Ordinal),
            ["fleet file", "line 1, column 1", "\"startTime\" is missing"]),
        ["fleet-missing-kind"] = ("fleet", Fleet.Replace("\"kind\": \"Esx\", ", string.Empty, StringComparison.Ordinal),
            ["fleet file", "$.hosts[0]", "line 4, column 5", "\"kind\" is missing"]),
        ["fleet-unknown-kind"] = ("fleet", Fleet.Replace("\"Windows\"", "\"Windoze\"", StringComparison.Ordinal),
            ["fleet file", "$.hosts[1].kind", "line 5, column 30", "Esx, Kvm, Windows, Linux"]),
        ["fleet-kind-unknown"] = ("fleet", Fleet.Replace("\"Windows\"", "\"Unknown\"", StringComparison.Ordinal),
            ["fleet file", "$.hosts[1].kind", "line 5, column 30", "needs a kind: Esx, Kvm, Windows or Linux"]),
        ["fleet-misspelt-key"] = ("fleet", Fleet.Replace("\"parentId\"", "\"parentID\"", StringComparison.Ordinal),
            ["fleet file", "$.hosts[1].parentID", "did you mean \"parentId\""]),
        ["fleet-bad-date"] = ("fleet", Fleet.Replace("2026-01-05T00:00:00+00:00", "next monday", StringComparison.Ordinal),
            ["fleet file", "$.startTime", "line 2, column 16", "date and time"]),
        ["catalog-unknown-top-level-key"] = ("catalog", Catalog.Replace("\"patches\"", "\"x\": 1, \"patches\"", StringComparison.Ordinal),
            ["catalog file", "$.x", "line 2, column 3", "unknown key \"x\"; the keys here are patches"]),
        ["catalog-duplicate-patch-id"] = ("catalog", Catalog.Replace("\" }\n  ]", "\" },\n    { \"id\": \"ESXi80U2-202512\", \"appliesTo\": [ { \"kind\": \"Esx\" } ] }\n  ]", StringComparison.Ordinal),
            ["catalog file", "$.patches[1].id", "line 4, column 13", "already used by $.patches[0]"]),
        ["catalog-missing-applies-to"] = ("catalog", Catalog.Replace("\"appliesTo\": [ { \"kind\": \"Esx\" } ], ", string.Empty, StringComparison.Ordinal),
            ["catalog file", "$.patches[0]", "line 3, column 5", "\"appliesTo\" is missing"]),
        ["catalog-misspelt-severity"] = ("catalog", Catalog.Replace("\"severity\"", "\"severty\"", StringComparison.Ordinal),
            ["catalog file", "$.patches[0].severty", "did you mean \"severity\""]),
        ["catalog-list-as-object"] = ("catalog", Catalog.Replace("\"appliesTo\": [ { \"kind\": \"Esx\" } ]", "\"appliesTo\": { \"kind\": \"Esx\" }", StringComparison.Ordinal),
            ["catalog file", "$.patches[0].appliesTo", "expected a list"]),
    };

    public static TheoryData<string> BrokenInputs() => [.. s_cases.Keys];

    [Theory]
    [MemberData(nameof(BrokenInputs))]
    public void Plan_BrokenInputFile_ExitsTwoNamingFilePathLineAndColumn(string name)
    {
        using var dir = new TempDir();
        RunBrokenInput(dir.Path, name, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
    }

    /// <summary>`run` reads the same files as `plan`: the inputs the issue saw crash it (exit 134, a stack trace) or
    /// escape as an unhandled exception are exit 2 with the message, before any journal or report is written.</summary>
    [Theory]
    [InlineData("fleet-duplicate-host-id")]
    [InlineData("policy-unknown-time-zone")]
    [InlineData("policy-max-concurrency-zero")]
    [InlineData("policy-misspelt-key")]
    public void Run_BrokenInputFile_ExitsTwoNamingFilePathLineAndColumn_WritesNothing(string name)
    {
        using var dir = new TempDir();
        RunBrokenInput(dir.Path, name, "run", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json", "-r", "r1", "-o", "out");
        Assert.False(File.Exists(Path.Combine(dir.Path, "out", "r1.journal")), "a journal was written for inputs that cannot run");
    }

    // Writes the three input files with the case's broken one, runs the real CLI and checks the error: exit 2, nothing on
    // standard output, the file named, every expected part of the message, no resource key or stack trace.
    private static void RunBrokenInput(string folder, string name, params string[] args)
    {
        var (which, text, expected) = s_cases[name];
        File.WriteAllText(Path.Combine(folder, "fleet.json"), Fleet);
        File.WriteAllText(Path.Combine(folder, "catalog.json"), Catalog);
        File.WriteAllText(Path.Combine(folder, "policy.json"), Policy);
        File.WriteAllText(Path.Combine(folder, which + ".json"), text);

        var (code, output, error) = CliRunner.RunProcess(folder, args);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"'{which}.json'", error, StringComparison.Ordinal);
        foreach (string e in expected)
        {
            Assert.Contains(e, error, StringComparison.Ordinal);
        }

        AssertReadable(error);
    }

    [Fact]
    public void Plan_ValidInputs_ExitZero()
    {
        // The base files of the table are valid, so each case fails only for what it changes.
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "fleet.json"), Fleet);
        File.WriteAllText(Path.Combine(dir.Path, "catalog.json"), Catalog);
        File.WriteAllText(Path.Combine(dir.Path, "policy.json"), Policy);
        var (code, output, error) = CliRunner.RunProcess(dir.Path, "plan", "-f", "fleet.json", "-c", "catalog.json", "-p", "policy.json");
        Assert.True(code == 0, error);
        Assert.Contains("Plan:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stat", "missing.patch")]
    [InlineData("apply", "-i", "missing.patch")]
    [InlineData("apply", "--dry-run", "-i", "no/such/folder/fix.patch")]
    public void PatchFile_Missing_ExitsTwoSayingItDoesNotExist(params string[] args)
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.RunProcess(dir.Path, args);
        Assert.Equal(2, code);
        Assert.Contains($"the patch file '{args[^1]}' does not exist", error, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Theory]
    [InlineData("stat")]
    [InlineData("apply", "-i")]
    public void PatchFile_IsAFolder_ExitsTwoSayingSo(params string[] args)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        var (code, _, error) = CliRunner.RunProcess(dir.Path, [.. args, "sub"]);
        Assert.Equal(2, code);
        Assert.Contains("the patch file 'sub' is a folder", error, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Fact]
    public void Apply_FileWhereAFolderMustGo_ExitsTwoWithTheCauseInWords()
    {
        // The library's PatchApplyException quotes its cause's message, which is a resource key in this build.
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "greeting.txt"), "Hello,\nworld\ngoodbye.\n");
        File.WriteAllText(Path.Combine(dir.Path, "tools"), "a file, not a folder\n");
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "apply", "-p1", "-i", RepoFiles.Example("hello.patch"));
        Assert.Equal(2, code);
        Assert.Contains("every change was rolled back", error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "tools"), error, StringComparison.Ordinal);
        AssertReadable(error);
        Assert.Equal("Hello,\nworld\ngoodbye.\n", File.ReadAllText(Path.Combine(dir.Path, "greeting.txt")));
    }

    [Theory]
    [InlineData("stat", "no valid patches in input: the patch file 'notes.txt' holds no file patch")]
    [InlineData("apply", "only garbage was found in the patch file 'notes.txt'")]
    public void PatchFile_WithoutAPatch_ExitsTwoNamingTheFile(string command, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "just some notes\nno diff here\n");
        var (code, _, error) = CliRunner.RunProcess(dir.Path, command == "stat" ? ["stat", "notes.txt"] : ["apply", "-i", "notes.txt"]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Fact]
    public void Stat_MalformedHunkHeader_NamesTheFileAndLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "bad.patch"), "--- a/f\n+++ b/f\n@@ -1,3 +1 @\n x\n");
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "stat", "bad.patch");
        Assert.Equal(2, code);
        Assert.Contains("the patch file 'bad.patch' is not a valid patch: Malformed hunk header", error, StringComparison.Ordinal);
        Assert.Contains("at line 3", error, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Fact]
    public void Plan_MissingFleetFile_ExitsTwoNamingIt()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "plan", "-f", "fleet.json", "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"));
        Assert.Equal(2, code);
        Assert.Contains("the fleet file 'fleet.json' does not exist", error, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Fact]
    public void Run_ResumeAfterCatalogChanged_ExplainsWhatChangedAndWhatToDo()
    {
        using var dir = new TempDir();
        string[] common = ["-f", RepoFiles.Example("fleet.json"), "-p", RepoFiles.Example("policy.json"), "-r", "r1", "-q"];
        using (var crashing = StartWithCrash(dir.Path, ["run", "-c", RepoFiles.Example("catalog.json"), .. common]))
        {
            crashing.WaitForExit();
            Assert.NotEqual(0, crashing.ExitCode);
        }

        string catalog = File.ReadAllText(RepoFiles.Example("catalog.json"));
        int start = catalog.IndexOf("{ \"id\": \"qemu-8.2.9\"", StringComparison.Ordinal);
        int end = catalog.IndexOf("{ \"id\": \"KB5098765\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, "changed.json"), catalog[..start] + catalog[end..]);

        var (code, _, error) = CliRunner.RunProcess(dir.Path, ["run", "-c", "changed.json", .. common]);

        Assert.Equal(2, code);
        Assert.Contains("run 'r1' cannot be resumed", error, StringComparison.Ordinal);
        Assert.Contains("catalog file changed.json (the run started with " + RepoFiles.Example("catalog.json") + "): patch qemu-8.2.9 removed", error, StringComparison.Ordinal);
        Assert.Contains("--run-id", error, StringComparison.Ordinal);
        AssertReadable(error);
    }

    [Fact]
    public void ShippedCli_HasNoKillHooks()
    {
        // The kill hooks live in the tests' own host of the CLI; the variables mean nothing to `patchkit` itself.
        using var dir = new TempDir();
        string[] args = ["run", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", RepoFiles.Example("policy.json"), "-q"];
        var hooked = new Dictionary<string, string> { ["PATCHKIT_SIM_CRASH_AT"] = "1", ["PATCHKIT_TEST_CRASH_AFTER"] = "1" };
        var (plain, _, _) = CliRunner.RunProcess(dir.Path, [.. args, "-r", "plain"]);
        var (withHooks, _, error) = CliRunner.RunProcessWithEnvironment(dir.Path, hooked, [.. args, "-r", "hooked"]);
        Assert.Equal(plain, withHooks);
        Assert.True(withHooks is 0 or 1, error);
    }

    [Fact]
    public void UnexpectedError_Verbose_PrintsTheStackTrace()
    {
        // --verbose is the one way to a stack trace (STYLE 8); without it the same error is one sentence.
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        var quiet = CliRunner.RunProcess(dir.Path, "apply", "-i", "sub");
        Assert.DoesNotContain("   at ", quiet.Error, StringComparison.Ordinal);
        var verbose = CliRunner.RunProcess(dir.Path, "apply", "--verbose", "-i", "sub");
        Assert.Equal(2, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_VerboseWithBrokenPolicy_PrintsTheMessageAndTheStackTrace()
    {
        // --verbose is global: plan has no option of that name, and must not reject it.
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "policy.json"), "{ \"maxConcurrency\": 0 }");
        var (code, _, error) = CliRunner.RunProcess(dir.Path, "plan", "--verbose", "-f", RepoFiles.Example("fleet.json"), "-c", RepoFiles.Example("catalog.json"), "-p", "policy.json");
        Assert.Equal(2, code);
        Assert.Contains("maxConcurrency is 0", error, StringComparison.Ordinal);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    internal static void AssertReadable(string error)
    {
        Assert.StartsWith("patchkit", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    private static System.Diagnostics.Process StartWithCrash(string dir, string[] args)
    {
        var p = CliRunner.StartProcess(dir, new Dictionary<string, string> { ["PATCHKIT_SIM_CRASH_AT"] = "10" }, args, crashHooks: true);
        p.StandardInput.Close();
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    // IO_FileNotFound_FileName, Arg_KeyNotFoundWithKey, DeserializeUnableToConvertValue, UnauthorizedAccess_IODenied_Path.
    [GeneratedRegex(@"\b[A-Z][A-Za-z]*_[A-Za-z_]+\b|\bDeserialize[A-Z][A-Za-z]+\b|\bArg_")]
    private static partial Regex ResourceKey();
}
