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
}
