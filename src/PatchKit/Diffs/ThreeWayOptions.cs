namespace PatchKit.Diffs;

/// <summary>The three-way fallback of an apply (as <c>git apply --3way</c>): when a file patch's hunks do not apply to
/// the file, its base is looked up (by the blob id of the patch's <c>index</c> line, or by path), the patch is applied
/// to the base exactly, and the result is merged with the file; where both sides changed the same lines the file gets
/// conflict markers.</summary>
/// <remarks>
/// A merged file is never a guess: the patch must apply to the base with no offset and no fuzz (and give the blob id
/// the patch names, when it names one); otherwise the file patch fails as without the fallback, and
/// <see cref="FileApplyResult.ThreeWayNote"/> says why. A file with conflicts counts as not succeeded
/// (<see cref="FileApplyResult.Conflicts"/>); whether it still lets the tree apply commit is
/// <see cref="FailOnConflict"/>.
/// </remarks>
public sealed class ThreeWayOptions
{
    /// <summary>Initializes a new instance of the <see cref="ThreeWayOptions"/> class.</summary>
    /// <param name="bases">Where the base files come from (<see cref="MergeBases"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="bases"/> is <see langword="null"/>.</exception>
    public ThreeWayOptions(IMergeBaseSource bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        Bases = bases;
    }

    /// <summary>Gets where the base files come from.</summary>
    public IMergeBaseSource Bases { get; }

    /// <summary>Gets or sets how conflicts are written.</summary>
    /// <value>The default value is <see cref="ConflictStyle.Merge"/>.</value>
    public ConflictStyle ConflictStyle { get; set; }

    /// <summary>Gets or sets a value indicating whether a conflict makes an all-or-nothing tree apply write nothing.</summary>
    /// <value>The default value is <see langword="false"/>: as <c>git apply --3way</c>, the tree is written with the
    /// conflict markers in place and the result reports the conflicted files (<see cref="TreeApplyResult.Succeeded"/>
    /// is <see langword="false"/>, <see cref="TreeApplyResult.Committed"/> is <see langword="true"/>). A file patch
    /// that neither applies nor merges still makes the apply write nothing.</value>
    public bool FailOnConflict { get; set; }

    /// <summary>Gets or sets a value indicating whether a file patch is merged with its base even when its hunks would
    /// apply to the file directly, as <c>git apply --3way</c> does since git 2.32.</summary>
    /// <value>The default value is <see langword="false"/>: the hunks are tried on the file first and the merge runs only
    /// for a file patch that does not apply. When <see langword="true"/>, a file patch whose base is found is merged; the
    /// direct apply is used only when the base cannot be (missing, not the patch's, not exact), with
    /// <see cref="FileApplyResult.ThreeWayNote"/> saying why. The difference: a change that the file already has at
    /// another place, with the hunk's context still matching where it was, is applied a second time by the direct apply
    /// (as GNU patch does), while the merge sees that both sides made it.</value>
    public bool MergeFirst { get; set; }
}
