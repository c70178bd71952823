namespace PatchKit.Diffs.Algorithms;

/// <summary>Growable work arrays reused across the files one thread compares, so a tree diff allocates per
/// thread, not per file or per line.</summary>
internal sealed class DiffScratch
{
    [ThreadStatic]
    private static DiffScratch? t_current;

    public int[] IdsA = [];
    public int[] IdsB = [];
    public byte[] ChangedA = [];
    public byte[] ChangedB = [];
    public int[] Diagonals = [];
    public int[] UndiscardedA = [];
    public int[] UndiscardedB = [];
    public int[] RealA = [];
    public int[] RealB = [];
    public int[] Counts = [];
    public byte[] Discards = [];
    public int[] Work = [];
    public int[] Work2 = [];
    public int[] Work3 = [];
    public int[] StartsA = [];
    public int[] StartsB = [];
    public readonly LineIndex Index = new();

    public static DiffScratch Current => t_current ??= new DiffScratch();

    public static T[] Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, array.Length + (array.Length >> 1))];
        }

        return array;
    }
}
