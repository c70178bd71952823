using System.Net;
using System.Text;
using System.Text.Json;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Advisories.Osv;

/// <summary>
/// A real HTTP server (HttpListener on a loopback port) with the shape of the osv.dev API — <c>POST /v1/querybatch</c> answering
/// <c>{"results":[{"vulns":[{"id","modified"}],"next_page_token"}]}</c> and <c>GET /v1/vulns/{id}</c> answering the record — over the real
/// OSV records of the corpus. It stands in for osv.dev, which cannot be reached from the tests: it names every record of a queried
/// package and ecosystem (it does not judge versions; the client matches locally), <see cref="PageSize"/> ids per page.
/// </summary>
public sealed class OsvApiServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Dictionary<(string Ecosystem, string Name), List<(string Id, string Modified)>> _index = [];
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private int _batches;
    private int _fetches;

    public OsvApiServer(params string[] corpusFolders)
    {
        foreach (string folder in corpusFolders)
        {
            foreach (string file in Directory.GetFiles(Corpus.Require(folder), "*.json"))
            {
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file));
                string id = doc.RootElement.GetProperty("id").GetString()!;
                _files[id] = file;
                string modified = doc.RootElement.GetProperty("modified").GetString()!;
                if (!doc.RootElement.TryGetProperty("affected", out JsonElement affected))
                {
                    continue;
                }

                foreach (JsonElement a in affected.EnumerateArray())
                {
                    if (a.TryGetProperty("package", out JsonElement p))
                    {
                        var key = (p.GetProperty("ecosystem").GetString()!, p.GetProperty("name").GetString()!);
                        List<(string, string)> list = _index.TryGetValue(key, out var l) ? l : _index[key] = [];
                        if (!list.Exists(e => e.Item1 == id))
                        {
                            list.Add((id, modified));
                        }
                    }
                }
            }
        }

        _listener = LoopbackHttpListener.Start(out int port);
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>Gets or sets how many ids one result lists before it gives a next_page_token (osv.dev: 1,000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Gets or sets whether every request is answered HTTP 500.</summary>
    public bool Failing { get; set; }

    public int Batches => _batches;

    public int Fetches => _fetches;

    /// <summary>The ids the server holds for every package of an ecosystem (what a correct client can at most be told).</summary>
    public IEnumerable<string> FilesOf(string ecosystem) => _index.Where(e => e.Key.Ecosystem == ecosystem).SelectMany(static e => e.Value).Select(e => _files[e.Id]).Distinct();

    public void Dispose()
    {
        // Close alone: it stops and releases the port once. Stop then Close removed the prefix twice, and the second removal
        // bound the port again (HttpListener on Unix): "Address already in use" when another test had taken it in between.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Send(context.Response, 400, $$"""{"code":3,"message":"{{e.GetType().Name}}"}""");
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        string path = request.Url!.AbsolutePath;
        if (Failing)
        {
            Send(context.Response, 500, """{"code":13,"message":"internal error"}""");
            return;
        }

        if (request.HttpMethod == "POST" && path == "/v1/querybatch")
        {
            Interlocked.Increment(ref _batches);
            using JsonDocument body = JsonDocument.Parse(new StreamReader(request.InputStream).ReadToEnd());
            var output = new StringBuilder("{\"results\":[");
            bool first = true;
            foreach (JsonElement q in body.RootElement.GetProperty("queries").EnumerateArray())
            {
                var key = (q.GetProperty("package").GetProperty("ecosystem").GetString()!, q.GetProperty("package").GetProperty("name").GetString()!);
                int offset = q.TryGetProperty("page_token", out JsonElement t) ? int.Parse(t.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
                List<(string Id, string Modified)> all = _index.GetValueOrDefault(key) ?? [];
                var page = all.Skip(offset).Take(PageSize).ToList();
                output.Append(first ? string.Empty : ",").Append('{');
                first = false;
                if (page.Count > 0)
                {
                    output.Append("\"vulns\":[").Append(string.Join(",", page.Select(static v => $$"""{"id":"{{v.Id}}","modified":"{{v.Modified}}"}"""))).Append(']');
                    if (offset + page.Count < all.Count)
                    {
                        output.Append($",\"next_page_token\":\"{offset + page.Count}\"");
                    }
                }

                output.Append('}');
            }

            Send(context.Response, 200, output.Append("]}").ToString());
        }
        else if (request.HttpMethod == "GET" && path.StartsWith("/v1/vulns/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _fetches);
            string id = Uri.UnescapeDataString(path["/v1/vulns/".Length..]);
            if (_files.TryGetValue(id, out string? file))
            {
                Send(context.Response, 200, File.ReadAllText(file));
            }
            else
            {
                Send(context.Response, 404, """{"code":5,"message":"Bug not found."}""");
            }
        }
        else
        {
            Send(context.Response, 404, """{"code":5,"message":"Not Found"}""");
        }
    }

    private static void Send(HttpListenerResponse response, int status, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }
}
