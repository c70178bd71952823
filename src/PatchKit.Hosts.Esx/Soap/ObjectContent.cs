namespace PatchKit.Hosts.Esx.Soap;

/// <summary>One object of a RetrievePropertiesEx answer: its moref and the properties that are set (unset ones are
/// absent), each as the <c>val</c> node.</summary>
internal sealed class ObjectContent
{
    public required ManagedObjectReference Obj { get; init; }

    public Dictionary<string, VimNode> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Properties the server could not read (e.g. NotAuthenticated), by path, with the fault type.</summary>
    public Dictionary<string, string> Missing { get; } = new(StringComparer.Ordinal);

    public string? Text(string path) => Properties.TryGetValue(path, out var v) ? v.Text : null;

    public bool Bool(string path) => string.Equals(Text(path), "true", StringComparison.Ordinal);

    public long? Long(string path) => long.TryParse(Text(path), System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : null;

    public ManagedObjectReference? Moref(string path) => Properties.TryGetValue(path, out var v) && v.IsMoref ? v.AsMoref() : null;

    public VimNode? Node(string path) => Properties.TryGetValue(path, out var v) ? v : null;

    internal static ObjectContent From(VimNode objects)
    {
        var obj = objects.Child("obj") ?? throw new VimFaultException("Xml", "An ObjectContent without obj.");
        var content = new ObjectContent { Obj = obj.AsMoref() };
        foreach (var p in objects.ChildrenNamed("propSet"))
        {
            if (p.ChildText("name") is { } name && p.Child("val") is { } val)
            {
                content.Properties[name] = val;
            }
        }

        foreach (var m in objects.ChildrenNamed("missingSet"))
        {
            if (m.ChildText("path") is { } path)
            {
                content.Missing[path] = m.Child("fault")?.Child("fault")?.XsiType ?? "Fault";
            }
        }

        return content;
    }
}
