using System.Buffers;
using System.IO.Compression;

namespace PatchKit.Diffs;

/// <summary>Writes git's <c>GIT binary patch</c> section with literal hunks: the content deflated (zlib) and cut into
/// base85 lines of at most 52 bytes, each prefixed by its length (<c>A</c>–<c>Z</c> for 1–26, <c>a</c>–<c>z</c> for 27–52),
/// forward then reverse, as <c>git diff --binary</c> (git <c>diff.c emit_binary_diff_body</c>, <c>base85.c</c>).</summary>
internal static class GitBinaryWriter
{
    private static readonly byte[] s_alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"u8.ToArray();

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> oldContent, ReadOnlySpan<byte> newContent)
    {
        output.Put("GIT binary patch\n"u8);
        WriteLiteral(output, newContent);
        WriteLiteral(output, oldContent);
    }

    private static void WriteLiteral(IBufferWriter<byte> output, ReadOnlySpan<byte> content)
    {
        output.Put("literal "u8);
        output.PutNumber(content.Length);
        output.Put((byte)'\n');
        using var deflated = new MemoryStream();
        if (content.IsEmpty)
        {
            // .NET writes nothing for an empty stream; git writes zlib's empty stream (HcmV?d00001).
            deflated.Write([0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        }
        else
        {
            using var z = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true);
            z.Write(content);
        }

        ReadOnlySpan<byte> data = deflated.GetBuffer().AsSpan(0, (int)deflated.Length);
        while (!data.IsEmpty)
        {
            int n = Math.Min(52, data.Length);
            output.Put(n <= 26 ? (byte)('A' + n - 1) : (byte)('a' + n - 27));
            ReadOnlySpan<byte> chunk = data[..n];
            Span<byte> chars = output.GetSpan(((n + 3) / 4) * 5);
            int c = 0;
            for (int i = 0; i < n; i += 4)
            {
                uint acc = 0;
                for (int k = 0; k < 4; k++)
                {
                    acc = (acc << 8) | (i + k < n ? chunk[i + k] : 0u);
                }

                for (int k = 4; k >= 0; k--)
                {
                    chars[c + k] = s_alphabet[acc % 85];
                    acc /= 85;
                }

                c += 5;
            }

            output.Advance(c);
            output.Put((byte)'\n');
            data = data[n..];
        }

        output.Put((byte)'\n');
    }
}
