using System.Security.Cryptography;
using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using PatchKit.Hosts.Windows.Updates;
using PatchKit.Hosts.Windows.WinRm;
using PatchKit.Tests.Hosts.Kvm;
using static PatchKit.Tests.Hosts.Windows.WindowsFleet;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>The Windows adapter's <see cref="IGuestExecCapability"/> and payload copying over WinRM, against the WinRM
/// fixture: real NTLM authentication and message sealing; the fixture keeps a per-machine file store for the adapter's
/// file scripts (it does not run their PowerShell), so what is proven is the chunking, the base64 and quoting round trip
/// and the hash checks' wiring, not PowerShell's file cmdlets.</summary>
[Collection("winrm")]
public sealed class WindowsGuestExecTests(WinRmFixture fx)
{
    private int Scripts(string machine, string marker) =>
        fx.Envelopes().Count(e => e.GetProperty("machine").GetString() == machine
            && e.TryGetProperty("ps_script", out var s) && s.GetString()!.StartsWith("# patchkit:" + marker, StringComparison.Ordinal));

    [WinRmFact]
    public async Task Exec_ExitCodeAndOutput_OverWinRm_StandardInputRefusedClearly()
    {
        string machine = NewMachine();
        await using var adapter = Adapter(Host(fx, "win1", machine));
        Assert.True(adapter.GetType().IsAssignableTo(typeof(IGuestExecCapability)));
        var echo = await adapter.ExecAsync(Op("win1"), new GuestCommand { Program = "echo", Arguments = ["patched"] });
        Assert.Equal(0, echo.ExitCode);
        Assert.Equal("patched\r\n", Encoding.ASCII.GetString(echo.StandardOutput.Span));
        var exit = await adapter.ExecAsync(Op("win1"), new GuestCommand { Program = "cmd", Arguments = ["/c", "exit", "5"] });
        Assert.Equal(5, exit.ExitCode);
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => adapter.ExecAsync(Op("win1"), new GuestCommand { Program = "findstr", Arguments = ["x"], StandardInput = "x"u8.ToArray() }));
        Assert.Contains("Standard input", ex.Message, StringComparison.Ordinal);
        Assert.Contains("win1", (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single(h => h.Capabilities.HasFlag(HostCapabilities.GuestExec)).Id, StringComparison.Ordinal);
    }

    [WinRmFact]
    public async Task WriteThenRead_TenKilobytesInFourChunks_SameBytes_MissingFileIsNull()
    {
        string machine = NewMachine();
        await using var adapter = Adapter(Host(fx, "win1", machine));
        byte[] data = new byte[(3 * WinRmShell.WriteChunk) + 100];
        new Random(19).NextBytes(data);
        const string path = @"C:\Users\Public\patchkit it's here.bin"; // a space and a quote: PowerShell literal quoting
        await adapter.WriteFileAsync(Op("win1"), path, data);
        Assert.Equal(4, Scripts(machine, "file-write"));
        Assert.Equal(data, await adapter.ReadFileAsync(Op("win1"), path));
        Assert.Null(await adapter.ReadFileAsync(Op("win1"), @"C:\Users\Public\nothing.bin"));

        await adapter.WriteFileAsync(Op("win1"), @"C:\empty.txt", ReadOnlyMemory<byte>.Empty);
        Assert.Empty(Assert.IsType<byte[]>(await adapter.ReadFileAsync(Op("win1"), @"C:\empty.txt")));
    }

    [WinRmFact]
    public async Task PayloadOnTheOrchestrator_IsCopied_HashCheckedOnTheMachine_ThenInstalledFromThere()
    {
        string machine = NewMachine();
        string local = Path.Combine(Path.GetTempPath(), "windows10.0-kb5035005-x64-" + Guid.NewGuid().ToString("N")[..6] + ".msu");
        byte[] msu = new byte[5000];
        new Random(5).NextBytes(msu);
        await File.WriteAllBytesAsync(local, msu);
        try
        {
            await using var adapter = Adapter(Host(fx, "win1", machine));
            var payload = new InstallPayload { Kind = "msu", Location = new Uri(local).AbsoluteUri, Sha256 = Convert.ToHexStringLower(SHA256.HashData(msu)) };
            var r = await adapter.InstallAsync(Op("win1"), new InstallRequest { PatchId = "KB5035005", Payloads = [payload] });
            Assert.Equal(HostOperationStatus.SucceededRebootRequired, r.Status);
            string onMachine = @"C:\ProgramData\PatchKit\payloads\" + Path.GetFileName(local);
            Assert.Equal(msu, await adapter.ReadFileAsync(Op("win1"), onMachine));
            Assert.Equal(2, Scripts(machine, "file-write"));
            Assert.Equal(1, Scripts(machine, "file-hash"));
            string start = fx.Envelopes().Single(e => e.GetProperty("machine").GetString() == machine && e.TryGetProperty("ps_script", out var s)
                && s.GetString()!.StartsWith("# patchkit:payload-install-start", StringComparison.Ordinal)).GetProperty("ps_script").GetString()!;
            Assert.Contains("$Path = '" + onMachine + "'", start, StringComparison.Ordinal);

            // a payload that is not what the catalog says is neither copied nor installed
            string machine2 = NewMachine();
            await using var adapter2 = Adapter(Host(fx, "win2", machine2));
            var bad = new InstallPayload { Kind = "msu", Location = payload.Location, Sha256 = new string('0', 64) };
            var refused = await adapter2.InstallAsync(Op("win2"), new InstallRequest { PatchId = "KB5035005", Payloads = [bad] });
            Assert.Equal(HostOperationStatus.Failed, refused.Status);
            Assert.Contains("not the expected " + new string('0', 64), refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, Scripts(machine2, "file-write"));
            Assert.Equal(0, Scripts(machine2, "payload-install-start"));

            // a path on the machine with a SHA-256 is checked there: missing → not installed
            var missing = await adapter2.InstallAsync(Op("win2"), new InstallRequest
            {
                PatchId = "KB5035006",
                Payloads = [new InstallPayload { Kind = "msu", Location = @"D:\Updates\kb5035006.msu", Sha256 = payload.Sha256 }],
            });
            Assert.Equal(HostOperationStatus.Failed, missing.Status);
            Assert.Contains(@"D:\Updates\kb5035006.msu on win2 does not exist", missing.Message, StringComparison.Ordinal);
            Assert.Equal(0, Scripts(machine2, "payload-install-start"));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public void ExecWrapper_SetsEnvironmentAndFolder_QuotesEveryValue_ExitsWithTheProgramsCode()
    {
        string script = WindowsScripts.Exec(new GuestCommand { Program = @"C:\Tools\check.exe", Arguments = ["a b", "it's"], Environment = ["MODE=it's"], WorkingDirectory = @"C:\Program Files\App" });
        Assert.Equal("# patchkit:exec\nSet-Item -LiteralPath 'Env:MODE' -Value 'it''s'\nSet-Location -LiteralPath 'C:\\Program Files\\App'\n& 'C:\\Tools\\check.exe' 'a b' 'it''s'\nexit $LASTEXITCODE\n", script);
        Assert.Throws<HostAdapterException>(() => WindowsScripts.Exec(new GuestCommand { Program = "x", Environment = ["NOEQUALS"] }));
        Assert.Equal("plain", WinRmShell.QuoteArgument("plain"));
        Assert.Equal("\"a b\"", WinRmShell.QuoteArgument("a b"));
        Assert.Equal("\"say \\\"hi\\\"\"", WinRmShell.QuoteArgument("say \"hi\""));
        Assert.Equal("\"C:\\dir with space\\\\\"", WinRmShell.QuoteArgument("C:\\dir with space\\"));
        Assert.Equal("\"\"", WinRmShell.QuoteArgument(string.Empty));
    }

    [Fact]
    public void JobScripts_CarryTheirValuesAsLiterals_NotAsScheduledTaskArguments()
    {
        // "powershell -File x.ps1 -Kb '5035001'" hands the quotes to the script; the values are inside the job's script
        string wua = WindowsScripts.StartInstall(new string('a', 32), "5035001", null);
        Assert.Contains("$Kb = '5035001'", wua, StringComparison.Ordinal);
        Assert.Contains("$arg = \"-NoProfile -ExecutionPolicy Bypass -File `\"$dir\\$job.ps1`\"\"", wua, StringComparison.Ordinal);
        string payload = WindowsScripts.StartPayloadInstall(new string('b', 32), "wusa", @"C:\it's.msu");
        Assert.Contains("$Path = 'C:\\it''s.msu'", payload, StringComparison.Ordinal);
        Assert.Contains("wusa.exe", payload, StringComparison.Ordinal);
    }
}

/// <summary>The Windows adapter's <see cref="IGuestExecCapability"/> through the guest-agent transport against the real
/// qemu-ga running on the host (tests/fixtures/qga-host): the same guest-exec and guest-file-* protocol a Windows
/// guest's qemu-ga speaks; the programs and paths are the host's (Linux), as no Windows guest runs here.</summary>
public sealed class WindowsGuestAgentExecTests(QgaHostFixture qga) : IClassFixture<QgaHostFixture>
{
    private WindowsHostAdapter AgentAdapter()
    {
        qga.EnsureRunning();
        var o = new WindowsHostAdapterOptions();
        o.Hosts.Add(new WindowsHostOptions { Id = "win-vm", GuestAgentEndpoint = "unix:" + qga.Socket });
        return new WindowsHostAdapter(o);
    }

    [QgaFact]
    public async Task Exec_EnvironmentAndStandardInput_ThroughGuestExec()
    {
        await using var adapter = AgentAdapter();
        var r = await adapter.ExecAsync(Op("win-vm"), new GuestCommand
        {
            Program = "/bin/sh",
            Arguments = ["-c", "printf '%s|' \"$PK_MODE\"; cat; exit 7"],
            Environment = ["PK_MODE=verify", "PATH=/usr/bin:/bin"],
            StandardInput = "from stdin"u8.ToArray(),
        });
        Assert.Equal(7, r.ExitCode);
        Assert.Equal("verify|from stdin", Encoding.UTF8.GetString(r.StandardOutput.Span));
    }

    [QgaFact]
    public async Task WriteThenRead_SameBytes_MissingFileIsNull_ThroughGuestFileCommands()
    {
        await using var adapter = AgentAdapter();
        Directory.CreateDirectory(qga.Scratch);
        string path = Path.Combine(qga.Scratch, "win-exec-" + Guid.NewGuid().ToString("N")[..8] + ".bin");
        byte[] data = new byte[70_000];
        new Random(7).NextBytes(data);
        try
        {
            await adapter.WriteFileAsync(Op("win-vm"), path, data);
            Assert.Equal(data, await File.ReadAllBytesAsync(path));
            Assert.Equal(data, await adapter.ReadFileAsync(Op("win-vm"), path));
            Assert.Null(await adapter.ReadFileAsync(Op("win-vm"), path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
