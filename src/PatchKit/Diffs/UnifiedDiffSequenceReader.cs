using System.Buffers;

namespace PatchKit.Diffs;

/// <summary>Reads a patch held in a <see cref="ReadOnlySequence{T}"/> of bytes, as a <c>System.IO.Pipelines</c>
/// <c>PipeReader</c> hands it out: segment by segment without copying, except that a line split across segments is
/// gathered (with the few lines after it that the reader looks ahead at) into one small pooled buffer.</summary>
/// <remarks>
/// With a <c>PipeReader</c>:
/// <code>
/// var state = new UnifiedDiffReaderState(options);
/// while (true)
/// {
///     ReadResult read = await pipe.ReadAsync(ct);
///     SequencePosition consumed = UnifiedDiffSequenceReader.Read(read.Buffer, read.IsCompleted, ref state, handler, out bool stopped);
///     pipe.AdvanceTo(consumed, read.Buffer.End);
///     if (stopped || read.IsCompleted) break;
/// }
/// </code>
/// </remarks>
public static class UnifiedDiffSequenceReader
{
    /// <summary>Reads every whole token of <paramref name="data"/> and hands it to <paramref name="handler"/>.</summary>
    /// <param name="data">The bytes to read: for a resumed read, the unconsumed rest of the previous call, then more.</param>
    /// <param name="isFinalBlock">Whether <paramref name="data"/> holds the end of the patch.</param>
    /// <param name="state">The reader's state: give <see langword="default"/> or a new state with the options for the first
    /// call, and the same variable to every later one (it is updated).</param>
    /// <param name="handler">Called once per token (line), in order; the reader's spans are valid only during the call.</param>
    /// <param name="stopped">Set when <paramref name="handler"/> returned <see langword="false"/>.</param>
    /// <returns>Where the unconsumed part of <paramref name="data"/> starts (a partial line at the end, and the line
    /// the reader must see the next one of before it can tell what it is): pass it to <c>PipeReader.AdvanceTo</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="PatchFormatException">The patch is malformed (line numbers and byte offsets are those of the
    /// whole patch, counted across calls).</exception>
    public static SequencePosition Read(ReadOnlySequence<byte> data, bool isFinalBlock, ref UnifiedDiffReaderState state, DiffTokenHandler handler, out bool stopped)
    {
        ArgumentNullException.ThrowIfNull(handler);
        stopped = false;
        if (data.IsSingleSegment)
        {
            long consumed = ReadSpan(data.FirstSpan, isFinalBlock, ref state, handler, ref stopped);
            return data.GetPosition(consumed);
        }

        ReadOnlySequence<byte> rest = data;
        while (!stopped && !rest.IsEmpty)
        {
            SequencePosition next = rest.Start;
            rest.TryGet(ref next, out ReadOnlyMemory<byte> segment);
            if (segment.IsEmpty)
            {
                rest = rest.Slice(next);
                continue;
            }

            bool last = segment.Length == rest.Length;
            long consumed = ReadSpan(segment.Span, isFinalBlock && last, ref state, handler, ref stopped);
            if (stopped || last)
            {
                rest = rest.Slice(consumed);
                break;
            }

            if (consumed == segment.Length)
            {
                rest = rest.Slice(next);
                continue;
            }

            // What is left of this segment is a line that goes on in the next one (or a line the reader must see the
            // next one of): read it through a copy of it and the lines after it.
            rest = rest.Slice(consumed);
            long progress = GatherAcross(rest, segment.Length - consumed, isFinalBlock, ref state, handler, ref stopped);
            if (progress == 0)
            {
                break; // the data ends before the reader could read on: wait for more
            }

            rest = rest.Slice(progress);
        }

        return rest.Start;
    }

    private static long ReadSpan(ReadOnlySpan<byte> block, bool isFinal, ref UnifiedDiffReaderState state, DiffTokenHandler handler, ref bool stopped)
    {
        var reader = new UnifiedDiffReader(block, isFinal, state);
        while (reader.Read())
        {
            if (!handler(in reader))
            {
                stopped = true;
                break;
            }
        }

        state = reader.CurrentState;
        return reader.BytesConsumed;
    }

    /// <summary>Reads from the start of <paramref name="rest"/> (whose first <paramref name="carried"/> bytes end a
    /// segment) through a pooled copy of them and the next few lines; returns the bytes consumed, or 0 when the data
    /// ends before the reader can read on.</summary>
    private static long GatherAcross(ReadOnlySequence<byte> rest, long carried, bool isFinalBlock, ref UnifiedDiffReaderState state, DiffTokenHandler handler, ref bool stopped)
    {
        for (int lines = 4; ; lines *= 4)
        {
            long length = carried + LengthOfLines(rest.Slice(carried), lines, out bool toEnd);
            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, Array.MaxLength));
            try
            {
                rest.Slice(0, length).CopyTo(buffer);
                long consumed = ReadSpan(buffer.AsSpan(0, (int)length), isFinalBlock && toEnd, ref state, handler, ref stopped);
                if (consumed > 0 || stopped || toEnd)
                {
                    return consumed;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The length of the first <paramref name="lines"/> whole lines of <paramref name="data"/>, or of all of it
    /// (<paramref name="toEnd"/>) when it holds no more than that.</summary>
    private static long LengthOfLines(ReadOnlySequence<byte> data, int lines, out bool toEnd)
    {
        ReadOnlySequence<byte> after = data;
        for (int i = 0; i < lines; i++)
        {
            SequencePosition? eol = after.PositionOf((byte)'\n');
            if (eol is null)
            {
                toEnd = true;
                return data.Length;
            }

            after = after.Slice(after.GetPosition(1, eol.Value));
        }

        toEnd = after.IsEmpty;
        return data.Length - after.Length;
    }
}
