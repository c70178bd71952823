namespace PatchKit.Hosts;

/// <summary>What a managed machine is.</summary>
public enum HostKind
{
    /// <summary>A VMware ESX/ESXi hypervisor host (patched with vendor bundles through esxcli or vSphere).</summary>
    Esx = 0,

    /// <summary>A KVM hypervisor host running QEMU guests (QMP, guest agent).</summary>
    Kvm = 1,

    /// <summary>A Windows machine, usually a guest (guest agent, WinRM).</summary>
    Windows = 2,

    /// <summary>A Linux machine, usually a guest (guest agent, SSH).</summary>
    Linux = 3,
}
