namespace PatchKit.Diffs;

/// <summary>File names as the bytes they are on Unix. A name that is not valid UTF-8 (a Latin-1 <c>caf\xe9.txt</c>)
/// cannot be held by a .NET string as text: PatchKit keeps each byte of an invalid sequence as a lone surrogate
/// <c>U+DC80</c>..<c>U+DCFF</c> (byte <c>b</c> is <c>U+DC00 + b</c>, as Python's <c>surrogateescape</c>), so the paths
/// of <see cref="FileApplyResult"/> and <see cref="TreeApplyResult"/> name exactly the files that were patched, and two
/// names that differ in any byte never compare equal.</summary>
/// <remarks>Such a string must not be given to a .NET file system call, which would encode each escape as U+FFFD and
/// name another file: turn it back into bytes with <see cref="Encode"/>. A valid UTF-8 name decodes as usual.</remarks>
public static class FileNames
{
    /// <summary>Decodes a name exactly (invalid bytes as <c>U+DC80</c>..<c>U+DCFF</c>).</summary>
    /// <param name="name">The raw bytes of the name.</param>
    /// <returns>A string that <see cref="Encode"/> turns back into the same bytes.</returns>
    public static string Decode(ReadOnlySpan<byte> name) => PathText.DecodeName(name);

    /// <summary>Gets the exact bytes of a name decoded by <see cref="Decode"/>.</summary>
    /// <param name="name">The decoded name.</param>
    /// <returns>The bytes of the name.</returns>
    public static byte[] Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PathText.EncodeName(name);
    }
}
