namespace PatchKit.Diffs.Algorithms;

/// <summary>One run of changes: <see cref="Deleted"/> lines of the old file from line <see cref="Line0"/> replaced by
/// <see cref="Inserted"/> lines of the new file from <see cref="Line1"/> (0-based, as GNU diff's <c>struct change</c>).</summary>
internal readonly record struct Change(int Line0, int Line1, int Deleted, int Inserted);
