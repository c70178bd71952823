using System.Buffers;

namespace PatchKit.Diffs;

/// <summary>Turns a context diff hunk (old section, new section) into a unified hunk body, as GNU patch reads one.</summary>
/// <remarks>The body is synthesized into a new buffer (a context hunk has no unified slice in the patch).</remarks>
internal sealed class ContextHunkConverter
{
    private readonly List<(int Start, int Length)> _old = [];
    private readonly List<(int Start, int Length)> _new = [];
    private ReadOnlyMemory<byte> _source;

    public void Reset(ReadOnlyMemory<byte> source, bool keepLines = false)
    {
        _source = source;
        if (!keepLines)
        {
            _old.Clear();
            _new.Clear();
        }
    }

    public void AddOld(int start, int length) => _old.Add((start, length));

    public void AddNew(int start, int length) => _new.Add((start, length));

    public void NewRangeSeen(int count)
    {
        _ = count;
    }

    public ReadOnlyMemory<byte> Convert(out int oldCount, out int newCount, out int added, out int removed)
    {
        var output = new ArrayBufferWriter<byte>(256);
        oldCount = newCount = added = removed = 0;
        ReadOnlySpan<byte> src = _source.Span;
        int i = 0, j = 0;
        bool oldHasLines = _old.Count > 0;
        bool newHasLines = _new.Count > 0;
        while (i < _old.Count || j < _new.Count)
        {
            byte o = i < _old.Count ? Tag(src, _old[i]) : (byte)0;
            byte n = j < _new.Count ? Tag(src, _new[j]) : (byte)0;
            if (o == (byte)'\\')
            {
                Emit(output, src, _old[i++], (byte)'\\');
                continue;
            }

            if (n == (byte)'\\')
            {
                Emit(output, src, _new[j++], (byte)'\\');
                continue;
            }

            if (o == (byte)'-' || (o == (byte)'!' && n != (byte)'+'))
            {
                if (o == (byte)'!')
                {
                    // A change: the old '!' run, then the new '!' run.
                    while (i < _old.Count && Tag(src, _old[i]) is (byte)'!' or (byte)'\\')
                    {
                        EmitOld(output, src, _old[i++], ref oldCount, ref removed);
                    }

                    while (j < _new.Count && Tag(src, _new[j]) is (byte)'!' or (byte)'\\')
                    {
                        EmitNew(output, src, _new[j++], ref newCount, ref added);
                    }

                    continue;
                }

                EmitOld(output, src, _old[i++], ref oldCount, ref removed);
                continue;
            }

            // (A new section's '-' line is a change too when the old section is left out: GNU patch fills that section
            // from the new one's unchanged lines only.)
            if (n == (byte)'+' || (n == (byte)'!' && o == 0) || (n == (byte)'-' && !oldHasLines))
            {
                EmitNew(output, src, _new[j++], ref newCount, ref added);
                continue;
            }

            // Context: from whichever side has lines (a section without changes is left out of the patch).
            if (o != 0 && (n != 0 || !newHasLines))
            {
                Emit(output, src, _old[i++], (byte)' ');
                oldCount++;
                newCount++;
                if (n != 0)
                {
                    j++;
                }

                continue;
            }

            if (n != 0 && !oldHasLines)
            {
                Emit(output, src, _new[j++], (byte)' ');
                oldCount++;
                newCount++;
                continue;
            }

            // Unbalanced context (a section shorter than the other): keep what is there, context stays context.
            (int Start, int Length) rest = o != 0 ? _old[i++] : _new[j++];
            byte tag = o != 0 ? o : n;
            if (tag == (byte)' ')
            {
                Emit(output, src, rest, (byte)' ');
                oldCount++;
                newCount++;
            }
            else if (o != 0)
            {
                EmitOld(output, src, rest, ref oldCount, ref removed);
            }
            else
            {
                EmitNew(output, src, rest, ref newCount, ref added);
            }
        }

        return output.WrittenMemory;
    }

    private static byte Tag(ReadOnlySpan<byte> src, (int Start, int Length) line)
    {
        byte c = src[line.Start];
        return c is (byte)'\n' or (byte)'\r' ? (byte)' ' : c;
    }

    private static void EmitOld(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> src, (int Start, int Length) line, ref int oldCount, ref int removed)
    {
        if (src[line.Start] == (byte)'\\')
        {
            Emit(output, src, line, (byte)'\\');
            return;
        }

        Emit(output, src, line, (byte)'-');
        oldCount++;
        removed++;
    }

    private static void EmitNew(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> src, (int Start, int Length) line, ref int newCount, ref int added)
    {
        if (src[line.Start] == (byte)'\\')
        {
            Emit(output, src, line, (byte)'\\');
            return;
        }

        Emit(output, src, line, (byte)'+');
        newCount++;
        added++;
    }

    private static void Emit(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> src, (int Start, int Length) line, byte marker)
    {
        ReadOnlySpan<byte> text = src.Slice(line.Start, line.Length);
        if (marker == (byte)'\\')
        {
            output.Write(text);
            if (!text.EndsWith("\n"u8))
            {
                output.Write("\n"u8);
            }

            return;
        }

        // "X content": drop the two-byte prefix; an empty line keeps its line ending.
        ReadOnlySpan<byte> content = text.Length >= 2 && text[1] == (byte)' ' && text[0] is (byte)' ' or (byte)'-' or (byte)'+' or (byte)'!' ? text[2..] : text;
        Span<byte> span = output.GetSpan(content.Length + 1);
        span[0] = marker;
        content.CopyTo(span[1..]);
        output.Advance(content.Length + 1);
        if (!content.EndsWith("\n"u8))
        {
            // The patch ended in the middle of this line, and the new section may be emitted before the old one's
            // rest: end the line and mark it, so the body keeps one line per line wherever it lands.
            output.Write("\n\\ No newline at end of file\n"u8);
        }
    }
}
