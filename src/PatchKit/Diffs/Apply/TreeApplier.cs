using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Abstractions;
using System.Text;

using PatchKit.Diffs.Merge;

namespace PatchKit.Diffs.Apply;

/// <summary>Applies a whole <see cref="PatchDocument"/> to a tree: plans every file patch through the
/// <see cref="PathGuard"/>, reads what it needs in parallel, computes every new content in memory, then commits
/// through a <see cref="TreeTransaction"/> (or, in partial mode, writes what applied and the rejects).</summary>
internal sealed partial class TreeApplier
{
    private readonly IFileSystem _fs;
    private readonly ApplyOptions _options;
    private readonly ApplySettings _settings;
    private readonly PathGuard _guard;
    private readonly int _parallelism;
    private readonly ConcurrentDictionary<string, TreeEntry> _original = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<IDisposable> _mappings = [];
    private readonly bool _native;
    private bool _mapLargeFiles;
    private int? _stripOverride;

    public TreeApplier(IFileSystem fs, string root, ApplyOptions options)
    {
        _fs = fs;
        _options = new ApplyOptions(options);
        _settings = new ApplySettings(_options);
        _guard = new PathGuard(fs, root, _options.AllowGitDirectory, _options.PortableNames ? true : null);
        _native = fs is FileSystem && NativeStat.Supported;
        _parallelism = _options.MaxDegreeOfParallelism > 0 ? _options.MaxDegreeOfParallelism : Math.Max(2, Environment.ProcessorCount);
    }

    public TreeApplyResult Run(PatchDocument document, CancellationToken cancellationToken)
    {
        try
        {
            // The whole apply holds the tree's lock: a second apply fails instead of rolling back this one's live
            // journal, and a journal is only ever recovered by the one apply that holds the lock.
            using TreeLock held = TreeLock.Acquire(_fs, _guard.Root);
            return RunCore(document, cancellationToken);
        }
        finally
        {
            foreach (IDisposable mapping in _mappings)
            {
                mapping.Dispose();
            }
        }
    }

    private TreeApplyResult RunCore(PatchDocument document, CancellationToken cancellationToken)
    {
        string root = _guard.Root;
        bool recovered = false;
        if (TreeTransaction.HasJournal(_fs, root))
        {
            if (_options.DryRun)
            {
                throw new PatchApplyException($"An interrupted apply left '{TreeTransaction.JournalName}' in '{root}'; recover it first (patchkit apply --recover).", root);
            }

            recovered = TreeTransaction.RecoverLocked(_fs, _guard);
        }

        IReadOnlyList<FilePatch> files = document.Files;
        var plans = new FilePlan[files.Count];
        var links = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++)
        {
            plans[i] = Plan(files[i], links);
        }

        // One big file (the one-file case): map it instead of copying it into a fresh array. Only then, because a
        // mapped file must not be rewritten in place while its old bytes are still needed (backups, journal).
        _mapLargeFiles = plans.Length == 1 && !_options.BackupOriginals && _fs is FileSystem;

        // Read every path the patch reads or replaces, in parallel, once.
        // A path may be a symbolic link only where the patch treats it as one: anything else would read or write
        // through the link (symlink-file-modify).
        var toRead = new Dictionary<string, (bool Mode, bool LinkOk)>(StringComparer.Ordinal);
        foreach (FilePlan plan in plans)
        {
            bool linkOk = plan.OldIsSymlink || plan.NewIsSymlink || plan.Operation == FileOperation.Delete;
            if (plan.Source is not null)
            {
                (bool Mode, bool LinkOk) had = toRead.TryGetValue(plan.Source, out var m) ? m : (false, true);
                toRead[plan.Source] = (had.Mode || plan.NeedsMode, had.LinkOk && linkOk);
            }

            (bool Mode, bool LinkOk) t = toRead.TryGetValue(plan.Target, out var n) ? n : (false, true);
            toRead[plan.Target] = (t.Mode || plan.NeedsMode, t.LinkOk && linkOk);
        }

        var readList = new List<KeyValuePair<string, (bool Mode, bool LinkOk)>>(toRead);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        RunParallel(readList.Count, parallel, i =>
        {
            var (path, (mode, linkOk)) = readList[i];
            TreeEntry entry = Load(path, mode);
            if (entry.Kind == EntryKind.Symlink && !linkOk)
            {
                throw new PathSafetyException($"Refusing path '{path}': it is a symbolic link; the patch would read or write through it. Nothing was written.", path);
            }

            _original[path] = entry;
        });

        // Compute every new content. Independent file patches (no shared path) run in parallel.
        var state = new Dictionary<string, TreeEntry>(_original, StringComparer.Ordinal);
        var results = new FileApplyResult[plans.Length];
        var outcomes = new Outcome[plans.Length];
        if (toRead.Count == CountPaths(plans))
        {
            RunParallel(plans.Length, parallel, i => outcomes[i] = Compute(plans[i], state));
            for (int i = 0; i < plans.Length; i++)
            {
                Merge(plans[i], outcomes[i], state);
            }
        }
        else
        {
            for (int i = 0; i < plans.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outcomes[i] = Compute(plans[i], state);
                Merge(plans[i], outcomes[i], state);
            }
        }

        // Every link the patch creates or changes, checked against the tree as it will be: links already there and
        // those this patch creates are followed, so a chain (d -> ., x -> d/../outside) can't leave the tree.
        foreach (KeyValuePair<string, TreeEntry> pair in state)
        {
            if (pair.Value.Kind == EntryKind.Symlink && !pair.Value.SameAs(_original[pair.Key]))
            {
                _guard.CheckLinkTarget(pair.Key, pair.Value.Content.Span, state);
            }
        }

        bool allOk = true;
        for (int i = 0; i < plans.Length; i++)
        {
            results[i] = outcomes[i].Result;
            allOk &= results[i].Succeeded || results[i].Skipped // -N: an already applied file is left alone, the rest still commits
                || (results[i].Conflicts > 0 && !_options.ThreeWay!.FailOnConflict); // merged with conflict markers, as git apply --3way
        }

        var rejects = new List<string>();
        if (_options.DryRun || (!allOk && !_options.Partial))
        {
            return new TreeApplyResult(results, committed: false, recovered, rejects);
        }

        var changes = new List<TreeChange>();
        foreach (KeyValuePair<string, TreeEntry> pair in state)
        {
            TreeEntry before = _original[pair.Key];
            if (!before.SameAs(pair.Value))
            {
                changes.Add(new TreeChange(pair.Key, before, pair.Value));
            }
        }

        var paths = new HashSet<string>(changes.Count, StringComparer.Ordinal);
        foreach (TreeChange c in changes)
        {
            paths.Add(c.Relative);
        }

        if (_options.BackupOriginals)
        {
            AddBackups(changes, paths);
        }

        if (_options.Partial)
        {
            AddRejects(outcomes, changes, paths, rejects);
        }

        if (changes.Count > 0)
        {
            TreeTransaction.Commit(_fs, _guard, changes, _parallelism, _options.FlushToDisk, cancellationToken);
        }

        return new TreeApplyResult(results, committed: changes.Count > 0, recovered, rejects);
    }

    /// <summary>Runs a parallel loop and rethrows the first failure as itself (a <see cref="PathSafetyException"/>
    /// stays one), not as an <see cref="AggregateException"/>.</summary>
    private static void RunParallel(int count, ParallelOptions options, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
    }

    private static int CountPaths(FilePlan[] plans)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        int n = 0;
        foreach (FilePlan plan in plans)
        {
            if (plan.Source is not null && !set.Add(plan.Source))
            {
                return -1;
            }

            if (plan.Target != plan.Source && !set.Add(plan.Target))
            {
                return -1;
            }

            n = set.Count;
        }

        return n;
    }

    private void AddBackups(List<TreeChange> changes, HashSet<string> paths)
    {
        int count = changes.Count;
        for (int i = 0; i < count; i++)
        {
            TreeChange c = changes[i];
            if (c.Before.Kind == EntryKind.File)
            {
                // A link already named NAME.orig is replaced by the backup (the link itself, never what it points to), as
                // GNU patch's rename to the backup name does; it was skipped silently before.
                string backup = c.Relative + ".orig";
                TreeEntry current = _original.GetOrAdd(backup, p => Load(p, false));
                AddOnce(changes, paths, new TreeChange(backup, current, new TreeEntry(EntryKind.File, c.Before.Content, null)));
            }
        }
    }

    private void AddRejects(Outcome[] outcomes, List<TreeChange> changes, HashSet<string> paths, List<string> rejects)
    {
        ArrayBufferWriter<byte>? combined = _options.RejectFile is null ? null : new ArrayBufferWriter<byte>();
        foreach (Outcome outcome in outcomes)
        {
            FileApplyResult r = outcome.Result;
            if (r.Succeeded || r.Skipped || r.MergedThreeWay || r.Hunks.IsEmpty)
            {
                continue;
            }

            var buffer = combined ?? new ArrayBufferWriter<byte>();
            r.WriteRejects(buffer);
            if (combined is null && r.Path is not null)
            {
                // A link named NAME.rej is replaced by the rejects, not written through (and not skipped while
                // "saving rejects" is printed).
                string rej = r.Path + ".rej";
                TreeEntry current = _original.GetOrAdd(rej, p => Load(p, false));
                if (AddOnce(changes, paths, new TreeChange(rej, current, new TreeEntry(EntryKind.File, buffer.WrittenSpan.ToArray(), null))))
                {
                    rejects.Add(rej);
                }
            }
        }

        if (combined is not null && combined.WrittenCount > 0)
        {
            string rejectFile = _options.RejectFile!;
            string? relative = InTree(rejectFile);
            if (relative is null)
            {
                // An absolute name, or one that climbs out, is the caller's choice, outside the tree's rules.
                _fs.File.WriteAllBytes(_fs.Path.IsPathRooted(rejectFile) ? rejectFile : _fs.Path.Combine(_guard.Root, rejectFile), combined.WrittenSpan.ToArray());
            }
            else
            {
                // A name in the tree goes through the commit like every other path, so a link planted under that name
                // is replaced, never written through.
                _guard.CheckNoLinks(relative, mustNotBeLink: false);
                TreeEntry current = _original.GetOrAdd(relative, p => Load(p, false));
                AddOnce(changes, paths, new TreeChange(relative, current, new TreeEntry(EntryKind.File, combined.WrittenSpan.ToArray(), null)));
            }

            rejects.Add(rejectFile);
        }
    }

    /// <summary>Adds a backup or reject file unless the patch itself changes that path (the patch wins, and the journal
    /// names every path once, which recovery insists on).</summary>
    private static bool AddOnce(List<TreeChange> changes, HashSet<string> paths, TreeChange change)
    {
        if (!paths.Add(change.Relative))
        {
            return false;
        }

        changes.Add(change);
        return true;
    }

    /// <summary>The tree-relative form of a name the caller gave (the reject file), or <see langword="null"/> when
    /// it is absolute or leaves the tree.</summary>
    private string? InTree(string name)
    {
        if (_fs.Path.IsPathRooted(name))
        {
            return null;
        }

        try
        {
            byte[] raw = PathText.EncodeName(name);
            return _guard.Check(raw, PathGuard.Printable(raw));
        }
        catch (PathSafetyException)
        {
            return null;
        }
    }

    private FilePlan Plan(FilePatch patch, HashSet<string> links)
    {
        if (patch.ShortHunk is ShortHunk { Recounted: false } cut)
        {
            // A lenient read keeps a hunk cut short; applying what is there would change the file silently (a cut-off
            // patch rewrote the last line and said nothing). GNU patch: "unexpected end of file in patch".
            string name = PathGuard.Printable((patch.NewPathBytes.IsEmpty ? patch.OldPathBytes : patch.NewPathBytes).Span);
            string reason = string.Create(CultureInfo.InvariantCulture, $"hunk #{cut.Index + 1} of '{name}' is cut off: its header promises {cut.HeaderOld} old and {cut.HeaderNew} new lines, its body holds {cut.BodyOld} and {cut.BodyNew} (was the patch cut off or damaged?)");
            throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"Malformed patch at line {cut.LineNumber}: {reason}. Nothing was written; recounting the lines (--recount) applies it as they are."), reason, cut.LineNumber, -1);
        }

        bool reverse = _options.Reverse;
        ReadOnlyMemory<byte> rawOld = reverse ? patch.NewPathBytes : patch.OldPathBytes;
        ReadOnlyMemory<byte> rawNew = reverse ? patch.OldPathBytes : patch.NewPathBytes;
        int? oldMode = GitMode.Normalize(reverse ? patch.NewMode : patch.OldMode);
        int? newMode = GitMode.Normalize(reverse ? patch.OldMode : patch.NewMode);
        FileOperation op = patch.Operation;
        if (reverse)
        {
            op = op switch
            {
                FileOperation.Add => FileOperation.Delete,
                FileOperation.Delete => FileOperation.Add,
                FileOperation.Copy => FileOperation.Delete,
                _ => op,
            };
        }

        int strip = _stripOverride ?? _options.StripComponents ?? GuessStrip(patch.Dialect, rawOld.Span, rawNew.Span);
        string? oldRel = rawOld.IsEmpty ? null : _guard.Relative(rawOld.Span, strip);
        string? newRel = rawNew.IsEmpty ? null : _guard.Relative(rawNew.Span, strip);
        if (oldRel is null && newRel is null)
        {
            throw new PatchApplyException($"The file patch at line {patch.LineNumber} names no file.", string.Empty);
        }

        string? source;
        string target;
        switch (op)
        {
            case FileOperation.Add:
                source = null;
                target = newRel ?? oldRel!;
                break;
            case FileOperation.Delete:
                source = (reverse && patch.Operation == FileOperation.Copy ? newRel : oldRel) ?? newRel!;
                target = source;
                break;
            case FileOperation.Rename:
            case FileOperation.Copy:
                source = oldRel ?? newRel!;
                target = newRel ?? oldRel!;
                break;
            default:
                if (oldRel is not null && newRel is not null && oldRel != newRel)
                {
                    // A traditional diff naming two files: patch the one that exists, the old name first (GNU patch).
                    target = TreeTransaction.KindOf(_fs, _guard.Full(oldRel)) != EntryKind.Absent || TreeTransaction.KindOf(_fs, _guard.Full(newRel)) == EntryKind.Absent ? oldRel : newRel;
                }
                else
                {
                    target = oldRel ?? newRel!;
                }

                source = target;
                break;
        }

        if (source is not null)
        {
            CheckPlannedLinks(source, links);
            _guard.CheckNoLinks(source, mustNotBeLink: false);
        }

        CheckPlannedLinks(target, links);
        _guard.CheckNoLinks(target, mustNotBeLink: false);
        if (newMode == GitMode.Symlink && op != FileOperation.Delete)
        {
            links.Add(target);
        }

        return new FilePlan { Patch = patch, Operation = op, Source = source, Target = target, OldMode = oldMode, NewMode = newMode };
    }

    /// <summary>The strip level when none is given: 1 for git diffs; for a traditional diff 1 when both names have a
    /// folder to strip and the stripped name exists (or the file is created), else 0 (as git apply guesses).</summary>
    private int GuessStrip(PatchDialect dialect, ReadOnlySpan<byte> rawOld, ReadOnlySpan<byte> rawNew)
    {
        if (dialect == PatchDialect.Git)
        {
            return 1;
        }

        bool oldHasFolder = rawOld.IsEmpty || rawOld.IndexOf((byte)'/') > 0;
        bool newHasFolder = rawNew.IsEmpty || rawNew.IndexOf((byte)'/') > 0;
        if (!oldHasFolder || !newHasFolder)
        {
            return 0;
        }

        ReadOnlySpan<byte> probe = rawOld.IsEmpty ? rawNew : rawOld;
        ReadOnlySpan<byte> stripped = probe[(probe.IndexOf((byte)'/') + 1)..];
        if (rawOld.IsEmpty || stripped.IsEmpty)
        {
            return 1;
        }

        string name = PathText.DecodeName(stripped);
        if (TreeTransaction.KindOf(_fs, _fs.Path.Combine(_guard.Root, name)) != EntryKind.Absent)
        {
            return 1;
        }

        return TreeTransaction.KindOf(_fs, _fs.Path.Combine(_guard.Root, PathText.DecodeName(probe))) != EntryKind.Absent ? 0 : 1;
    }

    private static void CheckPlannedLinks(string path, HashSet<string> links)
    {
        int slash = path.IndexOf('/');
        while (slash > 0)
        {
            string folder = path[..slash];
            if (links.Contains(folder))
            {
                throw new PathSafetyException($"Refusing path '{path}': it goes through '{folder}', a symbolic link this patch creates. Nothing was written.", path);
            }

            slash = path.IndexOf('/', slash + 1);
        }
    }

    private TreeEntry Load(string relative, bool withMode)
    {
        string full = _guard.Full(relative);
        EntryKind kind;
        bool? exec = null;
        if (_native && NativeStat.TryGet(full, follow: false, out NativeStat.FileStatus st))
        {
            // One lstat gives the kind and the mode: no more calls than before, and a FIFO or device is refused here,
            // before it is opened (a FIFO blocks the open forever, a device is read until memory runs out).
            kind = TreeTransaction.KindOf(st);
            exec = withMode ? st.IsExecutable : null;
            if (kind == EntryKind.Special)
            {
                string what = (st.Mode & 0xF000) switch { 0x1000 => "a FIFO", 0xC000 => "a socket", 0x2000 => "a character device", 0x6000 => "a block device", _ => "a special file" };
                throw NotRegular(relative, what);
            }
        }
        else
        {
            kind = TreeTransaction.KindOf(_fs, full);
            if (kind == EntryKind.Special)
            {
                throw NotRegular(relative, "a device");
            }

            if (kind == EntryKind.File && withMode && !OperatingSystem.IsWindows())
            {
                exec = (_fs.File.GetUnixFileMode(full) & UnixFileMode.UserExecute) != 0;
            }
        }

        switch (kind)
        {
            case EntryKind.Absent:
                return TreeEntry.Absent;
            case EntryKind.Symlink:
                return new TreeEntry(EntryKind.Symlink, RawFiles.ReadLink(_fs, full), null);
            case EntryKind.Directory:
                throw new PatchApplyException($"'{relative}' is a folder, not a file.", relative);
            default:
                ReadOnlyMemory<byte> content;
                if (_mapLargeFiles && !RawFiles.IsRaw(_fs, full) && Internal.MappedFile.Open(full, 1 << 20) is { } mapped)
                {
                    _mappings.Add(mapped);
                    content = mapped.Memory;
                }
                else
                {
                    content = RawFiles.ReadAllBytes(_fs, full);
                }

                return new TreeEntry(EntryKind.File, content, exec);
        }
    }

    private static PatchApplyException NotRegular(string relative, string what) =>
        new($"'{relative}' is not a regular file (it is {what}); refusing to read it. Nothing was written.", relative);

    private Outcome Compute(FilePlan plan, Dictionary<string, TreeEntry> state)
    {
        FilePatch patch = plan.Patch;
        string target = plan.Target;
        TreeEntry source = plan.Source is null ? TreeEntry.Absent : state[plan.Source];
        TreeEntry existing = state[target];
        FileOperation op = plan.Operation;
        bool traditional = patch.Dialect != PatchDialect.Git;

        // Traditional diffs (diff -N) say "create" and "delete" only through empty sides.
        if (traditional && op == FileOperation.Modify && source.Kind == EntryKind.Absent && IsCreation(patch, _settings.Reverse))
        {
            op = FileOperation.Add;
        }

        switch (op)
        {
            case FileOperation.Add:
                if (existing.Kind != EntryKind.Absent && !(existing.Kind == EntryKind.File && existing.Content.Length == 0 && traditional))
                {
                    return Fail(plan, $"The patch creates '{target}', which already exists.");
                }

                source = TreeEntry.Absent;
                break;
            case FileOperation.Rename:
            case FileOperation.Copy:
                if (source.Kind == EntryKind.Absent)
                {
                    return Fail(plan, $"Can't find '{plan.Source}' to {(op == FileOperation.Rename ? "rename" : "copy")}.");
                }

                if (existing.Kind != EntryKind.Absent && target != plan.Source)
                {
                    return Fail(plan, $"The patch {(op == FileOperation.Rename ? "renames" : "copies")} '{plan.Source}' to '{target}', which already exists.");
                }

                break;
            default:
                if (source.Kind == EntryKind.Absent)
                {
                    return Fail(plan, $"Can't find file to patch: '{target}'.");
                }

                break;
        }

        if (traditional && patch.Hunks.Count == 0 && !patch.IsBinary)
        {
            return Fail(plan, $"The patch for '{target}' holds no hunks (only garbage?).");
        }

        if (patch.IsBinary && !GitBlob.Matches(_settings.Reverse ? patch.NewObjectId : patch.OldObjectId, source.Content.Span))
        {
            return Fail(plan, $"'{target}' is not the file the binary patch was made for (its git blob id differs).");
        }

        // New content: binary block, text hunks, or unchanged.
        ReadOnlyMemory<byte> content;
        FileApplyResult result;
        if (patch.IsBinary)
        {
            byte[]? patched = BinaryApplier.Apply(patch, source.Content.Span, _settings.Reverse, target, out string? error);
            if (patched is null)
            {
                return Fail(plan, error!);
            }

            content = patched;
            result = new FileApplyResult(target, patch, [], false, _settings.SkipAlreadyApplied, _settings.Reverse);
        }
        else if (patch.Hunks.Count > 0)
        {
            // Sized once: the result is at most the old content plus every hunk's bytes.
            long bound = source.Content.Length + 64L;
            foreach (Hunk h in patch.Hunks)
            {
                bound += h.Body.Length;
            }

            var buffer = new ArrayBufferWriter<byte>((int)Math.Min(bound, Array.MaxLength));
            result = HunkApplier.Apply(patch, source.Content.Span, buffer, _settings, target);
            content = result.Skipped ? source.Content : buffer.WrittenMemory;
            if ((!result.Succeeded || _options.ThreeWay is { MergeFirst: true }) && !result.Skipped && _options.ThreeWay is { } threeWay && source.Kind == EntryKind.File && op is not (FileOperation.Add or FileOperation.Delete))
            {
                result = ThreeWayFallback.Run(patch, source.Content.Span, plan.Source ?? target, target, threeWay, _settings.Reverse, result, out byte[]? merged);
                if (merged is not null)
                {
                    content = merged;
                }
            }
        }
        else
        {
            content = source.Content;
            result = new FileApplyResult(target, patch, [], false, _settings.SkipAlreadyApplied, _settings.Reverse);
        }

        if (result.Skipped)
        {
            return new Outcome(result, null, null);
        }

        if (op == FileOperation.Delete)
        {
            if (content.Length != 0 && result.Succeeded)
            {
                return Fail(plan, $"Not deleting '{target}': its content differs from what the patch removes.");
            }

            return new Outcome(result, null, TreeEntry.Absent);
        }

        bool symlink = plan.NewIsSymlink || (plan.NewMode is null && source.Kind == EntryKind.Symlink);
        if (symlink)
        {
            return new Outcome(result, op == FileOperation.Rename ? plan.Source : null, new TreeEntry(EntryKind.Symlink, content, null));
        }

        bool? exec = plan.NewMode is int mode ? (mode & GitMode.AnyExecute) != 0 : (source.Kind == EntryKind.File ? source.Executable : null);
        if (op == FileOperation.Add && plan.NewMode is null)
        {
            exec = false;
        }

        return new Outcome(result, op == FileOperation.Rename && plan.Source != target ? plan.Source : null, new TreeEntry(EntryKind.File, content, exec));
    }

    private static bool IsCreation(FilePatch patch, bool reverse)
    {
        foreach (Hunk h in patch.Hunks)
        {
            if ((reverse ? h.NewStart : h.OldStart) != 0 || (reverse ? h.NewCount : h.OldCount) != 0)
            {
                return false;
            }
        }

        return patch.Hunks.Count > 0;
    }

    private static Outcome Fail(FilePlan plan, string error) => new(new FileApplyResult(plan.Target, plan.Patch, error), null, null);

    private static void Merge(FilePlan plan, Outcome outcome, Dictionary<string, TreeEntry> state)
    {
        if (outcome.Final is null)
        {
            return;
        }

        if (outcome.RemoveSource is not null)
        {
            state[outcome.RemoveSource] = TreeEntry.Absent;
        }

        state[plan.Target] = outcome.Final;
    }

    /// <summary>What one file patch produced: its result, the path a rename empties, and the target's new state
    /// (<see langword="null"/>: unchanged).</summary>
    private readonly record struct Outcome(FileApplyResult Result, string? RemoveSource, TreeEntry? Final);
}
