using System.Buffers;

namespace PatchKit.Diffs;

/// <summary>One step of a tree comparison, in output order: a file pair to compare, a line of text
/// (<c>Only in …</c>), or an error.</summary>
internal sealed class TreeItem
{
    public TreeItem(string? text, bool isError)
    {
        Text = text;
        IsError = isError;
        OldFull = OldLabel = NewFull = NewLabel = string.Empty;
    }

    public TreeItem(string oldFull, string oldLabel, TreeEntryKind oldKind, string newFull, string newLabel, TreeEntryKind newKind, bool inTree)
    {
        OldFull = oldFull;
        OldLabel = oldLabel;
        OldKind = oldKind;
        NewFull = newFull;
        NewLabel = newLabel;
        NewKind = newKind;
        InTree = inTree;
    }

    public string? Text { get; }

    public bool IsError { get; }

    public bool IsPair => Text is null;

    public string OldFull { get; }

    public string OldLabel { get; }

    public TreeEntryKind OldKind { get; }

    public string NewFull { get; }

    public string NewLabel { get; }

    public TreeEntryKind NewKind { get; }

    public bool InTree { get; }

    /// <summary>Gets or sets the old file's path below the old tree's root (opened relative to the root's descriptor), or
    /// null for a path opened as given.</summary>
    public string? OldRelative { get; init; }

    /// <summary>Gets or sets the new file's path below the new tree's root, or null.</summary>
    public string? NewRelative { get; init; }

    /// <summary>Set once the pair is compared (written and read under the tree diff's lock).</summary>
    public bool Done { get; set; }

    /// <summary>Gets or sets the bytes this pair wrote, once compared: the comparing thread's buffer, handed over
    /// (the thread takes another from the tree diff's pool) and given back when written out.</summary>
    public ArrayBufferWriter<byte>? Output { get; set; }

    public bool Differs { get; set; }

    /// <summary>Gets or sets the message when reading the pair failed.</summary>
    public string? Error { get; set; }
}
