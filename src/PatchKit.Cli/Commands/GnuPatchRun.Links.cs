using System.Text;
using PatchKit.Diffs;
using PatchKit.Cli.Native;

namespace PatchKit.Cli.Commands;

/// <summary>Git diffs of symbolic links (mode 120000): GNU patches the link's target as the file's text ("patching
/// symbolic link"), creates, changes and removes links, and backs a link up as a link.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>Whether the file patch being applied changes a symbolic link.</summary>
    private bool _link;

    /// <summary>A fatal error GNU reports as it writes the files of git diffs it deferred: before the next patch, or
    /// after the last.</summary>
    private string? _endFatal;

    /// <summary>Whether a name is there: a file, a folder (or a link to one: GNU's look at a name finds it, and
    /// refuses to patch it), or for a symbolic link's patch a link (its target there or not); a name reached through a
    /// symbolic link that leaves the tree is not, as GNU does not follow one.</summary>
    private bool Present(string full) =>
        (File.Exists(full) || Directory.Exists(full) || (_link && new FileInfo(full).LinkTarget is not null)) && !ThroughUnsafeLink(full)
        && !RemovedAtEnd(full) && !_gitHeld.Contains(full);

    /// <summary>Whether a name that is there is of the kind the patch changes, as GNU's look at it (through links with
    /// <c>--follow-symlinks</c>) finds it: a symbolic link for a symbolic link's patch, a regular file for any other.
    /// GNU asks whether a patch is reversed only of a name of its kind, and refuses to patch one of another kind.</summary>
    private bool OfPatchedKind(string full, bool link)
    {
        if (NativeStat.Supported)
        {
            return NativeStat.TryGet(full, follow: _s.FollowSymlinks && !link, out NativeStat.FileStatus status)
                && (link ? status.IsSymlink : status.IsRegular);
        }

        var info = new FileInfo(full);
        return link ? info.LinkTarget is not null : info.Exists && (_s.FollowSymlinks || info.LinkTarget is null);
    }

    /// <summary>The files git diffs of the run wrote under a name that was not there: GNU queues a git diff's output
    /// (but a new file's) and writes it only before a patch of another kind, or a git diff of a file it queued
    /// already, or at the end; until then the name is not there to the patches that follow.</summary>
    private readonly HashSet<string> _gitHeld = new(StringComparer.Ordinal);

    /// <summary>The files there before that git diffs of the run wrote (GNU's queued output of a file).</summary>
    private readonly HashSet<string> _gitQueued = new(StringComparer.Ordinal);

    /// <summary>GNU writes the git diffs' files it queued before a patch of another kind and before a git diff of a
    /// file it queued (so the names held back are there from then on).</summary>
    private void HeldGitOutputs(FilePatch f)
    {
        if (_gitHeld.Count == 0 && _gitQueued.Count == 0)
        {
            return;
        }

        if (f.Dialect != PatchDialect.Git || Queued(f.OldPath) || Queued(f.NewPath))
        {
            _gitHeld.Clear();
            _gitQueued.Clear();
        }

        bool Queued(string? path) => Stripped(path) is { } name && _gitQueued.Contains(Full(name));
    }

    /// <summary>Whether a name in the tree is reached through a folder that is a symbolic link GNU does not follow
    /// (GNU's safe.c): one with an absolute target, or one whose target climbs above the tree (even to come back), or
    /// links nested too deep. Names outside the tree (an absolute ORIGFILE) are not checked.</summary>
    private bool ThroughUnsafeLink(string full)
    {
        string root = Path.TrimEndingDirectorySeparator(_root) + "/";
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            return false;
        }

        string[] parts = full[root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var pending = new Stack<string>(parts[..^1].Reverse());
        var done = new List<string>();
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (done.Count == 0)
                {
                    return true;
                }

                done.RemoveAt(done.Count - 1);
                continue;
            }

            string folder = root + string.Join('/', [.. done, part]);
            string? target = _plainFolders.Contains(folder) ? null : new FileInfo(folder).LinkTarget;
            if (target is null)
            {
                // (Only a symbolic link diff of this run makes a link: the cache is emptied then.)
                _plainFolders.Add(folder);
                done.Add(part);
                continue;
            }

            if (++links > 40 || target.StartsWith('/'))
            {
                return true;
            }

            foreach (string t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(t);
            }
        }

        return false;
    }

    /// <summary>Names on file paths found not to be symbolic links, as <see cref="ThroughUnsafeLink"/> met them (it
    /// asks each once per run; emptied whenever the run makes a link).</summary>
    private readonly HashSet<string> _plainFolders = new(StringComparer.Ordinal);

    /// <summary>Writes a symbolic link with the patched text as its target: made beside it, renamed over the name (a
    /// kill leaves the old link or the new one).</summary>
    private void ReplaceLink(string full, ReadOnlySpan<byte> target)
    {
        _plainFolders.Clear();
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.link");
        File.Delete(temp);
        File.CreateSymbolicLink(temp, Encoding.UTF8.GetString(target));
        AtomicWrite.RenameOver(temp, full);
    }

    /// <summary>Makes an empty file under a name, in place of whatever was there.</summary>
    private static void ReplaceWithEmpty(string full)
    {
        RemoveName(full);
        File.WriteAllBytes(full, []);
    }

    /// <summary>Removes what is at a name: a file, or a symbolic link (dangling, or to a folder: never followed).</summary>
    private static void RemoveName(string full)
    {
        if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
        {
            File.Delete(full);
        }
    }
}
