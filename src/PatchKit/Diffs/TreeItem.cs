namespace PatchKit.Diffs;

/// <summary>One step of a tree comparison, in output order: a file pair to compare, a line of text
/// (<c>Only in …</c>), or an error.</summary>
internal sealed class TreeItem
{
    public TreeItem(string? text, bool isError)
    {
        Text = text;
        IsError = isError;
        _oldFull = _oldLabel = _newFull = _newLabel = string.Empty;
    }

    public TreeItem(string oldFull, string oldLabel, TreeEntryKind oldKind, string newFull, string newLabel, TreeEntryKind newKind, bool inTree)
    {
        _oldFull = oldFull;
        _oldLabel = oldLabel;
        OldKind = oldKind;
        _newFull = newFull;
        _newLabel = newLabel;
        NewKind = newKind;
        InTree = inTree;
    }

    /// <summary>A pair found in two listed directories: its paths and labels are made when first asked for (most pairs
    /// of a tree are equal and only ever opened by <paramref name="relative"/>), so the walk keeps one string per pair.
    /// <paramref name="newName"/> and <paramref name="newRelative"/> are given only when the new side's name differs
    /// (names paired regardless of case).</summary>
    public TreeItem(System.IO.Abstractions.IPath path, string oldDir, string oldDirLabel, TreeEntryKind oldKind, string newDir, string newDirLabel, TreeEntryKind newKind, string name, string relative, bool git, string? newName = null, string? newRelative = null)
    {
        _path = path;
        _oldDir = oldDir;
        _oldDirLabel = oldDirLabel;
        _newDir = newDir;
        _newDirLabel = newDirLabel;
        _name = name;
        _newName = newName;
        OldKind = oldKind;
        NewKind = newKind;
        InTree = true;
        OldRelative = relative;
        NewRelative = newRelative ?? relative;
        if (git)
        {
            _oldLabel = relative;
            _newLabel = NewRelative;
        }
    }

    private readonly System.IO.Abstractions.IPath? _path;
    private readonly string? _oldDir, _oldDirLabel, _newDir, _newDirLabel, _name, _newName;
    private string? _oldFull, _oldLabel, _newFull, _newLabel;

    public string? Text { get; }

    public bool IsError { get; }

    public bool IsPair => Text is null;

    /// <summary>Gets a value indicating whether this line of text is not a difference (GNU's "Common subdirectories"
    /// line, which leaves the exit status 0).</summary>
    public bool NotADifference { get; init; }

    // Made at most once per side (a race between threads makes two equal strings, either one kept).
    public string OldFull => _oldFull ??= _path!.Combine(_oldDir!, _name!);

    public string OldLabel => _oldLabel ??= Join(_oldDirLabel!, _name!);

    public TreeEntryKind OldKind { get; }

    public string NewFull => _newFull ??= _path!.Combine(_newDir!, _newName ?? _name!);

    public string NewLabel => _newLabel ??= Join(_newDirLabel!, _newName ?? _name!);

    public TreeEntryKind NewKind { get; }

    public bool InTree { get; }

    /// <summary>Gets or sets the old file's path below the old tree's root (opened relative to the root's descriptor), or
    /// null for a path opened as given.</summary>
    public string? OldRelative { get; init; }

    /// <summary>Gets or sets the new file's path below the new tree's root, or null.</summary>
    public string? NewRelative { get; init; }

    /// <summary>Set once the pair is compared (written and read under the tree diff's lock).</summary>
    public bool Done { get; set; }

    /// <summary>Gets or sets the bytes this pair wrote, once compared: blocks of the tree diff's pool, given back when
    /// written out.</summary>
    public ChunkedOutput? Output { get; set; }

    public bool Differs { get; set; }

    /// <summary>Gets or sets the message when reading the pair failed.</summary>
    public string? Error { get; set; }

    /// <summary>A name below a label as GNU diff prints it (no doubled slash).</summary>
    public static string Join(string label, string name) => label.EndsWith('/') ? label + name : label + "/" + name;
}
