namespace PatchKit.Diffs;

/// <summary>What the builder knows about the file patch being read; turned into a <see cref="FilePatch"/> at its end.</summary>
internal sealed class FileState
{
    public PatchDialect Dialect;
    public long LineNumber;
    public bool HasPair;

    /// <summary>A file started by a <c>+++</c> line alone (lenient reads): only its new name is known.</summary>
    public bool NewOnly;

    /// <summary>A file named by a <c>---</c> line alone (lenient reads): only its old name is known (and a git header's).</summary>
    public bool OldOnly;
    public bool Closed;
    public bool GitNamesUnclear;
    public ReadOnlyMemory<byte> GitOld;
    public ReadOnlyMemory<byte> GitNew;
    public ReadOnlyMemory<byte> OldHeader;
    public ReadOnlyMemory<byte> NewHeader;
    public bool HeaderCrLf;
    public int HunkHeaders;
    public int CrLfHunkHeaders;
    public ReadOnlyMemory<byte> FromName;
    public ReadOnlyMemory<byte> ToName;
    public bool IsNew;
    public bool IsDelete;
    public bool IsRename;
    public bool IsCopy;
    public bool IsBinary;

    /// <summary>Whether a <c>GIT binary patch</c> line was read: the file's patch ends with its data, so a
    /// <c>---</c>/<c>+++</c> pair after it is another file's (as git apply and GNU patch read it).</summary>
    public bool HasGitBinaryPatch;
    public int? OldMode;
    public int? NewMode;
    public int? IndexMode;
    public int? Similarity;
    public int? Dissimilarity;
    public string? OldObjectId;
    public string? NewObjectId;
    public string? Subject;
    public int Added;
    public int Removed;
    public ShortHunk? ShortHunk;
    public readonly List<Hunk> Hunks = [];
    public readonly List<GitBinaryBlock> Blocks = [];

    /// <summary>What git apply checks of the hunks, when a streaming read drops their bodies (unused otherwise).</summary>
    public readonly HunkCheckSummary Checks = new();
    public bool Streamed;

    /// <summary>Makes the state ready for the next file (the builder reuses one instance: a million empty files cost a million
    /// <see cref="FilePatch"/> objects, nothing more).</summary>
    public void Reset(PatchDialect dialect, long lineNumber, string? subject)
    {
        Subject = subject;
        Dialect = dialect;
        LineNumber = lineNumber;
        HasPair = NewOnly = OldOnly = Closed = GitNamesUnclear = false;
        GitOld = GitNew = OldHeader = NewHeader = FromName = ToName = default;
        HeaderCrLf = false;
        HunkHeaders = CrLfHunkHeaders = 0;
        IsNew = IsDelete = IsRename = IsCopy = IsBinary = HasGitBinaryPatch = false;
        OldMode = NewMode = IndexMode = Similarity = Dissimilarity = null;
        OldObjectId = NewObjectId = null;
        Added = Removed = 0;
        ShortHunk = null;
        Hunks.Clear();
        Blocks.Clear();
        Checks.Clear();
    }

    public FilePatch ToFilePatch()
    {
        ReadOnlyMemory<byte> oldPath;
        ReadOnlyMemory<byte> newPath;
        ReadOnlyMemory<byte> oldStamp = default;
        ReadOnlyMemory<byte> newStamp = default;
        bool oldMissing = false;
        bool newMissing = false;
        if (HasPair)
        {
            oldPath = HeaderPaths.TraditionalName(OldHeader, out oldStamp, LineNumber, 0);
            newPath = HeaderPaths.TraditionalName(NewHeader, out newStamp, LineNumber, 0);
            oldMissing = HeaderPaths.IsDevNull(oldPath.Span) || (Dialect != PatchDialect.Git && HeaderPaths.IsEpoch(oldStamp.Span));
            newMissing = HeaderPaths.IsDevNull(newPath.Span) || (Dialect != PatchDialect.Git && HeaderPaths.IsEpoch(newStamp.Span));
        }
        else if (OldOnly)
        {
            oldPath = HeaderPaths.TraditionalName(OldHeader, out oldStamp, LineNumber, 0);
            newPath = Dialect == PatchDialect.Git ? GitNew : default;
        }
        else if (NewOnly)
        {
            oldPath = default;
            newPath = HeaderPaths.TraditionalName(NewHeader, out newStamp, LineNumber, 0);
        }
        else
        {
            oldPath = GitOld;
            newPath = GitNew;
        }

        if (Dialect == PatchDialect.Git)
        {
            if ((IsRename || IsCopy) && !HasPair)
            {
                oldPath = WithPrefixOf(GitOld, FromName, "a/"u8);
                newPath = WithPrefixOf(GitNew, ToName, "b/"u8);
            }
            else if (GitNamesUnclear && !HasPair)
            {
                oldPath = newPath = default;
            }

            oldMissing |= IsNew;
            newMissing |= IsDelete;
        }

        if (oldMissing)
        {
            oldPath = default;
        }

        if (newMissing)
        {
            newPath = default;
        }

        FileOperation operation;
        if (oldMissing && !newMissing)
        {
            operation = FileOperation.Add;
        }
        else if (newMissing && !oldMissing)
        {
            operation = FileOperation.Delete;
        }
        else if (IsRename)
        {
            operation = FileOperation.Rename;
        }
        else if (IsCopy)
        {
            operation = FileOperation.Copy;
        }
        else if (OldMode is not null && NewMode is not null && OldMode != NewMode && Hunks.Count == 0 && !IsBinary)
        {
            operation = FileOperation.ModeChange;
        }
        else
        {
            operation = FileOperation.Modify;
        }

        int? oldMode = OldMode ?? (oldMissing ? null : IndexMode);
        int? newMode = NewMode ?? (newMissing ? null : IndexMode);
        GitBinaryPatch? binary = Blocks.Count > 0 ? new GitBinaryPatch(Blocks[0], Blocks.Count > 1 ? Blocks[1] : null) : null;
        Hunk[] hunks = Hunks.Count == 0 ? [] : [.. Hunks];
        return new FilePatch(oldPath, newPath, operation, hunks)
        {
            Dialect = Dialect,
            OldMode = oldMode,
            NewMode = newMode,
            Similarity = Similarity,
            Dissimilarity = Dissimilarity,
            OldObjectId = OldObjectId,
            NewObjectId = NewObjectId,
            IsBinary = IsBinary,
            BinaryPatch = binary,
            LineNumber = LineNumber,
            Subject = Subject,
            AddedLines = Added,
            RemovedLines = Removed,
            OldHeader = OldHeader,
            NewHeader = NewHeader,
            SavedWithCrLf = HeaderCrLf || (HunkHeaders > 0 && CrLfHunkHeaders == HunkHeaders),
            OldTimestamp = oldStamp,
            NewTimestamp = newStamp,
            GitOldName = GitOld,
            GitNewName = GitNew,
            RenameFrom = FromName,
            RenameTo = ToName,
            ShortHunk = ShortHunk,
            StreamedChecks = Streamed ? Checks.Copy() : null,
        };
    }

    /// <summary>The rename/copy name with the prefix of the <c>diff --git</c> name (<c>a/</c>), so every path strips alike.</summary>
    private static ReadOnlyMemory<byte> WithPrefixOf(ReadOnlyMemory<byte> gitName, ReadOnlyMemory<byte> name, ReadOnlySpan<byte> fallbackPrefix)
    {
        if (name.IsEmpty)
        {
            return gitName;
        }

        ReadOnlySpan<byte> g = gitName.Span;
        if (g.Length > name.Length && g.EndsWith(name.Span) && g[g.Length - name.Length - 1] == (byte)'/')
        {
            return gitName;
        }

        int slash = g.IndexOf((byte)'/');
        ReadOnlySpan<byte> prefix = slash >= 0 ? g[..(slash + 1)] : fallbackPrefix;
        byte[] result = new byte[prefix.Length + name.Length];
        prefix.CopyTo(result);
        name.Span.CopyTo(result.AsSpan(prefix.Length));
        return result;
    }
}
