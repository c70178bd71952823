using System.Buffers;
using System.Xml;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>Reads WS-Management answers: the ShellId of a CreateResponse, the CommandId of a CommandResponse, the
/// streams and state of a ReceiveResponse, and SOAP faults in the shape Windows sends them.</summary>
internal static class WsManResponse
{
    private const string SoapNs = "http://www.w3.org/2003/05/soap-envelope";
    private const string ShellNs = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    private const string WsManNs = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    private const string FaultNs = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
    private const string DoneState = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done";

    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        MaxCharactersInDocument = 64 * 1024 * 1024,
    };

    public static string ReadShellId(byte[] body, Uri endpoint)
    {
        using var r = Open(body);
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.Element)
            {
                if (r.LocalName == "Selector" && r.NamespaceURI == WsManNs && r.GetAttribute("Name") == "ShellId")
                {
                    return r.ReadElementContentAsString().Trim();
                }

                if (r.LocalName == "ShellId" && r.NamespaceURI == ShellNs)
                {
                    return r.ReadElementContentAsString().Trim();
                }
            }
        }

        throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {endpoint} answered Create without a ShellId");
    }

    public static string ReadCommandId(byte[] body, Uri endpoint)
    {
        using var r = Open(body);
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.Element && r.LocalName == "CommandId" && r.NamespaceURI == ShellNs)
            {
                return r.ReadElementContentAsString().Trim();
            }
        }

        throw new WinRmException(WinRmErrorKind.Protocol, $"WinRM at {endpoint} answered Command without a CommandId");
    }

    /// <summary>Appends the stdout and stderr chunks of a ReceiveResponse; returns the exit code once the command is done.</summary>
    public static (bool Done, int? ExitCode) ReadReceive(byte[] body, IBufferWriter<byte> stdout, IBufferWriter<byte> stderr)
    {
        bool done = false;
        int? exit = null;
        using var r = Open(body);
        r.MoveToContent();
        while (!r.EOF)
        {
            if (r.NodeType != XmlNodeType.Element || r.NamespaceURI != ShellNs)
            {
                r.Read();
                continue;
            }

            switch (r.LocalName)
            {
                case "Stream":
                    var target = r.GetAttribute("Name") == "stderr" ? stderr : stdout;
                    if (r.IsEmptyElement)
                    {
                        r.Read();
                        break;
                    }

                    r.Read();
                    if (r.NodeType == XmlNodeType.Text)
                    {
                        DecodeBase64(r.Value, target);
                    }

                    break;
                case "CommandState":
                    done |= r.GetAttribute("State") == DoneState;
                    r.Read();
                    break;
                case "ExitCode":
                    exit = r.ReadElementContentAsInt();
                    break;
                default:
                    r.Read();
                    break;
            }
        }

        return (done, exit);
    }

    /// <summary>Reads a SOAP fault into an exception naming the endpoint and action; null when the body is not a fault.</summary>
    public static WinRmException? ReadFault(byte[] body, int status, Uri endpoint, string action)
    {
        if (body.Length == 0)
        {
            return null;
        }

        string? subcode = null, reason = null, code = null, message = null;
        bool fault = false;
        try
        {
            using var r = Open(body);
            bool inSubcode = false;
            while (r.Read())
            {
                if (r.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (r.NamespaceURI == SoapNs)
                {
                    switch (r.LocalName)
                    {
                        case "Fault": fault = true; break;
                        case "Subcode": inSubcode = true; break;
                        case "Value" when inSubcode: subcode = r.ReadElementContentAsString().Trim(); break;
                        case "Text": reason ??= r.ReadElementContentAsString().Trim(); break;
                    }
                }
                else if (r.NamespaceURI == FaultNs)
                {
                    if (r.LocalName == "WSManFault")
                    {
                        code = r.GetAttribute("Code");
                    }
                    else if (r.LocalName == "Message")
                    {
                        message ??= r.ReadElementContentAsString().Trim();
                    }
                }
            }
        }
        catch (XmlException)
        {
            return null;
        }

        if (!fault)
        {
            return null;
        }

        string text = message ?? reason ?? "no reason given";
        return new WinRmException(WinRmErrorKind.Fault,
            $"WinRM at {endpoint} refused {action}: {text} (WS-Management fault {subcode ?? "?"}{(code is null ? string.Empty : ", code " + code)})")
        {
            WsManCode = code,
            Subcode = subcode,
            HttpStatus = status,
        };
    }

    private static XmlReader Open(byte[] body) => XmlReader.Create(new MemoryStream(body, writable: false), s_settings);

    private static void DecodeBase64(string text, IBufferWriter<byte> target)
    {
        int max = (text.Length / 4 * 3) + 3;
        var span = target.GetSpan(max);
        if (!Convert.TryFromBase64String(text, span, out int written))
        {
            throw new FormatException("A WinRM output stream is not base64.");
        }

        target.Advance(written);
    }
}
