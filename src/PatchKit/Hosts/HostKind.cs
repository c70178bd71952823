namespace PatchKit.Hosts;

/// <summary>What a managed machine is.</summary>
public enum HostKind
{
    /// <summary>Not known: planned for nothing (no patch applies to it).</summary>
    Unknown = 0,

    /// <summary>A VMware ESX/ESXi hypervisor host (patched with vendor bundles through esxcli or vSphere).</summary>
    Esx = 1,

    /// <summary>A KVM hypervisor host running QEMU guests (QMP, guest agent).</summary>
    Kvm = 2,

    /// <summary>A Windows machine, usually a guest (guest agent, WinRM).</summary>
    Windows = 3,

    /// <summary>A Linux machine, usually a guest (guest agent, SSH).</summary>
    Linux = 4,
}
