using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Hosts.Esx.Ssh;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>A fresh fixture sshd for this class (tests/fixtures/esxi-ssh: real OpenSSH, keyboard-interactive passwords
/// only, like ESXi's sshd); esxcli there is the fixture's stand-in, which records its arguments and answers in
/// esxcli's documented output format.</summary>
public sealed class EsxiSshClassServer : IAsyncLifetime
{
    public EsxiSshServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EsxiSshServer.StartAsync("--version", "8.0.2", "--build", "22380479");

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

public sealed class EsxcliOverSshTests(EsxiSshClassServer fixture) : IClassFixture<EsxiSshClassServer>
{
    private EsxiSshServer Ssh => fixture.Server;

    private string[] Calls() => File.ReadAllLines(Ssh.CallLog);

    private void SetMaintenance(bool on) => File.WriteAllText(Path.Combine(Ssh.StateDir, "maintenance"), on ? "Enabled\n" : "Disabled\n");

    [EsxFact]
    public async Task ProfileUpdate_RebootRequiredParsed_ArgumentsAsSent_KeyboardInteractivePassword()
    {
        SetMaintenance(true);
        var request = new InstallRequest
        {
            PatchId = "ESXi-8.0U3b-24280767-standard",
            Payloads = [new InstallPayload { Kind = "vendor-bundle", Location = "https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip" }],
        };
        var args = EsxHostAdapter.EsxcliArguments(request, request.Payloads[0]);
        var (exit, output) = await new EsxcliClient(Ssh.Options()).RunAsync(args, CancellationToken.None);
        var r = EsxcliResult.Parse(exit, output);
        Assert.True(r.Succeeded, output);
        Assert.True(r.RebootRequired);
        Assert.Equal(["VMware_bootbank_esx-base_8.0.3-0.0.24280767"], r.Installed);
        Assert.Equal(["VMware_bootbank_esx-base_8.0.2-0.0.22380479"], r.Removed);
        Assert.Contains(Calls(), l => l.EndsWith(" esxcli software profile update -p ESXi-8.0U3b-24280767-standard -d https://depot.example.com/VMware-ESXi-8.0U3b-24280767-depot.zip", StringComparison.Ordinal));
    }

    [EsxFact]
    public async Task VibInstall_NotInMaintenanceMode_ErrorBlockParsed()
    {
        SetMaintenance(false);
        string bundle = "/vmfs/volumes/datastore1/PatchKit-mmcheck_2.0.0-1_1.zip";
        await File.WriteAllTextAsync(Path.Combine(Ssh.FakeRoot, bundle.TrimStart('/')), "x");
        var (exit, output) = await new EsxcliClient(Ssh.Options(knownHosts: true)).RunAsync(["software", "vib", "install", "-d", bundle], CancellationToken.None);
        var r = EsxcliResult.Parse(exit, output);
        Assert.False(r.Succeeded);
        Assert.Equal("MaintenanceModeError", r.ErrorClass);
        Assert.Contains("MaintenanceMode is required", r.ErrorText, StringComparison.Ordinal);
    }

    [EsxFact]
    public async Task ChangedHostKey_RefusedBeforeAnyCommand_WithAClearError()
    {
        int before = Calls().Length;
        var o = Ssh.Options();
        o.HostKeySha256 = "SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('=');
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => new EsxcliClient(o).RunAsync(["system", "version", "get"], CancellationToken.None));
        Assert.Contains("host key of 127.0.0.1:" + Ssh.Port, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Ssh.HostKeySha256, ex.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to connect", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, Calls().Length);
    }

    [EsxFact]
    public async Task UnknownHostKey_NotInKnownHosts_Refused()
    {
        string kh = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(kh, "[127.0.0.1]:1 " + File.ReadAllText(Ssh.KnownHostsPath).Split(' ', 2)[1]);
            var o = Ssh.Options();
            o.HostKeySha256 = null;
            o.KnownHostsPath = kh;
            var ex = await Assert.ThrowsAsync<HostAdapterException>(() => new EsxcliClient(o).RunAsync(["system", "version", "get"], CancellationToken.None));
            Assert.Contains("known_hosts", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kh);
        }
    }

    [Fact]
    public void NoPin_RefusedAtOnce()
    {
        var ex = Assert.Throws<HostAdapterException>(() => new EsxcliClient(new EsxSshOptions { Host = "esx1.example.com", UserName = "root" }));
        Assert.Contains("pinned host key", ex.Message, StringComparison.Ordinal);
    }

    [EsxFact]
    public async Task WrongPassword_ClearError_WithoutThePassword()
    {
        var o = Ssh.Options();
        o.Password = Secret.FromDelegate("t", _ => ValueTask.FromResult("Wrong-Pass-77"));
        var ex = await Assert.ThrowsAsync<HostAdapterException>(() => new EsxcliClient(o).RunAsync(["system", "version", "get"], CancellationToken.None));
        Assert.Contains("was refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'" + Ssh.User + "'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Pass-77", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SevenXLayout_AndNoChange_ParsedByKey()
    {
        var r = EsxcliResult.Parse(0, "Update Result\n   Message: The update completed successfully, but the system needs to be rebooted for the changes to be effective.\n   Reboot Required: true\n   VIBs Installed: VMware_bootbank_esx-base_7.0.3-0.0.22348816, VMware_bootbank_esx-update_7.0.3-0.0.22348816\n   VIBs Removed: VMware_bootbank_esx-base_7.0.3-0.0.21930508\n   VIBs Skipped:\n");
        Assert.True(r.RebootRequired);
        Assert.Equal(2, r.Installed.Count);
        Assert.Empty(r.Skipped);
        var n = EsxcliResult.Parse(0, "Installation Result\n   Message: Host is not changed.\n   VIBs Installed: \n   VIBs Removed: \n   VIBs Skipped: X_bootbank_y_1\n   Reboot Required: false\n   DPU Results: \n");
        Assert.False(n.RebootRequired);
        Assert.Empty(n.Installed);
        Assert.Equal("Host is not changed.", n.Message);
    }

    [Fact]
    public void EsxcliArguments_PerPayloadKind_AndShellQuoting()
    {
        var req = new InstallRequest { PatchId = "p1" };
        Assert.Equal(["software", "component", "apply", "-d", "/vmfs/volumes/ds/c.zip"], EsxHostAdapter.EsxcliArguments(req, new InstallPayload { Kind = "esxi-component", Location = "/vmfs/volumes/ds/c.zip" }));
        Assert.Equal(["software", "vib", "install", "-v", "https://h/x.vib"], EsxHostAdapter.EsxcliArguments(req, new InstallPayload { Kind = "package", Location = "https://h/x.vib" }));
        Assert.Equal(["software", "profile", "update", "-p", "ESXi-8.0U3-24022510-standard", "-d", "d.zip"], EsxHostAdapter.EsxcliArguments(req, new InstallPayload { Kind = "esxi-profile", Location = "d.zip", Architecture = "ESXi-8.0U3-24022510-standard" }));
        Assert.Equal("'a b'\\''c'", EsxcliClient.Quote("a b'c"));
        Assert.Equal("'$(reboot)'", EsxcliClient.Quote("$(reboot)"));
    }
}
