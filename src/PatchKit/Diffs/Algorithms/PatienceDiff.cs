namespace PatchKit.Diffs.Algorithms;

/// <summary>Patience diff (as git's <c>xdiff/xpatience.c</c>): lines that occur exactly once on each side of a range
/// are matched by a longest increasing subsequence, the ranges between matches are handled the same way, and a range
/// without such lines falls back to Myers.</summary>
internal static class PatienceDiff
{
    public static void Diff(int[] x, int n, int[] y, int m, int idCount, byte[] chX, byte[] chY, DiffScratch scratch, CancellationToken cancellationToken)
    {
        // Per id: count in the old range and in the new range (capped at 2), and the position in the new range.
        int[] cntA = DiffScratch.Ensure(ref scratch.Work, idCount);
        int[] cntB = DiffScratch.Ensure(ref scratch.Work2, idCount);
        int[] posB = DiffScratch.Ensure(ref scratch.Work3, idCount);
        Array.Clear(cntA, 0, idCount);
        Array.Clear(cntB, 0, idCount);
        var pending = new Stack<(int L1, int E1, int L2, int E2)>();
        var matches = new List<(int A, int B)>();
        var tails = new List<int>();
        var prev = new List<int>();
        pending.Push((0, n, 0, m));
        int steps = 0;
        while (pending.Count > 0)
        {
            if ((++steps & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (l1, e1, l2, e2) = pending.Pop();
            while (l1 < e1 && l2 < e2 && x[l1] == y[l2])
            {
                l1++;
                l2++;
            }

            while (l1 < e1 && l2 < e2 && x[e1 - 1] == y[e2 - 1])
            {
                e1--;
                e2--;
            }

            if (l1 == e1)
            {
                for (int j = l2; j < e2; j++)
                {
                    chY[j + 1] = 1;
                }

                continue;
            }

            if (l2 == e2)
            {
                for (int i = l1; i < e1; i++)
                {
                    chX[i + 1] = 1;
                }

                continue;
            }

            for (int i = l1; i < e1; i++)
            {
                int id = x[i];
                if (cntA[id] < 2)
                {
                    cntA[id]++;
                }
            }

            for (int j = l2; j < e2; j++)
            {
                int id = y[j];
                if (cntB[id] < 2)
                {
                    cntB[id]++;
                    posB[id] = j;
                }
            }

            // Unique common lines in old order; longest increasing subsequence of their new positions.
            matches.Clear();
            tails.Clear();
            prev.Clear();
            for (int i = l1; i < e1; i++)
            {
                int id = x[i];
                if (cntA[id] == 1 && cntB[id] == 1)
                {
                    int b = posB[id];
                    int lo = 0, hi = tails.Count;
                    while (lo < hi)
                    {
                        int mid = (lo + hi) >> 1;
                        if (matches[tails[mid]].B < b)
                        {
                            lo = mid + 1;
                        }
                        else
                        {
                            hi = mid;
                        }
                    }

                    matches.Add((i, b));
                    prev.Add(lo > 0 ? tails[lo - 1] : -1);
                    if (lo == tails.Count)
                    {
                        tails.Add(matches.Count - 1);
                    }
                    else
                    {
                        tails[lo] = matches.Count - 1;
                    }
                }
            }

            for (int i = l1; i < e1; i++)
            {
                cntA[x[i]] = 0;
            }

            for (int j = l2; j < e2; j++)
            {
                cntB[y[j]] = 0;
            }

            if (tails.Count == 0)
            {
                MyersDiff.DiffRange(x, n, y, m, l1, e1, l2, e2, chX, chY, scratch, cancellationToken);
                continue;
            }

            // Walk the chain backwards, pushing the gaps between consecutive anchors.
            int k = tails[^1];
            int nextA = e1, nextB = e2;
            while (k >= 0)
            {
                var (a, b) = matches[k];
                if (a + 1 < nextA || b + 1 < nextB)
                {
                    pending.Push((a + 1, nextA, b + 1, nextB));
                }

                nextA = a;
                nextB = b;
                k = prev[k];
            }

            if (l1 < nextA || l2 < nextB)
            {
                pending.Push((l1, nextA, l2, nextB));
            }
        }
    }
}
