using System.Text.RegularExpressions;
using PatchKit.Hosts.Esx.Soap;
using PatchKit.Hosts.Esx.Ssh;

namespace PatchKit.Hosts.Esx;

public sealed partial class EsxHostAdapter
{
    /// <summary>Installs the request's payloads. With SSH configured for the host: <c>esxcli software profile update</c>
    /// (payload kind <c>esxi-profile</c>, or a patch id shaped like an image profile: <c>ESXi-8.0U3b-24280767-standard</c>),
    /// <c>software component apply</c> (kind <c>esxi-component</c>) or <c>software vib install</c> (anything else; a
    /// <c>.vib</c> by <c>-v</c>, a bundle by <c>-d</c>), with esxcli's answer parsed ("Reboot Required: true" gives
    /// <see cref="HostOperationStatus.SucceededRebootRequired"/>). Without SSH and with <see cref="EsxHostAdapterOptions.AllowApiInstall"/>:
    /// HostPatchManager.InstallHostPatchV2_Task with the payload's depot URL.</summary>
    /// <inheritdoc />
    public async Task<HostStepResult> InstallAsync(HostOperation operation, InstallRequest request)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(request);
        var ct = operation.CancellationToken;
        ct.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var host = await GetHostAsync(operation.HostId, ct).ConfigureAwait(false);
            if (host is null)
            {
                return HostStepResult.Fail("No host '" + operation.HostId + "' in the vSphere inventory.", TimeSpan.Zero, "ManagedObjectNotFound");
            }

            if (request.Payloads.Count == 0)
            {
                return HostStepResult.Fail("Patch " + request.PatchId + " has no payload (depot or VIB location) to install on " + host.Name + ".", TimeSpan.Zero, "NoPayload");
            }

            return InstallPath(host) switch
            {
                "ssh" => await InstallOverSshAsync(operation, host, request, started).ConfigureAwait(false),
                "api" => await InstallByApiAsync(operation, host, request, started).ConfigureAwait(false),
                _ => new HostStepResult { Status = HostOperationStatus.NotApplicable, Message = host.Name + " has no install path: no SSH access is configured and API install is not allowed." },
            };
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }

    internal static IReadOnlyList<string> EsxcliArguments(InstallRequest request, InstallPayload payload)
    {
        bool profile = payload.Kind == "esxi-profile" || ProfileName().IsMatch(request.PatchId);
        if (profile)
        {
            string name = payload.Kind == "esxi-profile" && payload.Architecture.Length > 0 ? payload.Architecture : request.PatchId;
            return ["software", "profile", "update", "-p", name, "-d", payload.Location];
        }

        if (payload.Kind == "esxi-component")
        {
            return ["software", "component", "apply", "-d", payload.Location];
        }

        return payload.Location.EndsWith(".vib", StringComparison.OrdinalIgnoreCase)
            ? ["software", "vib", "install", "-v", payload.Location]
            : ["software", "vib", "install", "-d", payload.Location];
    }

    [GeneratedRegex(@"^ESXi-\d+\.\d+(U\d+)?[a-z]?-\d+-(standard|no-tools)$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfileName();

    private async Task<HostStepResult> InstallOverSshAsync(HostOperation operation, EsxHostInfo host, InstallRequest request, long started)
    {
        var client = new EsxcliClient(SshFor(host)!);
        var installed = new List<string>();
        bool reboot = false;
        var messages = new List<string>();
        foreach (var payload in request.Payloads)
        {
            operation.CancellationToken.ThrowIfCancellationRequested();
            var args = EsxcliArguments(request, payload);
            await FenceAsync(operation, host.Moref, operation.CancellationToken).ConfigureAwait(false); // the lease is checked on the datastore before esxcli runs
            operation.ReportProgress("esxcli " + string.Join(' ', args.Take(3)) + " on " + host.Name);
            var (exit, output) = await client.RunAsync(args, operation.CancellationToken).ConfigureAwait(false);
            var r = EsxcliResult.Parse(exit, output);
            if (!r.Succeeded)
            {
                return new HostStepResult
                {
                    Status = installed.Count > 0 ? HostOperationStatus.Partial : HostOperationStatus.Failed,
                    Message = "esxcli " + string.Join(' ', args.Take(3)) + " on " + host.Name + " failed: [" + r.ErrorClass + "] " + r.ErrorText,
                    ErrorCode = r.ErrorClass,
                    Installed = installed,
                    Failed = [payload.Location],
                    Duration = _options.TimeProvider.GetElapsedTime(started),
                };
            }

            installed.AddRange(r.Installed);
            reboot |= r.RebootRequired;
            messages.Add(r.Message);
        }

        return new HostStepResult
        {
            Status = reboot ? HostOperationStatus.SucceededRebootRequired : HostOperationStatus.Succeeded,
            Message = host.Name + ": " + string.Join(" ", messages.Distinct(StringComparer.Ordinal)),
            Installed = installed,
            Duration = _options.TimeProvider.GetElapsedTime(started),
        };
    }

    private async Task<HostStepResult> InstallByApiAsync(HostOperation operation, EsxHostInfo host, InstallRequest request, long started)
    {
        var urls = request.Payloads.Select(p => p.Location).ToList();
        if (urls.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)) is { } bad)
        {
            return HostStepResult.Fail("The API install path (no shell on " + host.Name + ") needs an http(s) depot URL, not '" + bad + "'.", TimeSpan.Zero, "DepotNotUrl");
        }

        var info = await RunTaskAsync(operation, "install", "InstallHostPatchV2_Task", host.PatchManager!.Value, w =>
        {
            foreach (string u in urls)
            {
                w.WriteElementString("bundleUrls", VimXml.VimNamespace, u);
            }

            w.WriteStartElement("spec", VimXml.VimNamespace);
            w.WriteEndElement();
        }).ConfigureAwait(false);
        var result = TaskResult(info, "InstallHostPatchV2_Task on " + host.Name, started);
        return result.Status == HostOperationStatus.Succeeded && request.Reboot != RebootBehavior.Never
            ? new HostStepResult { Status = HostOperationStatus.SucceededRebootRequired, Message = result.Message, Duration = result.Duration, Installed = [request.PatchId] }
            : result.Status == HostOperationStatus.Succeeded
                ? new HostStepResult { Status = result.Status, Message = result.Message, Duration = result.Duration, Installed = [request.PatchId] }
                : result;
    }
}
