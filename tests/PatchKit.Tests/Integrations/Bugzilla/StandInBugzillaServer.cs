using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Integrations.Bugzilla;

/// <summary>A stand-in for Bugzilla 5.2's REST API, started by the tests on 127.0.0.1 with a free port. A real Bugzilla
/// (Perl, Apache, a database) cannot be installed on the build machines, so this server reproduces the behaviour issue 26
/// lists for 5.2: the key only as <c>api_key</c> (query or body; the X-BUGZILLA-API-KEY header and Bearer tokens are
/// ignored, so such a request is anonymous: HTTP 401, code 410), create answering 200 <c>{"id":N}</c> and comments 201,
/// error bodies <c>{"error":true,"code":N,"message":…}</c> with 306 (400), 106 (401), 51 (404) and 101 (404), required
/// op_sys/platform, statuses without CLOSED, whiteboard search by substring.</summary>
internal sealed class StandInBugzillaServer : IAsyncDisposable
{
    private static readonly string[] s_statuses = ["UNCONFIRMED", "CONFIRMED", "IN_PROGRESS", "RESOLVED", "VERIFIED"];
    private static readonly string[] s_priorities = ["Highest", "High", "Normal", "Low", "Lowest", "---"];
    private readonly HttpListener _listener;
    private int _stopped;
    private int _down;
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _nextId = 1;

    public StandInBugzillaServer(string validKey)
    {
        ValidKey = validKey;
        _listener = LoopbackHttpListener.Start(out int port);
        BaseAddress = new Uri("http://127.0.0.1:" + port + "/");

        _loop = Task.Run(LoopAsync);
    }

    public string ValidKey { get; }

    public Uri BaseAddress { get; }

    public Dictionary<string, HashSet<string>> Components { get; } = new(StringComparer.Ordinal) { ["PatchKit"] = ["Lab", "Core"] };

    public HashSet<string> Versions { get; } = new(StringComparer.Ordinal) { "unspecified", "1.0" };

    public ConcurrentDictionary<int, Bug> Bugs { get; } = new();

    /// <summary>Every request as seen on the wire: method, raw URL, headers, body.</summary>
    public ConcurrentQueue<(string Method, string Url, string Headers, string Body)> Requests { get; } = new();

    public sealed class Bug
    {
        public required int Id { get; init; }
        public required string Product { get; init; }
        public required string Component { get; init; }
        public required string Version { get; init; }
        public required string Summary { get; init; }
        public required string OpSys { get; init; }
        public required string Platform { get; init; }
        public string Priority { get; set; } = "---";
        public string Whiteboard { get; set; } = "";
        public string Status { get; set; } = "CONFIRMED";
        public string Resolution { get; set; } = "";
        public List<string> Comments { get; } = [];
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Gets or sets after how many filed bugs the server goes down (a tracker that fails in the middle of a
    /// run: later requests are answered 503, as by a web server in front of a stopped Bugzilla), or
    /// <see langword="null"/>.</summary>
    public int? StopAfterBugsFiled { get; set; }

    /// <summary>Gets or sets how long the server waits before it reads a request (to make a client time out).</summary>
    public TimeSpan Delay { get; set; }

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            _listener.Close(); // stops and releases the port once (Stop then Close removed the prefix twice)
        }
        catch (HttpListenerException)
        {
            // The managed listener can fail to release a port another listener just took; the test is over either way.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(ctx).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        if (Volatile.Read(ref _down) != 0)
        {
            await WriteAsync(ctx, 503, "<html>Service Unavailable</html>", "text/html").ConfigureAwait(false);
            return;
        }

        var req = ctx.Request;
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        string body;
        using (var reader = new StreamReader(req.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        var headers = new StringBuilder();
        foreach (string? name in req.Headers.AllKeys)
        {
            headers.Append(name).Append(": ").Append(req.Headers[name]).Append('\n');
        }

        Requests.Enqueue((req.HttpMethod, req.RawUrl ?? "", headers.ToString(), body));
        JsonObject? json = null;
        if (body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException)
            {
                await ErrorAsync(ctx, 400, 32614, "A REST request was made with an invalid JSON body.").ConfigureAwait(false);
                return;
            }
        }

        string path = req.Url!.AbsolutePath.TrimEnd('/');
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "rest")
        {
            await WriteAsync(ctx, 404, "<html>Not Found</html>", "text/html").ConfigureAwait(false);
            return;
        }

        if (parts is ["rest", "version"] && req.HttpMethod == "GET")
        {
            await WriteAsync(ctx, 200, "{\"version\":\"5.2\"}").ConfigureAwait(false);
            return;
        }

        // 5.2 reads api_key from the query string or the JSON body only; headers do not authenticate.
        string? key = req.QueryString["api_key"] ?? json?["api_key"]?.GetValue<string>();
        if (key is not null && key != ValidKey)
        {
            await ErrorAsync(ctx, 400, 306, "The API key you specified is invalid. Please check that you typed it correctly.").ConfigureAwait(false);
            return;
        }

        bool loggedIn = key is not null;
        switch (parts)
        {
            case ["rest", "bug"] when req.HttpMethod == "POST":
                if (!loggedIn)
                {
                    await ErrorAsync(ctx, 401, 410, "You must log in before using this part of Bugzilla.").ConfigureAwait(false);
                    return;
                }

                await CreateAsync(ctx, json!).ConfigureAwait(false);
                return;
            case ["rest", "bug"] when req.HttpMethod == "GET":
                await SearchAsync(ctx, req.QueryString["whiteboard"]).ConfigureAwait(false);
                return;
            case ["rest", "bug", var id] when req.HttpMethod == "GET":
                if (Find(id) is not { } one)
                {
                    await ErrorAsync(ctx, 404, 101, "Bug #" + id + " does not exist.").ConfigureAwait(false);
                    return;
                }

                await WriteAsync(ctx, 200, new JsonObject { ["bugs"] = new JsonArray(ToJson(one)) }.ToJsonString()).ConfigureAwait(false);
                return;
            case ["rest", "bug", var id] when req.HttpMethod == "PUT":
                if (!loggedIn)
                {
                    await ErrorAsync(ctx, 401, 410, "You must log in before using this part of Bugzilla.").ConfigureAwait(false);
                    return;
                }

                await UpdateAsync(ctx, id, json!).ConfigureAwait(false);
                return;
            case ["rest", "bug", var id, "comment"] when req.HttpMethod == "POST":
                if (!loggedIn)
                {
                    await ErrorAsync(ctx, 401, 410, "You must log in before using this part of Bugzilla.").ConfigureAwait(false);
                    return;
                }

                if (Find(id) is not { } bug)
                {
                    await ErrorAsync(ctx, 404, 101, "Bug #" + id + " does not exist.").ConfigureAwait(false);
                    return;
                }

                string? text = json?["comment"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(text))
                {
                    await ErrorAsync(ctx, 400, 54, "You must enter text for the comment.").ConfigureAwait(false);
                    return;
                }

                int commentId;
                lock (_gate)
                {
                    bug.Comments.Add(text);
                    commentId = 1000 + bug.Comments.Count;
                }

                await WriteAsync(ctx, 201, "{\"id\":" + commentId + "}").ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(ctx, 404, 32614, "A REST API resource was not found for '" + req.HttpMethod + " " + path + "'.").ConfigureAwait(false);
                return;
        }
    }

    private async Task CreateAsync(HttpListenerContext ctx, JsonObject json)
    {
        string? Field(string name) => json[name]?.GetValue<string>();
        string product = Field("product") ?? "";
        if (!Components.TryGetValue(product, out var components))
        {
            await ErrorAsync(ctx, 401, 106, "Product '" + product + "' does not exist or you don't have access to it.").ConfigureAwait(false);
            return;
        }

        foreach (string required in new[] { "component", "version", "summary", "op_sys", "platform" })
        {
            if (string.IsNullOrEmpty(Field(required)))
            {
                await ErrorAsync(ctx, 400, 50, "You must select/enter a " + required + ".").ConfigureAwait(false);
                return;
            }
        }

        if (!components.Contains(Field("component")!))
        {
            await ErrorAsync(ctx, 404, 51, "There is no component named '" + Field("component") + "' in the '" + product + "' product.").ConfigureAwait(false);
            return;
        }

        if (!Versions.Contains(Field("version")!))
        {
            await ErrorAsync(ctx, 404, 51, "There is no version named '" + Field("version") + "' in the '" + product + "' product.").ConfigureAwait(false);
            return;
        }

        string priority = Field("priority") ?? "---";
        if (Array.IndexOf(s_priorities, priority) < 0)
        {
            await ErrorAsync(ctx, 404, 51, "There is no Priority named '" + priority + "'.").ConfigureAwait(false);
            return;
        }

        Bug bug;
        lock (_gate)
        {
            bug = new Bug
            {
                Id = _nextId++,
                Product = product,
                Component = Field("component")!,
                Version = Field("version")!,
                Summary = Field("summary")!,
                OpSys = Field("op_sys")!,
                Platform = Field("platform")!,
                Priority = priority,
                Whiteboard = Field("whiteboard") ?? "",
            };
            bug.Comments.Add(Field("description") ?? "");
            Bugs[bug.Id] = bug;
        }

        await WriteAsync(ctx, 200, "{\"id\":" + bug.Id + "}").ConfigureAwait(false);
        if (StopAfterBugsFiled is { } n && Bugs.Count >= n)
        {
            // Down from here on, as Bugzilla behind a web server whose application has stopped: every later request
            // is answered 503. (Closing the listener instead raced: a request already on a kept-alive connection
            // could be answered by the closing listener, and the freed port could be taken by another test's server.)
            Volatile.Write(ref _down, 1);
        }
    }

    private async Task SearchAsync(HttpListenerContext ctx, string? whiteboard)
    {
        var found = new JsonArray();
        foreach (var bug in Bugs.Values.OrderBy(b => b.Id))
        {
            if (whiteboard is null || bug.Whiteboard.Contains(whiteboard, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(ToJson(bug));
            }
        }

        await WriteAsync(ctx, 200, new JsonObject { ["bugs"] = found }.ToJsonString()).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpListenerContext ctx, string id, JsonObject json)
    {
        if (Find(id) is not { } bug)
        {
            await ErrorAsync(ctx, 404, 101, "Bug #" + id + " does not exist.").ConfigureAwait(false);
            return;
        }

        string? status = json["status"]?.GetValue<string>();
        string? resolution = json["resolution"]?.GetValue<string>();
        if (status is not null && Array.IndexOf(s_statuses, status) < 0)
        {
            await ErrorAsync(ctx, 404, 51, "There is no Status named '" + status + "'.").ConfigureAwait(false);
            return;
        }

        if (status is "RESOLVED" && string.IsNullOrEmpty(resolution))
        {
            await ErrorAsync(ctx, 400, 52, "You must specify a resolution when changing the status to RESOLVED.").ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            if (status is not null)
            {
                bug.Status = status;
                bug.Resolution = resolution ?? "";
            }

            if (json["comment"]?["body"]?.GetValue<string>() is { Length: > 0 } comment)
            {
                bug.Comments.Add(comment);
            }
        }

        var changes = new JsonObject { ["status"] = new JsonObject { ["added"] = bug.Status, ["removed"] = "CONFIRMED" } };
        await WriteAsync(ctx, 200, new JsonObject { ["bugs"] = new JsonArray(new JsonObject { ["id"] = bug.Id, ["changes"] = changes }) }.ToJsonString()).ConfigureAwait(false);
    }

    private Bug? Find(string id) => int.TryParse(id, out int n) && Bugs.TryGetValue(n, out var bug) ? bug : null;

    private static JsonObject ToJson(Bug bug) => new()
    {
        ["id"] = bug.Id,
        ["status"] = bug.Status,
        ["resolution"] = bug.Resolution,
        ["whiteboard"] = bug.Whiteboard,
        ["summary"] = bug.Summary,
        ["product"] = bug.Product,
    };

    private static Task ErrorAsync(HttpListenerContext ctx, int status, int code, string message) =>
        WriteAsync(ctx, status, new JsonObject { ["error"] = true, ["code"] = code, ["message"] = message, ["documentation"] = "https://bugzilla.readthedocs.org/en/5.2/api/" }.ToJsonString());

    private static async Task WriteAsync(HttpListenerContext ctx, int status, string text, string contentType = "application/json; charset=utf-8")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength64 = bytes.Length;
        await ctx.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        ctx.Response.Close();
    }
}
