using System.Buffers;
using System.Buffers.Text;

namespace PatchKit.Diffs;

/// <summary>Small helpers that copy bytes into an <see cref="IBufferWriter{T}"/>.</summary>
internal static class OutputExtensions
{
    public static void Put(this IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (output is ChunkedOutput chunked)
        {
            // A long line goes across blocks instead of asking for one block as long as the line.
            chunked.Write(bytes);
            return;
        }

        Span<byte> span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    public static void Put(this IBufferWriter<byte> output, byte b)
    {
        Span<byte> span = output.GetSpan(1);
        span[0] = b;
        output.Advance(1);
    }

    public static void PutNumber(this IBufferWriter<byte> output, long value)
    {
        Span<byte> span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    public static void PutOctal(this IBufferWriter<byte> output, int value)
    {
        Span<byte> tmp = stackalloc byte[12];
        int i = tmp.Length;
        do
        {
            tmp[--i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        while (value != 0);
        output.Put(tmp[i..]);
    }

    public static void PutDigits(this IBufferWriter<byte> output, int value, int digits)
    {
        Span<byte> span = output.GetSpan(digits);
        for (int i = digits - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        output.Advance(digits);
    }
}
