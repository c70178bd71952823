using System.Buffers;
using PatchKit.Diffs.Apply;
using PatchKit.Diffs.Merge;

namespace PatchKit.Diffs;

/// <summary>Applies patches: one file patch to bytes, or a whole <see cref="PatchDocument"/> to a tree.</summary>
/// <remarks>
/// Matching follows GNU <c>patch</c>: a hunk is looked for where its header says (moved by the offset the hunk
/// before it was found at), then at growing distances in both directions, nearest first (the later place on a tie),
/// then with up to <see cref="ApplyOptions.Fuzz"/> context lines ignored at each end. Context lines are kept from
/// the file and added lines come from the patch, byte for byte: CRLF, lone CR and a missing final newline are data.
/// </remarks>
public static partial class PatchApplier
{
    /// <summary>Applies one file patch to the bytes of a file.</summary>
    /// <param name="patch">The file patch: its text hunks, or its git binary patch (literal or delta). Paths, modes and
    /// the operation are for the tree apply.</param>
    /// <param name="original">The current content of the file.</param>
    /// <param name="output">Receives the patched content. Hunks that fail leave their part of the file unchanged.</param>
    /// <param name="options">How to match; <see langword="null"/> for the defaults. With <see cref="ApplyOptions.ThreeWay"/>,
    /// a patch whose hunks do not apply is merged with its base (the base source is asked for the patch's old path as
    /// written, and its old blob id); <paramref name="output"/> then receives the merged file.</param>
    /// <returns>One result per hunk; a hunk that does not apply is a result, not an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patch"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    public static FileApplyResult ApplyFile(FilePatch patch, ReadOnlySpan<byte> original, IBufferWriter<byte> output, ApplyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(output);
        options ??= s_defaults;
        options.Validate();
        string? path = patch.NewPath ?? patch.OldPath;
        if (patch.IsBinary)
        {
            byte[]? content = BinaryApplier.Apply(patch, original, options.Reverse, path ?? string.Empty, out string? error);
            if (content is null)
            {
                output.Write(original);
                return new FileApplyResult(path, patch, error!);
            }

            output.Write(content);
            return new FileApplyResult(path, patch, [], false, options.SkipAlreadyApplied, options.Reverse);
        }

        FileOperation op = patch.Operation;
        bool creates = options.Reverse ? op == FileOperation.Delete : op == FileOperation.Add;
        bool deletes = options.Reverse ? op == FileOperation.Add : op == FileOperation.Delete;
        if (creates && !original.IsEmpty)
        {
            output.Write(original);
            return new FileApplyResult(path, patch, $"The patch creates '{path}', but the file given is not empty.");
        }

        if (!deletes)
        {
            if (options.ThreeWay is null || creates)
            {
                return HunkApplier.Apply(patch, original, output, new ApplySettings(options), path);
            }

            var direct = new ArrayBufferWriter<byte>(Math.Max(256, original.Length + (original.Length >> 3)));
            FileApplyResult first = HunkApplier.Apply(patch, original, direct, new ApplySettings(options), path);
            if (first.Skipped || (first.Succeeded && !options.ThreeWay.MergeFirst))
            {
                output.Write(direct.WrittenSpan);
                return first;
            }

            // Merge-first: a direct apply that succeeded stands only when the merge cannot run (the note says why).
            FileApplyResult merged = ThreeWayFallback.Run(patch, original, patch.OldPath ?? path ?? string.Empty, path, options.ThreeWay, options.Reverse, first, out byte[]? content);
            output.Write(content ?? direct.WrittenSpan);
            return merged;
        }

        // A deletion must remove everything: check before writing anything.
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, original.Length));
        FileApplyResult result = HunkApplier.Apply(patch, original, buffer, new ApplySettings(options), path);
        if (result.Succeeded && buffer.WrittenCount != 0)
        {
            output.Write(original);
            return new FileApplyResult(path, patch, $"Not deleting '{path}': its content differs from what the patch removes.");
        }

        output.Write(buffer.WrittenSpan);
        return result;
    }

    /// <summary>Applies one file patch to the bytes of a file and returns the new bytes.</summary>
    /// <param name="patch">The file patch.</param>
    /// <param name="original">The current content of the file.</param>
    /// <param name="result">One result per hunk.</param>
    /// <param name="options">How to match; <see langword="null"/> for the defaults.</param>
    /// <returns>The patched content (hunks that failed leave their part unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patch"/> is <see langword="null"/>.</exception>
    public static byte[] ApplyFile(FilePatch patch, ReadOnlySpan<byte> original, out FileApplyResult result, ApplyOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, original.Length + (original.Length >> 3)));
        result = ApplyFile(patch, original, buffer, options);
        return buffer.WrittenSpan.ToArray();
    }

    private static readonly ApplyOptions s_defaults = new();
}
