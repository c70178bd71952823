namespace PatchKit.Diffs;

/// <summary>One block of a git binary patch, already base85-decoded and inflated.</summary>
public sealed class GitBinaryBlock
{
    /// <summary>Initializes a new instance of the <see cref="GitBinaryBlock"/> class.</summary>
    /// <param name="kind">Literal content or a delta against the other side.</param>
    /// <param name="data">The inflated bytes (the content for a literal, the delta instructions for a delta).</param>
    public GitBinaryBlock(GitBinaryBlockKind kind, ReadOnlyMemory<byte> data)
    {
        Kind = kind;
        Data = data;
    }

    /// <summary>Gets whether the block is a literal or a delta.</summary>
    public GitBinaryBlockKind Kind { get; }

    /// <summary>Gets the inflated bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the base85 data lines the block was read from (line endings included, without the closing empty
    /// line), or empty when the block was not parsed; <see cref="PatchWriter"/> copies them so a parsed patch renders
    /// byte for byte (another zlib would compress <see cref="Data"/> to other bytes).</summary>
    internal ReadOnlyMemory<byte> Encoded { get; init; }
}
