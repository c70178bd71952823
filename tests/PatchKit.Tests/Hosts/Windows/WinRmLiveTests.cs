using System.Text;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>Opt-in, against a real Windows host: runs when PATCHKIT_WINRM_URL, PATCHKIT_WINRM_LIVE_USER and
/// PATCHKIT_WINRM_LIVE_PASSWORD are set (optional: PATCHKIT_WINRM_AUTH = Negotiate|Ntlm|Basic,
/// PATCHKIT_WINRM_THUMBPRINT_SHA256 for an https:// listener with a self-signed certificate). Read-only: it installs and
/// reboots nothing.</summary>
public sealed class WinRmLiveTests
{
    private static WinRmConnectionOptions Options() => new()
    {
        Endpoint = new Uri(Environment.GetEnvironmentVariable("PATCHKIT_WINRM_URL")!),
        UserName = Environment.GetEnvironmentVariable("PATCHKIT_WINRM_LIVE_USER")!,
        Password = Secret.FromEnvironment("PATCHKIT_WINRM_LIVE_PASSWORD"),
        Authentication = Enum.TryParse<WinRmAuthentication>(Environment.GetEnvironmentVariable("PATCHKIT_WINRM_AUTH"), true, out var a) ? a : WinRmAuthentication.Negotiate,
        CertificateThumbprintSha256 = Environment.GetEnvironmentVariable("PATCHKIT_WINRM_THUMBPRINT_SHA256") is { Length: > 0 } t ? t : null,
    };

    [LiveWindowsFact]
    public async Task RealHost_RunsACommand_AndTheAdapterReadsItsInventory()
    {
        using (var client = new WinRmClient(Options()))
        {
            var r = await client.RunAsync("hostname", [], CancellationToken.None);
            Assert.Equal(0, r.ExitCode);
            Assert.NotEmpty(Encoding.ASCII.GetString(r.StandardOutput.Span).Trim());
        }

        var options = new WindowsHostAdapterOptions();
        options.Hosts.Add(new WindowsHostOptions { Id = "live", Connection = Options() });
        await using var adapter = new WindowsHostAdapter(options);
        var host = (await adapter.GetInventoryAsync(CancellationToken.None)).Hosts.Single();
        Assert.Equal(HostStatus.Reachable, host.Status);
        Assert.StartsWith("10.0.", host.Version, StringComparison.Ordinal);
        Assert.NotNull(await adapter.IdentifyAsync(new HostOperation("live")));
        Assert.True((await adapter.RunStepAsync(new HostOperation("live"), new HostStep { Name = "windows.pending-reboot" })).Succeeded);
    }
}

/// <summary>Skipped unless the live Windows host is configured (opt-in even under CI=true).</summary>
public sealed class LiveWindowsFactAttribute : FactAttribute
{
    public LiveWindowsFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PATCHKIT_WINRM_URL"))
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PATCHKIT_WINRM_LIVE_USER"))
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PATCHKIT_WINRM_LIVE_PASSWORD")))
        {
            Skip = "opt-in: set PATCHKIT_WINRM_URL, PATCHKIT_WINRM_LIVE_USER and PATCHKIT_WINRM_LIVE_PASSWORD to run against a real Windows host";
        }
    }
}
