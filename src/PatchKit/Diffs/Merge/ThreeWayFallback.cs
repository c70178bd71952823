using System.Buffers;
using System.Collections.Immutable;
using PatchKit.Diffs.Apply;

namespace PatchKit.Diffs.Merge;

/// <summary>The three-way fallback of one file patch whose hunks did not apply: base found, patch applied to it
/// exactly, result merged with the current file.</summary>
internal static class ThreeWayFallback
{
    /// <summary>Tries the fallback.</summary>
    /// <param name="patch">The file patch.</param>
    /// <param name="ours">The current content of the file.</param>
    /// <param name="basePath">The file's path before the patch (relative to the tree root).</param>
    /// <param name="target">The path reported.</param>
    /// <param name="options">The fallback's options.</param>
    /// <param name="reverse">Whether the patch is applied in reverse.</param>
    /// <param name="failed">The failed direct apply; returned with a note when the fallback can't be used.</param>
    /// <param name="content">The merged content (with conflict markers), or <see langword="null"/> when refused.</param>
    /// <returns>The file result: merged (clean or with conflicts), or <paramref name="failed"/> with a note.</returns>
    public static FileApplyResult Run(
        FilePatch patch, ReadOnlySpan<byte> ours, string basePath, string? target, ThreeWayOptions options, bool reverse,
        FileApplyResult failed, out byte[]? content)
    {
        content = null;
        string? baseId = Normalize(reverse ? patch.NewObjectId : patch.OldObjectId);
        string? theirsId = Normalize(reverse ? patch.OldObjectId : patch.NewObjectId);
        byte[]? @base;
        try
        {
            @base = options.Bases.Find(basePath, baseId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            failed.ThreeWayNote = $"three-way merge not possible: reading the base of '{basePath}' from {options.Bases.Description} failed: {e.Message}";
            return failed;
        }

        if (@base is null)
        {
            failed.ThreeWayNote = baseId is null
                ? $"three-way merge not possible: {options.Bases.Description} has no base for '{basePath}'"
                : $"three-way merge not possible: {options.Bases.Description} has no blob {baseId} (the base of '{basePath}')";
            return failed;
        }

        if (baseId is not null && !IdMatches(baseId, @base))
        {
            failed.ThreeWayNote = $"three-way merge not possible: the base of '{basePath}' in {options.Bases.Description} is not blob {baseId}";
            return failed;
        }

        // Theirs: the patch on its own base, exactly (no offset, no fuzz, no reversed-patch guess).
        var strict = new ApplySettings { Fuzz = 0, Reverse = reverse, SkipAlreadyApplied = false, DetectReversed = false };
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, @base.Length + 256));
        FileApplyResult onBase = HunkApplier.Apply(patch, @base, buffer, strict, target);
        bool exact = onBase.Succeeded && !onBase.ReversedDetected;
        foreach (HunkResult h in onBase.Hunks)
        {
            exact &= h.Status == HunkStatus.Applied && h.Offset == 0 && h.Fuzz == 0;
        }

        if (!exact)
        {
            failed.ThreeWayNote = $"three-way merge not possible: the patch does not apply exactly to the base of '{basePath}' from {options.Bases.Description}";
            return failed;
        }

        ReadOnlySpan<byte> theirs = buffer.WrittenSpan;
        if (theirsId is not null && !IdMatches(theirsId, theirs))
        {
            failed.ThreeWayNote = $"three-way merge not possible: the patch applied to the base of '{basePath}' does not give blob {theirsId}";
            return failed;
        }

        var merged = new ArrayBufferWriter<byte>(Math.Max(256, ours.Length + theirs.Length - @base.Length + 256));
        int conflicts = ThreeWayMerge.Merge(ours, @base, theirs, options.ConflictStyle, "ours", "base", "theirs", merged);
        content = merged.WrittenSpan.ToArray();
        ImmutableArray<HunkResult> hunks = onBase.Hunks;
        string where = baseId is null ? $"{options.Bases.Description}" : $"blob {baseId} from {options.Bases.Description}";
        return new FileApplyResult(target, patch, hunks, conflicts, reverse,
            conflicts == 0 ? $"merged three-way with the base ({where}): clean" : $"merged three-way with the base ({where}): {conflicts} conflict{(conflicts == 1 ? string.Empty : "s")}");
    }

    private static string? Normalize(string? id) =>
        id is null || id.Length < 4 || id.AsSpan().IndexOfAnyExcept('0') < 0 ? null : id.ToLowerInvariant();

    private static bool IdMatches(string id, ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[20];
        GitObjectId.Compute(content, hash);
        return Convert.ToHexStringLower(hash).StartsWith(id, StringComparison.Ordinal);
    }
}
