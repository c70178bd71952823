using System.Buffers;
using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs;

/// <summary>Compares two files or directory trees as GNU <c>diff -Naur</c> does (or in git's format) and writes one
/// unified diff.</summary>
/// <remarks>Entries are visited in byte order of their names (GNU diff in the C locale), subdirectories where they
/// sort. Without <see cref="DiffOptions.TreatAbsentAsEmpty"/>, a name on one side only prints <c>Only in DIR: NAME</c>;
/// without <see cref="DiffOptions.Recursive"/>, common subdirectories print <c>Common subdirectories: X and Y</c>.
/// Files are read and compared in parallel; the output is in order.</remarks>
public static class TreeDiff
{
    /// <summary>Compares <paramref name="oldPath"/> with <paramref name="newPath"/> (two files or two directories) and writes the diff.</summary>
    /// <param name="fileSystem">The file system both paths are read through.</param>
    /// <param name="oldPath">The old file or directory.</param>
    /// <param name="newPath">The new file or directory.</param>
    /// <param name="output">Where the diff goes.</param>
    /// <param name="options">The options (<c>-N</c>, <c>-a</c>, <c>-r</c>, format, algorithm), or <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Cancels the comparison.</param>
    /// <returns>What was found, with GNU diff's exit status.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TreeDiffResult Write(IFileSystem fileSystem, string oldPath, string newPath, IBufferWriter<byte> output, DiffOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(oldPath);
        ArgumentNullException.ThrowIfNull(newPath);
        ArgumentNullException.ThrowIfNull(output);
        options = new DiffOptions(options ?? new DiffOptions());
        options.Validate();
        var walker = new TreeWalker(fileSystem, options);
        walker.Start(oldPath, newPath, options.OldLabel ?? oldPath, options.NewLabel ?? newPath);
        return walker.Run(output, null, cancellationToken);
    }

    /// <summary>Compares <paramref name="oldPath"/> with <paramref name="newPath"/> and streams the diff to <paramref name="output"/>
    /// as it is found, in order: memory follows the largest file pair, not the size of the whole diff.</summary>
    /// <param name="fileSystem">The file system both paths are read through.</param>
    /// <param name="oldPath">The old file or directory.</param>
    /// <param name="newPath">The new file or directory.</param>
    /// <param name="output">Where the diff goes (written in blocks of about 64 KiB; not flushed or closed).</param>
    /// <param name="options">The options, or <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Cancels the comparison.</param>
    /// <returns>What was found, with GNU diff's exit status.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TreeDiffResult Write(IFileSystem fileSystem, string oldPath, string newPath, Stream output, DiffOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(oldPath);
        ArgumentNullException.ThrowIfNull(newPath);
        ArgumentNullException.ThrowIfNull(output);
        options = new DiffOptions(options ?? new DiffOptions());
        options.Validate();
        var walker = new TreeWalker(fileSystem, options);
        walker.Start(oldPath, newPath, options.OldLabel ?? oldPath, options.NewLabel ?? newPath);
        return walker.Run(new ArrayBufferWriter<byte>(1 << 16), output, cancellationToken);
    }

    internal static string BuildCommandLine(DiffOptions options)
    {
        if (options.CommandLine is { } given)
        {
            return given;
        }

        var sb = new StringBuilder("diff -");
        if (options.TreatAbsentAsEmpty)
        {
            sb.Append('N');
        }

        if (options.Text)
        {
            sb.Append('a');
        }

        sb.Append('u');
        if (options.Recursive)
        {
            sb.Append('r');
        }

        if (options.Context != 3)
        {
            sb.Append(" -U ").Append(options.Context);
        }

        return sb.ToString();
    }
}
