using System.Text;
using CsCheck;

namespace PatchKit.Tests.Hardening;

/// <summary>The CsCheck generators the property tests share: texts of short lines over a small alphabet (so lines repeat
/// and diffs have real choices to make), with CRLF lines and a missing final newline mixed in, and edit scripts that
/// turn one text into a related one. CsCheck shrinks a failing case to the smallest text and script that still fails
/// and prints its seed; <c>Sample(..., seed: "...")</c> replays it.</summary>
public static class Gens
{
    /// <summary>Text of 0 to <paramref name="maxLines"/> lines, each 0 to <paramref name="maxLineLength"/> characters of
    /// <paramref name="alphabet"/>. With <paramref name="crlf"/> null, one line in 8 ends in CRLF and one text in 5 has no
    /// final newline; otherwise every line ends as told and the text always ends with one.</summary>
    public static Gen<byte[]> Text(string alphabet, int maxLines = 40, int maxLineLength = 3, bool? crlf = null)
    {
        Gen<bool> lineCrLf = crlf is { } fixedCrLf ? Gen.Const(fixedCrLf) : Gen.Int[0, 7].Select(i => i == 0);
        Gen<string> line = Gen.Select(Gen.Char[alphabet].Array[0, maxLineLength], lineCrLf, (chars, cr) => new string(chars) + (cr ? "\r\n" : "\n"));
        Gen<bool> noFinalNewline = crlf is null ? Gen.Int[0, 4].Select(i => i == 0) : Gen.Const(false);
        return Gen.Select(line.Array[0, maxLines], noFinalNewline, (lines, cut) =>
        {
            string text = string.Concat(lines);
            if (cut && text.Length > 0)
            {
                text = text[..^(text.EndsWith("\r\n", StringComparison.Ordinal) ? 2 : 1)];
            }

            return Encoding.ASCII.GetBytes(text);
        });
    }

    /// <summary>Up to <paramref name="maxEdits"/> line edits whose inserted and appended characters come from <paramref name="alphabet"/>.</summary>
    public static Gen<LineEdit[]> Edits(string alphabet, int maxEdits = 5) =>
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Char[alphabet], Gen.Int[0, 5].Select(i => i == 0), (kind, at, ch, cr) => new LineEdit(kind, at, ch, cr))
            .Array[0, maxEdits];

    /// <summary>Applies an edit script to a text (split at LF; CR stays with its line).</summary>
    public static byte[] Apply(byte[] text, IEnumerable<LineEdit> edits)
    {
        var lines = Encoding.ASCII.GetString(text).Split('\n').ToList();
        foreach (LineEdit edit in edits)
        {
            int at = edit.At % (lines.Count + 1);
            switch (edit.Kind)
            {
                case 0 when at < lines.Count:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, edit.Char + (edit.CarriageReturn ? "\r" : string.Empty));
                    break;
                case 2 when at < lines.Count:
                    lines[at] += edit.Char;
                    break;
            }
        }

        return Encoding.ASCII.GetBytes(string.Join('\n', lines));
    }

    /// <summary>Bytes that look like patch text: header and hunk tokens, patch punctuation and now and then any byte.</summary>
    public static readonly Gen<byte[]> PatchLikeBytes = Gen.Frequency(
            (1, Gen.OneOf(
                "diff --git a/x b/x\n", "--- a/x\n", "+++ b/x\n", "@@ -1,3 +1,3 @@", "@@ -", " @@\n", "\\ No newline at end of file\n",
                "GIT binary patch\n", "literal 5\n", "delta 3\n", "rename from x\n", "copy to ../y\n", "*** 1,3 ****\n", "--- 1,3 ----\n",
                "new file mode 120000\n", "index 1234567..89abcde 100644\n").Select(Encoding.ASCII.GetBytes)),
            (2, Gen.Char["\n \t+-@\\:/abdfgi0123456789,"].Select(c => new[] { (byte)c })),
            (1, Gen.Byte.Select(b => new[] { b })))
        .Array[0, 60]
        .Select(pieces => pieces.SelectMany(p => p).ToArray());

    /// <summary>A few byte overwrites of a source, each at a position taken modulo its length.</summary>
    public static Gen<(int At, byte Value)[]> Overwrites { get; } =
        Gen.Select(Gen.Int[0, 100_000], Gen.Char["0123456789 +-@\n,\\"].Select(c => (byte)c)).Array[1, 7];

    /// <summary>Applies <see cref="Overwrites"/> to a copy of <paramref name="source"/>.</summary>
    public static byte[] Overwrite(byte[] source, (int At, byte Value)[] overwrites)
    {
        byte[] copy = [.. source];
        foreach ((int at, byte value) in overwrites)
        {
            if (copy.Length > 0)
            {
                copy[at % copy.Length] = value;
            }
        }

        return copy;
    }

    /// <summary>Prints bytes as escaped ASCII for a failure message.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in bytes)
        {
            sb.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }

        return sb.Append('"').ToString();
    }
}
