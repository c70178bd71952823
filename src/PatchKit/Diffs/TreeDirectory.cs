namespace PatchKit.Diffs;

/// <summary>A directory of both trees, held open while its file pairs are compared: each file is opened relative to it,
/// so the kernel looks up one name instead of every component of the path from the tree's root (a tenth of a tree
/// diff's CPU on a deep tree). Counted: the walk holds one reference while it lists the directory, each pair one until it
/// is written out; the last release closes the descriptors.</summary>
internal sealed class TreeDirectory
{
    /// <summary>Gets or sets the old tree's descriptor of this directory, or -1.</summary>
    public int OldFd { get; set; } = -1;

    /// <summary>Gets or sets the new tree's descriptor of this directory, or -1.</summary>
    public int NewFd { get; set; } = -1;

    /// <summary>Gets or sets the references still held (changed on the walking thread only).</summary>
    public int References { get; set; }
}
