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

    /// <summary>Gets or sets the bytes this pair wrote, once compared.</summary>
    public byte[]? Output { get; set; }

    /// <summary>Gets or sets how many bytes of <see cref="Output"/> (a pooled array) are the diff.</summary>
    public int OutputLength { get; set; }

    public bool Differs { get; set; }

    /// <summary>Gets or sets the message when reading the pair failed.</summary>
    public string? Error { get; set; }
}
