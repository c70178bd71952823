using System.Buffers;
using System.Collections.Immutable;
using PatchKit.Diffs.Apply;

namespace PatchKit.Diffs;

/// <summary>The outcome of applying one file patch: one <see cref="HunkResult"/> per hunk, in order.</summary>
public sealed class FileApplyResult
{
    internal FileApplyResult(string? path, FilePatch patch, ImmutableArray<HunkResult> hunks, bool reversedDetected, bool skipAlreadyApplied, bool reverse)
    {
        Path = path;
        Patch = patch;
        Hunks = hunks;
        ReversedDetected = reversedDetected;
        Reverse = reverse;
        bool allApplied = true;
        bool anyFailed = false;
        foreach (HunkResult h in hunks)
        {
            if (h.Status != HunkStatus.Applied)
            {
                allApplied = false;
            }

            if (h.Status == HunkStatus.Failed || (h.Status == HunkStatus.AlreadyApplied && !skipAlreadyApplied))
            {
                anyFailed = true;
            }
        }

        Skipped = reversedDetected && skipAlreadyApplied;
        Succeeded = allApplied || (!anyFailed && !reversedDetected);
    }

    /// <summary>Creates the result of hunks applied by the caller's own means (a merge with conflict markers, a forced
    /// creation), so it reads and reports like the applier's own results.</summary>
    /// <param name="path">The file the patch went to, or <see langword="null"/>.</param>
    /// <param name="patch">The file patch.</param>
    /// <param name="hunks">One result per hunk, in order.</param>
    /// <param name="reverse">Whether the patch was applied in reverse.</param>
    /// <returns>The result.</returns>
    public static FileApplyResult Create(string? path, FilePatch patch, ImmutableArray<HunkResult> hunks, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new FileApplyResult(path, patch, hunks, false, false, reverse);
    }

    internal FileApplyResult(string? path, FilePatch patch, ImmutableArray<HunkResult> hunks, int conflicts, bool reverse, string note)
    {
        Path = path;
        Patch = patch;
        Hunks = hunks;
        Reverse = reverse;
        MergedThreeWay = true;
        Conflicts = conflicts;
        ThreeWayNote = note;
        Succeeded = conflicts == 0;
    }

    internal FileApplyResult(string? path, FilePatch patch, string error)
    {
        Path = path;
        Patch = patch;
        Hunks = ImmutableArray<HunkResult>.Empty;
        Error = error;
    }

    /// <summary>Gets why the file patch could not be applied as a whole (file missing, file already exists, binary
    /// patch that does not fit, …), or <see langword="null"/> when the outcome is in <see cref="Hunks"/>.</summary>
    public string? Error { get; }

    /// <summary>Gets the path of the file in the tree (after <c>-p</c> stripping), or <see langword="null"/> for a
    /// single-file apply that was given no path.</summary>
    public string? Path { get; internal init; }

    /// <summary>Gets the file patch that was applied.</summary>
    public FilePatch Patch { get; }

    /// <summary>Gets one result per hunk, in the order of the hunks.</summary>
    public ImmutableArray<HunkResult> Hunks { get; }

    /// <summary>Gets a value indicating whether every hunk applied (hunks skipped as already applied under
    /// <see cref="ApplyOptions.SkipAlreadyApplied"/> count as applied).</summary>
    public bool Succeeded { get; }

    /// <summary>Gets a value indicating whether the first hunk was found already applied, so the whole file patch was
    /// taken for a reversed or previously applied one and nothing was changed (GNU patch's "Reversed (or previously
    /// applied) patch detected!").</summary>
    public bool ReversedDetected { get; }

    /// <summary>Gets a value indicating whether the file was left alone because the patch was already applied and
    /// <see cref="ApplyOptions.SkipAlreadyApplied"/> was set (as <c>patch -N</c>: "Skipping patch.").</summary>
    public bool Skipped { get; }

    /// <summary>Gets a value indicating whether the hunks did not apply directly and the file was merged three-way
    /// (<see cref="ApplyOptions.ThreeWay"/>): <see cref="Hunks"/> are then the hunks as applied to the base, and
    /// <see cref="Conflicts"/> counts the conflicts left in the file.</summary>
    public bool MergedThreeWay { get; }

    /// <summary>Gets the number of conflicts (regions with conflict markers) a three-way merge left in the file;
    /// 0 for a clean merge and when no merge was made. A file with conflicts has not <see cref="Succeeded"/>.</summary>
    public int Conflicts { get; }

    /// <summary>Gets what the three-way fallback did (merged clean, merged with conflicts) or why it could not be used
    /// (no base, base not the patch's, patch not exact on its base); <see langword="null"/> when it was not tried.</summary>
    public string? ThreeWayNote { get; internal set; }

    /// <summary>Gets the number of hunks that did not apply (failed, or already applied when not skipped).</summary>
    public int FailedCount
    {
        get
        {
            int n = 0;
            foreach (HunkResult h in Hunks)
            {
                if (h.Status != HunkStatus.Applied)
                {
                    n++;
                }
            }

            return n;
        }
    }

    internal bool Reverse { get; }

    /// <summary>Writes the hunks that did not apply as a unified-format reject file (GNU patch's <c>NAME.rej</c>).</summary>
    /// <param name="output">Where the reject file's bytes go.</param>
    /// <returns>The number of hunks written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    public int WriteRejects(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return RejectWriter.Write(this, output);
    }
}
