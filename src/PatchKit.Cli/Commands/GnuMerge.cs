using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary><c>patch --merge</c> for a hunk that does not apply: where its leading and trailing context lines are found,
/// the file's lines between them are kept beside the hunk's new lines under conflict markers (merge style, or diff3
/// style with the hunk's old lines too), as GNU patch does.</summary>
internal static class GnuMerge
{
    /// <summary>Returns the file with conflict markers and the 1-based first and last line of the conflict, or
    /// <see langword="null"/> when the hunk's context is not found.</summary>
    public static (List<string> Lines, int First, int Last)? Conflict(List<string> file, Hunk hunk, bool reverse, bool diff3, int expectedLine)
    {
        var body = new List<string>(Encoding.UTF8.GetString(hunk.Body.Span).Split('\n'));
        if (body.Count > 0 && body[^1].Length == 0)
        {
            body.RemoveAt(body.Count - 1);
        }

        char removed = reverse ? '+' : '-';
        var lead = new List<string>();
        var trail = new List<string>();
        var old = new List<string>();
        var @new = new List<string>();
        int i = 0;
        for (; i < body.Count && body[i].StartsWith(' '); i++)
        {
            lead.Add(body[i][1..] + "\n");
        }

        int end = body.Count;
        while (end > i && body[end - 1].StartsWith(' '))
        {
            end--;
        }

        for (int k = end; k < body.Count; k++)
        {
            trail.Add(body[k][1..] + "\n");
        }

        for (int k = i; k < end; k++)
        {
            if (body[k].Length == 0 || body[k][0] == '\\')
            {
                continue;
            }

            string text = body[k][1..] + "\n";
            if (body[k][0] == ' ')
            {
                old.Add(text);
                @new.Add(text);
            }
            else if (body[k][0] == removed)
            {
                old.Add(text);
            }
            else
            {
                @new.Add(text);
            }
        }

        if (lead.Count == 0 || trail.Count == 0)
        {
            return null;
        }

        int best = -1;
        int bestDistance = int.MaxValue;
        for (int at = 0; at + lead.Count <= file.Count; at++)
        {
            if (Matches(file, at, lead))
            {
                int distance = Math.Abs(at + 1 - expectedLine);
                if (distance < bestDistance)
                {
                    best = at;
                    bestDistance = distance;
                }
            }
        }

        if (best < 0)
        {
            return null;
        }

        int oursStart = best + lead.Count;
        int tail = -1;
        for (int at = oursStart; at + trail.Count <= file.Count; at++)
        {
            if (Matches(file, at, trail))
            {
                tail = at;
                break;
            }
        }

        if (tail < 0)
        {
            return null;
        }

        var result = new List<string>(file.Count + @new.Count + 5);
        result.AddRange(file.GetRange(0, oursStart));
        int first = result.Count + 1;
        result.Add("<<<<<<<\n");
        result.AddRange(file.GetRange(oursStart, tail - oursStart));
        if (diff3)
        {
            result.Add("|||||||\n");
            result.AddRange(old);
        }

        result.Add("=======\n");
        result.AddRange(@new);
        result.Add(">>>>>>>\n");
        int last = result.Count;
        result.AddRange(file.GetRange(tail, file.Count - tail));
        return (result, first, last);
    }

    private static bool Matches(List<string> file, int at, List<string> lines)
    {
        for (int k = 0; k < lines.Count; k++)
        {
            if (file[at + k] != lines[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The lines of a file, each with its newline (the last one may lack it).</summary>
    internal static List<string> SplitLines(byte[] content)
    {
        string text = Encoding.UTF8.GetString(content);
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }
}
