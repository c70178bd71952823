namespace PatchKit.Diffs.Apply;

/// <summary>Applies a git binary delta (the format of <c>delta N</c> blocks and pack files: source size, target size,
/// then copy and insert instructions; git <c>patch-delta.c</c>).</summary>
internal static class GitDelta
{
    /// <summary>Applies <paramref name="delta"/> to <paramref name="source"/>.</summary>
    /// <returns>The target bytes, or <see langword="null"/> with <paramref name="error"/> set when the delta does not
    /// fit the source or is malformed.</returns>
    public static byte[]? Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta, out string? error)
    {
        int pos = 0;
        if (!ReadSize(delta, ref pos, out ulong sourceSize) || !ReadSize(delta, ref pos, out ulong targetSize))
        {
            error = "the binary delta's header is truncated";
            return null;
        }

        if (sourceSize != (ulong)source.Length)
        {
            error = $"the binary delta expects a {sourceSize}-byte file, the file has {source.Length} bytes";
            return null;
        }

        if (targetSize > int.MaxValue)
        {
            error = "the binary delta's result is too large";
            return null;
        }

        byte[] target = new byte[(int)targetSize];
        int written = 0;
        while (pos < delta.Length)
        {
            byte op = delta[pos++];
            if ((op & 0x80) != 0)
            {
                uint offset = 0;
                uint size = 0;
                for (int i = 0; i < 4; i++)
                {
                    if ((op & (1 << i)) != 0)
                    {
                        if (pos >= delta.Length)
                        {
                            error = "the binary delta is truncated";
                            return null;
                        }

                        offset |= (uint)delta[pos++] << (8 * i);
                    }
                }

                for (int i = 0; i < 3; i++)
                {
                    if ((op & (0x10 << i)) != 0)
                    {
                        if (pos >= delta.Length)
                        {
                            error = "the binary delta is truncated";
                            return null;
                        }

                        size |= (uint)delta[pos++] << (8 * i);
                    }
                }

                if (size == 0)
                {
                    size = 0x10000;
                }

                if ((ulong)offset + size > (ulong)source.Length || written + (long)size > target.Length)
                {
                    error = "the binary delta copies outside the file";
                    return null;
                }

                source.Slice((int)offset, (int)size).CopyTo(target.AsSpan(written));
                written += (int)size;
            }
            else if (op != 0)
            {
                if (pos + op > delta.Length || written + op > target.Length)
                {
                    error = "the binary delta's insert runs past its end";
                    return null;
                }

                delta.Slice(pos, op).CopyTo(target.AsSpan(written));
                pos += op;
                written += op;
            }
            else
            {
                error = "the binary delta holds the reserved instruction 0";
                return null;
            }
        }

        if (written != target.Length)
        {
            error = $"the binary delta produced {written} bytes, its header says {target.Length}";
            return null;
        }

        error = null;
        return target;
    }

    private static bool ReadSize(ReadOnlySpan<byte> delta, ref int pos, out ulong size)
    {
        size = 0;
        int shift = 0;
        while (pos < delta.Length && shift < 64)
        {
            byte b = delta[pos++];
            size |= (ulong)(b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
