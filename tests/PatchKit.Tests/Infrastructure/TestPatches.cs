using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Tests.Infrastructure;

/// <summary>Builds model objects for unit tests from hunk text, without the parser (a test helper, not a parser:
/// it only splits "@@ -a,b +c,d @@" hunks of one file).</summary>
public static partial class TestPatches
{
    public static FilePatch File(string hunksText, string oldPath = "a/f", string newPath = "b/f", FileOperation operation = FileOperation.Modify)
        => File(Encoding.UTF8.GetBytes(hunksText), oldPath, newPath, operation);

    public static FilePatch File(byte[] text, string oldPath = "a/f", string newPath = "b/f", FileOperation operation = FileOperation.Modify)
    {
        var hunks = new List<Hunk>();
        int pos = 0;
        int headerStart = -1;
        int bodyStart = -1;
        int oldStart = 0, oldCount = 0, newStart = 0, newCount = 0;
        long lineNo = 0;
        while (pos <= text.Length)
        {
            int eol = pos < text.Length ? Array.IndexOf(text, (byte)'\n', pos) : -1;
            int end = eol < 0 ? text.Length : eol + 1;
            bool atEnd = pos >= text.Length;
            bool isHeader = !atEnd && end - pos > 3 && text[pos] == '@' && text[pos + 1] == '@';
            if (isHeader || atEnd)
            {
                if (headerStart >= 0)
                {
                    hunks.Add(new Hunk(oldStart, oldCount, newStart, newCount, ReadOnlyMemory<byte>.Empty, text.AsMemory(bodyStart, pos - bodyStart), lineNo));
                }

                if (atEnd)
                {
                    break;
                }

                string header = Encoding.ASCII.GetString(text, pos, end - pos);
                Match m = HeaderRegex().Match(header);
                oldStart = int.Parse(m.Groups[1].Value);
                oldCount = m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : 1;
                newStart = int.Parse(m.Groups[3].Value);
                newCount = m.Groups[4].Success ? int.Parse(m.Groups[4].Value) : 1;
                headerStart = pos;
                bodyStart = end;
            }

            lineNo++;
            pos = end;
            if (eol < 0)
            {
                pos = text.Length;
                if (headerStart >= 0)
                {
                    hunks.Add(new Hunk(oldStart, oldCount, newStart, newCount, ReadOnlyMemory<byte>.Empty, text.AsMemory(bodyStart, pos - bodyStart), lineNo));
                }

                break;
            }
        }

        return new FilePatch(Encoding.UTF8.GetBytes(oldPath), Encoding.UTF8.GetBytes(newPath), operation, hunks);
    }

    public static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

    public static string Numbered(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(i => i + "\n"));

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HeaderRegex();
}
