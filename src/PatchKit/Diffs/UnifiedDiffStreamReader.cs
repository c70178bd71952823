using System.Buffers;

namespace PatchKit.Diffs;

/// <summary>Reads a patch of any size from a stream through one pooled buffer: the buffer holds at most the unconsumed
/// part of a block plus one line, never the whole patch.</summary>
public static class UnifiedDiffStreamReader
{
    private const int DefaultBufferSize = 1 << 20;

    /// <summary>Reads every token of <paramref name="stream"/> and hands it to <paramref name="handler"/>.</summary>
    /// <param name="stream">The patch.</param>
    /// <param name="handler">Called once per token (line), in order.</param>
    /// <param name="options">How to read; <see langword="null"/> for the defaults (strict).</param>
    /// <param name="cancellationToken">Cancels the read between blocks.</param>
    /// <returns>The number of tokens handed to <paramref name="handler"/>.</returns>
    /// <exception cref="PatchFormatException">The patch is malformed (line numbers and byte offsets are those of the whole stream).</exception>
    /// <remarks>The buffer starts at 1 MiB and grows only to hold a longer line (a 100 MB line needs a buffer of that size).</remarks>
    public static async Task<long> ReadAsync(Stream stream, DiffTokenHandler handler, PatchParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(handler);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DefaultBufferSize);
        var state = new UnifiedDiffReaderState(options);
        long tokens = 0;
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                filled += n;
                bool isFinal = n == 0;
                var (consumed, stopped) = ReadBlock(buffer.AsSpan(0, filled), isFinal, ref state, handler, ref tokens);
                if (stopped || isFinal)
                {
                    return tokens;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (int Consumed, bool Stopped) ReadBlock(ReadOnlySpan<byte> block, bool isFinal, ref UnifiedDiffReaderState state, DiffTokenHandler handler, ref long tokens)
    {
        var reader = new UnifiedDiffReader(block, isFinal, state);
        while (reader.Read())
        {
            tokens++;
            if (!handler(in reader))
            {
                return ((int)reader.BytesConsumed, true);
            }
        }

        state = reader.CurrentState;
        return ((int)reader.BytesConsumed, false);
    }
}
