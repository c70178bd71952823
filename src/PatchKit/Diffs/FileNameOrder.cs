namespace PatchKit.Diffs;

/// <summary>How GNU diff orders and pairs the names of two folders (in the C locale): by their bytes, or, with
/// <c>--ignore-file-name-case</c>, as <c>strcasecmp</c> (ASCII letters folded to lower case, every other byte as it
/// is) with the bytes breaking ties. Compiled into the library's tree walk and the CLI's drop-in walk.</summary>
internal static class FileNameOrder
{
    /// <summary>Compares two names as <c>strcasecmp</c> in the C locale: only ASCII letters fold.</summary>
    public static int CompareIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int k = 0; k < n; k++)
        {
            int x = Fold(a[k]), y = Fold(b[k]);
            if (x != y)
            {
                return x - y;
            }
        }

        return a.Length - b.Length;
    }

    /// <summary>The order names are sorted in within a folder: case folded first when <paramref name="ignoreCase"/>,
    /// then by bytes (so names that differ only in case keep a fixed order).</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool ignoreCase)
    {
        if (ignoreCase && CompareIgnoreCase(a, b) is int folded and not 0)
        {
            return folded;
        }

        return a.SequenceCompareTo(b);
    }

    /// <summary>One step of the merge of two sorted name lists at positions <paramref name="i"/> and
    /// <paramref name="j"/>: negative when the old name comes alone, positive when the new one does, 0 when they pair.
    /// With <paramref name="ignoreCase"/>, names equal but for case pair, and when the side whose name sorts first by
    /// bytes has the other side's name exactly further on among its names equal but for case, that exact name is moved
    /// up to pair first (GNU prefers an exact match; the others of the run keep their order).</summary>
    public static int Step<T>(T[] oldNames, int i, T[] newNames, int j, Func<T, byte[]> name, bool ignoreCase)
    {
        if (i >= oldNames.Length)
        {
            return 1;
        }

        if (j >= newNames.Length)
        {
            return -1;
        }

        byte[] a = name(oldNames[i]), b = name(newNames[j]);
        if (!ignoreCase)
        {
            return a.AsSpan().SequenceCompareTo(b);
        }

        int cmp = CompareIgnoreCase(a, b);
        int raw = cmp == 0 ? a.AsSpan().SequenceCompareTo(b) : 0;
        if (raw != 0)
        {
            (T[] lesser, int at, byte[] wanted) = raw < 0 ? (oldNames, i, b) : (newNames, j, a);
            for (int k = at + 1; k < lesser.Length && CompareIgnoreCase(name(lesser[k]), wanted) == 0; k++)
            {
                int c = name(lesser[k]).AsSpan().SequenceCompareTo(wanted);
                if (c >= 0)
                {
                    if (c == 0)
                    {
                        T exact = lesser[k];
                        Array.Copy(lesser, at, lesser, at + 1, k - at);
                        lesser[at] = exact;
                    }

                    break;
                }
            }
        }

        return cmp;
    }

    /// <summary>Whether a name of the top folders comes before the starting file (<c>diff -S</c>): by its UTF-16 code
    /// units (the bytes' order for UTF-8 names), or case-folded when <paramref name="ignoreCase"/>.</summary>
    public static bool BeforeStart(string name, string start, bool ignoreCase) => ignoreCase
        ? CompareIgnoreCase(System.Text.Encoding.UTF8.GetBytes(name), System.Text.Encoding.UTF8.GetBytes(start)) < 0
        : string.CompareOrdinal(name, start) < 0;

    /// <summary>The name a file compared with a folder has in it when names are compared regardless of case: the
    /// folder's entry of that name exactly, else its first entry (in the folder's own order, excluded names left out)
    /// equal but for case, else <paramref name="name"/> itself.</summary>
    public static string NameIn(IEnumerable<string> entries, string name, Func<string, bool>? exclude)
    {
        byte[] wanted = System.Text.Encoding.UTF8.GetBytes(name);
        string? match = null;
        foreach (string entry in entries)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(entry);
            if (CompareIgnoreCase(bytes, wanted) != 0 || (exclude is not null && exclude(entry)))
            {
                continue;
            }

            if (bytes.AsSpan().SequenceEqual(wanted))
            {
                return name;
            }

            match ??= entry;
        }

        return match ?? name;
    }

    private static int Fold(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? c + 32 : c;
}
