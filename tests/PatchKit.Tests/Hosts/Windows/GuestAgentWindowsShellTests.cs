using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;
using PatchKit.Hosts.Windows.GuestAgent;
using PatchKit.Tests.Hosts.Kvm;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The Windows adapter's guest-agent transport against the real qemu-ga running on the host
/// (tests/fixtures/qga-host): the same agent and wire protocol a Windows guest's qemu-ga speaks. The host has no
/// PowerShell, so the PowerShell test points the transport at a stand-in program that prints the script it was handed
/// (it checks the -EncodedCommand encoding over the real agent, not PowerShell).</summary>
public sealed class GuestAgentWindowsShellTests(QgaHostFixture qga) : IClassFixture<QgaHostFixture>
{
    private Task<GuestAgentWindowsShell> ShellAsync(string powerShell = "powershell", TimeSpan? timeout = null)
    {
        qga.EnsureRunning();
        return Task.FromResult(new GuestAgentWindowsShell("unix:" + qga.Socket, powerShell, timeout ?? TimeSpan.FromSeconds(20)));
    }

    [QgaFact]
    public async Task RunCommand_ExitCodeAndBothOutputsAsBytes()
    {
        await using var shell = await ShellAsync();
        var r = await shell.RunCommandAsync("/bin/sh", ["-c", "printf 'out \\303\\274'; printf 'err' >&2; exit 3"], CancellationToken.None);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out ü", Encoding.UTF8.GetString(r.StandardOutput.Span));
        Assert.Equal("err", Encoding.UTF8.GetString(r.StandardError.Span));
    }

    [QgaFact]
    public async Task RunPowerShell_HandsTheScriptOverAsEncodedCommand()
    {
        string standIn = Path.Combine(qga.Scratch, "powershell-stand-in-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(qga.Scratch);
        File.WriteAllText(standIn, "#!/bin/sh\n# stands in for powershell.exe: prints the script that -EncodedCommand carries\n"
            + "exec python3 -c 'import sys,base64;a=sys.argv[1:];i=a.index(\"-EncodedCommand\");sys.stdout.write(base64.b64decode(a[i+1]).decode(\"utf-16-le\"))' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        try
        {
            await using var shell = await ShellAsync(standIn);
            const string script = "Get-HotFix | Where-Object { $_.HotFixID -eq 'KB5034441' } # ü \"quoted\"";
            var r = await shell.RunPowerShellAsync(script, CancellationToken.None);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(script, Encoding.UTF8.GetString(r.StandardOutput.Span));
        }
        finally
        {
            File.Delete(standIn);
        }
    }

    [QgaFact]
    public async Task RunCommand_PastItsTimeout_IsAnErrorNamingTheAgent()
    {
        await using var shell = await ShellAsync(timeout: TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => shell.RunCommandAsync("/bin/sleep", ["5"], CancellationToken.None));
        Assert.Contains(qga.Socket, ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not finish within 1 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAgentListening_IsUnreachable_NamingTheSocket_AndTheNextCallConnectsAgain()
    {
        string socket = Path.Combine(Path.GetTempPath(), "patchkit-no-agent-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        await using var shell = new GuestAgentWindowsShell("unix:" + socket, "powershell", TimeSpan.FromSeconds(5));
        for (int i = 0; i < 2; i++)
        {
            var ex = await Assert.ThrowsAsync<PatchKit.Hosts.Windows.WinRm.WinRmException>(() => shell.RunCommandAsync("cmd", ["/c", "ver"], CancellationToken.None));
            Assert.Equal(PatchKit.Hosts.Windows.WinRm.WinRmErrorKind.Unreachable, ex.Kind);
            Assert.Contains(socket, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_GuestAgentEndpoint_ReplacesTheWinRmConnection_AndMustBeASocketAddress()
    {
        var ok = new PatchKit.Hosts.Windows.WindowsHostAdapterOptions();
        ok.Hosts.Add(new PatchKit.Hosts.Windows.WindowsHostOptions { Id = "win1", GuestAgentEndpoint = "unix:/run/qga-win1.sock" });
        Assert.Empty(ok.Validate());
        var bad = new PatchKit.Hosts.Windows.WindowsHostAdapterOptions();
        bad.Hosts.Add(new PatchKit.Hosts.Windows.WindowsHostOptions { Id = "win1", GuestAgentEndpoint = "/run/qga-win1.sock" });
        Assert.Contains(bad.Validate(), p => p.Contains("unix:PATH or tcp:HOST:PORT", StringComparison.Ordinal));
    }
}
