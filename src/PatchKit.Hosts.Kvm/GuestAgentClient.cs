using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PatchKit.Hosts.Kvm;

/// <summary>A client of the QEMU guest agent (<c>qemu-ga</c>, Linux and Windows alike) on its host-side socket: the
/// virtio-serial chardev QEMU exposes, or a socket the agent listens on. The agent serves one client at a time and puts
/// no ids on replies, so this client runs one command at a time; it resynchronises with <c>guest-sync-delimited</c>
/// on connect, after a command that timed out or was cancelled (its late reply is discarded), after a command that does
/// not answer (<c>guest-shutdown</c>), and whenever <see cref="SyncAsync"/> is called (after a snapshot load the agent's
/// state is rewound with the guest's memory).</summary>
/// <remarks>Platform-neutral: the Windows adapter uses the same client for a Windows guest's agent.</remarks>
public sealed class GuestAgentClient : IAsyncDisposable
{
    private const int FileChunk = 1024 * 1024;
    private readonly string _endpoint;
    private readonly KvmClientOptions _options;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private JsonLineConnection? _connection;
    private bool _needsSync = true;

    private GuestAgentClient(string endpoint, KvmClientOptions options)
    {
        _endpoint = endpoint;
        _options = options;
    }

    /// <summary>Gets the agent socket's address.</summary>
    public string Endpoint => _endpoint;

    /// <summary>Connects and synchronises (<c>guest-sync-delimited</c>).</summary>
    /// <param name="endpoint"><c>unix:PATH</c> (or an absolute path) or <c>tcp:HOST:PORT</c>.</param>
    /// <param name="options">Timeouts and clock; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A client ready for commands.</returns>
    /// <exception cref="KvmConnectionException">Nothing listens there.</exception>
    /// <exception cref="QmpException">The agent did not answer the sync within <see cref="KvmClientOptions.ConnectTimeout"/> (class <c>Timeout</c>): the guest is down or has no agent running.</exception>
    public static async Task<GuestAgentClient> ConnectAsync(string endpoint, KvmClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        var client = new GuestAgentClient(endpoint, options ?? new KvmClientOptions());
        try
        {
            await client.ReconnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops the connection, connects again and synchronises (after the guest or QEMU restarted).</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A task that completes when the agent answered the sync.</returns>
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { } old)
            {
                _connection = null;
                await old.DisposeAsync().ConfigureAwait(false);
            }

            _connection = await JsonLineConnection.ConnectAsync(_endpoint, _options.ConnectTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            _needsSync = true;
            await SyncCoreAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Resynchronises: sends <c>0xFF</c> and <c>guest-sync-delimited</c> with a random id, discards everything
    /// before the agent's <c>0xFF</c> and every reply until the one carrying the id.</summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> for <see cref="KvmClientOptions.ConnectTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the stream is in step again.</returns>
    public async Task SyncAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _needsSync = true;
            await SyncCoreAsync(timeout ?? _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task SyncCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var conn = Connection("guest-sync-delimited");
        long id = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        using var cts = Linked(timeout, cancellationToken, out var timer);
        using (timer)
        {
            try
            {
                await conn.SendAsync(Serialize("guest-sync-delimited", new JsonObject { ["id"] = id }), delimiterFirst: true, cts.Token).ConfigureAwait(false);
                await conn.SkipPastDelimiterAsync(cts.Token).ConfigureAwait(false);
                while (true)
                {
                    using var doc = await conn.ReadMessageAsync(cts.Token).ConfigureAwait(false)
                        ?? throw new KvmConnectionException(_endpoint, "the agent's socket closed during guest-sync-delimited", null);
                    if (doc.RootElement.TryGetProperty("return", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out long got) && got == id)
                    {
                        _needsSync = false;
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new QmpException("guest-sync-delimited", QmpException.TimeoutClass, "the guest agent at " + _endpoint + " did not answer within " + timeout.TotalSeconds + " s (guest down, or no agent running)");
            }
        }
    }

    /// <summary>Runs a command and returns its <c>return</c> member.</summary>
    /// <param name="command">The command (<c>guest-get-time</c>).</param>
    /// <param name="arguments">Its arguments, or <see langword="null"/>.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> for <see cref="KvmClientOptions.CommandTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the next command resynchronises first.</param>
    /// <returns>The reply's <c>return</c> value.</returns>
    /// <exception cref="QmpException">The agent answered with an error (a disabled command is class <c>CommandNotFound</c>,
    /// "Command ... has been disabled"), or no reply came in time (class <c>Timeout</c>).</exception>
    /// <exception cref="KvmConnectionException">The socket closed or broke.</exception>
    public async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        cancellationToken.ThrowIfCancellationRequested();
        var payload = Serialize(command, arguments);
        var wait = timeout ?? _options.CommandTimeout;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_needsSync)
            {
                await SyncCoreAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }

            var conn = Connection(command);
            using var cts = Linked(wait, cancellationToken, out var timer);
            using (timer)
            {
                try
                {
                    _needsSync = true; // until the reply is read, the stream may be out of step
                    await conn.SendAsync(payload, delimiterFirst: false, cts.Token).ConfigureAwait(false);
                    using var doc = await conn.ReadMessageAsync(cts.Token).ConfigureAwait(false)
                        ?? throw new KvmConnectionException(_endpoint, "the agent's socket closed while waiting for '" + command + "' (guest shut down, or QEMU exited)", null);
                    _needsSync = false;
                    var root = doc.RootElement;
                    if (root.TryGetProperty("error", out var error))
                    {
                        throw new QmpException(command,
                            error.TryGetProperty("class", out var c) ? c.GetString() ?? "GenericError" : "GenericError",
                            error.TryGetProperty("desc", out var d) ? d.GetString() ?? string.Empty : string.Empty);
                    }

                    return root.TryGetProperty("return", out var ret) ? ret.Clone() : default;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new QmpException(command, QmpException.TimeoutClass, "no reply from the guest agent at " + _endpoint + " within " + wait.TotalSeconds + " s");
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends a command that does not answer on success (<c>guest-shutdown</c>, <c>guest-suspend-*</c>). An error
    /// reply that arrives at once is not awaited; the next command resynchronises first.</summary>
    /// <param name="command">The command.</param>
    /// <param name="arguments">Its arguments, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the command was written.</returns>
    public async Task SendWithoutReplyAsync(string command, JsonObject? arguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var payload = Serialize(command, arguments);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_needsSync)
            {
                await SyncCoreAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }

            _needsSync = true;
            await Connection(command).SendAsync(payload, delimiterFirst: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Asks the agent whether it is alive (<c>guest-ping</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the agent answered.</returns>
    public Task PingAsync(CancellationToken cancellationToken = default) => ExecuteAsync("guest-ping", null, null, cancellationToken);

    /// <summary>Reads the agent's version and commands (<c>guest-info</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The information.</returns>
    public async Task<GuestAgentInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("guest-info", null, null, cancellationToken).ConfigureAwait(false)).Deserialize(KvmJsonContext.Default.GuestAgentInfo) ?? new GuestAgentInfo();

    /// <summary>Reads the guest's OS identity (<c>guest-get-osinfo</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The identity.</returns>
    public async Task<GuestAgentOsInfo> GetOsInfoAsync(CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("guest-get-osinfo", null, null, cancellationToken).ConfigureAwait(false)).Deserialize(KvmJsonContext.Default.GuestAgentOsInfo) ?? new GuestAgentOsInfo();

    /// <summary>Shuts the guest down, powers it off or reboots it (<c>guest-shutdown</c>; it does not answer on success).</summary>
    /// <param name="mode"><c>powerdown</c>, <c>halt</c> or <c>reboot</c>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the command was sent.</returns>
    public Task ShutdownAsync(string mode = "powerdown", CancellationToken cancellationToken = default) =>
        SendWithoutReplyAsync("guest-shutdown", new JsonObject { ["mode"] = mode }, cancellationToken);

    /// <summary>Runs a program in the guest (<c>guest-exec</c>), polls <c>guest-exec-status</c> until it exits or the
    /// command's timeout elapses, and returns the exit code and the captured output as bytes.</summary>
    /// <param name="command">Program, arguments, environment (<c>NAME=value</c>) and standard input. The agent cannot
    /// set a working directory: <see cref="GuestCommand.WorkingDirectory"/> must be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting (the program keeps running in the guest).</param>
    /// <returns>The outcome; <see cref="GuestExecResult.TimedOut"/> with no exit code when the timeout elapsed first.</returns>
    public async Task<GuestExecResult> ExecAsync(GuestCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.WorkingDirectory is not null)
        {
            throw new ArgumentException("the guest agent cannot set a working directory; run a shell that changes to it", nameof(command));
        }

        var args = new JsonObject { ["path"] = command.Program, ["capture-output"] = true };
        if (command.Arguments.Count > 0)
        {
            args["arg"] = new JsonArray([.. command.Arguments.Select(a => (JsonNode?)a)]);
        }

        if (command.Environment.Count > 0)
        {
            args["env"] = new JsonArray([.. command.Environment.Select(a => (JsonNode?)a)]);
        }

        if (!command.StandardInput.IsEmpty)
        {
            args["input-data"] = Convert.ToBase64String(command.StandardInput.Span);
        }

        var time = _options.TimeProvider;
        long started = time.GetTimestamp();
        var startedReply = (await ExecuteAsync("guest-exec", args, null, cancellationToken).ConfigureAwait(false)).Deserialize(KvmJsonContext.Default.GuestExecStarted);
        long pid = startedReply?.Pid ?? throw new QmpException("guest-exec", "GenericError", "the agent returned no pid");
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var st = (await ExecuteAsync("guest-exec-status", new JsonObject { ["pid"] = pid }, null, cancellationToken).ConfigureAwait(false))
                .Deserialize(KvmJsonContext.Default.GuestExecStatus) ?? new GuestExecStatus();
            if (st.Exited)
            {
                return new GuestExecResult
                {
                    ExitCode = st.ExitCode ?? (st.Signal is { } sig ? 128 + sig : null),
                    StandardOutput = st.OutData is null ? ReadOnlyMemory<byte>.Empty : Convert.FromBase64String(st.OutData),
                    StandardError = st.ErrData is null ? ReadOnlyMemory<byte>.Empty : Convert.FromBase64String(st.ErrData),
                    Truncated = st.OutTruncated || st.ErrTruncated,
                };
            }

            if (command.Timeout != Timeout.InfiniteTimeSpan && time.GetElapsedTime(started) >= command.Timeout)
            {
                return new GuestExecResult { TimedOut = true };
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            if (delay < TimeSpan.FromMilliseconds(100))
            {
                delay *= 2;
            }
        }
    }

    /// <summary>Opens a file in the guest (<c>guest-file-open</c>).</summary>
    /// <param name="path">The path in the guest.</param>
    /// <param name="mode">An <c>fopen</c> mode (<c>r</c>, <c>w</c>, <c>a</c>, <c>r+</c>, ...).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The agent's handle; close it with <see cref="FileCloseAsync"/>.</returns>
    public async Task<long> FileOpenAsync(string path, string mode, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("guest-file-open", new JsonObject { ["path"] = path, ["mode"] = mode }, null, cancellationToken).ConfigureAwait(false)).GetInt64();

    /// <summary>Reads up to <paramref name="count"/> bytes (<c>guest-file-read</c>).</summary>
    /// <param name="handle">An open handle.</param>
    /// <param name="count">How many bytes at most.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bytes read and whether the end of the file was reached.</returns>
    public async Task<(byte[] Data, bool Eof)> FileReadAsync(long handle, int count, CancellationToken cancellationToken = default)
    {
        var r = (await ExecuteAsync("guest-file-read", new JsonObject { ["handle"] = handle, ["count"] = count }, null, cancellationToken).ConfigureAwait(false))
            .Deserialize(KvmJsonContext.Default.GuestFileRead) ?? new GuestFileRead { Eof = true };
        return (Convert.FromBase64String(r.BufB64), r.Eof);
    }

    /// <summary>Writes bytes at the handle's position (<c>guest-file-write</c>).</summary>
    /// <param name="handle">An open handle.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the agent wrote them.</returns>
    public async Task FileWriteAsync(long handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var r = await ExecuteAsync("guest-file-write", new JsonObject { ["handle"] = handle, ["buf-b64"] = Convert.ToBase64String(data.Span) }, null, cancellationToken).ConfigureAwait(false);
        int written = r.TryGetProperty("count", out var c) ? c.GetInt32() : -1;
        if (written != data.Length)
        {
            throw new QmpException("guest-file-write", "GenericError", "short write: " + written + " of " + data.Length + " bytes");
        }
    }

    /// <summary>Flushes a handle (<c>guest-file-flush</c>).</summary>
    /// <param name="handle">An open handle.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when flushed.</returns>
    public Task FileFlushAsync(long handle, CancellationToken cancellationToken = default) =>
        ExecuteAsync("guest-file-flush", new JsonObject { ["handle"] = handle }, null, cancellationToken);

    /// <summary>Closes a handle (<c>guest-file-close</c>).</summary>
    /// <param name="handle">An open handle.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when closed.</returns>
    public Task FileCloseAsync(long handle, CancellationToken cancellationToken = default) =>
        ExecuteAsync("guest-file-close", new JsonObject { ["handle"] = handle }, null, cancellationToken);

    /// <summary>Reads a whole file from the guest.</summary>
    /// <param name="path">The path in the guest.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The content.</returns>
    /// <exception cref="QmpException">The agent could not open or read it (the description says why: missing, permission).</exception>
    public async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        long h = await FileOpenAsync(path, "r", cancellationToken).ConfigureAwait(false);
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            while (true)
            {
                var (data, eof) = await FileReadAsync(h, FileChunk, cancellationToken).ConfigureAwait(false);
                buffer.Write(data);
                if (eof || data.Length == 0)
                {
                    return buffer.WrittenSpan.ToArray();
                }
            }
        }
        finally
        {
            await FileCloseAsync(h, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a whole file in the guest (created or truncated).</summary>
    /// <param name="path">The path in the guest.</param>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the file is written, flushed and closed.</returns>
    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        long h = await FileOpenAsync(path, "w", cancellationToken).ConfigureAwait(false);
        try
        {
            for (int off = 0; off < content.Length; off += FileChunk)
            {
                await FileWriteAsync(h, content.Slice(off, Math.Min(FileChunk, content.Length - off)), cancellationToken).ConfigureAwait(false);
            }

            await FileFlushAsync(h, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await FileCloseAsync(h, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private JsonLineConnection Connection(string command) =>
        _connection ?? throw new KvmConnectionException(_endpoint, "not connected (call ReconnectAsync) for '" + command + "'", null);

    private CancellationTokenSource Linked(TimeSpan timeout, CancellationToken cancellationToken, out ITimer? timer)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer = timeout == Timeout.InfiniteTimeSpan ? null : _options.TimeProvider.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), cts, timeout, Timeout.InfiniteTimeSpan);
        return cts;
    }

    private static ReadOnlyMemory<byte> Serialize(string command, JsonObject? arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("execute"u8, command);
            if (arguments is not null)
            {
                w.WritePropertyName("arguments"u8);
                arguments.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Closes the connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } c)
        {
            _connection = null;
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }
}
