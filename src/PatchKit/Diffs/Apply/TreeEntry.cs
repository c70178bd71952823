namespace PatchKit.Diffs.Apply;

/// <summary>What a path in the tree is.</summary>
internal enum EntryKind : byte
{
    Absent = 0,
    File = 1,
    Symlink = 2,

    /// <summary>A folder: only ever seen when reading, never a state the applier writes.</summary>
    Directory = 3,

    /// <summary>A FIFO, socket or device: only ever seen when reading, and refused before it is opened (reading a FIFO
    /// waits forever, a character device never ends).</summary>
    Special = 4,
}

/// <summary>The state of one path in the tree, before or after the patch: kind, bytes (file content or link target)
/// and the owner exec bit when known.</summary>
internal sealed class TreeEntry
{
    public static readonly TreeEntry Absent = new(EntryKind.Absent, ReadOnlyMemory<byte>.Empty, null);

    public TreeEntry(EntryKind kind, ReadOnlyMemory<byte> content, bool? executable)
    {
        Kind = kind;
        Content = content;
        Executable = executable;
    }

    public EntryKind Kind { get; }

    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Gets whether the owner exec bit is set; <see langword="null"/> when not known (and not to change).</summary>
    public bool? Executable { get; }

    public bool SameAs(TreeEntry other) =>
        Kind == other.Kind && (Kind == EntryKind.Absent || Content.Span.SequenceEqual(other.Content.Span)) &&
        (Executable is null || other.Executable is null || Executable == other.Executable);
}
