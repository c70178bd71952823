namespace PatchKit.Diffs;

/// <summary>One line of a quilt series: a patch file's name (relative to the patches folder) and its strip level.</summary>
public sealed class SeriesPatch
{
    internal SeriesPatch(string name, int strip, int lineNumber)
    {
        Name = name;
        Strip = strip;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the patch's name: its path below the patches folder, and its folder below <c>.pc</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the strip level (<c>-pN</c>; 1 when the line gives none, as quilt).</summary>
    public int Strip { get; }

    /// <summary>Gets the 1-based line of the series file that names the patch.</summary>
    public int LineNumber { get; }
}
