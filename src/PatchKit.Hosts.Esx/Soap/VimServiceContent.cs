namespace PatchKit.Hosts.Esx.Soap;

/// <summary>The parts of the ServiceContent PatchKit uses.</summary>
internal sealed class VimServiceContent
{
    public required ManagedObjectReference RootFolder { get; init; }

    public required ManagedObjectReference PropertyCollector { get; init; }

    public required ManagedObjectReference ViewManager { get; init; }

    public required ManagedObjectReference SessionManager { get; init; }

    /// <summary>The custom attributes' manager (vCenter), or null (a standalone ESXi has none).</summary>
    public ManagedObjectReference? CustomFieldsManager { get; init; }

    /// <summary>The datastore file manager (vCenter and standalone ESXi).</summary>
    public ManagedObjectReference? FileManager { get; init; }

    /// <summary><c>VirtualCenter</c> or <c>HostAgent</c> (a standalone ESXi: no vMotion, no clones).</summary>
    public string ApiType { get; init; } = string.Empty;

    public string ApiVersion { get; init; } = string.Empty;

    public string FullName { get; init; } = string.Empty;

    public bool IsVCenter => string.Equals(ApiType, "VirtualCenter", StringComparison.Ordinal);
}
