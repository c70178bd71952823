namespace PatchKit.Diffs;

/// <summary>One side of a file comparison: its label (path), content and the metadata the headers show.</summary>
public sealed class DiffFile
{
    /// <summary>Initializes a new instance of the <see cref="DiffFile"/> class for a file that exists.</summary>
    /// <param name="path">The path shown in headers (GNU: as given; git: without the <c>a/</c>/<c>b/</c> prefix).</param>
    /// <param name="content">The file's bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public DiffFile(string path, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
        Content = content;
    }

    /// <summary>Gets the path shown in headers.</summary>
    public string Path { get; }

    /// <summary>Gets the file's bytes (empty for an absent file).</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Gets a value indicating whether the file exists; an absent file compares as empty (as <c>diff -N</c>),
    /// shows the Unix epoch in GNU headers and <c>/dev/null</c> in git headers.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Exists { get; init; } = true;

    /// <summary>Gets the last-write time shown in GNU headers, in the local time zone as GNU diff prints it.</summary>
    /// <value>The default value is <see langword="null"/>: the Unix epoch.</value>
    public DateTimeOffset? LastWriteTime { get; init; }

    /// <summary>Gets the nanoseconds within the second of <see cref="LastWriteTime"/> when known more precisely than
    /// <see cref="DateTimeOffset"/>'s 100 ns ticks.</summary>
    /// <value>The default value is <see langword="null"/>: taken from the ticks.</value>
    public int? Nanoseconds { get; init; }

    /// <summary>Gets the git file mode: <c>0o100644</c>, <c>0o100755</c> (executable) or <c>0o120000</c> (symbolic link,
    /// whose content is the link target).</summary>
    /// <value>The default value is <c>0o100644</c>.</value>
    public int Mode { get; init; } = 0x81A4;

    /// <summary>Creates the side of a comparison that does not exist.</summary>
    /// <param name="path">The path shown in headers.</param>
    /// <returns>An absent, empty file.</returns>
    public static DiffFile Absent(string path) => new(path, ReadOnlyMemory<byte>.Empty) { Exists = false };
}
