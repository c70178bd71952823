using System.IO.Abstractions;
using PatchKit.Diffs.Merge;

namespace PatchKit.Diffs;

/// <summary>The usual sources of base files for <see cref="ThreeWayOptions"/>.</summary>
public static class MergeBases
{
    /// <summary>Bases read from a git object store by the blob ids of the patch (loose objects and pack files, read by
    /// PatchKit itself; no git needed).</summary>
    /// <param name="gitDirectory">A work tree holding <c>.git</c>, a git directory, a bare repository, or an
    /// <c>objects</c> folder.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gitDirectory"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">No git object store was found there.</exception>
    public static IMergeBaseSource FromGitDirectory(string gitDirectory)
    {
        ArgumentNullException.ThrowIfNull(gitDirectory);
        string? objects = GitObjectStore.FindObjectsDirectory(gitDirectory)
            ?? throw new DirectoryNotFoundException($"No git object store in '{gitDirectory}' (neither .git/objects nor objects/ with HEAD).");
        return new GitBaseSource(new GitObjectStore(objects), gitDirectory);
    }

    /// <summary>As <see cref="FromGitDirectory"/>, or <see langword="null"/> when no git object store is there.</summary>
    /// <param name="gitDirectory">A work tree holding <c>.git</c>, a git directory, a bare repository, or an
    /// <c>objects</c> folder.</param>
    /// <returns>The source, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gitDirectory"/> is <see langword="null"/>.</exception>
    public static IMergeBaseSource? TryFromGitDirectory(string gitDirectory)
    {
        ArgumentNullException.ThrowIfNull(gitDirectory);
        string? objects = GitObjectStore.FindObjectsDirectory(gitDirectory);
        return objects is null ? null : new GitBaseSource(new GitObjectStore(objects), gitDirectory);
    }

    /// <summary>Bases read from a folder that holds the base tree: each file at its path before the patch.</summary>
    /// <param name="fileSystem">The file system the folder is on.</param>
    /// <param name="folder">The folder.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IMergeBaseSource FromFolder(IFileSystem fileSystem, string folder)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(folder);
        if (!fileSystem.Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The base folder '{folder}' does not exist.");
        }

        return new FolderBaseSource(fileSystem, fileSystem.Path.GetFullPath(folder));
    }

    /// <summary>One base given explicitly, used for every file patch (for a patch of one file).</summary>
    /// <param name="content">The base file's bytes.</param>
    /// <returns>The source.</returns>
    public static IMergeBaseSource FromContent(ReadOnlyMemory<byte> content) => new ContentBaseSource(content);
}
