using System.Buffers;
using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs;

/// <summary>Walks two trees in GNU diff's order into a list of <see cref="TreeItem"/>s, then compares the file pairs
/// in parallel and writes everything in order.</summary>
internal sealed class TreeWalker
{
    private const int ExecMode = DiffFile.ExecutableMode;
    private const int FileMode = DiffFile.RegularMode;
    private const int LinkMode = 0xA000;

    private readonly IFileSystem _fs;
    private readonly DiffOptions _options;
    private readonly UnifiedDiff.Settings _settings;
    private readonly List<TreeItem> _items = [];
    private readonly bool _git;
    private readonly byte[] _commandLine;
    private readonly bool _native;
    private readonly bool _nativeFiles;
    private readonly object _gate = new();
    private readonly List<TreeItem> _pairs = [];
    private Action? _walk;
    private readonly List<(ulong Device, ulong Inode)?> _oldParents = [];
    private readonly List<(ulong Device, ulong Inode)?> _newParents = [];
    private int _oldRoot = -1;
    private int _newRoot = -1;
    private int _nextPair;
    private int _pairsEmitted;
    private int _window;
    private int _waiting;
    private bool _walkDone;
    private bool _emitting;
    private bool _stop;
    private Exception? _failure;
    private List<Thread>? _threads;

    public TreeWalker(IFileSystem fileSystem, DiffOptions options)
    {
        _fs = fileSystem;
        _options = options;
        _settings = new UnifiedDiff.Settings(options);
        _git = options.Format == DiffFormat.Git;
        // A label not in UTF-8 (bytes kept as FileNames escapes) is echoed as its bytes.
        _commandLine = PathText.EncodeName(TreeDiff.BuildCommandLine(options));
        _native = fileSystem is FileSystem && NativeStat.Supported;
        _nativeFiles = _native && NativeFiles.Supported;
    }

    /// <summary>Sets the two roots; the walk itself runs in <see cref="Run"/>, beside the comparisons.</summary>
    public void Start(string oldPath, string newPath, string oldLabel, string newLabel) => _walk = () => Walk(oldPath, newPath, oldLabel, newLabel);

    private void Walk(string oldPath, string newPath, string oldLabel, string newLabel)
    {
        TreeEntryKind oldKind = Classify(oldPath);
        TreeEntryKind newKind = Classify(newPath);
        if (oldKind == TreeEntryKind.Directory && newKind == TreeEntryKind.Directory)
        {
            if (_nativeFiles)
            {
                _oldRoot = NativeFiles.Open(NativeFiles.CurrentDirectory, oldPath, isDirectory: true);
                _newRoot = NativeFiles.Open(NativeFiles.CurrentDirectory, newPath, isDirectory: true);
            }

            Enter(oldPath, true, newPath, true);
            CompareDirectories(oldPath, oldLabel, true, newPath, newLabel, true, string.Empty, string.Empty);
            return;
        }

        // A file's name looked up in the folder it is compared with must be found there, -N or not (as GNU).
        bool oldJoined = false, newJoined = false;
        if (oldKind == TreeEntryKind.Directory && newKind != TreeEntryKind.Directory && newKind != TreeEntryKind.Absent)
        {
            oldJoined = true;
            string name = NameInDirectory(oldPath, _fs.Path.GetFileName(newPath));
            oldPath = _fs.Path.Combine(oldPath, name);
            oldLabel = Join(oldLabel, name);
            oldKind = Classify(oldPath);
        }
        else if (newKind == TreeEntryKind.Directory && oldKind != TreeEntryKind.Directory && oldKind != TreeEntryKind.Absent)
        {
            newJoined = true;
            string name = NameInDirectory(newPath, _fs.Path.GetFileName(oldPath));
            newPath = _fs.Path.Combine(newPath, name);
            newLabel = Join(newLabel, name);
            newKind = Classify(newPath);
        }

        // A dangling link is missing as a missing file is (stat fails); -N (or -P for the old side) reads a missing
        // operand as empty only when the other one is there, else GNU names each missing operand.
        // (A loop of links is an error even with -N.)
        bool oldLoop = oldKind == TreeEntryKind.Dangling && IsLoop(oldPath);
        bool newLoop = newKind == TreeEntryKind.Dangling && IsLoop(newPath);
        bool oldAbsent = oldKind is TreeEntryKind.Absent or TreeEntryKind.Dangling;
        bool newAbsent = newKind is TreeEntryKind.Absent or TreeEntryKind.Dangling;
        bool oldMissing = oldLoop || (oldAbsent && (!(_options.TreatAbsentAsEmpty || _options.UnidirectionalNewFile) || newAbsent || oldJoined));
        bool newMissing = newLoop || (newAbsent && (!_options.TreatAbsentAsEmpty || oldAbsent || newJoined));
        if (oldMissing || newMissing)
        {
            if (oldMissing)
            {
                Add(new TreeItem(oldLabel + ": " + MissingReason(oldPath), isError: true));
            }

            if (newMissing)
            {
                Add(new TreeItem(newLabel + ": " + MissingReason(newPath), isError: true));
            }

            return;
        }

        (oldKind, newKind) = (oldAbsent ? TreeEntryKind.Absent : oldKind, newAbsent ? TreeEntryKind.Absent : newKind);

        if (!_git && (oldKind == TreeEntryKind.Symlink || newKind == TreeEntryKind.Symlink))
        {
            // Operands that are links not followed answer as links met in a folder do.
            AddLinks(oldPath, oldLabel, oldKind, newPath, newLabel, newKind);
            return;
        }

        AddPair(oldPath, oldLabel, oldKind, newPath, newLabel, newKind, inTree: false, _git ? oldLabel : null, _git ? newLabel : null);
    }

    /// <summary>The name a file compared with folder <paramref name="dir"/> has in it (see
    /// <see cref="FileNameOrder.NameIn"/>); the name as given when the folder cannot be read (its open then reports it).</summary>
    private string NameInDirectory(string dir, string name)
    {
        if (!_options.IgnoreFileNameCase)
        {
            return name;
        }

        try
        {
            return FileNameOrder.NameIn(_fs.Directory.EnumerateFileSystemEntries(dir).Select(e => _fs.Path.GetFileName(e)), name, _options.Exclude);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return name;
        }
    }

    /// <summary>Walks the trees, compares the pairs and writes the diff in order: to <paramref name="output"/>, or, when
    /// <paramref name="stream"/> is given, to the stream as it goes.</summary>
    /// <remarks>The calling thread walks the trees while worker threads (one fewer than the degree of parallelism, started
    /// at the second pair) compare the pairs found so far; whichever thread finishes the next pair to be written writes
    /// out, in order, everything finished up to the next pair still being compared (one thread writes at a time), and the
    /// calling thread compares pairs itself too when the walk is far ahead or done. No thread runs more than a window of
    /// pairs ahead of the last one written, so what is held at once is a window's diffs plus each thread's two read
    /// buffers (the largest file pair), never the whole output.</remarks>
    public TreeDiffResult Run(IBufferWriter<byte> output, Stream? stream, CancellationToken cancellationToken)
    {
        var emitter = new Emitter(output, stream);
        _window = Math.Max(512, 256 * _options.MaxDegreeOfParallelism);
        var main = _main = new TreeWorker();
        _workers.Add(main);
        try
        {
            _walkCancellation = cancellationToken;
            _emitter = emitter;
            _walk?.Invoke();
            lock (_gate)
            {
                _walkDone = true;
                Wake();
            }

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                EmitAvailable();
                TreeItem head;
                lock (_gate)
                {
                    if (emitter.Emitted >= _items.Count)
                    {
                        break;
                    }

                    head = _items[emitter.Emitted];
                }

                // Help: compare the next pair in the window, or wait until the head can be written.
                if (TryClaim(out TreeItem? next, wait: true, head))
                {
                    CompareAndFinish(next!, main, cancellationToken);
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _stop = true;
                Wake();
            }

            throw;
        }
        finally
        {
            JoinWorkers();
            NativeFiles.Close(_oldRoot);
            NativeFiles.Close(_newRoot);
            _oldRoot = _newRoot = -1;
        }

        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }

        emitter.Finish();
        return new TreeDiffResult(_pairs.Count, emitter.Differing, emitter.Differs, emitter.Errors);
    }

    /// <summary>How many bytes of finished, not yet written diffs the workers may hold before they wait for the writer
    /// (the pair written next is always taken, so one pair's diff can go past it).</summary>
    internal const int HeldOutputLimit = 2 << 20;

    /// <summary>The limit on held output right now: <see cref="HeldOutputLimit"/>, or twice both sides of the largest
    /// pair another thread is comparing. While a large pair is compared the writer waits for it (it is the next to be
    /// written, or the writing thread is the one comparing it), and the other threads would otherwise stop after 2 MiB
    /// of small diffs (on big/: a third of the second thread's time). What they hold stays bounded by the largest file
    /// pair. Called under the lock.</summary>
    private long HeldLimit()
    {
        long busy = 0;
        foreach (TreeWorker worker in _workers)
        {
            busy = Math.Max(busy, Volatile.Read(ref worker.InputBytes));
        }

        return Math.Max(HeldOutputLimit, 2 * busy);
    }

    /// <summary>Every thread's <see cref="TreeWorker"/> (added under the lock).</summary>
    private readonly List<TreeWorker> _workers = [];

    /// <summary>The blocks every pair's diff is written into (a few more than the limit kept free for reuse).</summary>
    private readonly ChunkPool _chunks = new(keep: (HeldOutputLimit / ChunkPool.ChunkSize) + 8);

    /// <summary>Gets the bytes of diff output held right now: finished pairs waiting to be written and pairs being compared.</summary>
    internal long HeldOutputBytes => _chunks.Held;

    private CancellationToken _walkCancellation;
    private Emitter? _emitter;
    private TreeWorker? _main;

    /// <summary>How many pairs the walk may list ahead of the last one written: beyond it, the walking thread compares
    /// and writes pairs itself until it is back within (the pairs' names and paths are what the walk holds).</summary>
    internal int WalkAheadLimit => 2 * _window;

    /// <summary>Gets how many pairs are listed and not yet written.</summary>
    internal int PairsListedAhead
    {
        get
        {
            lock (_gate)
            {
                return _pairs.Count - _pairsEmitted;
            }
        }
    }

    /// <summary>Adds an item in output order; a pair becomes available to the workers at once.</summary>
    private void Add(TreeItem item)
    {
        bool ahead;
        lock (_gate)
        {
            _items.Add(item);
            if (!item.IsPair)
            {
                return;
            }

            _pairs.Add(item);
            if (_pairs.Count == 2 && _threads is null)
            {
                StartWorkers();
            }

            Wake();
            ahead = _pairs.Count - _pairsEmitted > WalkAheadLimit;
        }

        if (ahead)
        {
            CatchUp();
        }
    }

    /// <summary>The walk is too far ahead: compares and writes pairs on this thread (beside the workers) until what is
    /// listed and not yet written is back to half the limit.</summary>
    private void CatchUp()
    {
        Emitter emitter = _emitter!;
        while (true)
        {
            EmitReady();
            TreeItem head;
            lock (_gate)
            {
                if (_pairs.Count - _pairsEmitted <= WalkAheadLimit / 2)
                {
                    return;
                }

                head = _items[emitter.Emitted];
            }

            if (TryClaim(out TreeItem? next, wait: true, head))
            {
                CompareAndFinish(next!, _main!, _walkCancellation);
            }
        }
    }

    /// <summary>Between directories of the walk: writes out what is finished, so the workers' window moves on.</summary>
    private void EmitReady()
    {
        _walkCancellation.ThrowIfCancellationRequested();
        EmitAvailable();
    }

    /// <summary>Writes out, in order, the items that are ready: text, and pairs already compared, up to the first pair still
    /// being compared. Any thread may call it; one writes at a time (a thread that finds another writing leaves it to that
    /// one, which looks again after each item), so a worker that finishes the pair the output waits for writes it at once
    /// instead of holding it until the walking thread is between pairs of its own.</summary>
    private void EmitAvailable()
    {
        Emitter emitter = _emitter!;
        while (true)
        {
            TreeItem item;
            lock (_gate)
            {
                if (_failure is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
                }

                if (_emitting || emitter.Emitted >= _items.Count)
                {
                    return;
                }

                item = _items[emitter.Emitted];
                if (item.IsPair && !item.Done)
                {
                    return;
                }

                _emitting = true;
            }

            try
            {
                emitter.Write(item);
            }
            finally
            {
                // After the write: the pair's blocks are back in the pool when the workers look at the window again.
                lock (_gate)
                {
                    _items[emitter.Emitted++] = null!;
                    if (item.IsPair)
                    {
                        _pairs[_pairsEmitted++] = null!;
                    }

                    _emitting = false;
                    Wake();
                }
            }
        }
    }

    private void Wake()
    {
        if (_waiting > 0)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Takes the next pair to compare if it is within the window. With <paramref name="wait"/>, waits until one is
    /// or until <paramref name="until"/> (the next item to be written) can be written (then returns false).</summary>
    private bool TryClaim(out TreeItem? next, bool wait, TreeItem? until)
    {
        lock (_gate)
        {
            while (true)
            {
                if (_stop || _failure is not null)
                {
                    next = null;
                    return false;
                }

                if (until is not null && (until.Done || !until.IsPair) && !_emitting)
                {
                    next = null;
                    return false;
                }

                if (_nextPair < _pairs.Count && _nextPair < _pairsEmitted + _window
                    && (_nextPair == _pairsEmitted || _chunks.Held < HeldLimit()))
                {
                    next = _pairs[_nextPair++];
                    return true;
                }

                if (!wait || (_walkDone && _nextPair >= _pairs.Count && until is null))
                {
                    next = null;
                    return false;
                }

                _waiting++;
                Monitor.Wait(_gate);
                _waiting--;
            }
        }
    }

    private void CompareAndFinish(TreeItem item, TreeWorker worker, CancellationToken cancellationToken)
    {
        Compare(item, worker, cancellationToken);
        lock (_gate)
        {
            worker.InputBytes = 0;
            item.Done = true;
            Wake();
        }

        EmitAvailable();
    }

    private void StartWorkers()
    {
        int count = Math.Min(_options.MaxDegreeOfParallelism, Environment.ProcessorCount) - 1;
        _threads = [];
        for (int i = 0; i < count; i++)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = "PatchKit tree diff" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    private void WorkerLoop()
    {
        var worker = new TreeWorker();
        lock (_gate)
        {
            _workers.Add(worker);
        }

        try
        {
            while (TryClaim(out TreeItem? item, wait: true, until: null))
            {
                CompareAndFinish(item!, worker, _walkCancellation);
            }
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failure ??= ex;
                _stop = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void JoinWorkers()
    {
        if (_threads is null)
        {
            return;
        }

        lock (_gate)
        {
            _walkDone = true;
            Wake();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    /// <summary>Writes the items in order and keeps the totals.</summary>
    private sealed class Emitter(IBufferWriter<byte> output, Stream? stream)
    {
        public int Emitted;
        public int Differing;
        public bool Differs;
        public readonly List<string> Errors = [];

        public IBufferWriter<byte> Output => output;

        public Stream? Stream => stream;

        public void Write(TreeItem item)
        {
            if (item.IsError)
            {
                Errors.Add(item.Text!);
            }
            else if (item.Error is not null)
            {
                Errors.Add(item.Error);
            }
            else if (item.Text is not null)
            {
                Emit(output, stream, PathText.EncodeName(item.Text));
                Differs |= !item.NotADifference;
            }
            else if (item.Differs)
            {
                Differs = true;
                Differing++;
                item.Output!.Drain(this, static (self, bytes) => Emit(self.Output, self.Stream, bytes.Span));
                item.Output = null;
            }
        }

        public void Finish()
        {
            if (stream is not null && output is ArrayBufferWriter<byte> { WrittenCount: > 0 } staging)
            {
                stream.Write(staging.WrittenSpan);
                staging.ResetWrittenCount();
            }
        }
    }

    /// <summary>Writes bytes to the output; when streaming, <paramref name="output"/> is a staging buffer that goes to the
    /// stream once it holds 64 KiB (a diff larger than that goes straight through).</summary>
    private static void Emit(IBufferWriter<byte> output, Stream? stream, ReadOnlySpan<byte> bytes)
    {
        const int Flush = 1 << 16;
        if (stream is null)
        {
            output.Put(bytes);
            return;
        }

        var staging = (ArrayBufferWriter<byte>)output;
        if (staging.WrittenCount + bytes.Length > Flush && staging.WrittenCount > 0)
        {
            stream.Write(staging.WrittenSpan);
            staging.ResetWrittenCount();
        }

        if (bytes.Length >= Flush)
        {
            stream.Write(bytes);
        }
        else
        {
            staging.Put(bytes);
        }
    }

    private void Compare(TreeItem item, TreeWorker worker, CancellationToken cancellationToken)
    {
        ChunkedOutput buffer = worker.Output ??= new ChunkedOutput(_chunks);
        buffer.Reset();
        int oldFd = -1, newFd = -1;
        try
        {
            DiffFile oldFile, newFile;
            ReadOnlyMemory<byte> a = default, b = default;
            bool nativeOld = item.OldKind == TreeEntryKind.File && _nativeFiles && TryReadNative(item, old: true, worker, out oldFd, out a);
            bool nativeNew = item.NewKind == TreeEntryKind.File && _nativeFiles && TryReadNative(item, old: false, worker, out newFd, out b);
            Volatile.Write(ref worker.InputBytes, (long)a.Length + b.Length);
            if (nativeOld && nativeNew && !_git && a.Length == b.Length && a.Span.SequenceEqual(b.Span))
            {
                // Equal: nothing to write, so no fstat for the header times.
                item.Differs = false;
                return;
            }

            try
            {
                oldFile = nativeOld ? NativeFile(item.OldLabel, a, oldFd) : Load(item.OldFull, item.OldLabel, item.OldKind, worker, old: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                item.Error = item.OldLabel + ": " + ex.Message;
                return;
            }

            try
            {
                newFile = nativeNew ? NativeFile(item.NewLabel, b, newFd) : Load(item.NewFull, item.NewLabel, item.NewKind, worker, old: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                item.Error = item.NewLabel + ": " + ex.Message;
                return;
            }

            var outcome = UnifiedDiff.WriteCore(oldFile, newFile, buffer, _settings, item.InTree ? _commandLine : null, worker.Changes, cancellationToken);
            item.Differs = outcome != UnifiedDiff.FileOutcome.Same;
            if (!item.Differs)
            {
                buffer.Reset();
            }
            else
            {
                // Handed over without a copy; its blocks go back to the pool when it is written out.
                item.Output = buffer;
                worker.Output = null;
            }
        }
        finally
        {
            NativeFiles.Close(oldFd);
            NativeFiles.Close(newFd);
        }
    }

    /// <summary>Opens one side of a pair relative to its tree's root descriptor (the full path when there is none) and
    /// reads it into the worker's buffer for that side; false, with nothing left open, when that fails (the managed
    /// read then gives the usual error).</summary>
    private bool TryReadNative(TreeItem item, bool old, TreeWorker worker, out int fd, out ReadOnlyMemory<byte> content)
    {
        string? relative = old ? item.OldRelative : item.NewRelative;
        int root = old ? _oldRoot : _newRoot;
        fd = relative is not null && root >= 0
            ? NativeFiles.Open(root, relative)
            : NativeFiles.Open(NativeFiles.CurrentDirectory, old ? item.OldFull : item.NewFull);
        content = default;
        if (fd < 0)
        {
            return false;
        }

        byte[] buffer = old ? worker.OldBuffer : worker.NewBuffer;
        int length = NativeFiles.ReadAll(fd, ref buffer);
        if (old)
        {
            worker.OldBuffer = buffer;
        }
        else
        {
            worker.NewBuffer = buffer;
        }

        if (length < 0)
        {
            NativeFiles.Close(fd);
            fd = -1;
            return false;
        }

        content = buffer.AsMemory(0, length);
        return true;
    }

    /// <summary>A side read natively: its header time and mode from <c>fstat</c> of the open descriptor.</summary>
    private static DiffFile NativeFile(string label, ReadOnlyMemory<byte> content, int fd)
    {
        if (!NativeFiles.TryStat(fd, out NativeStat.FileStatus st))
        {
            throw new IOException("cannot read the file's status");
        }

        return DiffFile.FromStatus(label, content, st);
    }

    private DiffFile Load(string full, string label, TreeEntryKind kind, TreeWorker worker, bool old)
    {
        switch (kind)
        {
            case TreeEntryKind.File when _native && NativeStat.TryGet(full, follow: true, out NativeStat.FileStatus st):
                return DiffFile.FromStatus(label, ReadNative(full, st.Size, worker, old), st);
            case TreeEntryKind.File:
                return new DiffFile(label, Read(full, worker, old))
                {
                    LastWriteTime = new DateTimeOffset(_fs.File.GetLastWriteTimeUtc(full), TimeSpan.Zero),
                    Mode = IsExecutable(full) ? ExecMode : FileMode,
                };
            case TreeEntryKind.Symlink:
                // The target's bytes, as git's blob of a link (a target not in UTF-8 would decode lossily).
                return new DiffFile(label, Apply.RawFiles.ReadLink(_fs, full)) { Mode = LinkMode };
            default:
                return DiffFile.Absent(label);
        }
    }

    /// <summary>Reads a whole file of the real file system into the worker's buffer (one open, one read, no stream).</summary>
    private static ReadOnlyMemory<byte> ReadNative(string path, long size, TreeWorker worker, bool old)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        byte[] buffer = Grow(worker, old, size + 1);
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                buffer = Grow(worker, old, (long)buffer.Length * 2, total);
            }

            int n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return buffer.AsMemory(0, total);
    }

    private static byte[] Grow(TreeWorker worker, bool old, long needed, int keep = 0)
    {
        byte[] buffer = old ? worker.OldBuffer : worker.NewBuffer;
        if (buffer.Length >= needed)
        {
            return buffer;
        }

        if (needed > Array.MaxLength)
        {
            throw new IOException("file too large");
        }

        // The size asked for, in whole 64 KiB blocks (not doubled: a thread keeps the largest file it read, no more), and
        // not cleared: the read fills it.
        var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, (needed + 0xFFFF) & ~0xFFFFL));
        buffer.AsSpan(0, keep).CopyTo(bigger);
        if (old)
        {
            worker.OldBuffer = bigger;
        }
        else
        {
            worker.NewBuffer = bigger;
        }

        return bigger;
    }

    /// <summary>Reads a whole file into the worker's reusable buffer for that side.</summary>
    private ReadOnlyMemory<byte> Read(string path, TreeWorker worker, bool old)
    {
        using Stream stream = _fs.File.OpenRead(path);
        byte[] buffer = old ? worker.OldBuffer : worker.NewBuffer;
        long length = stream.Length;
        if (length > Array.MaxLength)
        {
            throw new IOException(path + ": file too large");
        }

        if (buffer.Length < length + 1)
        {
            buffer = new byte[Math.Max(length + 1, (long)buffer.Length * 2 > Array.MaxLength ? length + 1 : buffer.Length * 2)];
            if (old)
            {
                worker.OldBuffer = buffer;
            }
            else
            {
                worker.NewBuffer = buffer;
            }
        }

        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                // The file grew while we read it.
                byte[] bigger = new byte[buffer.Length * 2];
                buffer.AsSpan(0, total).CopyTo(bigger);
                buffer = bigger;
                if (old)
                {
                    worker.OldBuffer = buffer;
                }
                else
                {
                    worker.NewBuffer = buffer;
                }
            }

            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return buffer.AsMemory(0, total);
    }

    private bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return (_fs.File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
    }

    private void AddPair(string oldFull, string oldLabel, TreeEntryKind oldKind, string newFull, string newLabel, TreeEntryKind newKind, bool inTree, string? gitOld, string? gitNew)
    {
        Add(new TreeItem(oldFull, gitOld ?? oldLabel, oldKind, newFull, gitNew ?? newLabel, newKind, inTree));
    }

    private TreeEntryKind Classify(string path)
    {
        if (_native)
        {
            if (!NativeStat.TryGet(path, follow: false, out NativeStat.FileStatus st))
            {
                return TreeEntryKind.Absent;
            }

            if (st.IsSymlink)
            {
                if (_options.NoDereference || _git)
                {
                    return TreeEntryKind.Symlink;
                }

                if (!NativeStat.TryGet(path, follow: true, out st))
                {
                    return TreeEntryKind.Dangling;
                }
            }

            return st.IsDirectory ? TreeEntryKind.Directory : TreeEntryKind.File;
        }

        IFileInfo info = _fs.FileInfo.New(path);
        bool isLink;
        try
        {
            isLink = info.Exists || _fs.Directory.Exists(path) ? info.LinkTarget is not null : info.LinkTarget is not null;
        }
        catch (IOException)
        {
            isLink = false;
        }

        if (isLink)
        {
            if (_options.NoDereference || _git)
            {
                return TreeEntryKind.Symlink;
            }

            IFileSystemInfo? target;
            try
            {
                target = _fs.File.ResolveLinkTarget(path, returnFinalTarget: true);
            }
            catch (IOException)
            {
                target = null;
            }

            if (target is null || !target.Exists)
            {
                return TreeEntryKind.Dangling;
            }

            return _fs.Directory.Exists(path) ? TreeEntryKind.Directory : TreeEntryKind.File;
        }

        if (_fs.Directory.Exists(path))
        {
            return TreeEntryKind.Directory;
        }

        return info.Exists ? TreeEntryKind.File : TreeEntryKind.Absent;
    }

    private void CompareDirectories(string oldDir, string oldLabel, bool oldExists, string newDir, string newLabel, bool newExists, string oldRel, string newRel)
    {
        EmitReady();
        (byte[] Name, byte Type)[] oldNames = oldExists ? ListNames(oldDir, _oldRoot, oldRel) : [];
        (byte[] Name, byte Type)[] newNames = newExists ? ListNames(newDir, _newRoot, newRel) : [];
        bool ignoreCase = _options.IgnoreFileNameCase;
        int i = 0, j = 0;
        while (i < oldNames.Length || j < newNames.Length)
        {
            int cmp = FileNameOrder.Step(oldNames, i, newNames, j, static n => n.Name, ignoreCase);
            bool inOld = cmp <= 0, inNew = cmp >= 0;
            string name = PathText.DecodeName(inOld ? oldNames[i].Name : newNames[j].Name);

            // Names paired regardless of case: each side keeps its own (a one-sided name stands for both, as GNU's -N).
            string? newName = inOld && inNew && ignoreCase && !oldNames[i].Name.AsSpan().SequenceEqual(newNames[j].Name) ? PathText.DecodeName(newNames[j].Name) : null;
            byte oldType = inOld ? oldNames[i].Type : (byte)0;
            byte newType = inNew ? newNames[j].Type : (byte)0;
            if (inOld)
            {
                i++;
            }

            if (inNew)
            {
                j++;
            }

            if (oldRel.Length == 0 && _options.StartingFile is { } start && FileNameOrder.BeforeStart(name, start, ignoreCase))
            {
                continue;
            }

            // Full paths and labels only where they are needed: a plain pair keeps its relative name alone.
            string oldRelName = oldRel.Length == 0 ? name : oldRel + "/" + name;
            string? newRelName = newName is null ? null : newRel.Length == 0 ? newName : newRel + "/" + newName;
            TreeEntryKind ok = inOld ? Classify(oldDir, name, oldType) : TreeEntryKind.Absent;
            TreeEntryKind nk = inNew ? Classify(newDir, newName ?? name, newType) : TreeEntryKind.Absent;
            bool absentAsEmpty = _options.TreatAbsentAsEmpty || _git || (ok == TreeEntryKind.Absent && _options.UnidirectionalNewFile);
            if ((ok == TreeEntryKind.Absent || nk == TreeEntryKind.Absent) && !absentAsEmpty)
            {
                Add(new TreeItem("Only in " + (ok == TreeEntryKind.Absent ? newLabel : oldLabel) + ": " + name + "\n", isError: false));
                continue;
            }

            if (ok is TreeEntryKind.File or TreeEntryKind.Directory && nk is TreeEntryKind.File or TreeEntryKind.Directory && (ok == TreeEntryKind.File || nk == TreeEntryKind.File)
                && AddSpecial(oldDir, oldLabel, ok, oldType, name, newDir, newLabel, nk, newType, newName ?? name))
            {
                continue;
            }

            bool oldDirKind = ok == TreeEntryKind.Directory, newDirKind = nk == TreeEntryKind.Directory;
            bool oldLink = ok == TreeEntryKind.Symlink, newLink = nk == TreeEntryKind.Symlink;
            if (!(oldDirKind || newDirKind) && !(!_git && (oldLink || newLink)) && ok != TreeEntryKind.Dangling && nk != TreeEntryKind.Dangling)
            {
                Add(new TreeItem(_fs.Path, oldDir, oldLabel, ok, newDir, newLabel, nk, name, oldRelName, _git, newName, newRelName));
                continue;
            }

            string oldFull = _fs.Path.Combine(oldDir, name);
            string newFull = _fs.Path.Combine(newDir, newName ?? name);
            string oldL = Join(oldLabel, name);
            string newL = Join(newLabel, newName ?? name);
            if (ok == TreeEntryKind.Dangling || nk == TreeEntryKind.Dangling)
            {
                if (ok == TreeEntryKind.Dangling)
                {
                    Add(new TreeItem(oldL + ": " + MissingReason(oldFull), isError: true));
                }

                if (nk == TreeEntryKind.Dangling)
                {
                    Add(new TreeItem(newL + ": " + MissingReason(newFull), isError: true));
                }

                continue;
            }

            if (oldDirKind || newDirKind)
            {
                if (oldDirKind && newDirKind && _native && NativeStat.TryGet(oldFull, follow: true, out NativeStat.FileStatus od)
                    && NativeStat.TryGet(newFull, follow: true, out NativeStat.FileStatus nd) && (od.Device, od.Inode) == (nd.Device, nd.Inode))
                {
                    // One folder on both sides (two links to it): GNU knows it the same without a look inside and
                    // says nothing of it (no "Common subdirectories" line either).
                    continue;
                }

                if ((oldDirKind || ok == TreeEntryKind.Absent) && (newDirKind || nk == TreeEntryKind.Absent))
                {
                    if (_options.Recursive && _native && (!oldDirKind || Among(_oldParents, oldFull)) && (!newDirKind || Among(_newParents, newFull)))
                    {
                        // GNU's dir_loop: each side there is a folder already being walked (a link back to a parent).
                        Add(new TreeItem((oldDirKind ? oldL : newL) + ": recursive directory loop", isError: true));
                    }
                    else if (_options.Recursive)
                    {
                        Enter(oldFull, oldDirKind, newFull, newDirKind);
                        CompareDirectories(oldFull, oldL, oldDirKind, newFull, newL, newDirKind, oldRelName, newRelName ?? oldRelName);
                        _oldParents.RemoveAt(_oldParents.Count - 1);
                        _newParents.RemoveAt(_newParents.Count - 1);
                    }
                    else if ((oldDirKind && newDirKind) || !_git)
                    {
                        // (A folder on one side only, with -N or the old side's with --unidirectional-new-file, is
                        // compared with an empty one: GNU calls the pair common subdirectories too.)
                        Add(new TreeItem("Common subdirectories: " + oldL + " and " + newL + "\n", isError: false) { NotADifference = true });
                    }
                    else
                    {
                        Add(new TreeItem("Only in " + (oldDirKind ? oldLabel : newLabel) + ": " + name + "\n", isError: false));
                    }
                }
                else
                {
                    Add(new TreeItem("File " + oldL + " is a " + Describe(ok, oldFull) + " while file " + newL + " is a " + Describe(nk, newFull) + "\n", isError: false));
                }

                continue;
            }

            if (!_git && (oldLink || newLink))
            {
                AddLinks(oldFull, oldL, ok, newFull, newL, nk);
            }
        }
    }

    /// <summary>A pair where one side or both are symbolic links not followed (<c>--no-dereference</c>): GNU's line
    /// for two links with other targets, or for a link against another kind.</summary>
    private void AddLinks(string oldFull, string oldL, TreeEntryKind ok, string newFull, string newL, TreeEntryKind nk)
    {
        if (ok == TreeEntryKind.Symlink && nk == TreeEntryKind.Symlink)
        {
            // The targets' bytes (a target not in UTF-8 would decode lossily, two such targets alike).
            if (!Apply.RawFiles.ReadLink(_fs, oldFull).AsSpan().SequenceEqual(Apply.RawFiles.ReadLink(_fs, newFull)))
            {
                Add(new TreeItem("Symbolic links " + oldL + " and " + newL + " differ\n", isError: false));
            }
        }
        else if (ok == TreeEntryKind.Absent || nk == TreeEntryKind.Absent)
        {
            Add(new TreeItem((ok == TreeEntryKind.Absent ? oldL : newL) + ": No such file or directory", isError: true));
        }
        else
        {
            Add(new TreeItem("File " + oldL + " is a " + Describe(ok, oldFull) + " while file " + newL + " is a " + Describe(nk, newFull) + "\n", isError: false));
        }
    }

    /// <summary>A pair where one side is a fifo, a device or a socket (never read, as GNU reads none in a folder): GNU's
    /// "File … is a fifo while file … is a …" line, nothing when both are the same file; false when neither is one.</summary>
    private bool AddSpecial(string oldDir, string oldLabel, TreeEntryKind ok, byte oldType, string name, string newDir, string newLabel, TreeEntryKind nk, byte newType, string newName)
    {
        string oldFull = _fs.Path.Combine(oldDir, name);
        string newFull = _fs.Path.Combine(newDir, newName);
        NativeStat.FileStatus ost = default, nst = default;
        string? os = ok == TreeEntryKind.File ? SpecialKind(oldFull, oldType, out ost) : null;
        string? ns = nk == TreeEntryKind.File ? SpecialKind(newFull, newType, out nst) : null;
        if (os is null && ns is null)
        {
            return false;
        }

        if (os is null || ns is null || ost.Device != nst.Device || ost.Inode != nst.Inode)
        {
            Add(new TreeItem("File " + Join(oldLabel, name) + " is a " + (os ?? Describe(ok, oldFull)) + " while file " + Join(newLabel, newName) + " is a " + (ns ?? Describe(nk, newFull)) + "\n", isError: false));
        }

        return true;
    }

    /// <summary>Notes the folders about to be walked on each side (null for a side compared with an empty one, or off
    /// the real file system).</summary>
    private void Enter(string oldDir, bool oldExists, string newDir, bool newExists)
    {
        _oldParents.Add(oldExists && _native && NativeStat.TryGet(oldDir, follow: true, out NativeStat.FileStatus o) ? (o.Device, o.Inode) : null);
        _newParents.Add(newExists && _native && NativeStat.TryGet(newDir, follow: true, out NativeStat.FileStatus n) ? (n.Device, n.Inode) : null);
    }

    /// <summary>Whether <paramref name="path"/> (links followed) is one of the folders being walked on its side.</summary>
    private static bool Among(List<(ulong Device, ulong Inode)?> parents, string path) =>
        NativeStat.TryGet(path, follow: true, out NativeStat.FileStatus st) && parents.Contains((st.Device, st.Inode));

    /// <summary>GNU's name for an entry (through its links) that is neither a regular file nor a folder, or null.</summary>
    private string? SpecialKind(string path, byte type, out NativeStat.FileStatus st)
    {
        st = default;
        if (!_native || (_nativeFiles && type == NativeFiles.TypeRegular) || !NativeStat.TryGet(path, follow: true, out st))
        {
            return null;
        }

        return (st.Mode & 0xF000) switch
        {
            0x1000 => "fifo",
            0x2000 => "character special file",
            0x6000 => "block special file",
            0xC000 => "socket",
            _ => null,
        };
    }

    /// <summary>What GNU diff calls an entry's kind ("regular empty file" for a file of no bytes, "fifo" or a device's kind
    /// for a file that is none).</summary>
    private string Describe(TreeEntryKind kind, string path) => kind switch
    {
        TreeEntryKind.Directory => "directory",
        TreeEntryKind.Symlink => "symbolic link",
        _ => SpecialKind(path, 0, out _) ?? (_fs.FileInfo.New(path).Length == 0 ? "regular empty file" : "regular file"),
    };

    private static string Join(string label, string name) => TreeItem.Join(label, name);

    /// <summary>GNU's words for an entry that cannot be read through its links: a loop of links, or (a dangling link,
    /// a name not there) no such file.</summary>
    private string MissingReason(string path) => IsLoop(path) ? "Too many levels of symbolic links" : "No such file or directory";

    private bool IsLoop(string path) => _native && NativeStat.StatError(path) == NativeStat.ErrorLoop;

    /// <summary>The names in <paramref name="dir"/> less the excluded ones, sorted by their bytes (case-folded first with
    /// <see cref="DiffOptions.IgnoreFileNameCase"/>), each with its <c>d_type</c> when the native listing gave one (0:
    /// unknown, <see cref="Classify(string)"/> decides).</summary>
    private (byte[] Name, byte Type)[] ListNames(string dir, int root, string rel)
    {
        var names = new List<(byte[] Name, byte Type)>();
        if (!_nativeFiles || !NativeFiles.TryList(root >= 0 ? root : NativeFiles.CurrentDirectory, root >= 0 ? (rel.Length == 0 ? "." : rel) : dir, names))
        {
            names.Clear();
            foreach (string entry in _fs.Directory.EnumerateFileSystemEntries(dir))
            {
                names.Add((Encoding.UTF8.GetBytes(_fs.Path.GetFileName(entry)), (byte)0));
            }
        }

        if (_options.Exclude is { } exclude)
        {
            // Each side's own names, as GNU leaves excluded names out when it reads a folder.
            names.RemoveAll(n => exclude(PathText.DecodeName(n.Name)));
        }

        if (_options.IgnoreFileNameCase)
        {
            names.Sort(static (x, y) => FileNameOrder.Compare(x.Name, y.Name, ignoreCase: true));
        }
        else
        {
            names.Sort(static (x, y) => x.Name.AsSpan().SequenceCompareTo(y.Name));
        }

        return [.. names];
    }

    /// <summary>What an entry of a listed directory is: from its <c>d_type</c> when that says regular file or directory
    /// (no <c>lstat</c>), else as <see cref="Classify(string)"/> finds.</summary>
    private TreeEntryKind Classify(string dir, string name, byte type) => _nativeFiles && type == NativeFiles.TypeRegular ? TreeEntryKind.File
        : _nativeFiles && type == NativeFiles.TypeDirectory ? TreeEntryKind.Directory
        : Classify(_fs.Path.Combine(dir, name));
}
