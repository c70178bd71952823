using PatchKit.Advisories;
using PatchKit.Hosts;

namespace PatchKit.Lifecycle.Repair;

/// <summary>Turns a catalog's patch definition into the hosts-side install request adapters take.</summary>
internal static class InstallRequests
{
    public static InstallRequest From(PatchDefinition patch)
    {
        var p = patch.Payload;
        string kind = p.Kind switch
        {
            PatchPayloadKind.Package => "package",
            PatchPayloadKind.VendorBundle => "vendor-bundle",
            _ => "unified-diff",
        };
        string location = p.Uri ?? (p.PackageName is { } name ? name + (p.PackageVersion is { } v ? "=" + v : string.Empty) : string.Empty);
        return new InstallRequest
        {
            PatchId = patch.Id,
            Payloads = location.Length == 0 && p.Content is null ? [] : [new InstallPayload { Kind = kind, Location = location, Sha256 = p.Sha256 ?? string.Empty }],
            Reboot = patch.RequiresReboot ? RebootBehavior.Always : RebootBehavior.Never,
        };
    }
}
