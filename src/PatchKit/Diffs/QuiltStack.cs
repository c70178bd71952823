using System.Buffers;
using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs.Apply;

namespace PatchKit.Diffs;

/// <summary>A quilt patch stack in a tree: the series, the patches applied so far and quilt's <c>.pc/</c> state, kept in
/// quilt's own layout so quilt and PatchKit can take turns on the same tree.</summary>
/// <remarks>
/// <para>The layout (quilt 0.66, metadata version 2): <c>.pc/.version</c> holds <c>2</c>;
/// <c>.pc/.quilt_patches</c> and <c>.pc/.quilt_series</c> the patches folder and the series file's name;
/// <c>.pc/applied-patches</c> the applied patches, one a line, bottom first (absent when none is applied);
/// <c>.pc/NAME/</c> for each applied patch a copy of every file it touches as it was before it (an empty copy for a file
/// it creates) and an empty <c>.timestamp</c>.</para>
/// <para><see cref="Push"/> applies any number of patches as one transaction: each patch applies to the result of the
/// ones before it in memory, then the tree and the <c>.pc/</c> files are written once through the undo journal of
/// <see cref="PatchApplier.ApplyTree"/>, so a killed push leaves the tree as before or as after, never between.
/// <see cref="Pop"/> restores the backup copies the same way.</para>
/// <para>Everything under <c>.pc/</c> is untrusted: patch names are checked as paths, and a symbolic link, a folder
/// where a file belongs or a name that leaves the tree is refused before anything is written.</para>
/// </remarks>
public sealed class QuiltStack
{
    /// <summary>The name of quilt's state folder.</summary>
    internal const string StateFolder = ".pc";

    private const string Applied = ".pc/applied-patches";
    private const string Timestamp = ".timestamp";
    private readonly IFileSystem _fs;
    private readonly PathGuard _guard;
    private readonly string _seriesName;
    private readonly string _seriesPath;

    /// <summary>Initializes a new instance of the <see cref="QuiltStack"/> class.</summary>
    /// <param name="fileSystem">The file system the tree is on.</param>
    /// <param name="root">The tree's root (where <c>.pc/</c> is).</param>
    /// <param name="patchesFolder">The patches folder (quilt's <c>QUILT_PATCHES</c>), relative to the root or absolute;
    /// <see langword="null"/>: what <c>.pc/.quilt_patches</c> says, else <c>patches</c>. As in quilt, a
    /// <c>.pc/.quilt_patches</c> file wins over this value.</param>
    /// <param name="seriesFile">The series file's name (quilt's <c>QUILT_SERIES</c>); <see langword="null"/>: what
    /// <c>.pc/.quilt_series</c> says, else <c>series</c>. It is looked up as quilt does: absolute, in <c>.pc/</c>, in the
    /// root, then in the patches folder.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fileSystem"/> or <paramref name="root"/> is <see langword="null"/>.</exception>
    /// <exception cref="PatchApplyException">The root does not exist or <c>.pc/</c> is not quilt's (a link, a newer version),
    /// or the undo journal of an interrupted apply on the tree cannot be recovered.</exception>
    /// <remarks>An apply, push or pop interrupted on this tree is recovered first (its undo journal rolled back, as
    /// <see cref="PatchApplier.Recover"/> does), so the state read is the one before it.</remarks>
    public QuiltStack(IFileSystem fileSystem, string root, string? patchesFolder = null, string? seriesFile = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(root);
        if (!fileSystem.Directory.Exists(root))
        {
            throw new PatchApplyException($"The folder '{root}' does not exist.", root);
        }

        _fs = fileSystem;
        _guard = new PathGuard(fileSystem, root, allowGitDirectory: false);

        // A push or pop killed in its commit left the tree's undo journal: roll it back before reading quilt's state,
        // which that commit may have been writing (a killed first push can leave .pc/.quilt_series created but empty).
        TreeTransaction.Recover(fileSystem, _guard);
        EntryKind pc = TreeTransaction.KindOf(fileSystem, _guard.Full(StateFolder));
        if (pc is not (EntryKind.Absent or EntryKind.Directory))
        {
            throw new PatchApplyException($"'{_guard.Full(StateFolder)}' is not a folder (it is a {(pc == EntryKind.Symlink ? "symbolic link" : "file")}); quilt's state folder must be a plain folder.", StateFolder);
        }

        if (pc == EntryKind.Directory)
        {
            string? version = ReadStateText(".pc/.version");
            if (version is not null && version.Trim() != "2")
            {
                throw new PatchApplyException($"'{_guard.Full(".pc/.version")}' says '{Short(version.Trim())}'; PatchKit reads quilt's metadata version 2 only.", ".pc/.version");
            }
        }

        PatchesFolder = (ReadStateText(".pc/.quilt_patches")?.TrimEnd('\n') ?? patchesFolder ?? "patches").TrimEnd('/');
        if (PatchesFolder.Length == 0 || PatchesFolder.Contains('\n', StringComparison.Ordinal))
        {
            throw new PatchApplyException($"The patches folder '{Short(PatchesFolder)}' (from .pc/.quilt_patches or QUILT_PATCHES) is not a usable folder name.", ".pc/.quilt_patches");
        }

        _seriesName = ReadStateText(".pc/.quilt_series")?.TrimEnd('\n') ?? seriesFile ?? "series";
        if (_seriesName.Length == 0 || _seriesName.Contains('\n', StringComparison.Ordinal))
        {
            throw new PatchApplyException($"The series file name '{Short(_seriesName)}' (from .pc/.quilt_series or QUILT_SERIES) is not usable.", ".pc/.quilt_series");
        }

        _seriesPath = _fs.Path.IsPathRooted(_seriesName) ? _seriesName
            : _fs.File.Exists(_guard.Full(".pc/" + _seriesName)) && !_seriesName.Contains('/', StringComparison.Ordinal) ? _guard.Full(".pc/" + _seriesName)
            : _fs.File.Exists(_guard.Full(_seriesName)) ? _guard.Full(_seriesName)
            : _fs.Path.Combine(PatchesFullPath, _seriesName);
    }

    /// <summary>Gets the patches folder as quilt names it (relative to the root, or absolute).</summary>
    public string PatchesFolder { get; }

    /// <summary>Gets the full path of the series file.</summary>
    public string SeriesPath => _seriesPath;

    private string PatchesFullPath => _fs.Path.IsPathRooted(PatchesFolder) ? PatchesFolder : _guard.Full(PatchesFolder);

    /// <summary>Reads the series file.</summary>
    /// <returns>The series; empty when there is no series file.</returns>
    /// <exception cref="PatchFormatException">The series file holds a bad line.</exception>
    public PatchSeries ReadSeries()
    {
        if (!_fs.File.Exists(_seriesPath))
        {
            return PatchSeries.Parse(string.Empty, _seriesPath);
        }

        return PatchSeries.Parse(_fs.File.ReadAllText(_seriesPath), _seriesPath);
    }

    /// <summary>Reads <c>.pc/applied-patches</c>: the applied patches, bottom first.</summary>
    /// <returns>The names; empty when none is applied.</returns>
    /// <exception cref="PatchApplyException">The file is not a regular file or names an unsafe path.</exception>
    public IReadOnlyList<string> ReadApplied()
    {
        string? text = ReadStateText(Applied);
        if (text is null)
        {
            return [];
        }

        var names = new List<string>();
        int line = 0;
        foreach (string name in text.Split('\n'))
        {
            line++;
            if (name.Length == 0)
            {
                continue;
            }

            try
            {
                PatchSeries.CheckName(name, _guard.Full(Applied), line);
            }
            catch (PatchFormatException ex)
            {
                throw new PatchApplyException(ex.Message + " Nothing was changed.", Applied, ex);
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>Applies the next patch of the series (or every one up to <paramref name="target"/>, or all) as one
    /// transaction and records them in <c>.pc/</c> as quilt does.</summary>
    /// <param name="target">The last patch to apply (its name in the series); <see langword="null"/>: the next one, or
    /// all with <paramref name="all"/>.</param>
    /// <param name="all">Apply every unapplied patch.</param>
    /// <param name="options">Fuzz, whitespace and flushing (<see cref="ApplyOptions.Fuzz"/> defaults to 2, as GNU patch
    /// under quilt); the strip level comes from the series. <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops before the commit starts.</param>
    /// <returns>What was applied; when a patch does not apply, nothing was written and the result names it.</returns>
    /// <exception cref="PatchApplyException">The series and <c>.pc/applied-patches</c> disagree, the target is not in the
    /// series or already applied, or a patch file is missing; nothing was written.</exception>
    /// <exception cref="PatchFormatException">The series or a patch cannot be read.</exception>
    /// <exception cref="PathSafetyException">A path leaves the tree or goes through a link; nothing was written.</exception>
    public SeriesApplyResult Push(string? target = null, bool all = false, ApplyOptions? options = null, CancellationToken cancellationToken = default)
    {
        // An interrupted push or pop is rolled back before .pc/ is read: its journal may be about to remove state files.
        bool recovered = TreeTransaction.HasJournal(_fs, _guard.Root) && TreeTransaction.Recover(_fs, _guard);
        PatchSeries series = ReadSeries();
        IReadOnlyList<string> applied = ReadApplied();
        int next = CheckPrefix(series, applied);
        int last = next;
        if (target is not null)
        {
            int at = series.IndexOf(target, PatchesFolder);
            if (at < 0)
            {
                throw new PatchApplyException($"Patch '{target}' is not in the series '{_seriesPath}'.", _seriesPath);
            }

            if (at < next)
            {
                throw new PatchApplyException($"Patch '{series.Patches[at].Name}' is already applied.", _seriesPath);
            }

            last = at;
        }
        else if (all)
        {
            last = series.Patches.Count - 1;
        }

        if (next >= series.Patches.Count || last < next)
        {
            return new SeriesApplyResult([], false, recovered, null, []);
        }

        // The state folders of the patches to push must not exist yet (quilt would mix their old backups in).
        var steps = new List<SeriesStep>();
        for (int i = next; i <= last; i++)
        {
            SeriesPatch patch = series.Patches[i];
            string state = StateFolder + "/" + patch.Name;
            EntryKind kind = TreeTransaction.KindOf(_fs, _guard.Full(state));
            if (kind != EntryKind.Absent && !(kind == EntryKind.Directory && !_fs.Directory.EnumerateFileSystemEntries(_guard.Full(state)).Any()))
            {
                throw new PatchApplyException($"'{_guard.Full(state)}' already exists although patch '{patch.Name}' is not applied; remove it (it holds stale quilt backups). Nothing was changed.", state);
            }

            steps.Add(new SeriesStep(patch.Name, ReadPatch(patch.Name), patch.Strip));
        }

        options = new ApplyOptions(options ?? new ApplyOptions()) { Partial = false, DryRun = false, Reverse = false, BackupOriginals = false, RejectFile = null, SkipAlreadyApplied = false };
        options.Validate();
        string appliedText = ReadStateText(Applied) ?? string.Empty;
        bool hasVersion = ReadStateText(".pc/.version") is not null;
        bool hasPatches = ReadStateText(".pc/.quilt_patches") is not null;
        bool hasSeries = ReadStateText(".pc/.quilt_series") is not null;
        SeriesRun run = new TreeApplier(_fs, _guard.Root, options).RunSeries(steps, (r, _) =>
        {
            var extra = new List<KeyValuePair<string, TreeEntry>>();
            if (!hasVersion)
            {
                extra.Add(new(".pc/.version", Text("2\n")));
            }

            if (!hasPatches)
            {
                extra.Add(new(".pc/.quilt_patches", Text(PatchesFolder + "\n")));
            }

            if (!hasSeries)
            {
                extra.Add(new(".pc/.quilt_series", Text(_seriesName + "\n")));
            }

            var names = new StringBuilder(appliedText);
            if (names.Length > 0 && names[^1] != '\n')
            {
                names.Append('\n');
            }

            for (int i = 0; i < steps.Count; i++)
            {
                string folder = StateFolder + "/" + steps[i].Name + "/";
                names.Append(steps[i].Name).Append('\n');
                extra.Add(new(folder + Timestamp, Text(string.Empty)));
                foreach (KeyValuePair<string, TreeEntry> pair in r.Before[i])
                {
                    TreeEntry backup = pair.Value.Kind == EntryKind.File ? new TreeEntry(EntryKind.File, pair.Value.Content, pair.Value.Executable ?? false)
                        : pair.Value.Kind == EntryKind.Absent ? Text(string.Empty)
                        : pair.Value;
                    extra.Add(new(folder + pair.Key, backup));
                }
            }

            extra.Add(new(Applied, Text(names.ToString())));
            return extra;
        }, cancellationToken);

        if (run.FailedStep >= 0)
        {
            return new SeriesApplyResult([], false, recovered || run.Recovered, steps[run.FailedStep].Name, run.FailedFiles);
        }

        return new SeriesApplyResult(steps.Select(s => s.Name).ToArray(), run.Committed, recovered || run.Recovered, null, []);
    }

    /// <summary>Removes the top patch (or every patch above <paramref name="target"/>, or all) by restoring quilt's backup
    /// copies, as one transaction, and updates <c>.pc/</c> as quilt does.</summary>
    /// <param name="target">The patch that is to stay on top; <see langword="null"/>: remove the top one, or all with
    /// <paramref name="all"/>.</param>
    /// <param name="all">Remove every applied patch.</param>
    /// <param name="force">Remove even when a file no longer matches what the patch left (the change is lost), as
    /// <c>quilt pop -f</c>.</param>
    /// <param name="cancellationToken">Stops before the commit starts.</param>
    /// <returns>The patches removed, top first.</returns>
    /// <exception cref="PatchApplyException">The target is not applied, a file has changes not in its patch (refresh it
    /// or force), or <c>.pc/</c> holds something quilt never writes (a link, a special file); nothing was changed.</exception>
    /// <exception cref="PathSafetyException">A backup names a path that leaves the tree; nothing was changed.</exception>
    public IReadOnlyList<string> Pop(string? target = null, bool all = false, bool force = false, CancellationToken cancellationToken = default)
    {
        using TreeLock held = TreeLock.Acquire(_fs, _guard.Root);
        if (TreeTransaction.HasJournal(_fs, _guard.Root))
        {
            TreeTransaction.RecoverLocked(_fs, _guard);
        }

        IReadOnlyList<string> applied = ReadApplied();
        int keep = applied.Count - 1;
        if (target is not null)
        {
            string name = target.StartsWith(PatchesFolder + "/", StringComparison.Ordinal) ? target[(PatchesFolder.Length + 1)..] : target;
            keep = -1;
            for (int i = 0; i < applied.Count; i++)
            {
                keep = applied[i] == name ? i + 1 : keep;
            }

            if (keep < 0)
            {
                throw new PatchApplyException($"Patch '{target}' is not applied.", Applied);
            }
        }
        else if (all)
        {
            keep = 0;
        }

        keep = Math.Max(keep, 0);
        if (keep >= applied.Count)
        {
            return [];
        }

        var state = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        var removed = new List<string>();
        for (int i = applied.Count - 1; i >= keep; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = applied[i];
            var backups = ReadBackups(name, out List<string> stateFiles);
            if (!force && i == applied.Count - 1)
            {
                CheckNoPendingChanges(name, backups);
            }

            foreach (KeyValuePair<string, TreeEntry> pair in backups)
            {
                state[pair.Key] = pair.Value.Content.Length == 0 ? TreeEntry.Absent : pair.Value;
            }

            foreach (string file in stateFiles)
            {
                state[file] = TreeEntry.Absent;
            }

            removed.Add(name);
        }

        var rest = new StringBuilder();
        for (int i = 0; i < keep; i++)
        {
            rest.Append(applied[i]).Append('\n');
        }

        state[Applied] = rest.Length == 0 ? TreeEntry.Absent : Text(rest.ToString());
        var changes = new List<TreeChange>();
        foreach (KeyValuePair<string, TreeEntry> pair in state)
        {
            _guard.CheckNoLinks(pair.Key, mustNotBeLink: false);
            TreeEntry current = Load(pair.Key, refuseLinks: pair.Key.StartsWith(".pc/", StringComparison.Ordinal));
            if (!current.SameAs(pair.Value))
            {
                changes.Add(new TreeChange(pair.Key, current, pair.Value));
            }
        }

        if (changes.Count > 0)
        {
            TreeTransaction.Commit(_fs, _guard, changes, Math.Max(2, Environment.ProcessorCount), flush: false, cancellationToken);
        }

        return removed;
    }

    /// <summary>Writes the top patch anew from the working tree: the diff of every file it touches, between quilt's
    /// backup copy and the file now, made by PatchKit's own diff creator (<c>-u</c>, 3 lines of context, no timestamps,
    /// <c>a/</c> and <c>b/</c> prefixes at <c>-p1</c>). The patch's header (the text above its first diff) is kept.</summary>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The refreshed patch's name.</returns>
    /// <exception cref="PatchApplyException">No patch is applied, or its strip level is neither 0 nor 1.</exception>
    public string Refresh(CancellationToken cancellationToken = default)
    {
        if (TreeTransaction.HasJournal(_fs, _guard.Root))
        {
            TreeTransaction.Recover(_fs, _guard);
        }

        IReadOnlyList<string> applied = ReadApplied();
        if (applied.Count == 0)
        {
            throw new PatchApplyException("No patches applied; there is nothing to refresh.", Applied);
        }

        string top = applied[^1];
        PatchSeries series = ReadSeries();
        int at = series.IndexOf(top, PatchesFolder);
        int strip = at >= 0 ? series.Patches[at].Strip : 1;
        if (strip > 1)
        {
            throw new PatchApplyException($"Patch '{top}' uses -p{strip}; refresh writes -p0 or -p1 patches only.", _seriesPath);
        }

        var backups = ReadBackups(top, out _);
        string patchFile = _fs.Path.Combine(PatchesFullPath, top);
        byte[] old = _fs.File.Exists(patchFile) ? _fs.File.ReadAllBytes(patchFile) : [];
        var output = new ArrayBufferWriter<byte>();
        output.Write(Header(old));
        var diffOptions = new DiffOptions();
        foreach (KeyValuePair<string, TreeEntry> pair in backups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TreeEntry now = Load(pair.Key, refuseLinks: true);
            bool created = pair.Value.Content.Length == 0;
            bool deleted = now.Kind == EntryKind.Absent;
            if (created && deleted)
            {
                continue;
            }

            string oldLabel = created ? "/dev/null" : (strip == 1 ? "a/" : string.Empty) + pair.Key;
            string newLabel = deleted ? "/dev/null" : (strip == 1 ? "b/" : string.Empty) + pair.Key;
            var one = new ArrayBufferWriter<byte>();
            UnifiedDiff.Write(new DiffFile(oldLabel, pair.Value.Content), new DiffFile(newLabel, now.Content), one, diffOptions, cancellationToken);
            WithoutTimestamps(one.WrittenSpan, output);
        }

        string temporary = patchFile + ".patchkit-refresh";
        _fs.Directory.CreateDirectory(_fs.Path.GetDirectoryName(patchFile)!);
        _fs.File.WriteAllBytes(temporary, output.WrittenSpan.ToArray());
        _fs.File.Move(temporary, patchFile, overwrite: true);
        return top;
    }

    /// <summary>The text above the first diff of a patch (quilt's <c>patch_header</c>: up to a line starting with
    /// <c>---</c>, <c>***</c> or <c>Index:</c> and a name, or with <c>diff -</c>).</summary>
    internal static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> patch)
    {
        int start = 0;
        while (start < patch.Length)
        {
            int end = patch[start..].IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? patch[start..] : patch[start..(start + end)];
            if (line.StartsWith("diff -"u8) || IsFileHeader(line))
            {
                return patch[..start];
            }

            start = end < 0 ? patch.Length : start + end + 1;
        }

        return patch;

        static bool IsFileHeader(ReadOnlySpan<byte> line)
        {
            ReadOnlySpan<byte> rest = line.StartsWith("---"u8) || line.StartsWith("***"u8) ? line[3..] : line.StartsWith("Index:"u8) ? line[6..] : [];
            return rest.Length >= 2 && rest[0] is (byte)' ' or (byte)'\t' && rest[1] is not ((byte)' ' or (byte)'\t');
        }
    }

    /// <summary>Copies one file's diff, dropping the tab and timestamp of its <c>---</c> and <c>+++</c> lines (quilt's
    /// <c>--no-timestamps</c>).</summary>
    private static void WithoutTimestamps(ReadOnlySpan<byte> diff, IBufferWriter<byte> output)
    {
        for (int n = 0; n < 2 && !diff.IsEmpty; n++)
        {
            int end = diff.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? diff : diff[..end];
            int tab = line.LastIndexOf((byte)'\t');
            output.Write(tab > 0 ? line[..tab] : line);
            output.Write("\n"u8);
            diff = end < 0 ? [] : diff[(end + 1)..];
        }

        output.Write(diff);
    }

    private static TreeEntry Text(string text) => new(EntryKind.File, Encoding.UTF8.GetBytes(text), false);

    private static string Short(string text) => text.Length > 80 ? string.Concat(text.AsSpan(0, 80), "…") : text;

    /// <summary>Quilt's rule: <c>.pc/applied-patches</c> is the series' first lines, in order.</summary>
    private int CheckPrefix(PatchSeries series, IReadOnlyList<string> applied)
    {
        for (int i = 0; i < applied.Count; i++)
        {
            if (i >= series.Patches.Count || series.Patches[i].Name != applied[i])
            {
                throw new PatchApplyException($"'{_guard.Full(Applied)}' names '{applied[i]}' as applied patch {i + 1}, but the series '{_seriesPath}' {(i < series.Patches.Count ? $"has '{series.Patches[i].Name}' there" : $"has only {series.Patches.Count} patches")}. Nothing was changed.", Applied);
            }
        }

        return applied.Count;
    }

    private PatchDocument ReadPatch(string name)
    {
        string path = _fs.Path.Combine(PatchesFullPath, name);
        if (!_fs.File.Exists(path))
        {
            throw new PatchApplyException($"Patch '{name}' of the series '{_seriesPath}' does not exist: '{path}' is missing. Nothing was changed.", path);
        }

        byte[] bytes = _fs.File.ReadAllBytes(path);
        try
        {
            return PatchDocument.Parse(bytes);
        }
        catch (PatchFormatException ex)
        {
            throw new PatchFormatException($"Patch '{name}' ('{path}') cannot be read: {ex.Message} Nothing was changed.", ex);
        }
    }

    /// <summary>The backup copies of an applied patch, by tree path, and every file of its state folder (backups and
    /// <c>.timestamp</c>) by its own path. Refuses anything quilt never writes there.</summary>
    private SortedDictionary<string, TreeEntry> ReadBackups(string name, out List<string> stateFiles)
    {
        string folder = StateFolder + "/" + name;
        _guard.CheckNoLinks(folder, mustNotBeLink: true);
        var backups = new SortedDictionary<string, TreeEntry>(StringComparer.Ordinal);
        stateFiles = [];
        EntryKind kind = TreeTransaction.KindOf(_fs, _guard.Full(folder));
        if (kind == EntryKind.Absent)
        {
            return backups;
        }

        if (kind != EntryKind.Directory)
        {
            throw new PatchApplyException($"'{_guard.Full(folder)}' is not a folder; quilt keeps the backups of patch '{name}' there. Nothing was changed.", folder);
        }

        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.Count > 0)
        {
            string sub = pending.Pop();
            string full = _guard.Full(sub.Length == 0 ? folder : folder + "/" + sub);
            foreach (string entry in _fs.Directory.EnumerateFileSystemEntries(full))
            {
                string leaf = _fs.Path.GetFileName(entry);
                string rel = sub.Length == 0 ? leaf : sub + "/" + leaf;
                EntryKind k = TreeTransaction.KindOf(_fs, entry);
                if (k == EntryKind.Directory)
                {
                    pending.Push(rel);
                    continue;
                }

                if (k != EntryKind.File)
                {
                    throw new PathSafetyException($"Refusing '{_guard.Full(folder + "/" + rel)}': quilt's backups are regular files, this is {(k == EntryKind.Symlink ? "a symbolic link" : "a special file")}. Nothing was changed.", folder + "/" + rel);
                }

                stateFiles.Add(folder + "/" + rel);
                if (rel == Timestamp)
                {
                    continue;
                }

                string treePath = _guard.Check(Encoding.UTF8.GetBytes(rel), rel);
                if (treePath.Split('/')[0] == StateFolder)
                {
                    throw new PathSafetyException($"Refusing '{_guard.Full(folder + "/" + rel)}': a backup may not restore quilt's own state folder. Nothing was changed.", rel);
                }

                backups[treePath] = Load(folder + "/" + rel, refuseLinks: true);
            }
        }

        return backups;
    }

    /// <summary>As <c>quilt pop</c> without <c>-f</c>: the patch applied to its backups must give the files as they are,
    /// else the working tree holds changes the patch does not (refresh first, or force).</summary>
    private void CheckNoPendingChanges(string name, SortedDictionary<string, TreeEntry> backups)
    {
        string path = _fs.Path.Combine(PatchesFullPath, name);
        if (!_fs.File.Exists(path) || _fs.File.ReadAllBytes(path).Length == 0)
        {
            return;
        }

        PatchSeries series = ReadSeries();
        int at = series.IndexOf(name, PatchesFolder);
        int strip = at >= 0 ? series.Patches[at].Strip : 1;
        var expected = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        string scratch = _fs.Path.Combine(_fs.Path.GetTempPath(), "patchkit-pop-" + Guid.NewGuid().ToString("N"));
        _fs.Directory.CreateDirectory(scratch);
        try
        {
            foreach (KeyValuePair<string, TreeEntry> pair in backups)
            {
                if (pair.Value.Content.Length > 0)
                {
                    string full = _fs.Path.Combine(scratch, pair.Key);
                    _fs.Directory.CreateDirectory(_fs.Path.GetDirectoryName(full)!);
                    _fs.File.WriteAllBytes(full, pair.Value.Content.ToArray());
                }
            }

            TreeApplyResult result = PatchApplier.ApplyTree(ReadPatch(name), _fs, scratch, new ApplyOptions { StripComponents = strip, DetectReversed = false });
            if (!result.Succeeded)
            {
                throw new PatchApplyException($"Patch '{name}' does not remove cleanly: it no longer applies to its own backups in '{_guard.Full(StateFolder + "/" + name)}' (refresh it, or force with -f). Nothing was changed.", name);
            }

            foreach (string file in backups.Keys)
            {
                string full = _fs.Path.Combine(scratch, file);
                expected[file] = _fs.File.Exists(full) ? new TreeEntry(EntryKind.File, _fs.File.ReadAllBytes(full), null) : TreeEntry.Absent;
            }
        }
        finally
        {
            _fs.Directory.Delete(scratch, recursive: true);
        }

        foreach (KeyValuePair<string, TreeEntry> pair in expected)
        {
            TreeEntry now = Load(pair.Key, refuseLinks: false);
            bool same = now.Kind == pair.Value.Kind && (now.Kind == EntryKind.Absent || now.Content.Span.SequenceEqual(pair.Value.Content.Span));
            if (!same)
            {
                throw new PatchApplyException($"Patch '{name}' does not remove cleanly: '{pair.Key}' has changes the patch does not hold (refresh it, or force with -f). Nothing was changed.", pair.Key);
            }
        }
    }

    /// <summary>Reads a small file of <c>.pc/</c>; <see langword="null"/> when absent. A link or folder there is refused.</summary>
    private string? ReadStateText(string relative)
    {
        EntryKind kind = TreeTransaction.KindOf(_fs, _guard.Full(StateFolder));
        if (kind == EntryKind.Absent)
        {
            return null;
        }

        TreeEntry entry = Load(relative, refuseLinks: true);
        if (entry.Kind == EntryKind.Absent)
        {
            return null;
        }

        if (entry.Content.Length > 1 << 20)
        {
            throw new PatchApplyException($"'{_guard.Full(relative)}' is {entry.Content.Length:N0} bytes; quilt never writes that much there.", relative);
        }

        return Encoding.UTF8.GetString(entry.Content.Span);
    }

    private TreeEntry Load(string relative, bool refuseLinks)
    {
        string full = _guard.Full(relative);
        EntryKind kind = TreeTransaction.KindOf(_fs, full);
        switch (kind)
        {
            case EntryKind.Absent:
                return TreeEntry.Absent;
            case EntryKind.File:
                bool exec = !OperatingSystem.IsWindows() && (_fs.File.GetUnixFileMode(full) & UnixFileMode.UserExecute) != 0;
                return new TreeEntry(EntryKind.File, _fs.File.ReadAllBytes(full), exec);
            case EntryKind.Symlink when !refuseLinks:
                return new TreeEntry(EntryKind.Symlink, Encoding.UTF8.GetBytes(_fs.FileInfo.New(full).LinkTarget ?? string.Empty), null);
            default:
                string what = kind switch { EntryKind.Symlink => "a symbolic link", EntryKind.Directory => "a folder", _ => "a special file" };
                throw new PathSafetyException(string.Create(CultureInfo.InvariantCulture, $"Refusing '{full}': it is {what} where quilt's state or a patched file must be a regular file. Nothing was changed."), relative);
        }
    }
}
