using System.Globalization;
using System.Security;
using System.Text;

namespace PatchKit.Hosts.Windows.WinRm;

/// <summary>Writes the WS-Management requests of the Windows remote shell (MS-WSMV 3.1.4): Create, Command, Receive,
/// Signal, Delete. Header order and options follow what Windows' own client and pywinrm send.</summary>
internal static class WsManEnvelope
{
    public const string ShellUri = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
    public const string ActionCreate = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create";
    public const string ActionDelete = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete";
    public const string ActionCommand = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command";
    public const string ActionReceive = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive";
    public const string ActionSignal = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal";
    public const string SignalTerminate = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate";
    public const string SignalCtrlC = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c";
    public const int MaxEnvelopeSize = 153600;

    private const string Open =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<env:Envelope xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:b=\"http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd\" xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\" xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\" xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\" xmlns:cfg=\"http://schemas.microsoft.com/wbem/wsman/1/config\"><env:Header>";

    public static byte[] Create(Uri to, TimeSpan operationTimeout, int codepage) =>
        Build(to, operationTimeout, ActionCreate, null,
            "<w:OptionSet><w:Option Name=\"WINRS_NOPROFILE\">FALSE</w:Option><w:Option Name=\"WINRS_CODEPAGE\">" + codepage.ToString(CultureInfo.InvariantCulture) + "</w:Option></w:OptionSet>",
            "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>");

    public static byte[] Command(Uri to, TimeSpan operationTimeout, string shellId, string command, IReadOnlyList<string> arguments)
    {
        var body = new StringBuilder("<rsp:CommandLine><rsp:Command>").Append(Escape(command)).Append("</rsp:Command>");
        foreach (string a in arguments)
        {
            body.Append("<rsp:Arguments>").Append(Escape(a)).Append("</rsp:Arguments>");
        }

        body.Append("</rsp:CommandLine>");
        return Build(to, operationTimeout, ActionCommand, shellId,
            "<w:OptionSet><w:Option Name=\"WINRS_CONSOLEMODE_STDIN\">TRUE</w:Option><w:Option Name=\"WINRS_SKIP_CMD_SHELL\">FALSE</w:Option></w:OptionSet>",
            body.ToString());
    }

    public static byte[] Receive(Uri to, TimeSpan operationTimeout, string shellId, string commandId) =>
        Build(to, operationTimeout, ActionReceive, shellId, string.Empty,
            "<rsp:Receive><rsp:DesiredStream CommandId=\"" + Escape(commandId) + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>");

    public static byte[] Signal(Uri to, TimeSpan operationTimeout, string shellId, string commandId, string signal) =>
        Build(to, operationTimeout, ActionSignal, shellId, string.Empty,
            "<rsp:Signal CommandId=\"" + Escape(commandId) + "\"><rsp:Code>" + signal + "</rsp:Code></rsp:Signal>");

    public static byte[] Delete(Uri to, TimeSpan operationTimeout, string shellId) =>
        Build(to, operationTimeout, ActionDelete, shellId, string.Empty, string.Empty);

    internal static string Escape(string s) => SecurityElement.Escape(s);

    private static byte[] Build(Uri to, TimeSpan operationTimeout, string action, string? shellId, string options, string body)
    {
        var sb = new StringBuilder(1536 + body.Length);
        sb.Append(Open)
          .Append("<a:To>").Append(Escape(to.AbsoluteUri)).Append("</a:To>")
          .Append("<a:ReplyTo><a:Address mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>")
          .Append("<w:MaxEnvelopeSize mustUnderstand=\"true\">").Append(MaxEnvelopeSize.ToString(CultureInfo.InvariantCulture)).Append("</w:MaxEnvelopeSize>")
          .Append("<a:MessageID>uuid:").Append(Guid.NewGuid().ToString("D").ToUpperInvariant()).Append("</a:MessageID>")
          .Append("<w:Locale mustUnderstand=\"false\" xml:lang=\"en-US\"></w:Locale>")
          .Append("<p:DataLocale mustUnderstand=\"false\" xml:lang=\"en-US\"></p:DataLocale>")
          .Append("<w:OperationTimeout>PT").Append(((int)Math.Ceiling(operationTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)).Append("S</w:OperationTimeout>")
          .Append("<w:ResourceURI mustUnderstand=\"true\">").Append(ShellUri).Append("</w:ResourceURI>")
          .Append("<a:Action mustUnderstand=\"true\">").Append(action).Append("</a:Action>");
        if (shellId is not null)
        {
            sb.Append("<w:SelectorSet><w:Selector Name=\"ShellId\">").Append(Escape(shellId)).Append("</w:Selector></w:SelectorSet>");
        }

        sb.Append(options).Append("</env:Header><env:Body>").Append(body).Append("</env:Body></env:Envelope>");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
