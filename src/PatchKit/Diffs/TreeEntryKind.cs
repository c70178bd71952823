namespace PatchKit.Diffs;

/// <summary>What a path in a compared tree is.</summary>
internal enum TreeEntryKind
{
    Absent = 0,
    File = 1,
    Directory = 2,
    Symlink = 3,
    Dangling = 4,
}
