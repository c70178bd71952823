using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

/// <summary>The <see cref="ReadOnlySequence{T}"/> entry point: the same tokens, line numbers and offsets as one span,
/// whatever the segments.</summary>
public sealed class UnifiedDiffSequenceReaderTests
{
    private static byte[] SamplePatch(int files)
    {
        var sb = new StringBuilder("From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n---\n");
        for (int i = 0; i < files; i++)
        {
            sb.Append("diff --git a/f").Append(i).Append(" b/f").Append(i).Append("\nindex 1..2 100644\n--- a/f").Append(i).Append("\n+++ b/f").Append(i)
              .Append("\n@@ -1,3 +1,3 @@ sec\n a\n-b\n+c\n d\n\\ No newline at end of file\n");
            sb.Append("--- g").Append(i).Append("\n+++ g").Append(i).Append("\n@@ -1 +1 @@\n-").Append('x', i * 7).Append("\n+y\n");
        }

        return Encoding.UTF8.GetBytes(sb.Append("-- \n2.39.5\n").ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4096)]
    public void Read_ManySegments_GivesSameTokensAsOneSpan(int segmentSize)
    {
        byte[] bytes = SamplePatch(40);
        var actual = new List<(DiffTokenType, string, long, long)>();
        var state = new UnifiedDiffReaderState(null);
        _ = UnifiedDiffSequenceReader.Read(Segments(bytes, segmentSize), true, ref state, (in UnifiedDiffReader r) =>
        {
            actual.Add((r.TokenType, Encoding.UTF8.GetString(r.ValueSpan), r.LineNumber, r.TokenOffset));
            return true;
        }, out bool stopped);

        Assert.False(stopped);
        Assert.Equal(UnifiedDiffStreamReaderTests.SpanTokens(bytes), actual);
    }

    [Fact]
    public async Task Read_FromARealPipe_WrittenInSmallPieces_GivesSameTokensAsOneSpan()
    {
        byte[] bytes = SamplePatch(60);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 64, pauseWriterThreshold: 0));
        Task writer = Task.Run(async () =>
        {
            var random = new Random(5);
            for (int at = 0; at < bytes.Length;)
            {
                int n = Math.Min(bytes.Length - at, random.Next(1, 200));
                await pipe.Writer.WriteAsync(bytes.AsMemory(at, n));
                at += n;
            }

            await pipe.Writer.CompleteAsync();
        });

        var actual = new List<(DiffTokenType, string, long, long)>();
        var state = new UnifiedDiffReaderState(null);
        while (true)
        {
            ReadResult read = await pipe.Reader.ReadAsync();
            SequencePosition consumed = Read(read.Buffer, read.IsCompleted, ref state, actual);
            pipe.Reader.AdvanceTo(consumed, read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        await writer;
        Assert.Equal(UnifiedDiffStreamReaderTests.SpanTokens(bytes), actual);
    }

    [Fact]
    public void Read_NotFinal_StopsBeforeThePartialLine()
    {
        byte[] bytes = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y"u8.ToArray();
        var state = new UnifiedDiffReaderState(null);
        var seen = new List<string>();
        ReadOnlySequence<byte> data = Segments(bytes, 5);
        SequencePosition consumed = UnifiedDiffSequenceReader.Read(data, false, ref state, (in UnifiedDiffReader r) =>
        {
            seen.Add(Encoding.UTF8.GetString(r.ValueSpan));
            return true;
        }, out _);

        Assert.Equal("+y", Encoding.UTF8.GetString(data.Slice(consumed).ToArray()));
        Assert.Equal(["--- a/f\n", "+++ b/f\n", "@@ -1 +1 @@\n", "-x\n"], seen);
    }

    [Fact]
    public void Read_HandlerStops_ReportsStoppedWhereItStopped()
    {
        byte[] bytes = SamplePatch(5);
        var state = new UnifiedDiffReaderState(null);
        int count = 0;
        ReadOnlySequence<byte> data = Segments(bytes, 7);
        SequencePosition consumed = UnifiedDiffSequenceReader.Read(data, true, ref state, (in UnifiedDiffReader r) => ++count < 10, out bool stopped);
        Assert.True(stopped);
        Assert.Equal(10, count);
        Assert.Equal(UnifiedDiffStreamReaderTests.SpanTokens(bytes)[9].Item4 + UnifiedDiffStreamReaderTests.SpanTokens(bytes)[9].Item2.Length, data.Slice(0, consumed).Length);
    }

    private static SequencePosition Read(ReadOnlySequence<byte> buffer, bool final, ref UnifiedDiffReaderState state, List<(DiffTokenType, string, long, long)> into) =>
        UnifiedDiffSequenceReader.Read(buffer, final, ref state, (in UnifiedDiffReader r) =>
        {
            into.Add((r.TokenType, Encoding.UTF8.GetString(r.ValueSpan), r.LineNumber, r.TokenOffset));
            return true;
        }, out _);

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        Segment first = new(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        Segment last = first;
        for (int at = first.Memory.Length; at < bytes.Length; at += size)
        {
            last = last.Append(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
