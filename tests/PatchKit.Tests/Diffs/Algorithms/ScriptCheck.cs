using PatchKit.Diffs;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Tests.Diffs.Algorithms;

/// <summary>Shared helpers: run the line diff on byte buffers, apply its changes, brute-force LCS.</summary>
internal static class ScriptCheck
{
    public static List<Change> Run(byte[] a, byte[] b, DiffAlgorithm algorithm, bool minimal, int horizon = 3)
    {
        var changes = new List<Change>();
        LineDiff.Compute(a, LineIndex.LineStarts(a), b, LineIndex.LineStarts(b), horizon, algorithm, minimal, changes, CancellationToken.None);
        return changes;
    }

    /// <summary>Applies the changes to the old lines, taking inserted lines from the new side; returns the bytes.</summary>
    public static byte[] Apply(byte[] a, byte[] b, List<Change> changes)
    {
        int[] sa = LineIndex.LineStarts(a);
        int[] sb = LineIndex.LineStarts(b);
        var result = new List<byte>();
        int line = 0;
        foreach (Change c in changes)
        {
            Assert.True(c.Line0 >= line, "changes out of order");
            result.AddRange(a.AsSpan(sa[line], sa[c.Line0] - sa[line]).ToArray());
            result.AddRange(b.AsSpan(sb[c.Line1], sb[c.Line1 + c.Inserted] - sb[c.Line1]).ToArray());
            line = c.Line0 + c.Deleted;
        }

        result.AddRange(a.AsSpan(sa[line], sa[^1] - sa[line]).ToArray());
        return [.. result];
    }

    public static int Cost(List<Change> changes)
    {
        int cost = 0;
        foreach (Change c in changes)
        {
            cost += c.Deleted + c.Inserted;
        }

        return cost;
    }

    public static int BruteForceLcs(string[] x, string[] y)
    {
        var t = new int[x.Length + 1, y.Length + 1];
        for (int i = x.Length - 1; i >= 0; i--)
        {
            for (int j = y.Length - 1; j >= 0; j--)
            {
                t[i, j] = x[i] == y[j] ? t[i + 1, j + 1] + 1 : Math.Max(t[i + 1, j], t[i, j + 1]);
            }
        }

        return t[0, 0];
    }

    /// <summary>A random pair of small texts over a tiny alphabet (many equal lines), sometimes without a final LF.</summary>
    public static (string[] A, string[] B) RandomLines(Random r, int maxLines, int alphabet)
    {
        string[] pool = ["a\n", "b\n", "c\n", "\n", "d\r\n", "}\n", "int f()\n", "e\n"];
        int k = Math.Min(pool.Length, alphabet);
        string[] a = new string[r.Next(0, maxLines + 1)];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = pool[r.Next(k)];
        }

        var b = new List<string>(a);
        int edits = r.Next(1, 8);
        for (int e = 0; e < edits; e++)
        {
            int p = r.Next(0, b.Count + 1);
            double op = r.NextDouble();
            if (op < 0.4)
            {
                for (int n = r.Next(1, 5); n > 0; n--)
                {
                    b.Insert(p, pool[r.Next(k)]);
                }
            }
            else if (op < 0.8)
            {
                b.RemoveRange(p, Math.Min(r.Next(1, 5), b.Count - p));
            }
            else if (p < b.Count)
            {
                b[p] = pool[r.Next(k)];
            }
        }

        if (a.Length > 0 && a[^1].Length > 1 && r.Next(5) == 0)
        {
            a[^1] = a[^1].TrimEnd('\n');
        }

        if (b.Count > 0 && b[^1].Length > 1 && r.Next(5) == 0)
        {
            b[^1] = b[^1].TrimEnd('\n');
        }

        return (a, [.. b]);
    }

    public static byte[] Bytes(string[] lines) => System.Text.Encoding.UTF8.GetBytes(string.Concat(lines));
}
