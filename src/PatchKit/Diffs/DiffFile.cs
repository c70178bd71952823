namespace PatchKit.Diffs;

/// <summary>One side of a file comparison: its label (path), content and the metadata the headers show.</summary>
public sealed class DiffFile
{
    /// <summary>git's mode of a regular file.</summary>
    internal const int RegularMode = 0x81A4;

    /// <summary>git's mode of an executable file.</summary>
    internal const int ExecutableMode = 0x81ED;

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
    public int Mode { get; init; } = RegularMode;

    /// <summary>Creates the side of a comparison that does not exist.</summary>
    /// <param name="path">The path shown in headers.</param>
    /// <returns>An absent, empty file.</returns>
    public static DiffFile Absent(string path) => new(path, ReadOnlyMemory<byte>.Empty) { Exists = false };

    /// <summary>Reads a file of the real file system (following symbolic links) with its modification time to the
    /// nanosecond where the system keeps one (as GNU diff prints it) and whether it is executable.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="label">The path shown in headers, or <see langword="null"/> for <paramref name="path"/>.</param>
    /// <returns>The file as a side of a comparison.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static DiffFile FromFile(string path, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        label ??= path;

        // The status first, as GNU diff takes it before it reads.
        if (NativeStat.Supported && NativeStat.TryGet(path, follow: true, out NativeStat.FileStatus status))
        {
            return FromStatus(label, ReadNative(path), status);
        }

        DateTime written = File.GetLastWriteTimeUtc(path);
        bool executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
        return new DiffFile(label, File.ReadAllBytes(path))
        {
            LastWriteTime = new DateTimeOffset(written, TimeSpan.Zero),
            Mode = executable ? ExecutableMode : RegularMode,
        };
    }

    /// <summary>A file's bytes read by its exact name (one that is not UTF-8 too, see <see cref="FileNames"/>).</summary>
    private static byte[] ReadNative(string path)
    {
        int fd = NativeFiles.Supported ? NativeFiles.Open(NativeFiles.CurrentDirectory, path) : -1;
        if (fd < 0)
        {
            return File.ReadAllBytes(path);
        }

        try
        {
            byte[] buffer = new byte[4096];
            int length = NativeFiles.ReadAll(fd, ref buffer);
            return length < 0 ? File.ReadAllBytes(path) : buffer[..length];
        }
        finally
        {
            NativeFiles.Close(fd);
        }
    }

    /// <summary>A regular file's side from its <c>stat</c>: time to the nanosecond and the executable bit.</summary>
    internal static DiffFile FromStatus(string label, ReadOnlyMemory<byte> content, in NativeStat.FileStatus status) => new(label, content)
    {
        LastWriteTime = DateTimeOffset.FromUnixTimeSeconds(status.MtimeSeconds),
        Nanoseconds = status.MtimeNanoseconds,
        Mode = status.IsExecutable ? ExecutableMode : RegularMode,
    };
}
