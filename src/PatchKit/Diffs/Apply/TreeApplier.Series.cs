namespace PatchKit.Diffs.Apply;

/// <summary>One patch of a series: its name (for messages and quilt's backups), the parsed patch and its strip level.</summary>
internal sealed record SeriesStep(string Name, PatchDocument Document, int Strip);

/// <summary>What a series run produced: the step that failed (or -1), its file results, and for every step the state of
/// each path it touched just before it ran (quilt's backup copies).</summary>
internal sealed class SeriesRun
{
    public int FailedStep { get; init; } = -1;

    public IReadOnlyList<FileApplyResult> FailedFiles { get; init; } = [];

    public required IReadOnlyList<SortedDictionary<string, TreeEntry>> Before { get; init; }

    public bool Committed { get; init; }

    public bool Recovered { get; init; }
}

/// <content>A series of patches as one transaction.</content>
internal sealed partial class TreeApplier
{
    /// <summary>Applies <paramref name="steps"/> in order, each to the in-memory result of the ones before, and commits
    /// the end state once through one <see cref="TreeTransaction"/> (one undo journal): all or nothing over the whole
    /// series. <paramref name="extra"/> may add paths (quilt's <c>.pc/</c> files) to the same commit.</summary>
    public SeriesRun RunSeries(IReadOnlyList<SeriesStep> steps, Func<SeriesRun, IReadOnlyDictionary<string, TreeEntry>, IReadOnlyList<KeyValuePair<string, TreeEntry>>>? extra, CancellationToken cancellationToken)
    {
        try
        {
            using TreeLock held = TreeLock.Acquire(_fs, _guard.Root);
            bool recovered = TreeTransaction.HasJournal(_fs, _guard.Root) && TreeTransaction.RecoverLocked(_fs, _guard);
            return RunSeriesCore(steps, extra, recovered, cancellationToken);
        }
        finally
        {
            foreach (IDisposable mapping in _mappings)
            {
                mapping.Dispose();
            }
        }
    }

    private SeriesRun RunSeriesCore(IReadOnlyList<SeriesStep> steps, Func<SeriesRun, IReadOnlyDictionary<string, TreeEntry>, IReadOnlyList<KeyValuePair<string, TreeEntry>>>? extra, bool recovered, CancellationToken cancellationToken)
    {
        var state = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        var before = new List<SortedDictionary<string, TreeEntry>>(steps.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };

        // Links created by any step so far: a later step may not write through one (the commit would, and the journal
        // would record the wrong path).
        var links = new HashSet<string>(StringComparer.Ordinal);
        for (int s = 0; s < steps.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SeriesStep step = steps[s];
            _stripOverride = step.Strip < 0 ? null : step.Strip;
            IReadOnlyList<FilePatch> files = step.Document.Files;
            var plans = new FilePlan[files.Count];
            for (int i = 0; i < files.Count; i++)
            {
                plans[i] = Plan(files[i], links);
            }

            // Paths no earlier step touched are read from the disk, in parallel; the rest come from the state.
            var missing = new List<(string Path, bool LinkOk)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (FilePlan plan in plans)
            {
                bool linkOk = plan.OldIsSymlink || plan.NewIsSymlink || plan.Operation == FileOperation.Delete;
                foreach (string? path in (ReadOnlySpan<string?>)[plan.Source, plan.Target])
                {
                    if (path is not null && !state.ContainsKey(path) && seen.Add(path))
                    {
                        missing.Add((path, linkOk));
                    }
                }
            }

            var loaded = new TreeEntry[missing.Count];
            RunParallel(missing.Count, parallel, i =>
            {
                TreeEntry entry = Load(missing[i].Path, true);
                if (entry.Kind == EntryKind.Symlink && !missing[i].LinkOk)
                {
                    throw new PathSafetyException($"Refusing path '{missing[i].Path}' of patch '{step.Name}': it is a symbolic link; the patch would read or write through it. Nothing was written.", missing[i].Path);
                }

                loaded[i] = entry;
            });
            for (int i = 0; i < missing.Count; i++)
            {
                _original[missing[i].Path] = loaded[i];
                state[missing[i].Path] = loaded[i];
            }

            var stepBefore = new SortedDictionary<string, TreeEntry>(StringComparer.Ordinal);
            foreach (FilePlan plan in plans)
            {
                if (plan.Source is not null)
                {
                    stepBefore.TryAdd(plan.Source, state[plan.Source]);
                }

                stepBefore.TryAdd(plan.Target, state[plan.Target]);
            }

            before.Add(stepBefore);
            var results = new FileApplyResult[plans.Length];
            bool ok = true;
            for (int i = 0; i < plans.Length; i++)
            {
                Outcome outcome = Compute(plans[i], state);
                results[i] = outcome.Result;
                ok &= outcome.Result.Succeeded;
                Merge(plans[i], outcome, state);
            }

            if (!ok)
            {
                return new SeriesRun { FailedStep = s, FailedFiles = results, Before = before, Recovered = recovered };
            }
        }

        _stripOverride = null;
        foreach (KeyValuePair<string, TreeEntry> pair in state)
        {
            if (pair.Value.Kind == EntryKind.Symlink && !pair.Value.SameAs(_original[pair.Key]))
            {
                _guard.CheckLinkTarget(pair.Key, pair.Value.Content.Span, state);
            }
        }

        if (extra is not null)
        {
            var added = extra(new SeriesRun { Before = before, Recovered = recovered }, state);
            foreach (KeyValuePair<string, TreeEntry> pair in added)
            {
                _guard.CheckNoLinks(pair.Key, mustNotBeLink: false);
                if (!state.ContainsKey(pair.Key))
                {
                    TreeEntry current = Load(pair.Key, true);
                    if (current.Kind == EntryKind.Symlink)
                    {
                        throw new PathSafetyException($"Refusing path '{pair.Key}': it is a symbolic link. Nothing was written.", pair.Key);
                    }

                    _original[pair.Key] = current;
                }

                state[pair.Key] = pair.Value;
            }
        }

        var changes = new List<TreeChange>();
        foreach (KeyValuePair<string, TreeEntry> pair in state)
        {
            TreeEntry old = _original[pair.Key];
            if (!old.SameAs(pair.Value))
            {
                changes.Add(new TreeChange(pair.Key, old, pair.Value));
            }
        }

        if (changes.Count > 0)
        {
            TreeTransaction.Commit(_fs, _guard, changes, _parallelism, _options.FlushToDisk, cancellationToken);
        }

        return new SeriesRun { Before = before, Committed = changes.Count > 0, Recovered = recovered };
    }
}
