namespace PatchKit.Diffs;

/// <summary>How a three-way merge writes a conflict (as git's <c>merge.conflictStyle</c>).</summary>
public enum ConflictStyle
{
    /// <summary>Ours and theirs: <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; ours</c>, our lines, <c>=======</c>, their lines,
    /// <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; theirs</c>.</summary>
    Merge = 0,

    /// <summary>As <see cref="Merge"/>, with the base's lines between <c>||||||| base</c> and <c>=======</c>.</summary>
    Diff3 = 1,
}
