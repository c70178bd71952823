using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace PatchKit.Hosts.Kvm;

/// <summary>A client of the QEMU Machine Protocol over a unix socket or TCP. It reads the greeting, negotiates
/// capabilities (<c>oob</c> only when QEMU advertises it), puts an <c>id</c> on every command and matches replies by it,
/// so commands may be issued concurrently; events go to subscribers. A command that does not answer within its timeout
/// fails with a <see cref="QmpException"/> of class <see cref="QmpException.TimeoutClass"/>; a lost connection fails every
/// pending command with a <see cref="KvmConnectionException"/>.</summary>
/// <example><code>
/// await using var qmp = await QmpClient.ConnectAsync("unix:/run/vm1.qmp");
/// JsonElement status = await qmp.ExecuteAsync("query-status");
/// </code></example>
public sealed class QmpClient : IAsyncDisposable
{
    private readonly JsonLineConnection _connection;
    private readonly KvmClientOptions _options;
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly object _subscribersLock = new();
    private readonly CancellationTokenSource _stop = new();
    private Action<QmpEvent>[] _subscribers = [];
    private Task _readLoop = Task.CompletedTask;
    private long _nextId;
    private volatile string? _closedReason;

    private QmpClient(JsonLineConnection connection, KvmClientOptions options)
    {
        _connection = connection;
        _options = options;
    }

    /// <summary>Gets the address this client is connected to.</summary>
    public string Endpoint => _connection.Endpoint;

    /// <summary>Gets QEMU's version as the greeting reported it (<c>7.2.22</c>).</summary>
    public string QemuVersion { get; private set; } = string.Empty;

    /// <summary>Gets the distribution's package string from the greeting (<c>Debian 1:7.2+dfsg-7+deb12u18</c>).</summary>
    public string QemuPackage { get; private set; } = string.Empty;

    /// <summary>Gets the capabilities the greeting advertised (<c>oob</c>).</summary>
    public IReadOnlyList<string> AdvertisedCapabilities { get; private set; } = [];

    /// <summary>Gets a value indicating whether out-of-band execution was enabled.</summary>
    public bool OutOfBandEnabled { get; private set; }

    /// <summary>Gets a value indicating whether the connection is still open.</summary>
    public bool IsConnected => _closedReason is null;

    /// <summary>Gets a task that completes when the connection ends (closed by either side or lost).</summary>
    public Task Completion => _readLoop;

    /// <summary>Connects, reads the greeting and negotiates capabilities.</summary>
    /// <param name="endpoint"><c>unix:PATH</c> (or an absolute path) or <c>tcp:HOST:PORT</c>.</param>
    /// <param name="options">Timeouts and clock; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The connected client, in command mode.</returns>
    /// <exception cref="KvmConnectionException">Nothing listens there, or what answers is not QMP.</exception>
    public static async Task<QmpClient> ConnectAsync(string endpoint, KvmClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KvmClientOptions();
        var connection = await JsonLineConnection.ConnectAsync(endpoint, options.ConnectTimeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var client = new QmpClient(connection, options);
        try
        {
            await client.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = _options.TimeProvider.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), cts, _options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        JsonDocument? greeting;
        try
        {
            greeting = await _connection.ReadMessageAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KvmConnectionException(Endpoint, "no QMP greeting within " + _options.ConnectTimeout.TotalSeconds + " s (another client may hold the monitor)", null);
        }

        using (greeting)
        {
            if (greeting is null || !greeting.RootElement.TryGetProperty("QMP", out var qmp))
            {
                throw new KvmConnectionException(Endpoint, greeting is null ? "closed before the QMP greeting" : "not a QMP greeting", null);
            }

            var info = qmp.Deserialize(KvmJsonContext.Default.QmpGreetingBody);
            if (info?.Version?.Qemu is { } v)
            {
                QemuVersion = v.Major + "." + v.Minor + "." + v.Micro;
            }

            QemuPackage = (info?.Version?.Package ?? string.Empty).Trim();
            AdvertisedCapabilities = info?.Capabilities ?? [];
        }

        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        bool oob = AdvertisedCapabilities.Contains("oob", StringComparer.Ordinal);
        JsonObject? args = oob ? new JsonObject { ["enable"] = new JsonArray("oob") } : null;
        await ExecuteAsync("qmp_capabilities", args, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        OutOfBandEnabled = oob;
    }

    /// <summary>Registers a handler for every event. Handlers run on the reader; keep them short and non-blocking.</summary>
    /// <param name="handler">Called once per event; exceptions it throws are ignored.</param>
    /// <returns>Disposing it unsubscribes.</returns>
    public IDisposable Subscribe(Action<QmpEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_subscribersLock)
        {
            _subscribers = [.. _subscribers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Runs a command and returns its <c>return</c> member.</summary>
    /// <param name="command">The command (<c>query-status</c>).</param>
    /// <param name="arguments">Its arguments, or <see langword="null"/>.</param>
    /// <param name="timeout">How long to wait for the reply; <see langword="null"/> for <see cref="KvmClientOptions.CommandTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting (the command may still run in QEMU).</param>
    /// <returns>The reply's <c>return</c> value.</returns>
    /// <exception cref="QmpException">QEMU answered with an error, or no reply came in time.</exception>
    /// <exception cref="KvmConnectionException">The connection is closed or was lost before the reply.</exception>
    public async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfClosed(command);
        long id = Interlocked.Increment(ref _nextId);
        var pending = new Pending(command);
        _pending[id] = pending;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("execute"u8, command);
                if (arguments is not null)
                {
                    w.WritePropertyName("arguments"u8);
                    arguments.WriteTo(w);
                }

                w.WriteNumber("id"u8, id);
                w.WriteEndObject();
            }

            await _connection.SendAsync(buffer.WrittenMemory, delimiterFirst: false, cancellationToken).ConfigureAwait(false);
            ThrowIfClosed(command);
            var wait = timeout ?? _options.CommandTimeout;
            try
            {
                return await pending.Reply.Task.WaitAsync(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new QmpException(command, QmpException.TimeoutClass, "no reply from " + Endpoint + " within " + wait.TotalSeconds + " s");
            }
        }
        catch (KvmConnectionException) when (_closedReason is { } reason)
        {
            throw Closed(command, reason);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Runs a command and deserializes its <c>return</c> member with source-generated metadata.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="command">The command.</param>
    /// <param name="arguments">Its arguments, or <see langword="null"/>.</param>
    /// <param name="typeInfo">The metadata for <typeparamref name="T"/>.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The result.</returns>
    public async Task<T?> ExecuteAsync<T>(string command, JsonObject? arguments, JsonTypeInfo<T> typeInfo, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var r = await ExecuteAsync(command, arguments, timeout, cancellationToken).ConfigureAwait(false);
        return r.Deserialize(typeInfo);
    }

    private void ThrowIfClosed(string command)
    {
        if (_closedReason is { } reason)
        {
            throw Closed(command, reason);
        }
    }

    private KvmConnectionException Closed(string command, string reason) =>
        new(Endpoint, "'" + command + "' failed: " + reason, null);

    private async Task ReadLoopAsync()
    {
        string reason = "the connection was closed";
        try
        {
            while (true)
            {
                using var doc = await _connection.ReadMessageAsync(_stop.Token).ConfigureAwait(false);
                if (doc is null)
                {
                    reason = "QEMU closed the connection (the process exited or was killed)";
                    break;
                }

                Dispatch(doc.RootElement);
            }
        }
        catch (OperationCanceledException)
        {
            reason = "the client was closed";
        }
        catch (KvmConnectionException ex)
        {
            reason = ex.InnerException is { } inner ? "the connection was lost (" + inner.Message + ")" : ex.Message;
        }
        finally
        {
            _closedReason = reason;
            foreach (var (id, p) in _pending)
            {
                if (_pending.TryRemove(id, out _))
                {
                    p.Reply.TrySetException(Closed(p.Command, reason));
                }
            }
        }
    }

    private void Dispatch(JsonElement root)
    {
        if (root.TryGetProperty("event", out var ev))
        {
            var e = new QmpEvent
            {
                Name = ev.GetString() ?? string.Empty,
                Data = root.TryGetProperty("data", out var d) ? d.Clone() : default,
                Timestamp = root.TryGetProperty("timestamp", out var ts) && ts.TryGetProperty("seconds", out var s) && ts.TryGetProperty("microseconds", out var us)
                    ? DateTimeOffset.FromUnixTimeSeconds(s.GetInt64()).AddTicks(us.GetInt64() * 10)
                    : default,
            };
            foreach (var h in Volatile.Read(ref _subscribers))
            {
                try
                {
                    h(e);
                }
                catch (Exception)
                {
                    // a subscriber's failure must not stop the reader
                }
            }

            return;
        }

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out long id)
            || !_pending.TryRemove(id, out var pending))
        {
            return; // a late reply to a command that timed out, or one we did not send
        }

        if (root.TryGetProperty("error", out var error))
        {
            string cls = error.TryGetProperty("class", out var c) ? c.GetString() ?? "GenericError" : "GenericError";
            string desc = error.TryGetProperty("desc", out var de) ? de.GetString() ?? string.Empty : string.Empty;
            pending.Reply.TrySetException(new QmpException(pending.Command, cls, desc));
        }
        else
        {
            pending.Reply.TrySetResult(root.TryGetProperty("return", out var ret) ? ret.Clone() : default);
        }
    }

    /// <summary>Closes the connection; pending commands fail with <see cref="KvmConnectionException"/>.</summary>
    /// <returns>A task that completes when the reader has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _connection.Abort();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the reader reports through _closedReason
        }

        _closedReason ??= "the client was closed";
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class Pending(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscription(QmpClient owner, Action<QmpEvent> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._subscribersLock)
            {
                owner._subscribers = [.. owner._subscribers.Where(h => h != handler)];
            }
        }
    }
}
