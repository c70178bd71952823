namespace PatchKit.Diffs.Apply;

/// <summary>Line numbers grouped by the hash of their line, with one dictionary look-up per line and three arrays (no list
/// per distinct line): the lines of bucket <c>k</c> are <c>Positions[Start[k]..Start[k + 1]]</c>, in file order.</summary>
internal static class LineBuckets
{
    /// <summary>Groups lines by hash.</summary>
    /// <param name="hashes">Each line's hash; overwritten with each line's bucket.</param>
    /// <param name="capacity">The dictionary's initial capacity.</param>
    /// <returns>The bucket of each hash, where each bucket starts in <c>Positions</c>, and the line numbers.</returns>
    public static (Dictionary<int, int> ByHash, int[] Start, int[] Positions) Group(int[] hashes, int capacity)
    {
        var byHash = new Dictionary<int, int>(capacity);
        var counts = new List<int>();
        for (int i = 0; i < hashes.Length; i++)
        {
            if (!byHash.TryGetValue(hashes[i], out int bucket))
            {
                bucket = counts.Count;
                byHash.Add(hashes[i], bucket);
                counts.Add(0);
            }

            hashes[i] = bucket;
            counts[bucket]++;
        }

        int[] start = new int[counts.Count + 1];
        for (int k = 0; k < counts.Count; k++)
        {
            start[k + 1] = start[k] + counts[k];
        }

        int[] fill = new int[counts.Count];
        int[] positions = new int[hashes.Length];
        for (int i = 0; i < hashes.Length; i++)
        {
            int k = hashes[i];
            positions[start[k] + fill[k]++] = i;
        }

        return (byHash, start, positions);
    }
}
