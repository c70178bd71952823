using System.Diagnostics;
using PatchKit.Cli;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli;

/// <summary>The CLI as a process, as a user installs it: output into a file that the next command also writes, and the
/// two Native AOT binaries (<c>patchkit</c> hands the lifecycle commands to <c>patchkit-lifecycle</c> beside it).</summary>
public sealed class NativeBinaryTests
{
    [Fact]
    public void Output_IntoAFileTheNextCommandAlsoWrites_KeepsBothInOrder()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "a"), "a\n");
        File.WriteAllText(Path.Combine(dir.Path, "b"), "b\n");

        // One open file description for the whole group: each writer must leave its shared offset after its bytes.
        RunShell(dir.Path, """{ echo head; "$@" diff a b; "$@" --version; "$@" stat missing.diff; echo tail; } > out 2>&1""");

        string written = File.ReadAllText(Path.Combine(dir.Path, "out"));
        Assert.StartsWith($"head\n1c1\n< a\n---\n> b\n{CliApp.VersionLine}\npatchkit: the patch file 'missing.diff' does not exist.\nCheck the spelling; ", written, StringComparison.Ordinal);
        Assert.EndsWith(".\ntail\n", written, StringComparison.Ordinal);
        Assert.Equal(9, written.Split('\n').Length - 1);
    }

    [Fact]
    public void LifecycleCommand_FromThePatchkitCommand_Runs()
    {
        using var dir = new TempDir();

        // Under eng/aot-check.sh this goes through execv into patchkit-lifecycle; under dotnet test, one binary has all.
        var (code, output, error) = CliRunner.RunProcess(dir.Path, "plan", "--help");
        Assert.True(code == 0, error);
        Assert.StartsWith("Usage: patchkit plan ", output, StringComparison.Ordinal);

        (code, _, error) = CliRunner.RunProcess(dir.Path, "scan", "--inventory", "névé inventory.json", "--advisories", "adv");
        Assert.Equal(2, code);
        Assert.Contains("névé inventory.json", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [NativeCliFact]
    public void NativePublish_HotBinaryLinksNoLifecycleCode()
    {
        string patchkit = NativeCli;
        string lifecycle = Path.Combine(Path.GetDirectoryName(patchkit)!, LifecycleBinary.FileName);
        Assert.True(File.Exists(lifecycle), $"{LifecycleBinary.FileName} is not beside {patchkit}");

        // The PostgreSQL driver's names are in the binary with every command and not in the small one.
        Assert.True(Contains(lifecycle, "Npgsql"u8), "patchkit-lifecycle has no PostgreSQL code");
        Assert.False(Contains(patchkit, "Npgsql"u8), "the patchkit binary links the PostgreSQL driver");
        Assert.True(new FileInfo(patchkit).Length * 3 < new FileInfo(lifecycle).Length, "the patchkit binary is not much smaller");
    }

    [NativeCliFact]
    public void NativePublish_ThroughALinkElsewhere_FindsTheLifecycleBinaryBesideItsTarget()
    {
        using var dir = new TempDir();
        string bin = Directory.CreateDirectory(Path.Combine(dir.Path, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "patchkit"), NativeCli);
        File.CreateSymbolicLink(Path.Combine(bin, "patch"), NativeCli);

        var (code, output, error) = Proc.Run(Path.Combine(bin, "patchkit"), dir.Path, "run", "--help");
        Assert.True(code == 0, error);
        Assert.StartsWith("Usage: patchkit run ", output, StringComparison.Ordinal);

        (code, output, _) = Proc.Run(Path.Combine(bin, "patch"), dir.Path, "--version");
        Assert.Equal(0, code);
        Assert.StartsWith("GNU patch 2.7.6\n", output, StringComparison.Ordinal);
    }

    [NativeCliFact]
    public void NativePublish_LifecycleBinaryMissing_SaysWhatToInstall()
    {
        using var dir = new TempDir();
        string alone = Path.Combine(dir.Path, "patchkit");
        File.Copy(NativeCli, alone);

        var (code, output, error) = Proc.Run(alone, dir.Path, "demo", "-q");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal(
            $"patchkit: 'demo' is a command of patchkit-lifecycle, which could not be started from '{Path.Combine(dir.Path, "patchkit-lifecycle")}' (No such file or directory).\n"
            + "Install patchkit-lifecycle beside patchkit: both come out of the same native publish (see docs/packaging.md).\n",
            error);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));

        // What it runs itself still works alone.
        File.WriteAllText(Path.Combine(dir.Path, "p.diff"), "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
        (code, output, error) = Proc.Run(alone, dir.Path, "stat", "--numstat", "p.diff");
        Assert.True(code == 0, error);
        Assert.Equal("1\t1\tx\n", output);
    }

    private static string NativeCli => Environment.GetEnvironmentVariable(CliRunner.NativeCliVariable)!;

    private static bool Contains(string path, ReadOnlySpan<byte> text) => File.ReadAllBytes(path).AsSpan().IndexOf(text) >= 0;

    private static void RunShell(string workingDirectory, string script)
    {
        string? native = Environment.GetEnvironmentVariable(CliRunner.NativeCliVariable);
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("bash");
        if (string.IsNullOrEmpty(native))
        {
            psi.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            psi.ArgumentList.Add(RepoFiles.CliDll);
        }
        else
        {
            psi.ArgumentList.Add(native);
        }

        psi.Environment.Remove("PATCHKIT_VERBOSE");
        using var p = Process.Start(psi)!;
        p.WaitForExit();
    }
}

/// <summary>A fact about the Native AOT publish: it runs when <see cref="CliRunner.NativeCliVariable"/> names the
/// published binary (eng/aot-check.sh, which CI runs) and is skipped, saying so, under a plain <c>dotnet test</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeCliFactAttribute : FactAttribute
{
    public NativeCliFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CliRunner.NativeCliVariable)))
        {
            Skip = $"needs the Native AOT publish: eng/aot-check.sh sets {CliRunner.NativeCliVariable}";
        }
    }
}
