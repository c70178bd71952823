namespace PatchKit.Diffs.Algorithms;

/// <summary>Myers' O(ND) difference algorithm with the linear-space (middle snake) refinement, as GNU diff runs it
/// (gnulib <c>diffseq.h</c>: <c>diag</c>/<c>compareseq</c>, the <c>TOO_EXPENSIVE</c> cost bound unless minimal), plus
/// GNU diff's <c>discard_confusing_lines</c> preprocessing (<c>analyze.c</c>), so the edit script is GNU's.</summary>
internal sealed class MyersDiff
{
    private const int SnakeLimit = 20;
    private const int CancelCheckMask = 1023;

    private readonly int[] _xv;
    private readonly int[] _yv;
    private readonly int[]? _realX;
    private readonly int[]? _realY;
    private readonly byte[] _chX;
    private readonly byte[] _chY;
    private readonly int[] _diag;
    private readonly int _fdOff;
    private readonly int _bdOff;
    private readonly int _tooExpensive;
    private readonly CancellationToken _cancellationToken;
    private int _steps;

    private MyersDiff(int[] xv, int[] yv, int[]? realX, int[]? realY, byte[] chX, byte[] chY, int n, int m, DiffScratch scratch, bool minimal, CancellationToken cancellationToken)
    {
        _xv = xv;
        _yv = yv;
        _realX = realX;
        _realY = realY;
        _chX = chX;
        _chY = chY;
        int diags = n + m + 3;
        _diag = DiffScratch.Ensure(ref scratch.Diagonals, 2 * diags);
        _fdOff = m + 1;
        _bdOff = diags + m + 1;
        int tooExpensive = 1;
        for (int d = diags; d != 0; d >>= 2)
        {
            tooExpensive <<= 1;
        }

        _tooExpensive = minimal ? int.MaxValue : Math.Max(4096, tooExpensive);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Marks the changed lines of <paramref name="x"/>[0..n) and <paramref name="y"/>[0..m) in
    /// <paramref name="chX"/>/<paramref name="chY"/> (index + 1; index 0 and n + 1 are sentinels left 0).</summary>
    public static void Diff(int[] x, int n, int[] y, int m, int idCount, byte[] chX, byte[] chY, bool minimal, bool discard, DiffScratch scratch, CancellationToken cancellationToken)
    {
        if (!discard || minimal)
        {
            var plain = new MyersDiff(x, y, null, null, chX, chY, n, m, scratch, minimal, cancellationToken);
            plain.CompareSeq(0, n, 0, m, minimal);
            return;
        }

        int[] ux = DiffScratch.Ensure(ref scratch.UndiscardedA, n);
        int[] uy = DiffScratch.Ensure(ref scratch.UndiscardedB, m);
        int[] rx = DiffScratch.Ensure(ref scratch.RealA, n);
        int[] ry = DiffScratch.Ensure(ref scratch.RealB, m);
        DiscardConfusingLines(x, n, y, m, idCount, chX, chY, ux, uy, rx, ry, scratch, out int nx, out int ny);
        var diff = new MyersDiff(ux, uy, rx, ry, chX, chY, nx, ny, scratch, minimal, cancellationToken);
        diff.CompareSeq(0, nx, 0, ny, minimal);
    }

    /// <summary>Runs the comparison on a sub-range of the full vectors (no discarding), for the histogram and patience
    /// fallbacks.</summary>
    public static void DiffRange(int[] x, int n, int[] y, int m, int xoff, int xlim, int yoff, int ylim, byte[] chX, byte[] chY, DiffScratch scratch, CancellationToken cancellationToken)
    {
        var diff = new MyersDiff(x, y, null, null, chX, chY, n, m, scratch, false, cancellationToken);
        diff.CompareSeq(xoff, xlim, yoff, ylim, false);
    }

    private void NoteDelete(int xoff) => _chX[(_realX is null ? xoff : _realX[xoff]) + 1] = 1;

    private void NoteInsert(int yoff) => _chY[(_realY is null ? yoff : _realY[yoff]) + 1] = 1;

    private void CompareSeq(int xoff, int xlim, int yoff, int ylim, bool findMinimal)
    {
        int[] xv = _xv;
        int[] yv = _yv;
        while (xoff < xlim && yoff < ylim && xv[xoff] == yv[yoff])
        {
            xoff++;
            yoff++;
        }

        while (xoff < xlim && yoff < ylim && xv[xlim - 1] == yv[ylim - 1])
        {
            xlim--;
            ylim--;
        }

        if (xoff == xlim)
        {
            while (yoff < ylim)
            {
                NoteInsert(yoff++);
            }
        }
        else if (yoff == ylim)
        {
            while (xoff < xlim)
            {
                NoteDelete(xoff++);
            }
        }
        else
        {
            Diag(xoff, xlim, yoff, ylim, findMinimal, out int xmid, out int ymid, out bool loMinimal, out bool hiMinimal);
            CompareSeq(xoff, xmid, yoff, ymid, loMinimal);
            CompareSeq(xmid, xlim, ymid, ylim, hiMinimal);
        }
    }

    private void Diag(int xoff, int xlim, int yoff, int ylim, bool findMinimal, out int xmid, out int ymid, out bool loMinimal, out bool hiMinimal)
    {
        int[] v = _diag;
        int fo = _fdOff;
        int bo = _bdOff;
        int[] xv = _xv;
        int[] yv = _yv;
        int dmin = xoff - ylim;
        int dmax = xlim - yoff;
        int fmid = xoff - yoff;
        int bmid = xlim - ylim;
        int fmin = fmid, fmax = fmid;
        int bmin = bmid, bmax = bmid;
        bool odd = ((fmid - bmid) & 1) != 0;

        v[fo + fmid] = xoff;
        v[bo + bmid] = xlim;

        for (int c = 1; ; ++c)
        {
            if ((++_steps & CancelCheckMask) == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            if (fmin > dmin)
            {
                v[fo + --fmin - 1] = -1;
            }
            else
            {
                ++fmin;
            }

            if (fmax < dmax)
            {
                v[fo + ++fmax + 1] = -1;
            }
            else
            {
                --fmax;
            }

            for (int d = fmax; d >= fmin; d -= 2)
            {
                int tlo = v[fo + d - 1];
                int thi = v[fo + d + 1];
                int x0 = tlo < thi ? thi : tlo + 1;
                int x = x0, y = x0 - d;
                while (x < xlim && y < ylim && xv[x] == yv[y])
                {
                    x++;
                    y++;
                }

                v[fo + d] = x;
                if (odd && bmin <= d && d <= bmax && v[bo + d] <= x)
                {
                    xmid = x;
                    ymid = y;
                    loMinimal = hiMinimal = true;
                    return;
                }
            }

            if (bmin > dmin)
            {
                v[bo + --bmin - 1] = int.MaxValue;
            }
            else
            {
                ++bmin;
            }

            if (bmax < dmax)
            {
                v[bo + ++bmax + 1] = int.MaxValue;
            }
            else
            {
                --bmax;
            }

            for (int d = bmax; d >= bmin; d -= 2)
            {
                int tlo = v[bo + d - 1];
                int thi = v[bo + d + 1];
                int x0 = tlo < thi ? tlo : thi - 1;
                int x = x0, y = x0 - d;
                while (xoff < x && yoff < y && xv[x - 1] == yv[y - 1])
                {
                    x--;
                    y--;
                }

                v[bo + d] = x;
                if (!odd && fmin <= d && d <= fmax && x <= v[fo + d])
                {
                    xmid = x;
                    ymid = y;
                    loMinimal = hiMinimal = true;
                    return;
                }
            }

            if (findMinimal)
            {
                continue;
            }

            if (c >= _tooExpensive)
            {
                int fxybest = -1, fxbest = 0;
                for (int d = fmax; d >= fmin; d -= 2)
                {
                    int x = Math.Min(v[fo + d], xlim);
                    int y = x - d;
                    if (ylim < y)
                    {
                        x = ylim + d;
                        y = ylim;
                    }

                    if (fxybest < x + y)
                    {
                        fxybest = x + y;
                        fxbest = x;
                    }
                }

                int bxybest = int.MaxValue, bxbest = 0;
                for (int d = bmax; d >= bmin; d -= 2)
                {
                    int x = Math.Max(xoff, v[bo + d]);
                    int y = x - d;
                    if (y < yoff)
                    {
                        x = yoff + d;
                        y = yoff;
                    }

                    if (x + y < bxybest)
                    {
                        bxybest = x + y;
                        bxbest = x;
                    }
                }

                if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff))
                {
                    xmid = fxbest;
                    ymid = fxybest - fxbest;
                    loMinimal = true;
                    hiMinimal = false;
                }
                else
                {
                    xmid = bxbest;
                    ymid = bxybest - bxbest;
                    loMinimal = false;
                    hiMinimal = true;
                }

                return;
            }
        }
    }

    private static void DiscardConfusingLines(int[] x, int n, int[] y, int m, int idCount, byte[] chX, byte[] chY, int[] ux, int[] uy, int[] rx, int[] ry, DiffScratch scratch, out int nx, out int ny)
    {
        int[] counts = DiffScratch.Ensure(ref scratch.Counts, 2 * idCount);
        Array.Clear(counts, 0, 2 * idCount);
        for (int i = 0; i < n; i++)
        {
            counts[x[i]]++;
        }

        for (int i = 0; i < m; i++)
        {
            counts[idCount + y[i]]++;
        }

        byte[] discarded = DiffScratch.Ensure(ref scratch.Discards, n + m);
        Array.Clear(discarded, 0, n + m);
        for (int f = 0; f < 2; f++)
        {
            int end = f == 0 ? n : m;
            int[] equivs = f == 0 ? x : y;
            int countsOff = f == 0 ? idCount : 0;
            int dOff = f == 0 ? 0 : n;
            int many = 5;
            for (int tem = end >> 6; (tem >>= 2) > 0;)
            {
                many *= 2;
            }

            for (int i = 0; i < end; i++)
            {
                int nmatch = counts[countsOff + equivs[i]];
                if (nmatch == 0)
                {
                    discarded[dOff + i] = 1;
                }
                else if (nmatch > many)
                {
                    discarded[dOff + i] = 2;
                }
            }
        }

        for (int f = 0; f < 2; f++)
        {
            int end = f == 0 ? n : m;
            Span<byte> discards = discarded.AsSpan(f == 0 ? 0 : n, end);
            for (int i = 0; i < end; i++)
            {
                if (discards[i] == 2)
                {
                    discards[i] = 0;
                }
                else if (discards[i] != 0)
                {
                    int j;
                    int provisional = 0;
                    for (j = i; j < end; j++)
                    {
                        if (discards[j] == 0)
                        {
                            break;
                        }

                        if (discards[j] == 2)
                        {
                            ++provisional;
                        }
                    }

                    while (j > i && discards[j - 1] == 2)
                    {
                        discards[--j] = 0;
                        --provisional;
                    }

                    int length = j - i;
                    if (provisional * 4 > length)
                    {
                        while (j > i)
                        {
                            if (discards[--j] == 2)
                            {
                                discards[j] = 0;
                            }
                        }
                    }
                    else
                    {
                        int minimum = 1;
                        for (int tem = length >> 2; 0 < (tem >>= 2);)
                        {
                            minimum <<= 1;
                        }

                        minimum++;
                        int consec = 0;
                        for (j = 0; j < length; j++)
                        {
                            if (discards[i + j] != 2)
                            {
                                consec = 0;
                            }
                            else if (minimum == ++consec)
                            {
                                j -= consec;
                            }
                            else if (minimum < consec)
                            {
                                discards[i + j] = 0;
                            }
                        }

                        for (j = 0, consec = 0; j < length; j++)
                        {
                            if (j >= 8 && discards[i + j] == 1)
                            {
                                break;
                            }

                            if (discards[i + j] == 2)
                            {
                                consec = 0;
                                discards[i + j] = 0;
                            }
                            else if (discards[i + j] == 0)
                            {
                                consec = 0;
                            }
                            else
                            {
                                consec++;
                            }

                            if (consec == 3)
                            {
                                break;
                            }
                        }

                        i += length - 1;
                        for (j = 0, consec = 0; j < length; j++)
                        {
                            if (j >= 8 && discards[i - j] == 1)
                            {
                                break;
                            }

                            if (discards[i - j] == 2)
                            {
                                consec = 0;
                                discards[i - j] = 0;
                            }
                            else if (discards[i - j] == 0)
                            {
                                consec = 0;
                            }
                            else
                            {
                                consec++;
                            }

                            if (consec == 3)
                            {
                                break;
                            }
                        }
                    }
                }
            }
        }

        nx = 0;
        for (int i = 0; i < n; i++)
        {
            if (discarded[i] == 0)
            {
                ux[nx] = x[i];
                rx[nx++] = i;
            }
            else
            {
                chX[i + 1] = 1;
            }
        }

        ny = 0;
        for (int i = 0; i < m; i++)
        {
            if (discarded[n + i] == 0)
            {
                uy[ny] = y[i];
                ry[ny++] = i;
            }
            else
            {
                chY[i + 1] = 1;
            }
        }
    }
}
