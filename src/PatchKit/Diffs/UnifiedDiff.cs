using System.Buffers;
using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs;

/// <summary>Creates unified diffs of two files, byte-compatible with GNU <c>diff -u</c> or, on request, in git's format.</summary>
/// <remarks>Lines end after LF and keep any CR. Myers (the default) produces GNU diff's edit script: the same
/// discarding of confusing lines, cost bound, middle snakes and boundary shifting as GNU diff 3.8.</remarks>
public static class UnifiedDiff
{
    private const int BinaryProbeLength = 4096;

    /// <summary>Writes the diff of <paramref name="oldFile"/> and <paramref name="newFile"/> to <paramref name="output"/>.</summary>
    /// <param name="oldFile">The old side.</param>
    /// <param name="newFile">The new side.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The options, or <see langword="null"/> for GNU <c>diff -u</c> defaults.</param>
    /// <param name="cancellationToken">Cancels a long comparison.</param>
    /// <returns><see langword="true"/> when the files differ (something was written).</returns>
    /// <exception cref="ArgumentNullException">A file or <paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static bool Write(DiffFile oldFile, DiffFile newFile, IBufferWriter<byte> output, DiffOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldFile);
        ArgumentNullException.ThrowIfNull(newFile);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new DiffOptions();
        options.Validate();
        return WriteCore(oldFile, newFile, output, new Settings(options), null, new List<Change>(), cancellationToken) != FileOutcome.Same;
    }

    /// <summary>Returns the GNU-format diff of two buffers labelled <paramref name="oldPath"/> and <paramref name="newPath"/>.</summary>
    /// <param name="oldContent">The old bytes.</param>
    /// <param name="newContent">The new bytes.</param>
    /// <param name="oldPath">The old label.</param>
    /// <param name="newPath">The new label.</param>
    /// <param name="options">The options, or <see langword="null"/> for defaults.</param>
    /// <returns>The diff's bytes; empty when the buffers are equal.</returns>
    /// <exception cref="ArgumentNullException">A path is null.</exception>
    public static byte[] Create(ReadOnlyMemory<byte> oldContent, ReadOnlyMemory<byte> newContent, string oldPath, string newPath, DiffOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(new DiffFile(oldPath, oldContent), new DiffFile(newPath, newContent), buffer, options);
        return buffer.WrittenSpan.ToArray();
    }

    internal static bool IsBinary(ReadOnlySpan<byte> content) => content[..Math.Min(content.Length, BinaryProbeLength)].Contains((byte)0);

    internal static FileOutcome WriteCore(DiffFile oldFile, DiffFile newFile, IBufferWriter<byte> output, in Settings settings, byte[]? commandLine, List<Change> changes, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> a = oldFile.Content.Span;
        ReadOnlySpan<byte> b = newFile.Content.Span;
        bool sameContent = a.SequenceEqual(b);
        if (settings.Git)
        {
            return WriteGit(oldFile, newFile, output, settings, changes, sameContent, cancellationToken);
        }

        if (sameContent)
        {
            return FileOutcome.Same;
        }

        if (!settings.Text && (IsBinary(a) || IsBinary(b)))
        {
            // GNU names binary files as they are (no quotes, as in "Only in" lines).
            output.Put("Binary files "u8);
            output.Put(PathText.EncodeName(oldFile.Path));
            output.Put(" and "u8);
            output.Put(PathText.EncodeName(newFile.Path));
            output.Put(" differ\n"u8);
            return FileOutcome.Different;
        }

        LineDiff.Compute(a, b, Math.Max(settings.HorizonLines, settings.Context), settings.Context, settings.ShowFunction, settings.Algorithm, settings.Minimal, changes, out LineWindow wa, out LineWindow wb, cancellationToken);
        if (changes.Count == 0)
        {
            return FileOutcome.Same;
        }

        if (commandLine is not null)
        {
            output.Put(commandLine);
            output.Put((byte)' ');
            PathQuoting.Write(output, oldFile.Path, git: false);
            output.Put((byte)' ');
            PathQuoting.Write(output, newFile.Path, git: false);
            output.Put((byte)'\n');
        }

        output.Put("--- "u8);
        PathQuoting.Write(output, oldFile.Path, git: false);
        output.Put((byte)'\t');
        WriteTimestamp(output, oldFile);
        output.Put("\n+++ "u8);
        PathQuoting.Write(output, newFile.Path, git: false);
        output.Put((byte)'\t');
        WriteTimestamp(output, newFile);
        output.Put((byte)'\n');
        UnifiedWriter.WriteHunks(output, a, wa, b, wb, changes, settings.Context, settings.ShowFunction);
        return FileOutcome.Different;
    }

    private static FileOutcome WriteGit(DiffFile oldFile, DiffFile newFile, IBufferWriter<byte> output, in Settings settings, List<Change> changes, bool sameContent, CancellationToken cancellationToken)
    {
        bool created = !oldFile.Exists && newFile.Exists;
        bool deleted = oldFile.Exists && !newFile.Exists;
        bool modeChanged = oldFile.Exists && newFile.Exists && oldFile.Mode != newFile.Mode;
        if (sameContent && !created && !deleted && !modeChanged)
        {
            return FileOutcome.Same;
        }

        ReadOnlySpan<byte> a = oldFile.Content.Span;
        ReadOnlySpan<byte> b = newFile.Content.Span;
        output.Put("diff --git "u8);
        WriteGitName(output, "a/"u8, oldFile.Exists ? oldFile.Path : newFile.Path);
        output.Put((byte)' ');
        WriteGitName(output, "b/"u8, newFile.Exists ? newFile.Path : oldFile.Path);
        output.Put((byte)'\n');
        if (created)
        {
            output.Put("new file mode "u8);
            output.PutOctal(newFile.Mode);
            output.Put((byte)'\n');
        }
        else if (deleted)
        {
            output.Put("deleted file mode "u8);
            output.PutOctal(oldFile.Mode);
            output.Put((byte)'\n');
        }
        else if (modeChanged)
        {
            output.Put("old mode "u8);
            output.PutOctal(oldFile.Mode);
            output.Put("\nnew mode "u8);
            output.PutOctal(newFile.Mode);
            output.Put((byte)'\n');
        }

        if (sameContent && !created && !deleted)
        {
            return FileOutcome.Different;
        }

        bool binary = !settings.Text && (IsBinary(a) || IsBinary(b));

        // git writes full blob ids above a binary patch.
        int digits = settings.FullIndex || (binary && settings.GitBinary) ? 40 : 7;
        output.Put("index "u8);
        GitObjectId.Write(output, a, oldFile.Exists, digits);
        output.Put(".."u8);
        GitObjectId.Write(output, b, newFile.Exists, digits);
        if (!created && !deleted && !modeChanged)
        {
            output.Put((byte)' ');
            output.PutOctal(newFile.Mode);
        }

        output.Put((byte)'\n');
        if (sameContent)
        {
            // A new or deleted empty file: no hunks.
            return FileOutcome.Different;
        }

        if (binary)
        {
            if (settings.GitBinary)
            {
                GitBinaryWriter.Write(output, a, b);
                return FileOutcome.Different;
            }

            output.Put("Binary files "u8);
            if (oldFile.Exists)
            {
                WriteGitName(output, "a/"u8, oldFile.Path);
            }
            else
            {
                output.Put("/dev/null"u8);
            }

            output.Put(" and "u8);
            if (newFile.Exists)
            {
                WriteGitName(output, "b/"u8, newFile.Path);
            }
            else
            {
                output.Put("/dev/null"u8);
            }

            output.Put(" differ\n"u8);
            return FileOutcome.Different;
        }

        LineDiff.Compute(a, b, Math.Max(settings.HorizonLines, settings.Context), settings.Context, settings.ShowFunction, settings.Algorithm, settings.Minimal, changes, out LineWindow wa, out LineWindow wb, cancellationToken);
        // git ends a ---/+++ name that holds a space (and is not quoted) with a tab, so patch does not cut it there.
        output.Put("--- "u8);
        if (oldFile.Exists)
        {
            WriteGitName(output, "a/"u8, oldFile.Path);
            PutSpaceTerminator(output, oldFile.Path);
        }
        else
        {
            output.Put("/dev/null"u8);
        }

        output.Put("\n+++ "u8);
        if (newFile.Exists)
        {
            WriteGitName(output, "b/"u8, newFile.Path);
            PutSpaceTerminator(output, newFile.Path);
        }
        else
        {
            output.Put("/dev/null"u8);
        }

        output.Put((byte)'\n');
        UnifiedWriter.WriteHunks(output, a, wa, b, wb, changes, settings.Context, settings.ShowFunction);
        return FileOutcome.Different;
    }

    private static void PutSpaceTerminator(IBufferWriter<byte> output, string path)
    {
        if (path.Contains(' ', StringComparison.Ordinal) && !NeedsGitQuoting(path))
        {
            output.Put((byte)'\t');
        }
    }

    private static bool NeedsGitQuoting(string path)
    {
        foreach (char c in path)
        {
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteGitName(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, string path)
    {
        int max = prefix.Length + System.Text.Encoding.UTF8.GetMaxByteCount(path.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            prefix.CopyTo(rented);
            int n = System.Text.Encoding.UTF8.GetBytes(path, rented.AsSpan(prefix.Length));
            PathQuoting.Write(output, rented.AsSpan(0, prefix.Length + n), git: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Formats the time GNU <c>diff -u</c> shows after a file's name: <c>%Y-%m-%d %H:%M:%S.%N %z</c> in the local
    /// time zone (<c>2023-11-14 22:13:20.123456789 +0000</c>); an absent file shows the Unix epoch.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The timestamp text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    public static string FormatTimestamp(DiffFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var buffer = new ArrayBufferWriter<byte>(40);
        WriteTimestamp(buffer, file);
        return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>GNU's <c>%Y-%m-%d %H:%M:%S.%N %z</c> in the local time zone; an absent file shows the epoch.</summary>
    private static void WriteTimestamp(IBufferWriter<byte> output, DiffFile file)
    {
        DateTimeOffset utc = file.Exists && file.LastWriteTime is { } t ? t : DateTimeOffset.UnixEpoch;
        (DateTime local, int offsetSeconds) = PosixTimeZone.ToLocal(utc);
        int nanos = file.Exists && file.Nanoseconds is { } ns ? ns : (int)(local.Ticks % TimeSpan.TicksPerSecond) * 100;
        output.PutDigits(local.Year, 4);
        output.Put((byte)'-');
        output.PutDigits(local.Month, 2);
        output.Put((byte)'-');
        output.PutDigits(local.Day, 2);
        output.Put((byte)' ');
        output.PutDigits(local.Hour, 2);
        output.Put((byte)':');
        output.PutDigits(local.Minute, 2);
        output.Put((byte)':');
        output.PutDigits(local.Second, 2);
        output.Put((byte)'.');
        output.PutDigits(nanos, 9);
        output.Put((byte)' ');
        int offset = offsetSeconds / 60;
        output.Put(offset < 0 ? (byte)'-' : (byte)'+');
        offset = Math.Abs(offset);
        output.PutDigits(offset / 60, 2);
        output.PutDigits(offset % 60, 2);
    }

    /// <summary>What comparing one pair of files found.</summary>
    internal enum FileOutcome
    {
        Same = 0,
        Different = 1,
    }

    /// <summary>The options copied once per operation.</summary>
    internal readonly struct Settings
    {
        public Settings(DiffOptions options)
        {
            Context = options.Context;
            Algorithm = options.Algorithm;
            Minimal = options.Minimal;
            HorizonLines = options.HorizonLines;
            Git = options.Format == DiffFormat.Git;
            ShowFunction = options.ShowFunction;
            Text = options.Text;
            FullIndex = options.FullIndex;
            GitBinary = options.GitBinary;
        }

        public int Context { get; }

        public DiffAlgorithm Algorithm { get; }

        public bool Minimal { get; }

        public int HorizonLines { get; }

        public bool Git { get; }

        public bool ShowFunction { get; }

        public bool Text { get; }

        public bool FullIndex { get; }

        public bool GitBinary { get; }
    }
}
