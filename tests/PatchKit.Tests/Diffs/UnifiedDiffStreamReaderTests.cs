using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Tests.Diffs;

public sealed class UnifiedDiffStreamReaderTests
{
    /// <summary>Every token of a patch read as one span: type, text, line number, offset.</summary>
    internal static List<(DiffTokenType, string, long, long)> SpanTokens(byte[] bytes)
    {
        var result = new List<(DiffTokenType, string, long, long)>();
        var reader = new UnifiedDiffReader(bytes);
        while (reader.Read())
        {
            result.Add((reader.TokenType, Encoding.UTF8.GetString(reader.ValueSpan), reader.LineNumber, reader.TokenOffset));
        }

        return result;
    }

    private static byte[] SamplePatch(int files)
    {
        var sb = new StringBuilder("From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n---\n");
        for (int i = 0; i < files; i++)
        {
            sb.Append("diff --git a/f").Append(i).Append(" b/f").Append(i).Append("\nindex 1..2 100644\n--- a/f").Append(i).Append("\n+++ b/f").Append(i)
              .Append("\n@@ -1,3 +1,3 @@ sec\n a\n-b\n+c\n d\n\\ No newline at end of file\n");
        }

        return Encoding.UTF8.GetBytes(sb.Append("-- \n2.39.5\n").ToString());
    }

    [Fact]
    public async Task ReadAsync_TinyReads_GiveSameTokensAsOneSpan()
    {
        byte[] bytes = SamplePatch(50);
        var actual = new List<(DiffTokenType, string, long, long)>();
        using var stream = new TrickleStream(bytes, seed: 7);

        long count = await UnifiedDiffStreamReader.ReadAsync(stream, (in UnifiedDiffReader r) =>
        {
            actual.Add((r.TokenType, Encoding.UTF8.GetString(r.ValueSpan), r.LineNumber, r.TokenOffset));
            return true;
        });

        Assert.Equal(SpanTokens(bytes), actual);
        Assert.Equal(actual.Count, count);
    }

    [Fact]
    public async Task ReadAsync_LineLongerThanBuffer_GrowsAndReadsIt()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-" + new string('x', 3 << 20) + "\n+y\n");
        int longest = 0;
        using var stream = new MemoryStream(bytes);

        await UnifiedDiffStreamReader.ReadAsync(stream, (in UnifiedDiffReader r) =>
        {
            longest = Math.Max(longest, r.ValueSpan.Length);
            return true;
        });

        Assert.Equal((3 << 20) + 2, longest);
    }

    [Fact]
    public async Task ReadAsync_MalformedLateInStream_ReportsAbsolutePosition()
    {
        byte[] good = SamplePatch(30000);
        byte[] bytes = [.. good, .. "--- a/z\n+++ b/z\n@@ -1 +1 @\n"u8];
        using var stream = new MemoryStream(bytes);

        var ex = await Assert.ThrowsAsync<PatchFormatException>(() => UnifiedDiffStreamReader.ReadAsync(stream, (in UnifiedDiffReader r) => true));

        Assert.Equal(good.Length + 16, ex.BytePosition);
        Assert.Equal(SpanTokens(good).Count + 3, ex.LineNumber);
    }

    [Fact]
    public async Task ReadAsync_HandlerReturnsFalse_Stops()
    {
        using var stream = new MemoryStream(SamplePatch(10));

        long count = await UnifiedDiffStreamReader.ReadAsync(stream, (in UnifiedDiffReader r) => r.TokenType != DiffTokenType.GitDiffHeader);

        Assert.Equal(5, count);
    }

    /// <summary>Returns a seeded random 1 to 7 bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int seed) : MemoryStream(data)
    {
        private readonly Random _random = new(seed);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, _random.Next(1, 8))], cancellationToken);
    }
}
