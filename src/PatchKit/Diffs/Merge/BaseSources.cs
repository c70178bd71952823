using System.IO.Abstractions;

namespace PatchKit.Diffs.Merge;

internal sealed class GitBaseSource(GitObjectStore store, string directory) : IMergeBaseSource
{
    public string Description => $"the git objects of '{directory}'";

    public byte[]? Find(string path, string? objectId) => objectId is null ? null : store.ReadBlob(objectId);
}

internal sealed class FolderBaseSource(IFileSystem fs, string root) : IMergeBaseSource
{
    public string Description => $"the base folder '{root}'";

    public byte[]? Find(string path, string? objectId)
    {
        // The path comes from a patch: it must stay inside the folder and name a regular file.
        string full = fs.Path.GetFullPath(fs.Path.Combine(root, path));
        string prefix = root.EndsWith(fs.Path.DirectorySeparatorChar) ? root : root + fs.Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal) || !fs.File.Exists(full))
        {
            return null;
        }

        IFileInfo info = fs.FileInfo.New(full);
        if (info.LinkTarget is not null)
        {
            return null;
        }

        return fs.File.ReadAllBytes(full);
    }
}

internal sealed class ContentBaseSource(ReadOnlyMemory<byte> content) : IMergeBaseSource
{
    public string Description => "the base file given";

    public byte[]? Find(string path, string? objectId) => content.ToArray();
}
