using System.Globalization;
using System.Xml;

namespace PatchKit.Hosts.Esx.Soap;

/// <summary>One element of a vSphere response, read once with <see cref="XmlReader"/>: its local name, its
/// <c>xsi:type</c> (resolved by namespace, prefix stripped), the un-namespaced <c>type</c> of a managed object
/// reference, its text and its child elements.</summary>
internal sealed class VimNode
{
    private static readonly List<VimNode> s_none = [];

    public required string Name { get; init; }

    /// <summary>The XML Schema instance type without prefix (<c>string</c>, <c>TaskInfo</c>), or null.</summary>
    public string? XsiType { get; init; }

    /// <summary>The un-namespaced <c>type</c> attribute (a moref's managed object type), or null.</summary>
    public string? MorefType { get; init; }

    public string Text { get; set; } = string.Empty;

    public List<VimNode> Children { get; private set; } = s_none;

    public bool IsMoref => MorefType is not null;

    public ManagedObjectReference AsMoref() => new(MorefType ?? string.Empty, Text);

    public VimNode? Child(string name)
    {
        foreach (var c in Children)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return null;
    }

    public IEnumerable<VimNode> ChildrenNamed(string name)
    {
        foreach (var c in Children)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal))
            {
                yield return c;
            }
        }
    }

    public string? ChildText(string name) => Child(name)?.Text;

    public bool ChildBool(string name) => string.Equals(ChildText(name), "true", StringComparison.Ordinal);

    public long? ChildLong(string name) =>
        long.TryParse(ChildText(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;

    public DateTimeOffset? ChildTime(string name) => ParseTime(ChildText(name));

    /// <summary>xsd:dateTime with 0 to 9 fractional digits (the simulator sends 9, real servers 3 to 6).</summary>
    public static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string s = text;
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                s = string.Concat(s.AsSpan(0, dot + 8), s.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }

    /// <summary>Reads the element the reader is on, with everything inside it; leaves the reader after its end.</summary>
    public static VimNode Read(XmlReader reader)
    {
        string? xsiType = null;
        string? morefType = null;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.LocalName == "type")
                {
                    if (reader.NamespaceURI == VimXml.XsiNamespace)
                    {
                        string v = reader.Value;
                        int colon = v.IndexOf(':', StringComparison.Ordinal);
                        xsiType = colon >= 0 ? v[(colon + 1)..] : v;
                    }
                    else if (reader.NamespaceURI.Length == 0)
                    {
                        morefType = reader.Value;
                    }
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        var node = new VimNode { Name = reader.LocalName, XsiType = xsiType, MorefType = morefType };
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return node;
        }

        reader.Read();
        string? text = null;
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (ReferenceEquals(node.Children, s_none))
                    {
                        node.Children = [];
                    }

                    node.Children.Add(Read(reader));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    text = text is null ? reader.Value : text + reader.Value;
                    reader.Read();
                    break;
                default:
                    reader.Read();
                    break;
            }
        }

        reader.Read();
        node.Text = node.Children.Count > 0 ? string.Empty : text ?? string.Empty;
        return node;
    }
}
