namespace PatchKit.Diffs;

/// <summary>What a file patch does to its file.</summary>
public enum FileOperation
{
    /// <summary>Changes the content of an existing file (it may change the mode too).</summary>
    Modify = 0,

    /// <summary>Creates a file (old side is <c>/dev/null</c> or <c>new file mode</c>).</summary>
    Add = 1,

    /// <summary>Deletes a file (new side is <c>/dev/null</c> or <c>deleted file mode</c>).</summary>
    Delete = 2,

    /// <summary>Renames a file (git <c>rename from</c>/<c>rename to</c>), possibly with content changes.</summary>
    Rename = 3,

    /// <summary>Copies a file (git <c>copy from</c>/<c>copy to</c>), possibly with content changes.</summary>
    Copy = 4,

    /// <summary>Changes only the mode of a file (git <c>old mode</c>/<c>new mode</c> and no hunks).</summary>
    ModeChange = 5,
}
