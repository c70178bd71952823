using PatchKit.Advisories;
using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Turns a catalog's patch definition into the hosts-side install request adapters take.</summary>
internal static class InstallRequests
{
    public static InstallRequest From(PatchDefinition patch) => new()
    {
        PatchId = patch.Id,
        Payloads = [.. (patch.Payloads.Count > 0 ? patch.Payloads : [patch.Payload]).Select(Payload).OfType<InstallPayload>()],
        Reboot = patch.Reboot != RebootBehavior.Unknown ? patch.Reboot : patch.RequiresReboot ? RebootBehavior.Always : RebootBehavior.Never,
    };

    private static InstallPayload? Payload(PatchPayload p)
    {
        string kind = p.Kind switch
        {
            PatchPayloadKind.Package => "package",
            PatchPayloadKind.VendorBundle => "vendor-bundle",
            PatchPayloadKind.UnifiedDiff => "unified-diff",
            _ => "unknown",
        };
        string location = p.Uri ?? (p.PackageName is { } name ? name + (p.PackageVersion is { } v ? "=" + v : string.Empty) : string.Empty);
        return location.Length == 0 && p.Content is null ? null : new InstallPayload { Kind = kind, Location = location, Sha256 = p.Sha256 ?? string.Empty };
    }
}
