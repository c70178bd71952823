using System.IO.Compression;
using PatchKit.Internal;

namespace PatchKit.Diffs;

/// <summary>Decodes a <c>GIT binary patch</c> block: base85 lines (a length letter, then groups of 5 characters) holding zlib data.</summary>
internal static class GitBinaryDecoder
{
    /// <summary>zlib cannot inflate more than about 1032 bytes per input byte: a stated size above that bound is a lie.</summary>
    private const long MaxInflateRatio = 1032;

    private static readonly sbyte[] s_base85 = CreateTable();

    private static sbyte[] CreateTable()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        ReadOnlySpan<byte> alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"u8;
        for (int i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }

        return table;
    }

    /// <summary>Decodes one block's data lines to the inflated bytes.</summary>
    /// <param name="size">The inflated size the <c>literal</c>/<c>delta</c> line states.</param>
    /// <param name="lines">The data lines, line endings included.</param>
    /// <param name="lineNumber">The line of the first data line, for messages.</param>
    /// <param name="offset">The byte offset of the first data line, for messages.</param>
    /// <returns>The inflated bytes, <paramref name="size"/> long.</returns>
    public static byte[] Decode(long size, ReadOnlySpan<byte> lines, long lineNumber, long offset)
    {
        // Pass 1: total decoded length, bounded by the input.
        int total = 0;
        ReadOnlySpan<byte> rest = lines;
        while (!rest.IsEmpty)
        {
            int nl = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = UnifiedDiffReader.TrimEol(nl < 0 ? rest : rest[..(nl + 1)]);
            rest = nl < 0 ? default : rest[(nl + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            int n = LengthOf(line[0]);
            if (n < 0 || line.Length - 1 != ((n + 3) / 4) * 5)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, line, lineNumber, offset);
            }

            total += n;
        }

        if (size < 0 || size > (total * MaxInflateRatio) + 1024 || size > Array.MaxLength)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, lines, lineNumber, offset);
        }

        byte[] compressed = new byte[total];
        int written = 0;
        rest = lines;
        while (!rest.IsEmpty)
        {
            int nl = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = UnifiedDiffReader.TrimEol(nl < 0 ? rest : rest[..(nl + 1)]);
            rest = nl < 0 ? default : rest[(nl + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            int n = LengthOf(line[0]);
            ReadOnlySpan<byte> chars = line[1..];
            for (int g = 0; g < chars.Length; g += 5)
            {
                uint acc = 0;
                for (int j = 0; j < 5; j++)
                {
                    int d = s_base85[chars[g + j]];
                    if (d < 0)
                    {
                        ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, line, lineNumber, offset);
                    }

                    acc = unchecked((acc * 85) + (uint)d);
                }

                for (int j = 0; j < 4 && n > 0; j++, n--)
                {
                    compressed[written++] = (byte)(acc >> (24 - (8 * j)));
                }
            }
        }

        byte[] data = new byte[size];
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            zlib.ReadExactly(data);
            if (zlib.ReadByte() >= 0)
            {
                ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, "inflated data is longer than stated"u8, lineNumber, offset);
            }
        }
        catch (InvalidDataException)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, "corrupt zlib data"u8, lineNumber, offset);
        }
        catch (EndOfStreamException)
        {
            ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, "inflated data is shorter than stated"u8, lineNumber, offset);
        }
        catch (IOException)
        {
            // ZLibException (an IOException): the inflater gave up on the stream, e.g. an invalid distance or a
            // stored block whose length check fails in the native routine.
            ThrowHelper.ThrowPatchFormat(PatchError.MalformedBinaryPatch, "corrupt zlib data"u8, lineNumber, offset);
        }

        return data;
    }

    private static int LengthOf(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A' + 1,
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 27,
        _ => -1,
    };
}
