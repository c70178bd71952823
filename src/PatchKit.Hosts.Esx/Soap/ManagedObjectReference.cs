namespace PatchKit.Hosts.Esx.Soap;

/// <summary>A vSphere managed object reference: its type (<c>HostSystem</c>) and its opaque value (<c>host-34</c>,
/// <c>session[…]…</c>).</summary>
internal readonly record struct ManagedObjectReference(string Type, string Value)
{
    public bool IsEmpty => string.IsNullOrEmpty(Value);

    public override string ToString() => Type + ":" + Value;
}
