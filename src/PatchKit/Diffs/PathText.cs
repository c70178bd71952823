using System.Text;

// Compiled into the library and, under PatchKit.Cli's own namespace, into the CLI's GNU drop-in (PatchKit.Cli.csproj).
#if PATCHKIT_CLI
namespace PatchKit.Cli.Native;
#else
namespace PatchKit.Diffs;
#endif

/// <summary>Decodes raw path bytes: leniently for display, or exactly (<see cref="DecodeName"/>) for a name the file
/// system is asked about.</summary>
/// <remarks>
/// File names on Unix are bytes, not text. A .NET string cannot hold invalid UTF-8, so <see cref="DecodeName"/> maps
/// each byte of an invalid sequence to a lone low surrogate, <c>U+DC80</c>..<c>U+DCFF</c> (what Python calls
/// <c>surrogateescape</c>), and <see cref="EncodeName"/> maps it back. Valid UTF-8 never encodes a surrogate, so the
/// mapping round-trips every byte string exactly and two names that differ in any byte decode to different strings.
/// Such a string must not reach a .NET file system call (they encode it as UTF-8, which turns the escapes into
/// U+FFFD): <see cref="Apply.RawFiles"/> sends it to <c>libc</c> as the original bytes.
/// </remarks>
internal static class PathText
{
    private static readonly UTF8Encoding s_lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The first escape character: byte <c>b</c> (0x80..0xFF) of an invalid sequence is <c>U+DC00 + b</c>.</summary>
    private const char EscapeBase = '\uDC00';

    public static string Decode(ReadOnlySpan<byte> path) => s_lenient.GetString(path);

    /// <summary>Decodes a name exactly: valid UTF-8 as usual, every byte of an invalid sequence as an escape.</summary>
    public static string DecodeName(ReadOnlySpan<byte> name)
    {
        if (System.Text.Unicode.Utf8.IsValid(name))
        {
            return s_lenient.GetString(name);
        }

        var sb = new StringBuilder(name.Length);
        Span<char> chars = stackalloc char[2];
        while (!name.IsEmpty)
        {
            System.Buffers.OperationStatus status = Rune.DecodeFromUtf8(name, out Rune rune, out int used);
            if (status == System.Buffers.OperationStatus.Done)
            {
                int n = rune.EncodeToUtf16(chars);
                sb.Append(chars[..n]);
            }
            else
            {
                // Every byte of the invalid sequence on its own (an invalid sequence has only bytes >= 0x80).
                for (int i = 0; i < used; i++)
                {
                    sb.Append((char)(EscapeBase + name[i]));
                }
            }

            name = name[used..];
        }

        return sb.ToString();
    }

    /// <summary>Whether <paramref name="name"/> holds an escaped byte (it came from a name that is not valid UTF-8).</summary>
    public static bool HasEscapes(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++; // a pair: its low half may fall in the escape range and still be a real character
            }
            else if (IsEscape(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="c"/> is in the escape range (<c>U+DC80</c>..<c>U+DCFF</c>); it stands for one raw
    /// byte unless it is the low half of a surrogate pair.</summary>
    public static bool IsEscape(char c) => c is >= '\uDC80' and <= '\uDCFF';

    /// <summary>The byte an escape character stands for.</summary>
    public static byte EscapedByte(char c) => (byte)(c - EscapeBase);

    /// <summary>The exact bytes of a name decoded with <see cref="DecodeName"/>.</summary>
    public static byte[] EncodeName(string name)
    {
        if (!HasEscapes(name))
        {
            return Encoding.UTF8.GetBytes(name);
        }

        var bytes = new List<byte>(name.Length + 8);
        Span<byte> buf = stackalloc byte[4];
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                rune = new Rune(c, name[++i]);
            }
            else if (IsEscape(c))
            {
                bytes.Add(EscapedByte(c));
                continue;
            }
            else if (!Rune.TryCreate(c, out rune))
            {
                rune = Rune.ReplacementChar;
            }

            int n = rune.EncodeToUtf8(buf);
            for (int k = 0; k < n; k++)
            {
                bytes.Add(buf[k]);
            }
        }

        return [.. bytes];
    }

    /// <summary>The exact bytes of a name followed by a NUL, for a <c>libc</c> call.</summary>
    public static byte[] ToNative(string name)
    {
        byte[] bytes = EncodeName(name);
        byte[] z = new byte[bytes.Length + 1];
        bytes.CopyTo(z, 0);
        return z;
    }
}
