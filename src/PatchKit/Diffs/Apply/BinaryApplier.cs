namespace PatchKit.Diffs.Apply;

/// <summary>Applies the binary part of a git file patch: a literal block is the new content, a delta block is
/// applied to the old content.</summary>
internal static class BinaryApplier
{
    public static byte[]? Apply(FilePatch patch, ReadOnlySpan<byte> source, bool reverse, string path, out string? error)
    {
        GitBinaryBlock? block = reverse ? patch.BinaryPatch?.Reverse : patch.BinaryPatch?.Forward;
        if (block is null)
        {
            error = patch.BinaryPatch is null
                ? $"'{path}' is a binary file and the patch holds no binary data (\"Binary files differ\")."
                : $"The binary patch for '{path}' has no reverse block, so it can't be applied with -R.";
            return null;
        }

        if (block.Kind == GitBinaryBlockKind.Literal)
        {
            error = null;
            return block.Data.ToArray();
        }

        byte[]? patched = GitDelta.Apply(source, block.Data.Span, out string? why);
        error = patched is null ? $"The binary patch does not apply to '{path}': {why}." : null;
        return patched;
    }
}
