using System.Buffers;
using System.Text;

namespace PatchKit.Diffs;

/// <summary>Writes file names as GNU diff and git quote them in headers: in double quotes with C escapes when the
/// name needs it (GNU: also for a space; git: not for a space), otherwise as is.</summary>
internal static class PathQuoting
{
    private static readonly SearchValues<byte> s_gnuSpecial = SearchValues.Create(BuildSpecial(gnu: true));
    private static readonly SearchValues<byte> s_gitSpecial = SearchValues.Create(BuildSpecial(gnu: false));

    public static void Write(IBufferWriter<byte> output, string path, bool git)
    {
        if (PathText.HasEscapes(path))
        {
            // A name that is not UTF-8: its own bytes (PathText.DecodeName's escapes), quoted as such.
            Write(output, PathText.EncodeName(path), git);
            return;
        }

        int max = Encoding.UTF8.GetMaxByteCount(path.Length);
        byte[]? rented = null;
        Span<byte> buf = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(path, buf);
            Write(output, buf[..n], git);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns whether <see cref="Write(IBufferWriter{byte}, ReadOnlySpan{byte}, bool)"/> would quote <paramref name="path"/>.</summary>
    public static bool NeedsQuoting(ReadOnlySpan<byte> path, bool git) => path.IndexOfAny(git ? s_gitSpecial : s_gnuSpecial) >= 0;

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> path, bool git)
    {
        if (!NeedsQuoting(path, git))
        {
            output.Put(path);
            return;
        }

        output.Put((byte)'"');
        foreach (byte c in path)
        {
            switch (c)
            {
                case (byte)'"': output.Put("\\\""u8); break;
                case (byte)'\\': output.Put("\\\\"u8); break;
                case (byte)'\a': output.Put("\\a"u8); break;
                case (byte)'\b': output.Put("\\b"u8); break;
                case (byte)'\f': output.Put("\\f"u8); break;
                case (byte)'\n': output.Put("\\n"u8); break;
                case (byte)'\r': output.Put("\\r"u8); break;
                case (byte)'\t': output.Put("\\t"u8); break;
                case (byte)'\v': output.Put("\\v"u8); break;
                default:
                    if (c < 0x20 || c >= 0x7F)
                    {
                        Span<byte> esc = output.GetSpan(4);
                        esc[0] = (byte)'\\';
                        esc[1] = (byte)('0' + (c >> 6));
                        esc[2] = (byte)('0' + ((c >> 3) & 7));
                        esc[3] = (byte)('0' + (c & 7));
                        output.Advance(4);
                    }
                    else
                    {
                        output.Put(c);
                    }

                    break;
            }
        }

        output.Put((byte)'"');
    }

    private static byte[] BuildSpecial(bool gnu)
    {
        var list = new List<byte>();
        for (int c = 0; c < 256; c++)
        {
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\' || (gnu && c == ' '))
            {
                list.Add((byte)c);
            }
        }

        return [.. list];
    }
}
