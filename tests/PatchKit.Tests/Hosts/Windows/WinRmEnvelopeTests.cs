using System.Text;
using System.Xml.Linq;
using PatchKit.Hosts.Windows;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Tests.Hosts.Windows;

/// <summary>PatchKit's request envelopes against the ones pywinrm 0.3.0 sent to the same fixture
/// (tests/fixtures/winrm/reference-envelopes): same elements, attributes and values, ids aside.</summary>
[Collection("winrm")]
public sealed class WinRmEnvelopeTests(WinRmFixture fx)
{
    [WinRmFact]
    public async Task CreateCommandReceiveSignalDelete_MatchPywinrmsEnvelopes_IdsAside()
    {
        int seq = fx.LastSeq;
        var o = fx.Options(false, WinRmAuthentication.Basic);
        o.AllowUnencryptedHttp = true; // the reference envelopes were taken over Basic/HTTP, as sent on the wire
        using var client = new WinRmClient(o);
        var r = await client.RunAsync("ipconfig", ["/all"], CancellationToken.None);
        Assert.Equal(0, r.ExitCode);

        var sent = fx.Envelopes(seq);
        string[] names = ["01-Create", "02-Command", "03-Receive", "04-Signal", "05-Delete"];
        Assert.Equal(names.Select(n => n[3..]), sent.Select(e => e.GetProperty("action").GetString()!));
        for (int i = 0; i < names.Length; i++)
        {
            string reference = Canonical(XDocument.Load(Path.Combine(WinRmFixture.Dir, "reference-envelopes", names[i] + ".xml")));
            string ours = Canonical(XDocument.Load(Path.Combine(fx.RunDir, sent[i].GetProperty("file").GetString()!)));
            Assert.Equal(reference, ours);
        }
    }

    /// <summary>Elements in order with their attributes and text; message ids, shell/command ids and the a:To address
    /// (pywinrm 0.3.0 always sends http://windows-host:5985/wsman) replaced by placeholders; namespace declarations
    /// and prefixes ignored.</summary>
    private static string Canonical(XDocument doc)
    {
        var sb = new StringBuilder();
        foreach (var e in doc.Root!.DescendantsAndSelf())
        {
            sb.Append('{').Append(e.Name.NamespaceName).Append('}').Append(e.Name.LocalName);
            foreach (var a in e.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
            {
                string value = a.Name.LocalName == "CommandId" ? "<id>" : a.Value;
                sb.Append(' ').Append(a.Name).Append("=\"").Append(value).Append('"');
            }

            if (!e.HasElements)
            {
                string text = e.Value;
                if (e.Name.LocalName is "MessageID" or "To" || (e.Name.LocalName == "Selector" && (string?)e.Attribute("Name") == "ShellId"))
                {
                    text = "<id>";
                }

                sb.Append(" = ").Append(text);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
