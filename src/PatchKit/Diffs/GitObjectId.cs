using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace PatchKit.Diffs;

/// <summary>git blob ids: the SHA-1 of <c>blob &lt;size&gt;\0</c> followed by the content.</summary>
internal static class GitObjectId
{
    public static void Compute(ReadOnlySpan<byte> content, Span<byte> hash)
    {
        Span<byte> header = stackalloc byte[32];
        "blob "u8.CopyTo(header);
        Utf8Formatter.TryFormat(content.Length, header[5..], out int written);
        header[5 + written] = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(header[..(6 + written)]);
        sha.AppendData(content);
        sha.GetHashAndReset(hash);
    }

    /// <summary>Writes the id in lower-case hex, <paramref name="digits"/> long; all zeros when <paramref name="exists"/> is false.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> content, bool exists, int digits)
    {
        Span<byte> hash = stackalloc byte[20];
        if (exists)
        {
            Compute(content, hash);
        }
        else
        {
            hash.Clear();
        }

        Span<byte> span = output.GetSpan(digits);
        for (int i = 0; i < digits; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 15;
            span[i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        output.Advance(digits);
    }
}
