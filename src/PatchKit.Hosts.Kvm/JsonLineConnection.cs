using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace PatchKit.Hosts.Kvm;

/// <summary>One stream socket (unix or TCP) that carries newline-delimited JSON, read through a <see cref="PipeReader"/>.
/// QMP and the guest agent both speak this; the agent adds a <c>0xFF</c> delimiter for resynchronisation.</summary>
internal sealed class JsonLineConnection : IAsyncDisposable
{
    internal const byte Delimiter = 0xFF;
    private const int MaxLine = 64 * 1024 * 1024;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _disposed;

    private JsonLineConnection(Socket socket, string endpoint)
    {
        _socket = socket;
        Endpoint = endpoint;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
    }

    /// <summary>Gets the address as given (<c>unix:/run/g0.qmp</c>, <c>tcp:host:4444</c>).</summary>
    public string Endpoint { get; }

    public static async Task<JsonLineConnection> ConnectAsync(string endpoint, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        EndPoint ep = ParseEndpoint(endpoint);
        var socket = ep is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = timeout == Timeout.InfiniteTimeSpan ? null : time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), cts, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await socket.ConnectAsync(ep, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new KvmConnectionException(endpoint, "could not connect within " + timeout.TotalSeconds + " s", null);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new KvmConnectionException(endpoint, "could not connect: " + ex.SocketErrorCode, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new JsonLineConnection(socket, endpoint);
    }

    /// <summary>Parses <c>unix:PATH</c>, a bare absolute path, <c>tcp:HOST:PORT</c> or <c>HOST:PORT</c>.</summary>
    internal static EndPoint ParseEndpoint(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        if (endpoint.StartsWith("unix:", StringComparison.Ordinal))
        {
            return new UnixDomainSocketEndPoint(endpoint[5..]);
        }

        if (endpoint.StartsWith('/'))
        {
            return new UnixDomainSocketEndPoint(endpoint);
        }

        string rest = endpoint.StartsWith("tcp:", StringComparison.Ordinal) ? endpoint[4..] : endpoint;
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port is 0 or > 65535)
        {
            throw new ArgumentException("'" + endpoint + "' is not an endpoint: expected unix:PATH or tcp:HOST:PORT", nameof(endpoint));
        }

        string host = rest[..colon].Trim('[', ']');
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    /// <summary>Writes one message (already serialized, without the newline) and a newline, optionally after a 0xFF.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> json, bool delimiterFirst, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(json.Length + 2);
        try
        {
            int n = 0;
            if (delimiterFirst)
            {
                buffer[n++] = Delimiter;
            }

            json.Span.CopyTo(buffer.AsSpan(n));
            n += json.Length;
            buffer[n++] = (byte)'\n';
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (IOException ex)
        {
            throw new KvmConnectionException(Endpoint, "the connection was lost while sending", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new KvmConnectionException(Endpoint, "the connection is closed", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Discards input up to and including the next 0xFF byte (guest-sync-delimited).</summary>
    public async ValueTask SkipPastDelimiterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var pos = buffer.PositionOf(Delimiter);
            if (pos is { } p)
            {
                _reader.AdvanceTo(buffer.GetPosition(1, p));
                return;
            }

            _reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                throw new KvmConnectionException(Endpoint, "the peer closed the connection", null);
            }
        }
    }

    /// <summary>Reads the next non-empty line and parses it; <see langword="null"/> when the peer closed the connection.</summary>
    public async ValueTask<JsonDocument?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } nl)
            {
                var line = Trim(buffer.Slice(0, nl));
                buffer = buffer.Slice(buffer.GetPosition(1, nl));
                if (line.IsEmpty)
                {
                    continue;
                }

                JsonDocument doc;
                try
                {
                    doc = JsonDocument.Parse(line);
                }
                catch (JsonException ex)
                {
                    _reader.AdvanceTo(buffer.Start);
                    throw new KvmConnectionException(Endpoint, "the peer sent a line that is not JSON", ex);
                }

                _reader.AdvanceTo(buffer.Start);
                return doc;
            }

            if (buffer.Length > MaxLine)
            {
                throw new KvmConnectionException(Endpoint, "the peer sent a line longer than " + MaxLine + " bytes", null);
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private async ValueTask<ReadResult> ReadCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new KvmConnectionException(Endpoint, "the connection was lost", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new KvmConnectionException(Endpoint, "the connection is closed", ex);
        }
    }

    private static ReadOnlySequence<byte> Trim(ReadOnlySequence<byte> line)
    {
        // leading 0xFF (the agent's delimiter), whitespace and a trailing CR are not part of the JSON
        while (!line.IsEmpty)
        {
            byte b = line.FirstSpan[0];
            if (b is Delimiter or (byte)' ' or (byte)'\r' or (byte)'\t')
            {
                line = line.Slice(1);
            }
            else
            {
                break;
            }
        }

        while (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] is (byte)'\r' or (byte)' ')
        {
            line = line.Slice(0, line.Length - 1);
        }

        return line;
    }

    /// <summary>Shuts the socket down so a pending read ends (used to fail pending calls promptly).</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
