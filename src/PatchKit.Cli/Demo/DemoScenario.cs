using PatchKit.Advisories;
using PatchKit.Hosts;
using PatchKit.Hosts.Simulated;
using PatchKit.Lifecycle;
using PatchKit.Lifecycle.Repair;
using PatchKit.Lifecycle.Resolve;

namespace PatchKit.Cli.Demo;

/// <summary>The embedded demo: a seeded fleet of ESX hosts with VMs and KVM hosts with QEMU guests, a catalog with a
/// broken patch the lab catches, and faults (an install that fails, a migration that hangs, a service that breaks).</summary>
internal static class DemoScenario
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static SimulatedFleetDescription Fleet()
    {
        var generated = SimulatedFleetGenerator.Generate(seed: 42, hypervisors: 12, guestsPerHost: 3, hostsPerCluster: 6);
        var hosts = generated.Hosts.ToList();
        void Fault(string id, SimulatedHostFaults f)
        {
            int i = hosts.FindIndex(h => h.Id == id);
            hosts[i] = hosts[i] with { Faults = f };
        }

        Fault("esx00006", new SimulatedHostFaults { MigrationHangs = true });
        Fault("kvm00009-vm01", new SimulatedHostFaults { InstallFails = true });
        Fault("esx00008-vm02", new SimulatedHostFaults { HealthFailsAfterPatch = true });
        int tagged = hosts.FindIndex(h => h.Id == "esx00010-vm00");
        hosts[tagged] = hosts[tagged] with { Tags = [.. hosts[tagged].Tags, "reboot:defer"] };
        return generated with { Hosts = hosts, BrokenPatches = ["KB5099999"] };
    }

    public static IReadOnlyList<PatchDefinition> Catalog() =>
    [
        Patch("ESXi80U2-202512", HostKind.Esx, PatchSeverity.Critical, 20, reboot: true, live: false, PatchPayloadKind.VendorBundle, "VMware ESXi 8.0 U2 security bundle"),
        Patch("qemu-8.2.9-CVE-2025-0001", HostKind.Kvm, PatchSeverity.Important, 12, reboot: true, live: true, PatchPayloadKind.Package, "QEMU 8.2.9: virtio-net heap overflow (live update)"),
        Patch("KB5098765", HostKind.Windows, PatchSeverity.Critical, 26, reboot: true, live: false, PatchPayloadKind.Package, "Windows Server 2022 cumulative update"),
        Patch("KB5099999", HostKind.Windows, PatchSeverity.Important, 10, reboot: true, live: false, PatchPayloadKind.Package, "Windows Server 2022 out-of-band update (breaks a service: the lab catches it)"),
        Patch("linux-6.8-livepatch-42", HostKind.Linux, PatchSeverity.Important, 15, reboot: true, live: true, PatchPayloadKind.Package, "Kernel live patch"),
        Patch("openssl-3.0.15", HostKind.Linux, PatchSeverity.Moderate, 30, reboot: false, live: false, PatchPayloadKind.UnifiedDiff, "OpenSSL config hardening (unified diff)"),
        Patch("ESXi80U2-tools-202512", HostKind.Esx, PatchSeverity.Low, 40, reboot: false, live: false, PatchPayloadKind.VendorBundle, "VMware Tools bundle (low: held by policy)"),
        Patch("qemu-8.2.10", HostKind.Kvm, PatchSeverity.Important, 2, reboot: true, live: true, PatchPayloadKind.Package, "QEMU 8.2.10 (too new: auto-approves in 5 days)"),
    ];

    public static LifecyclePolicy Policy()
    {
        var policy = new LifecyclePolicy
        {
            Approval = new ApprovalPolicy { MinimumSeverity = PatchSeverity.Moderate, AutoApproveAfterDays = 7 },
            MaxConcurrency = 4,
            ErrorBudget = 4,
            HaltOnEarlyWaveFailure = false,
        };
        policy.Windows.Add(new MaintenanceWindow { Start = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(6), TimeZone = "UTC" });
        return policy;
    }

    private static PatchDefinition Patch(string id, HostKind kind, PatchSeverity severity, int daysOld, bool reboot, bool live, PatchPayloadKind payload, string title) => new()
    {
        Id = id,
        Title = title,
        AppliesTo = [new PatchAppliesTo { Kind = kind }],
        Severity = severity,
        Classification = PatchClassification.Security,
        ReleasedAt = Start - TimeSpan.FromDays(daysOld),
        RequiresReboot = reboot,
        LivePatchable = live,
        Payload = new PatchPayload { Kind = payload, PackageName = id },
    };
}
