using System.Buffers;
using System.IO.Abstractions;
using System.Text;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs;

/// <summary>Walks two trees in GNU diff's order into a list of <see cref="TreeItem"/>s, then compares the file pairs
/// in parallel and writes everything in order.</summary>
internal sealed class TreeWalker
{
    private const int ExecMode = 0x81ED;
    private const int FileMode = 0x81A4;
    private const int LinkMode = 0xA000;

    private readonly IFileSystem _fs;
    private readonly DiffOptions _options;
    private readonly UnifiedDiff.Settings _settings;
    private readonly List<TreeItem> _items = [];
    private readonly bool _git;
    private readonly byte[] _commandLine;
    private readonly bool _native;

    public TreeWalker(IFileSystem fileSystem, DiffOptions options)
    {
        _fs = fileSystem;
        _options = options;
        _settings = new UnifiedDiff.Settings(options);
        _git = options.Format == DiffFormat.Git;
        _commandLine = Encoding.UTF8.GetBytes(TreeDiff.BuildCommandLine(options));
        _native = fileSystem is FileSystem && NativeStat.Supported;
    }

    public void Start(string oldPath, string newPath, string oldLabel, string newLabel)
    {
        TreeEntryKind oldKind = Classify(oldPath);
        TreeEntryKind newKind = Classify(newPath);
        if (oldKind == TreeEntryKind.Directory && newKind == TreeEntryKind.Directory)
        {
            CompareDirectories(oldPath, oldLabel, true, newPath, newLabel, true, string.Empty);
            return;
        }

        if (oldKind == TreeEntryKind.Directory && newKind != TreeEntryKind.Directory && newKind != TreeEntryKind.Absent)
        {
            string name = _fs.Path.GetFileName(newPath);
            oldPath = _fs.Path.Combine(oldPath, name);
            oldLabel = Join(oldLabel, name);
            oldKind = Classify(oldPath);
        }
        else if (newKind == TreeEntryKind.Directory && oldKind != TreeEntryKind.Directory && oldKind != TreeEntryKind.Absent)
        {
            string name = _fs.Path.GetFileName(oldPath);
            newPath = _fs.Path.Combine(newPath, name);
            newLabel = Join(newLabel, name);
            newKind = Classify(newPath);
        }

        if ((oldKind == TreeEntryKind.Absent && (!(_options.TreatAbsentAsEmpty || _options.UnidirectionalNewFile) || newKind == TreeEntryKind.Absent)) || oldKind == TreeEntryKind.Dangling)
        {
            _items.Add(new TreeItem(oldLabel + ": No such file or directory", isError: true));
            return;
        }

        if ((newKind == TreeEntryKind.Absent && !_options.TreatAbsentAsEmpty) || newKind == TreeEntryKind.Dangling)
        {
            _items.Add(new TreeItem(newLabel + ": No such file or directory", isError: true));
            return;
        }

        AddPair(oldPath, oldLabel, oldKind, newPath, newLabel, newKind, inTree: false, _git ? oldLabel : null, _git ? newLabel : null);
    }

    /// <summary>Compares the pairs and writes the diff in order: to <paramref name="output"/>, or, when <paramref name="stream"/>
    /// is given, to the stream as it goes.</summary>
    /// <remarks>Pairs are compared in parallel a window at a time and written out before the next window starts, so what is
    /// held at once is a window's diffs plus each thread's two read buffers (the largest file pair), never the whole output.</remarks>
    public TreeDiffResult Run(IBufferWriter<byte> output, Stream? stream, CancellationToken cancellationToken)
    {
        var pairs = new List<TreeItem>();
        foreach (TreeItem item in _items)
        {
            if (item.IsPair)
            {
                pairs.Add(item);
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var idle = new System.Collections.Concurrent.ConcurrentBag<TreeWorker>();
        var errors = new List<string>();
        bool differs = false;
        int differing = 0;
        int emitted = 0;
        int pairsEmitted = 0;
        int window = Math.Max(32, 16 * Environment.ProcessorCount);
        for (int first = 0; first < pairs.Count || emitted < _items.Count; first += window)
        {
            int last = Math.Min(pairs.Count, first + window);
            if (first < last)
            {
                Parallel.For(
                    first,
                    last,
                    parallel,
                    () => idle.TryTake(out TreeWorker? reused) ? reused : new TreeWorker(),
                    (i, _, worker) =>
                    {
                        Compare(pairs[i], worker, cancellationToken);
                        return worker;
                    },
                    idle.Add);
            }

            // Everything up to the first pair not compared yet goes out now, in order.
            for (; emitted < _items.Count; emitted++)
            {
                TreeItem item = _items[emitted];
                if (item.IsPair && pairsEmitted == last && last < pairs.Count)
                {
                    break;
                }

                pairsEmitted += item.IsPair ? 1 : 0;
                if (item.IsError)
                {
                    errors.Add(item.Text!);
                }
                else if (item.Error is not null)
                {
                    errors.Add(item.Error);
                }
                else if (item.Text is not null)
                {
                    Emit(output, stream, Encoding.UTF8.GetBytes(item.Text));
                    differs = true;
                }
                else if (item.Differs)
                {
                    differs = true;
                    differing++;
                    Emit(output, stream, item.Output.AsSpan(0, item.OutputLength));
                    ArrayPool<byte>.Shared.Return(item.Output!);
                    item.Output = null;
                }
            }
        }

        if (stream is not null && output is ArrayBufferWriter<byte> { WrittenCount: > 0 } staging)
        {
            stream.Write(staging.WrittenSpan);
            staging.ResetWrittenCount();
        }

        return new TreeDiffResult(pairs.Count, differing, differs, errors);
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
        ArrayBufferWriter<byte> buffer = worker.Output;
        buffer.ResetWrittenCount();
        DiffFile oldFile, newFile;
        try
        {
            oldFile = Load(item.OldFull, item.OldLabel, item.OldKind, worker, old: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            item.Error = item.OldLabel + ": " + ex.Message;
            return;
        }

        try
        {
            newFile = Load(item.NewFull, item.NewLabel, item.NewKind, worker, old: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            item.Error = item.NewLabel + ": " + ex.Message;
            return;
        }

        var outcome = UnifiedDiff.WriteCore(oldFile, newFile, buffer, _settings, item.InTree ? _commandLine : null, worker.Changes, cancellationToken);
        item.Differs = outcome != UnifiedDiff.FileOutcome.Same;
        if (item.Differs)
        {
            // Pooled: the window's diffs are written and returned before the next window is compared.
            item.Output = ArrayPool<byte>.Shared.Rent(buffer.WrittenCount);
            item.OutputLength = buffer.WrittenCount;
            buffer.WrittenSpan.CopyTo(item.Output);
        }
    }

    private DiffFile Load(string full, string label, TreeEntryKind kind, TreeWorker worker, bool old)
    {
        switch (kind)
        {
            case TreeEntryKind.File when _native && NativeStat.TryGet(full, follow: true, out NativeStat.FileStatus st):
                return new DiffFile(label, ReadNative(full, st.Size, worker, old))
                {
                    LastWriteTime = DateTimeOffset.FromUnixTimeSeconds(st.MtimeSeconds),
                    Nanoseconds = st.MtimeNanoseconds,
                    Mode = st.IsExecutable ? ExecMode : FileMode,
                };
            case TreeEntryKind.File:
                return new DiffFile(label, Read(full, worker, old))
                {
                    LastWriteTime = new DateTimeOffset(_fs.File.GetLastWriteTimeUtc(full), TimeSpan.Zero),
                    Mode = IsExecutable(full) ? ExecMode : FileMode,
                };
            case TreeEntryKind.Symlink:
                string target = _fs.FileInfo.New(full).LinkTarget ?? string.Empty;
                return new DiffFile(label, Encoding.UTF8.GetBytes(target)) { Mode = LinkMode };
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

        var bigger = new byte[Math.Min(Array.MaxLength, Math.Max(needed, (long)buffer.Length * 2))];
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
        _items.Add(new TreeItem(oldFull, gitOld ?? oldLabel, oldKind, newFull, gitNew ?? newLabel, newKind, inTree));
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

    private void CompareDirectories(string oldDir, string oldLabel, bool oldExists, string newDir, string newLabel, bool newExists, string rel)
    {
        byte[][] oldNames = oldExists ? ListNames(oldDir) : [];
        byte[][] newNames = newExists ? ListNames(newDir) : [];
        int i = 0, j = 0;
        while (i < oldNames.Length || j < newNames.Length)
        {
            int cmp = i >= oldNames.Length ? 1 : j >= newNames.Length ? -1 : oldNames[i].AsSpan().SequenceCompareTo(newNames[j]);
            byte[] nameBytes = cmp <= 0 ? oldNames[i] : newNames[j];
            string name = Encoding.UTF8.GetString(nameBytes);
            bool inOld = cmp <= 0, inNew = cmp >= 0;
            if (inOld)
            {
                i++;
            }

            if (inNew)
            {
                j++;
            }

            if ((_options.Exclude is { } exclude && exclude(name))
                || (rel.Length == 0 && _options.StartingFile is { } start && string.CompareOrdinal(name, start) < 0))
            {
                continue;
            }

            string oldFull = _fs.Path.Combine(oldDir, name);
            string newFull = _fs.Path.Combine(newDir, name);
            string oldL = Join(oldLabel, name);
            string newL = Join(newLabel, name);
            string relName = rel.Length == 0 ? name : rel + "/" + name;
            TreeEntryKind ok = inOld ? Classify(oldFull) : TreeEntryKind.Absent;
            TreeEntryKind nk = inNew ? Classify(newFull) : TreeEntryKind.Absent;
            bool absentAsEmpty = _options.TreatAbsentAsEmpty || _git || (ok == TreeEntryKind.Absent && _options.UnidirectionalNewFile);
            if ((ok == TreeEntryKind.Absent || nk == TreeEntryKind.Absent) && !absentAsEmpty)
            {
                _items.Add(new TreeItem("Only in " + (ok == TreeEntryKind.Absent ? newLabel : oldLabel) + ": " + name + "\n", isError: false));
                continue;
            }

            if (ok == TreeEntryKind.Dangling || nk == TreeEntryKind.Dangling)
            {
                if (ok == TreeEntryKind.Dangling)
                {
                    _items.Add(new TreeItem(oldL + ": No such file or directory", isError: true));
                }

                if (nk == TreeEntryKind.Dangling)
                {
                    _items.Add(new TreeItem(newL + ": No such file or directory", isError: true));
                }

                continue;
            }

            bool oldDirKind = ok == TreeEntryKind.Directory, newDirKind = nk == TreeEntryKind.Directory;
            if (oldDirKind || newDirKind)
            {
                if ((oldDirKind || ok == TreeEntryKind.Absent) && (newDirKind || nk == TreeEntryKind.Absent))
                {
                    if (_options.Recursive)
                    {
                        CompareDirectories(oldFull, oldL, oldDirKind, newFull, newL, newDirKind, relName);
                    }
                    else if (oldDirKind && newDirKind)
                    {
                        _items.Add(new TreeItem("Common subdirectories: " + oldL + " and " + newL + "\n", isError: false));
                    }
                    else
                    {
                        _items.Add(new TreeItem("Only in " + (oldDirKind ? oldLabel : newLabel) + ": " + name + "\n", isError: false));
                    }
                }
                else
                {
                    _items.Add(new TreeItem("File " + oldL + " is a " + Describe(ok) + " while file " + newL + " is a " + Describe(nk) + "\n", isError: false));
                }

                continue;
            }

            bool oldLink = ok == TreeEntryKind.Symlink, newLink = nk == TreeEntryKind.Symlink;
            if (!_git && (oldLink || newLink))
            {
                if (oldLink && newLink)
                {
                    string t0 = _fs.FileInfo.New(oldFull).LinkTarget ?? string.Empty;
                    string t1 = _fs.FileInfo.New(newFull).LinkTarget ?? string.Empty;
                    if (!string.Equals(t0, t1, StringComparison.Ordinal))
                    {
                        _items.Add(new TreeItem("Symbolic links " + oldL + " and " + newL + " differ\n", isError: false));
                    }
                }
                else if (ok == TreeEntryKind.Absent || nk == TreeEntryKind.Absent)
                {
                    _items.Add(new TreeItem((ok == TreeEntryKind.Absent ? oldL : newL) + ": No such file or directory", isError: true));
                }
                else
                {
                    _items.Add(new TreeItem("File " + oldL + " is a " + Describe(ok) + " while file " + newL + " is a " + Describe(nk) + "\n", isError: false));
                }

                continue;
            }

            AddPair(oldFull, oldL, ok, newFull, newL, nk, inTree: true, _git ? relName : null, _git ? relName : null);
        }
    }

    private static string Describe(TreeEntryKind kind) => kind switch
    {
        TreeEntryKind.Directory => "directory",
        TreeEntryKind.Symlink => "symbolic link",
        _ => "regular file",
    };

    private static string Join(string label, string name) => label.EndsWith('/') ? label + name : label + "/" + name;

    private byte[][] ListNames(string dir)
    {
        var names = new List<byte[]>();
        foreach (string entry in _fs.Directory.EnumerateFileSystemEntries(dir))
        {
            names.Add(Encoding.UTF8.GetBytes(_fs.Path.GetFileName(entry)));
        }

        names.Sort(static (x, y) => x.AsSpan().SequenceCompareTo(y));
        return [.. names];
    }
}
