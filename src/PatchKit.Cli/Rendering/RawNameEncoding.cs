using System.Text;

namespace PatchKit.Cli.Rendering;

/// <summary>UTF-8 for the CLI's standard output and error, except that a lone surrogate <c>U+DC80</c>..<c>U+DCFF</c> (a
/// byte of a file name that is not valid UTF-8, see <see cref="PatchKit.Diffs.FileNames"/>) is written as the byte it
/// stands for, as GNU patch writes a name's bytes. Decoding is plain UTF-8.</summary>
internal sealed class RawNameEncoding : Encoding
{
    public static readonly RawNameEncoding Instance = new();

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private RawNameEncoding()
        : base(65001)
    {
    }

    public override byte[] GetPreamble() => [];

    public override ReadOnlySpan<byte> Preamble => default;

    public override int GetByteCount(char[] chars, int index, int count)
    {
        char pending = '\0';
        return EncodeChars(chars.AsSpan(index, count), [], flush: true, ref pending, countOnly: true);
    }

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
    {
        char pending = '\0';
        return EncodeChars(chars.AsSpan(charIndex, charCount), bytes.AsSpan(byteIndex), flush: true, ref pending, countOnly: false);
    }

    public override int GetCharCount(byte[] bytes, int index, int count) => s_utf8.GetCharCount(bytes, index, count);

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) => s_utf8.GetChars(bytes, byteIndex, byteCount, chars, charIndex);

    public override int GetMaxByteCount(int charCount) => (charCount + 1) * 3;

    public override int GetMaxCharCount(int byteCount) => byteCount + 1;

    public override Encoder GetEncoder() => new RawEncoder();

    /// <summary>Encodes <paramref name="chars"/>; a high surrogate at the end waits in <paramref name="pending"/> for
    /// its other half unless <paramref name="flush"/>.</summary>
    private static int EncodeChars(ReadOnlySpan<char> chars, Span<byte> bytes, bool flush, ref char pending, bool countOnly)
    {
        int n = 0;
        Span<byte> buf = stackalloc byte[4];
        int i = 0;
        while (i < chars.Length || (flush && pending != '\0'))
        {
            char c;
            if (pending != '\0')
            {
                c = pending;
                pending = '\0';
            }
            else
            {
                c = chars[i++];
            }

            int len;
            if (char.IsHighSurrogate(c))
            {
                if (i < chars.Length && char.IsLowSurrogate(chars[i]))
                {
                    len = new Rune(c, chars[i++]).EncodeToUtf8(buf);
                }
                else if (i == chars.Length && !flush)
                {
                    pending = c;
                    break;
                }
                else
                {
                    len = Rune.ReplacementChar.EncodeToUtf8(buf);
                }
            }
            else if (c is >= '\uDC80' and <= '\uDCFF')
            {
                buf[0] = (byte)(c - '\uDC00');
                len = 1;
            }
            else
            {
                len = (Rune.TryCreate(c, out Rune r) ? r : Rune.ReplacementChar).EncodeToUtf8(buf);
            }

            if (!countOnly)
            {
                buf[..len].CopyTo(bytes[n..]);
            }

            n += len;
        }

        return n;
    }

    private sealed class RawEncoder : Encoder
    {
        private char _pending;

        public override int GetByteCount(char[] chars, int index, int count, bool flush)
        {
            char pending = _pending;
            return EncodeChars(chars.AsSpan(index, count), [], flush, ref pending, countOnly: true);
        }

        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex, bool flush) =>
            EncodeChars(chars.AsSpan(charIndex, charCount), bytes.AsSpan(byteIndex), flush, ref _pending, countOnly: false);

        public override void Reset() => _pending = '\0';
    }
}
