using System.Net;
using System.Text;
using PatchKit.Hosts.Esx.Soap;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Hosts.Esx;

/// <summary>Paging of RetrievePropertiesEx. The vSphere simulator ignores <c>maxObjects</c> and never returns a token,
/// so this one test uses a small stand-in HTTP server that answers with a token and a second page the way vCenter
/// does; everything else of the client is tested against the real simulator (paging too, through the launcher's
/// <c>-page-standin</c>, in <see cref="VcsimPagingTests"/>).</summary>
public sealed class VimPagingTests
{
    private const string Head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>";
    private const string Tail = "</soapenv:Body></soapenv:Envelope>";

    private static string Host(int i) =>
        $"<objects><obj type=\"HostSystem\">host-{i}</obj><propSet><name>name</name><val xsi:type=\"xsd:string\">esx{i}</val></propSet></objects>";

    [Fact]
    public async Task RetrieveView_FollowsTheTokenWithContinueRetrievePropertiesEx_AsksForThePageSize_AndStops()
    {
        var bodies = new List<string>();
        using var listener = LoopbackHttpListener.Start(out int port, "/sdk/");

        var serve = Task.Run(async () =>
        {
            for (int n = 0; n < 2; n++)
            {
                var ctx = await listener.GetContextAsync();
                string body = await new StreamReader(ctx.Request.InputStream).ReadToEndAsync();
                lock (bodies)
                {
                    bodies.Add(body);
                }

                string answer = body.Contains("<ContinueRetrievePropertiesEx", StringComparison.Ordinal)
                    ? "<ContinueRetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval>" + Host(3) + "</returnval></ContinueRetrievePropertiesExResponse>"
                    : "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>tok-1</token>" + Host(1) + Host(2) + "</returnval></RetrievePropertiesExResponse>";
                byte[] bytes = Encoding.UTF8.GetBytes(Head + answer + Tail);
                ctx.Response.ContentType = "text/xml; charset=utf-8";
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
        });

        using var client = new VimClient(new VimClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/sdk/"), AllowPlainHttp = true });
        var names = new List<string>();
        await client.RetrieveViewAsync(new ManagedObjectReference("PropertyCollector", "propertyCollector"), new ManagedObjectReference("ContainerView", "session[x]view-1"),
            [("HostSystem", ["name"])], 2, o => names.Add(o.Text("name")!), CancellationToken.None);
        await serve;
        Assert.Equal(["esx1", "esx2", "esx3"], names);
        Assert.Contains("<maxObjects>2</maxObjects>", bodies[0], StringComparison.Ordinal);
        Assert.Contains("<token>tok-1</token>", bodies[1], StringComparison.Ordinal);
    }
}
