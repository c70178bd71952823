using System.Globalization;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Diffs;

/// <summary>Prints a parsed patch as <c>git apply --numstat</c>, <c>--stat</c> and <c>--summary</c> do (git 2.39 apply.c), names included:
/// <c>-p</c> stripping, git's strip-level guess for traditional patches, C quoting of odd names.</summary>
public sealed class GitApplyStat
{
    private const string Pluses = "++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++";
    private const string Minuses = "--------------------------------------------------------------------------------";

    private readonly List<Entry> _entries = [];

    /// <summary>Initializes a new instance of the <see cref="GitApplyStat"/> class: reads the names and counts git apply
    /// would see.</summary>
    /// <param name="document">The parsed patch.</param>
    /// <param name="strip">The <c>-p</c> value, or <see langword="null"/> for git's default (1, guessed for traditional patches).</param>
    /// <param name="recount">Whether hunk counts were inferred (<c>--recount</c>): hunks without changes are then allowed.</param>
    /// <param name="includeContextDiffs">Whether context diffs count as patches; git apply does not read them, so the git-exact
    /// modes leave them out.</param>
    public GitApplyStat(PatchDocument document, int? strip, bool recount, bool includeContextDiffs = false)
    {
        _p = strip ?? 1;
        _known = strip is not null;
        foreach (FilePatch file in document.Files)
        {
            Add(file, recount, includeContextDiffs);
        }
    }

    private GitApplyStat(int? strip)
    {
        _p = strip ?? 1;
        _known = strip is not null;
    }

    // The -p value in use and whether it is settled (git guesses it once, from the first traditional patch's names).
    private int _p;
    private bool _known;

    /// <summary>Takes one file patch in patch order: checked as git apply checks it, then kept as names and counts only.</summary>
    private void Add(FilePatch file, bool recount, bool includeContextDiffs)
    {
        if ((file.Dialect == PatchDialect.Context && !includeContextDiffs) || (file.Dialect != PatchDialect.Git && file.Hunks.Count == 0))
        {
            return; // git apply reads no context diffs, and no "Binary files ... differ" or header-only traditional patches
        }

        RejectAsGitDoes(file, recount);

        _entries.Add(file.Dialect == PatchDialect.Git ? FromGit(file, _p) : FromTraditional(file, ref _p, ref _known));
    }

    /// <summary>Reads a patch of any size from a stream and prints nothing yet: the names and counts git apply would see.
    /// The stream is read once through one reused buffer; what is kept follows the number of files and hunks, not the
    /// size of the patch (a 1 GB patch is read in about the time it takes to copy it from the page cache).</summary>
    /// <param name="patch">The patch.</param>
    /// <param name="strip">The <c>-p</c> value, or <see langword="null"/> for git's default (1, guessed for traditional patches).</param>
    /// <param name="options">How to read (<see cref="PatchParseOptions.Recount"/> as <c>--recount</c>); <see langword="null"/> for the defaults.</param>
    /// <param name="includeContextDiffs">Whether context diffs count as patches (git apply does not read them).</param>
    /// <param name="cancellationToken">Cancels the read between blocks.</param>
    /// <returns>The report.</returns>
    /// <exception cref="PatchFormatException">The patch is malformed, or git apply would refuse it.</exception>
    public static GitApplyStat Read(Stream patch, int? strip, PatchParseOptions? options = null, bool includeContextDiffs = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);

        // Each file is checked and reduced to its names and counts as soon as the reader finishes it, so neither the
        // file patches nor their hunk records pile up (a 1 GB patch: 90,000 files and 200,000 hunks), and git's
        // refusals come in patch order, as git apply reports them.
        var report = new GitApplyStat(strip);
        bool recount = options?.Recount ?? false;
        PatchDocumentBuilder.BuildSummary(patch, options, cancellationToken, file => report.Add(file, recount, includeContextDiffs));
        return report;
    }

    /// <summary>Gets a value indicating whether git apply would find no patch at all ("No valid patches in input").</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Writes what <c>git apply --numstat</c> prints: added, removed and the name, tab-separated (<c>-</c> for binary).</summary>
    /// <param name="output">Where to write.</param>
    public void WriteNumstat(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output is StreamWriter { Encoding.CodePage: 65001 or 20127 or 28591 } writer)
        {
            // Every byte of this output is ASCII (names C-quoted as git does), so it goes to the writer's stream as bytes:
            // formatting it as text and encoding it back was a seventh of a `stat --numstat` of a 40 MB patch.
            writer.Flush();
            WriteNumstat(writer.BaseStream);
            return;
        }

        var sb = new StringBuilder();
        foreach (Entry e in _entries)
        {
            sb.Clear();
            if (e.IsBinary)
            {
                sb.Append("-\t-\t");
            }
            else
            {
                sb.Append(e.Added.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(e.Removed.ToString(CultureInfo.InvariantCulture)).Append('\t');
            }

            sb.Append(QuoteIfNeeded(e.NewName ?? e.OldName ?? []));
            output.Write(sb.Append('\n').ToString());
        }
    }

    /// <summary>As <see cref="WriteNumstat(TextWriter)"/>, as ASCII bytes through one reused buffer.</summary>
    private void WriteNumstat(Stream output)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        int used = 0;
        try
        {
            foreach (Entry e in _entries)
            {
                ReadOnlySpan<byte> name = e.NewName ?? e.OldName ?? [];

                // A quoted name takes at most 4 bytes per byte and its two quotes; two counts and three separators fit in 32.
                int most = (name.Length * 4) + 34;
                if (buffer.Length - used < most)
                {
                    output.Write(buffer, 0, used);
                    used = 0;
                    if (buffer.Length < most)
                    {
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(most);
                    }
                }

                Span<byte> line = buffer.AsSpan(used);
                int n;
                if (e.IsBinary)
                {
                    "-\t-\t"u8.CopyTo(line);
                    n = 4;
                }
                else
                {
                    e.Added.TryFormat(line, out n, default, CultureInfo.InvariantCulture);
                    line[n++] = (byte)'\t';
                    e.Removed.TryFormat(line[n..], out int m, default, CultureInfo.InvariantCulture);
                    n += m;
                    line[n++] = (byte)'\t';
                }

                n += QuoteIfNeeded(name, line[n..]);
                line[n++] = (byte)'\n';
                used += n;
            }

            output.Write(buffer, 0, used);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes what <c>git apply --stat</c> prints: a line per file with a bar of pluses and minuses, then the totals.</summary>
    /// <param name="output">Where to write.</param>
    public void WriteStat(TextWriter output)
    {
        int maxLen = 0;
        int maxChange = 0;
        foreach (Entry e in _entries)
        {
            maxChange = Math.Max(maxChange, e.Added + e.Removed);
            if (e.OldName is not null)
            {
                maxLen = Math.Max(maxLen, QuoteIfNeeded(e.OldName).Length);
            }

            if (e.NewName is not null)
            {
                maxLen = Math.Max(maxLen, QuoteIfNeeded(e.NewName).Length);
            }
        }

        int files = 0, adds = 0, dels = 0;
        foreach (Entry e in _entries)
        {
            files++;
            adds += e.Added;
            dels += e.Removed;
            string qname = QuoteIfNeeded(e.NewName ?? e.OldName ?? []);
            int max = Math.Min(maxLen, 50);
            if (qname.Length > max)
            {
                int from = qname.Length + 3 - max;
                int slash = qname.IndexOf('/', from);
                qname = "..." + qname[(slash >= 0 ? slash : from)..];
            }

            if (e.IsBinary)
            {
                output.Write(string.Create(CultureInfo.InvariantCulture, $" {qname.PadRight(max)} |  Bin\n"));
                continue;
            }

            int width = max + maxChange > 70 ? 70 - max : maxChange;
            int add = e.Added, del = e.Removed;
            if (maxChange > 0)
            {
                int total = (((add + del) * width) + (maxChange / 2)) / maxChange;
                add = ((add * width) + (maxChange / 2)) / maxChange;
                del = total - add;
            }

            output.Write(string.Create(CultureInfo.InvariantCulture, $" {qname.PadRight(max)} |{e.Added + e.Removed,5} {Pluses[..Math.Min(add, Pluses.Length)]}{Minuses[..Math.Min(del, Minuses.Length)]}\n"));
        }

        if (files == 0 && adds == 0 && dels == 0)
        {
            output.Write(" 0 files changed\n");
            return;
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $" {files} file{(files == 1 ? string.Empty : "s")} changed");
        if (adds != 0 || dels == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", {adds} insertion{(adds == 1 ? string.Empty : "s")}(+)");
        }

        if (dels != 0 || adds == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", {dels} deletion{(dels == 1 ? string.Empty : "s")}(-)");
        }

        output.Write(sb.Append('\n').ToString());
    }

    /// <summary>Writes what <c>git apply --summary</c> prints: created, deleted, renamed and copied files and mode changes.</summary>
    /// <param name="output">Where to write.</param>
    public void WriteSummary(TextWriter output)
    {
        foreach (Entry e in _entries)
        {
            if (e.IsNew)
            {
                WriteModeName(output, "create", e.NewMode, e.NewName);
            }
            else if (e.IsDelete)
            {
                WriteModeName(output, "delete", e.OldMode, e.OldName);
            }
            else if (e.IsRename || e.IsCopy)
            {
                WriteRenameCopy(output, e);
            }
            else if (e.Score != 0)
            {
                output.Write(string.Create(CultureInfo.InvariantCulture, $" rewrite {Raw(e.NewName)} ({e.Score}%)\n"));
                WriteModeChange(output, e, showName: false);
            }
            else
            {
                WriteModeChange(output, e, showName: true);
            }
        }
    }

    private static void WriteModeName(TextWriter output, string what, int mode, byte[]? name)
    {
        output.Write(mode != 0
            ? string.Create(CultureInfo.InvariantCulture, $" {what} mode {Convert.ToString(mode, 8).PadLeft(6, '0')} {Raw(name)}\n")
            : $" {what} {Raw(name)}\n");
    }

    private static void WriteModeChange(TextWriter output, Entry e, bool showName)
    {
        if (e.OldMode != 0 && e.NewMode != 0 && e.OldMode != e.NewMode)
        {
            string modes = Convert.ToString(e.OldMode, 8).PadLeft(6, '0') + " => " + Convert.ToString(e.NewMode, 8).PadLeft(6, '0');
            output.Write(showName ? $" mode change {modes} {Raw(e.NewName)}\n" : $" mode change {modes}\n");
        }
    }

    private static void WriteRenameCopy(TextWriter output, Entry e)
    {
        string what = e.IsRename ? "rename" : "copy";
        byte[] oldName = e.OldName ?? [];
        byte[] newName = e.NewName ?? [];
        int o = 0, n = 0;
        while (true)
        {
            int so = Array.IndexOf(oldName, (byte)'/', o);
            int sn = Array.IndexOf(newName, (byte)'/', n);
            if (so < 0 || sn < 0 || so - o != sn - n || !oldName.AsSpan(o, so - o).SequenceEqual(newName.AsSpan(n, sn - n)))
            {
                break;
            }

            o = so + 1;
            n = sn + 1;
        }

        output.Write(o != 0
            ? string.Create(CultureInfo.InvariantCulture, $" {what} {Raw(oldName.AsSpan(0, o))}{{{Raw(oldName.AsSpan(o))} => {Raw(newName.AsSpan(n))}}} ({e.Score}%)\n")
            : string.Create(CultureInfo.InvariantCulture, $" {what} {Raw(oldName)} => {Raw(newName)} ({e.Score}%)\n"));
        WriteModeChange(output, e, showName: false);
    }

    private static string Raw(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);

    private static string Raw(byte[]? name) => name is null ? "(null)" : Encoding.UTF8.GetString(name);

    private static Entry FromGit(FilePatch file, int p)
    {
        byte[]? oldName = file.OldPathBytes.IsEmpty ? null : GitName(file.OldPathBytes.Span, file.GitOldName.Span, p, file);
        byte[]? newName = file.NewPathBytes.IsEmpty ? null : GitName(file.NewPathBytes.Span, file.GitNewName.Span, p, file);
        if (file.Operation is FileOperation.Rename or FileOperation.Copy && !file.RenameFrom.IsEmpty)
        {
            oldName = file.RenameFrom.ToArray();
            newName = file.RenameTo.IsEmpty ? newName : file.RenameTo.ToArray();
        }

        return new Entry
        {
            OldName = oldName,
            NewName = newName,
            Added = file.AddedLines,
            Removed = file.RemovedLines,
            IsBinary = file.IsBinary,
            IsNew = file.Operation == FileOperation.Add,
            IsDelete = file.Operation == FileOperation.Delete,
            IsRename = file.Operation == FileOperation.Rename,
            IsCopy = file.Operation == FileOperation.Copy,
            OldMode = file.OldMode ?? 0,
            NewMode = file.NewMode ?? 0,
            Score = file.Similarity ?? file.Dissimilarity ?? 0,
        };
    }

    /// <summary>The ---/+++ name stripped; when it has too few components, the <c>diff --git</c> name stripped (git's def_name).</summary>
    private static byte[] GitName(ReadOnlySpan<byte> name, ReadOnlySpan<byte> gitName, int p, FilePatch file) =>
        FindNameCommon(name, null, p) ?? FindNameCommon(gitName, null, p) ?? throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture,
            $"git diff header lacks filename information when removing {p} leading pathname component{(p == 1 ? string.Empty : "s")} (line {file.LineNumber})"));

    /// <summary>git apply rejects a hunk without added or removed lines, a hunk line that is a bare CR LF (it only takes an empty LF line as context) and a last line without a line ending.</summary>
    private static void RejectAsGitDoes(FilePatch file, bool recount)
    {
        if (file.StreamedChecks is { } streamed)
        {
            // A streaming read kept no bodies, only the first hunk of each kind that fails; the earlier one is reported.
            long unchanged = recount ? -1 : streamed.FirstUnchanged;
            long corrupt = streamed.FirstCorrupt;
            if (unchanged >= 0 && (corrupt < 0 || unchanged <= corrupt))
            {
                throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"corrupt patch: hunk at line {unchanged} changes nothing"));
            }

            if (corrupt >= 0)
            {
                throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"corrupt patch in hunk at line {corrupt}"));
            }

            return;
        }

        foreach (Hunk hunk in file.Hunks)
        {
            HunkChecks checks = HunkChecks.Of(hunk.Body.Span);
            if (!checks.Changes && !recount)
            {
                throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"corrupt patch: hunk at line {hunk.LineNumber} changes nothing"));
            }

            if (checks.Corrupt)
            {
                throw new PatchFormatException(string.Create(CultureInfo.InvariantCulture, $"corrupt patch in hunk at line {hunk.LineNumber}"));
            }
        }
    }

    /// <summary>git's parse_traditional_patch: guess -p once from the first names, epoch timestamps mean created/deleted.</summary>
    private static Entry FromTraditional(FilePatch file, ref int p, ref bool known)
    {
        ReadOnlySpan<byte> first = file.OldHeader.Span;
        ReadOnlySpan<byte> second = file.NewHeader.Span;
        if (!known)
        {
            int pp = GuessP(first);
            int qq = GuessP(second);
            if (pp < 0)
            {
                pp = qq;
            }

            if (pp >= 0 && pp == qq)
            {
                p = pp;
                known = true;
            }
        }

        byte[]? oldName = null;
        byte[]? newName = null;
        bool isNew = false, isDelete = false;
        if (IsDevNull(first))
        {
            isNew = true;
            newName = FindNameTraditional(second, null, p);
        }
        else if (IsDevNull(second))
        {
            isDelete = true;
            oldName = FindNameTraditional(first, null, p);
        }
        else
        {
            byte[]? firstName = FindNameTraditional(first, null, p);
            byte[]? name = FindNameTraditional(second, firstName, p);
            if (HeaderPaths.IsEpoch(file.OldTimestamp.Span) && !file.OldTimestamp.IsEmpty)
            {
                isNew = true;
                newName = name;
            }
            else if (HeaderPaths.IsEpoch(file.NewTimestamp.Span) && !file.NewTimestamp.IsEmpty)
            {
                isDelete = true;
                oldName = name;
            }
            else
            {
                oldName = newName = name;
            }
        }

        // git leaves is_new/is_delete "unknown" (-1, which its summary prints as true) for a lone hunk with an empty side.
        if (!isNew && !isDelete && file.Hunks.Count == 1)
        {
            isNew = file.Hunks[0].OldCount == 0;
            isDelete = !isNew && file.Hunks[0].NewCount == 0;
        }

        return new Entry
        {
            OldName = oldName,
            NewName = newName,
            Added = file.AddedLines,
            Removed = file.RemovedLines,
            IsBinary = false,
            IsNew = isNew,
            IsDelete = isDelete,
        };
    }

    private static bool IsDevNull(ReadOnlySpan<byte> line) =>
        line.StartsWith("/dev/null"u8) && (line.Length == 9 || line[9] is (byte)' ' or (byte)'\t' or (byte)'\r');

    private static int GuessP(ReadOnlySpan<byte> line)
    {
        if (IsDevNull(line))
        {
            return -1;
        }

        byte[]? name = FindNameTraditional(line, null, 0);
        if (name is null)
        {
            return -1;
        }

        return Array.IndexOf(name, (byte)'/') < 0 ? 0 : -1;
    }

    private static byte[]? FindNameTraditional(ReadOnlySpan<byte> line, byte[]? def, int p)
    {
        if (!line.IsEmpty && line[0] == (byte)'"')
        {
            try
            {
                byte[]? gnu = FindNameGnu(line, p);
                if (gnu is not null)
                {
                    return gnu;
                }
            }
            catch (PatchFormatException)
            {
            }
        }

        // git's find_name_traditional: a timestamp found at the end ends the name (which may hold tabs and spaces);
        // without one, the name ends at the first tab.
        int stamp = HeaderPaths.TimestampLength(line);
        if (stamp > 0)
        {
            return FindNameCommon(line[..^stamp], def, p);
        }

        int tab = line.IndexOf((byte)'\t');
        return FindNameCommon(tab >= 0 ? line[..tab] : line, def, p);
    }

    private static byte[]? FindNameGnu(ReadOnlySpan<byte> line, int p)
    {
        int close = 1;
        while (close < line.Length && line[close] != (byte)'"')
        {
            close += line[close] == (byte)'\\' ? 2 : 1;
        }

        if (close >= line.Length)
        {
            return null;
        }

        ReadOnlySpan<byte> name = HeaderPaths.Unquote(line[..(close + 1)], 0, 0).Span;
        int start = 0;
        while (p-- > 0)
        {
            int slash = name[start..].IndexOf((byte)'/');
            if (slash < 0)
            {
                return null;
            }

            start += slash + 1;
        }

        return Squash(name[start..]);
    }

    /// <summary>git's find_name_common: skip <paramref name="p"/> slashes; prefer <paramref name="def"/> when the name only extends it.</summary>
    private static byte[]? FindNameCommon(ReadOnlySpan<byte> line, byte[]? def, int p)
    {
        int start = p == 0 ? 0 : -1;
        for (int i = 0; i < line.Length && p > 0; i++)
        {
            if (line[i] == (byte)'/' && --p == 0)
            {
                start = i + 1;
            }
        }

        if (start < 0 || start == line.Length)
        {
            return def;
        }

        ReadOnlySpan<byte> name = line[start..];
        if (def is not null && def.Length < name.Length && name.StartsWith(def))
        {
            return def;
        }

        return Squash(name);
    }

    private static byte[] Squash(ReadOnlySpan<byte> name)
    {
        if (name.IndexOf("//"u8) < 0)
        {
            return name.ToArray(); // nearly every name: one copy
        }

        byte[] result = new byte[name.Length];
        int n = 0;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == (byte)'/' && i > 0 && name[i - 1] == (byte)'/')
            {
                continue;
            }

            result[n++] = name[i];
        }

        return result[..n];
    }

    /// <summary>As <see cref="QuoteIfNeeded(ReadOnlySpan{byte})"/>, written as ASCII into <paramref name="destination"/>
    /// (room for 4 bytes per byte and two): the number of bytes written.</summary>
    internal static int QuoteIfNeeded(ReadOnlySpan<byte> name, Span<byte> destination)
    {
        if (!NeedsQuoting(name))
        {
            name.CopyTo(destination);
            return name.Length;
        }

        int n = 0;
        destination[n++] = (byte)'"';
        foreach (byte b in name)
        {
            byte escape = b switch
            {
                7 => (byte)'a',
                8 => (byte)'b',
                9 => (byte)'t',
                10 => (byte)'n',
                11 => (byte)'v',
                12 => (byte)'f',
                13 => (byte)'r',
                (byte)'"' => (byte)'"',
                (byte)'\\' => (byte)'\\',
                _ => 0,
            };
            if (escape != 0)
            {
                destination[n++] = (byte)'\\';
                destination[n++] = escape;
            }
            else if (b < 0x20 || b >= 0x7F)
            {
                destination[n++] = (byte)'\\';
                destination[n++] = (byte)('0' + (b >> 6));
                destination[n++] = (byte)('0' + ((b >> 3) & 7));
                destination[n++] = (byte)('0' + (b & 7));
            }
            else
            {
                destination[n++] = b;
            }
        }

        destination[n++] = (byte)'"';
        return n;
    }

    /// <summary>git's quote_c_style with core.quotePath on: control bytes, <c>"</c>, <c>\</c>, DEL and bytes ≥ 0x80 need quoting.</summary>
    internal static string QuoteIfNeeded(ReadOnlySpan<byte> name)
    {
        if (!NeedsQuoting(name))
        {
            return Encoding.UTF8.GetString(name);
        }

        byte[] quoted = new byte[(name.Length * 4) + 2];
        return Encoding.ASCII.GetString(quoted, 0, QuoteIfNeeded(name, quoted));
    }

    private static bool NeedsQuoting(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\' || b >= 0x7F)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Entry
    {
        public byte[]? OldName { get; init; }

        public byte[]? NewName { get; init; }

        public int Added { get; init; }

        public int Removed { get; init; }

        public bool IsBinary { get; init; }

        public bool IsNew { get; init; }

        public bool IsDelete { get; init; }

        public bool IsRename { get; init; }

        public bool IsCopy { get; init; }

        public int OldMode { get; init; }

        public int NewMode { get; init; }

        public int Score { get; init; }
    }
}
