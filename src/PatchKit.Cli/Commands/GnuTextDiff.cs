using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>The GNU diff options that change how two text files are compared or shown.</summary>
internal sealed class GnuTextDiffSettings
{
    public GnuDiffFormat Format { get; set; } = GnuDiffFormat.Normal;

    public bool SideBySide { get; set; }

    /// <summary>Gets or sets a value indicating whether pairs that do not differ still make output, as GNU's side by
    /// side style without <c>--suppress-common-lines</c> has it even under <c>-q</c> (no_diff_means_no_output false): one
    /// device or folder met on both sides of a walk is then named, not passed over.</summary>
    public bool SameMakesOutput { get; set; }

    public int Context { get; set; } = 3;

    public bool IgnoreCase { get; set; }

    public bool IgnoreAllSpace { get; set; }

    public bool IgnoreSpaceChange { get; set; }

    public bool IgnoreTabExpansion { get; set; }

    public bool IgnoreTrailingSpace { get; set; }

    public bool IgnoreBlankLines { get; set; }

    public List<Regex> IgnoreMatching { get; } = [];

    public bool StripTrailingCr { get; set; }

    public bool ExpandTabs { get; set; }

    public bool InitialTab { get; set; }

    /// <summary>Gets or sets a value indicating whether an empty line is written with its mark alone, without the
    /// space or tab after it (<c>--suppress-blank-empty</c>).</summary>
    public bool SuppressBlankEmpty { get; set; }

    /// <summary>Gets or sets the command line GNU's <c>-l</c>/<c>--paginate</c> gives <c>pr -h</c> (the options as typed),
    /// or <see langword="null"/> when the output is not paginated.</summary>
    public string? Paginate { get; set; }

    /// <summary>Gets or sets where pr's pages go when diff's own lines are held back until the end (as GNU's stdout
    /// buffer holds them), or <see langword="null"/> for the command's output.</summary>
    public TextWriter? PaginateOutput { get; set; }

    public int TabSize { get; set; } = 8;

    public int Width { get; set; } = 130;

    public bool SuppressCommonLines { get; set; }

    public bool LeftColumn { get; set; }

    /// <summary>Gets or sets a value indicating whether side by side output is sdiff's (<c>--sdiff-merge-assist</c>):
    /// each run of common lines after an <c>iN,M</c> line, each change after a <c>cN,M</c> line, and GNU's own
    /// messages ("Files … differ", "Only in …") after a space.</summary>
    public bool MergeAssist { get; set; }

    /// <summary>GNU's message as written to standard output: after a space for <c>--sdiff-merge-assist</c>.</summary>
    public string Message(string message) => MergeAssist ? " " + message : message;

    /// <summary>Gets the line and group formats (and <c>-D</c>, which sets group formats).</summary>
    public GnuLineFormats Formats { get; } = new();

    public Regex? FunctionLine { get; set; }

    /// <summary>Gets or sets the colors when <c>--color</c> is on for this output, else <see langword="null"/>.</summary>
    public GnuDiffColor? Color { get; set; }

    public string? OldLabel { get; set; }

    public string? NewLabel { get; set; }

    /// <summary>Gets or sets GNU's horizon: the common lines kept at the files' ends for the comparison (the context
    /// of -u/-c, or more with --horizon-lines).</summary>
    public int Horizon { get; set; }

    /// <summary>Gets or sets a value indicating whether a minimal edit script is asked for (<c>-d</c>).</summary>
    public bool Minimal { get; set; }

    /// <summary>Gets a value indicating whether only this renderer can write the requested output (the library's tree
    /// diff writes the plain formats).</summary>
    public bool NeedsTextRenderer =>
        SideBySide || MergeAssist || IgnoreCase || IgnoreAllSpace || IgnoreSpaceChange || IgnoreTabExpansion || IgnoreTrailingSpace || IgnoreBlankLines
        || IgnoreMatching.Count > 0 || StripTrailingCr || ExpandTabs || InitialTab || SuppressBlankEmpty || Formats.Any || FunctionLine is not null
        || OldLabel is not null || NewLabel is not null || Paginate is not null;
}

/// <summary>One file against another in GNU diff's formats, with GNU's comparison options. The change list comes from
/// PatchKit's diff engine run on the normalized lines (the same algorithm as the plain output); each format is then
/// rendered from the original lines, as GNU does.</summary>
internal static class GnuTextDiff
{
    private readonly record struct Change(int Old, int OldCount, int New, int NewCount);

    /// <summary>Writes the comparison of <paramref name="oldFile"/> and <paramref name="newFile"/> (their paths are
    /// the names shown, their times those of the headers) and returns GNU's exit status: 0 same, 1 different.</summary>
    public static int Write(StringBuilder o, DiffFile oldFile, DiffFile newFile, GnuTextDiffSettings s)
    {
        string oldName = oldFile.Path;
        string newName = newFile.Path;
        List<string> a = Lines(oldFile.Content.Span, s.StripTrailingCr, out bool aEol);
        List<string> b = Lines(newFile.Content.Span, s.StripTrailingCr, out bool bEol);
        List<Change> changes = Changes(a, aEol, b, bEol, s);
        bool[] ignorable = [.. changes.Select(c => Ignorable(c, a, b, s))];
        if (s.SideBySide || s.Formats.Any || s.Format is not (GnuDiffFormat.Unified or GnuDiffFormat.Context))
        {
            // GNU weighs each change alone here; the context formats weigh whole hunks (Hunks).
            changes = [.. changes.Where((c, k) => !ignorable[k])];
            ignorable = new bool[changes.Count];
        }

        bool differ = Array.IndexOf(ignorable, false) >= 0;
        if (s.Formats.Any)
        {
            s.Formats.Complete();
            s.Formats.ExpandTabs = s.ExpandTabs ? s.TabSize : 0;
            if (differ || !s.Formats.NoDiffMeansNoOutput)
            {
                s.Formats.Write(o, a, aEol, b, bEol, changes.Select(c => (c.Old, c.OldCount, c.New, c.NewCount)));
            }

            return differ ? 1 : 0;
        }

        if (!differ)
        {
            if (s.SideBySide && !s.SuppressCommonLines)
            {
                SideBySide(o, a, aEol, b, bEol, [], s);
            }

            return 0;
        }

        if (s.SideBySide)
        {
            SideBySide(o, a, aEol, b, bEol, changes, s);
            return 1;
        }

        switch (s.Format)
        {
            case GnuDiffFormat.Brief:
                o.Append(s.MergeAssist ? " Files " : "Files ").Append(GnuNames.Raw(s.OldLabel ?? oldName)).Append(" and ").Append(GnuNames.Raw(s.NewLabel ?? newName)).Append(" differ\n");
                break;
            case GnuDiffFormat.Unified:
                o.Append("--- ").Append(s.OldLabel is { } ul ? GnuNames.Raw(ul) : GnuNames.Quoted(oldName) + "\t" + UnifiedDiff.FormatTimestamp(oldFile)).Append('\n');
                o.Append("+++ ").Append(s.NewLabel is { } ul2 ? GnuNames.Raw(ul2) : GnuNames.Quoted(newName) + "\t" + UnifiedDiff.FormatTimestamp(newFile)).Append('\n');
                Hunks(o, a, aEol, b, bEol, changes, ignorable, s, unified: true);
                break;
            case GnuDiffFormat.Context:
                o.Append("*** ").Append(s.OldLabel is { } cl ? GnuNames.Raw(cl) : GnuNames.Quoted(oldName) + "\t" + ContextTime(oldFile)).Append('\n');
                o.Append("--- ").Append(s.NewLabel is { } cl2 ? GnuNames.Raw(cl2) : GnuNames.Quoted(newName) + "\t" + ContextTime(newFile)).Append('\n');
                Hunks(o, a, aEol, b, bEol, changes, ignorable, s, unified: false);
                break;
            default:
                var text = new StringBuilder();
                foreach (Change c in changes)
                {
                    NormalChange(text, a, aEol, b, bEol, c, s);
                }

                o.Append(s.Format == GnuDiffFormat.Normal ? text.ToString() : GnuDiffFormats.Convert(ToUnifiedZero(a, aEol, b, bEol, changes, s), s.Format));
                break;
        }

        return 1;
    }

    /// <summary>GNU diff -c's date: in the C locale as ctime writes it (<c>Thu Jan  2 03:04:05 2020</c>), local time; in
    /// any other as -u's (<see cref="GnuLocale"/>).</summary>
    private static string ContextTime(DiffFile file)
    {
        if (GnuLocale.IsoContextDates)
        {
            return UnifiedDiff.FormatTimestamp(file);
        }

        DateTime v = PosixTimeZone.ToLocal(file.Exists && file.LastWriteTime is { } t ? t : DateTimeOffset.UnixEpoch).Local;
        return v.ToString("ddd MMM ", CultureInfo.InvariantCulture) + v.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + v.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>Lines without their newline; the last one may lack it (<paramref name="eol"/> false).</summary>
    private static List<string> Lines(ReadOnlySpan<byte> bytes, bool stripCr, out bool eol)
    {
        string text = Encoding.Latin1.GetString(bytes);
        var lines = new List<string>();
        int start = 0;
        eol = true;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            string line = nl < 0 ? text[start..] : text[start..nl];
            if (nl < 0)
            {
                eol = false;
            }

            // GNU's prepare_text strips a CR before a newline only: a last line without its newline keeps it.
            if (stripCr && nl >= 0 && line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            lines.Add(line);
            start = nl < 0 ? text.Length : nl + 1;
        }

        return lines;
    }

    private static string Key(string line, GnuTextDiffSettings s)
    {
        // GNU diff 3.8 keeps the strongest of -E, -Z, -b, -w (its ignore_white_space takes the larger value), so
        // with -Z given, -E expands no tabs.
        if (s.IgnoreTabExpansion && !s.IgnoreTrailingSpace && line.Contains('\t', StringComparison.Ordinal))
        {
            line = Expand(line, s.TabSize);
        }

        if (s.IgnoreAllSpace)
        {
            var sb = new StringBuilder(line.Length);
            foreach (char ch in line)
            {
                if (!IsCSpace(ch))
                {
                    sb.Append(ch);
                }
            }

            line = sb.ToString();
        }
        else if (s.IgnoreSpaceChange)
        {
            var sb = new StringBuilder(line.Length);
            bool space = false;
            foreach (char ch in line)
            {
                if (IsCSpace(ch))
                {
                    space = true;
                    continue;
                }

                // Leading white space counts as one space; trailing white space not at all.
                if (space)
                {
                    sb.Append(' ');
                }

                space = false;
                sb.Append(ch);
            }

            line = sb.ToString();
        }
        else if (s.IgnoreTrailingSpace)
        {
            line = line.TrimEnd(' ', '\t', '\r', '\v', '\f');
        }

        return s.IgnoreCase ? AsciiLower(line) : line;
    }

    /// <summary>White space as C's isspace in the C locale (GNU's -b, -w): not the other Latin-1 characters.</summary>
    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>GNU's -i in the C locale folds ASCII letters only (a line's other bytes stay as they are).</summary>
    private static string AsciiLower(string line) => string.Create(line.Length, line, static (span, l) =>
    {
        for (int i = 0; i < l.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(l[i]) ? (char)(l[i] | 0x20) : l[i];
        }
    });

    private static List<Change> Changes(List<string> a, bool aEol, List<string> b, bool bEol, GnuTextDiffSettings s)
    {
        // With -b, -w or -Z GNU counts a last line's missing newline as white space: it compares as complete.
        bool spaceEol = s.IgnoreAllSpace || s.IgnoreSpaceChange || s.IgnoreTrailingSpace;
        var changes = new List<Change>();

        // GNU trims the identical first and last lines byte for byte (find_identical_ends, keeping as many common lines
        // as the context shows, or --horizon-lines), then compares the rest as the options make lines equal: lines
        // equal only once normalized stay in the comparison and weigh in discard_confusing_lines.
        bool robust = s.Format is not (GnuDiffFormat.Ed or GnuDiffFormat.ForwardEd);
        var (prefix, suffix) = IdenticalEnds(a, aEol, b, bEol, robust, s.Horizon);
        // The middle goes to the library's diff with a horizon past both ends, so that it trims nothing more. (The
        // ends are the same bytes, so the files compare equal as the options make them exactly when the middles do;
        // each line is normalized once.)
        int endA = a.Count - suffix, endB = b.Count - suffix;
        byte[] middleA = Join(a, prefix, endA, aEol || spaceEol, s);
        byte[] middleB = Join(b, prefix, endB, bEol || spaceEol, s);
        if (middleA.AsSpan().SequenceEqual(middleB))
        {
            return changes;
        }

        var options = new DiffOptions { Context = 0, Text = true, HorizonLines = Math.Max(a.Count, b.Count) + 1, Minimal = s.Minimal };
        foreach (string line in Encoding.Latin1.GetString(UnifiedDiff.Create(middleA, middleB, "a", "b", options)).Split('\n'))
        {
            if (!line.StartsWith("@@ -", StringComparison.Ordinal))
            {
                continue;
            }

            int close = line.IndexOf(" @@", 3, StringComparison.Ordinal);
            string[] parts = line[4..close].Split(" +");
            var (os, oc) = Range(parts[0]);
            var (ns, nc) = Range(parts[1]);
            changes.Add(new Change(prefix + (oc == 0 ? os : os - 1), oc, prefix + (nc == 0 ? ns : ns - 1), nc));
        }

        return changes;
    }

    /// <summary>GNU's find_identical_ends in lines: the lines both files begin and end with, byte for byte (a last line
    /// without its newline matches only such a line, and no end is trimmed when one file misses it and the other not,
    /// but in the ed formats), less <paramref name="horizon"/> lines at each end; the end never overlaps the beginning.</summary>
    private static (int Prefix, int Suffix) IdenticalEnds(List<string> a, bool aEol, List<string> b, bool bEol, bool robust, int horizon)
    {
        int na = a.Count, nb = b.Count;
        int common = 0;
        while (common < na && common < nb && string.Equals(a[common], b[common], StringComparison.Ordinal)
            && (!robust || (common < na - 1 || aEol) == (common < nb - 1 || bEol)))
        {
            common++;
        }

        int prefix = Math.Max(0, common - horizon);
        if (robust && aEol != bEol)
        {
            return (prefix, 0);
        }

        int limit = Math.Min(na, nb) - prefix;
        int tail = 0;
        while (tail < limit && string.Equals(a[na - 1 - tail], b[nb - 1 - tail], StringComparison.Ordinal))
        {
            tail++;
        }

        return (prefix, Math.Max(0, tail - horizon));
    }

    private static (int Start, int Count) Range(string text)
    {
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        return comma < 0
            ? (int.Parse(text, CultureInfo.InvariantCulture), 1)
            : (int.Parse(text[..comma], CultureInfo.InvariantCulture), int.Parse(text[(comma + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Lines <c>[from, to)</c> as the options make them compare, each ended by a newline but the file's last
    /// when <paramref name="eol"/> is false.</summary>
    private static byte[] Join(List<string> lines, int from, int to, bool eol, GnuTextDiffSettings s)
    {
        var sb = new StringBuilder();
        for (int i = from; i < to; i++)
        {
            // Keys are escaped so that a normalized line can never hold a newline, and the missing final newline stays data.
            sb.Append(Key(lines[i], s).Replace("\n", " ", StringComparison.Ordinal));
            if (i < lines.Count - 1 || eol)
            {
                sb.Append('\n');
            }
        }

        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private static bool Ignorable(Change c, List<string> a, List<string> b, GnuTextDiffSettings s)
    {
        if (!s.IgnoreBlankLines && s.IgnoreMatching.Count == 0)
        {
            return false;
        }

        // analyze_hunk: a blank line is an empty one, or one of white space alone with -Z, -b or -w.
        bool spaces = s.IgnoreTrailingSpace || s.IgnoreSpaceChange || s.IgnoreAllSpace;
        bool Skip(string line) => (s.IgnoreBlankLines && (line.Length == 0 || (spaces && line.All(IsCSpace)))) || s.IgnoreMatching.Exists(r => r.IsMatch(line));
        for (int i = 0; i < c.OldCount; i++)
        {
            if (!Skip(a[c.Old + i]))
            {
                return false;
            }
        }

        for (int i = 0; i < c.NewCount; i++)
        {
            if (!Skip(b[c.New + i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Expand(string line, int tabSize)
    {
        var sb = new StringBuilder(line.Length + 8);
        foreach (char ch in line)
        {
            if (ch == '\t')
            {
                sb.Append(' ', tabSize - (sb.Length % tabSize));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    /// <summary>GNU's output_1_line with <c>-t</c>: tabs expanded from the line's start, a CR back to column 0 (followed
    /// by <paramref name="flag"/> again when it is not the line's last character), a backspace one column back, and the
    /// bytes that are not printable in the C locale taking no column.</summary>
    internal static void AppendExpanded(StringBuilder o, string line, int tabSize, string? flag)
    {
        int column = 0;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            switch (ch)
            {
                case '\t':
                    int spaces = tabSize - (column % tabSize);
                    column += spaces;
                    o.Append(' ', spaces);
                    break;
                case '\r':
                    o.Append(ch);
                    if (flag is not null && i + 1 < line.Length)
                    {
                        o.Append(flag);
                    }

                    column = 0;
                    break;
                case '\b':
                    if (column > 0)
                    {
                        column--;
                        o.Append(ch);
                    }

                    break;
                default:
                    column += ch is >= ' ' and <= '~' ? 1 : 0;
                    o.Append(ch);
                    break;
            }
        }
    }

    private static void Line(StringBuilder o, string prefix, string line, bool lastWithoutEol, GnuTextDiffSettings s)
    {
        if (s.SuppressBlankEmpty && line.Length == 0)
        {
            o.Append(prefix.TrimEnd());
        }
        else if (s.InitialTab && prefix.Length > 0)
        {
            // A two-character mark keeps its first character ("  " of a context diff's common line: " " and the tab).
            o.Append(prefix.Length == 2 && prefix[1] == ' ' ? prefix[..1] : prefix.TrimEnd()).Append('\t');
        }
        else
        {
            o.Append(prefix);
        }

        if (s.ExpandTabs)
        {
            // A two-character mark (normal and context formats) is GNU's line flag, written again after a CR.
            AppendExpanded(o, line, s.TabSize, prefix.Length != 2 ? null : s.InitialTab ? prefix[..1] + "\t" : prefix);
        }
        else
        {
            o.Append(line);
        }

        o.Append('\n');
        if (lastWithoutEol)
        {
            o.Append("\\ No newline at end of file\n");
        }
    }

    private static void NormalChange(StringBuilder o, List<string> a, bool aEol, List<string> b, bool bEol, Change c, GnuTextDiffSettings s)
    {
        string Span(int start, int count) => count <= 1 ? (start + 1).ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start + 1},{start + count}");
        char op = c.OldCount == 0 ? 'a' : c.NewCount == 0 ? 'd' : 'c';
        o.Append(c.OldCount == 0 ? c.Old.ToString(CultureInfo.InvariantCulture) : Span(c.Old, c.OldCount)).Append(op)
            .Append(c.NewCount == 0 ? c.New.ToString(CultureInfo.InvariantCulture) : Span(c.New, c.NewCount)).Append('\n');
        for (int i = 0; i < c.OldCount; i++)
        {
            int k = c.Old + i;
            Line(o, "< ", a[k], k == a.Count - 1 && !aEol, s);
        }

        if (c.OldCount > 0 && c.NewCount > 0)
        {
            o.Append("---\n");
        }

        for (int i = 0; i < c.NewCount; i++)
        {
            int k = c.New + i;
            Line(o, "> ", b[k], k == b.Count - 1 && !bEol, s);
        }
    }

    private static string ToUnifiedZero(List<string> a, bool aEol, List<string> b, bool bEol, List<Change> changes, GnuTextDiffSettings s)
    {
        var o = new StringBuilder("--- a\n+++ b\n");
        // -e, -f and -n write their lines as they are, but for -t.
        var plain = new GnuTextDiffSettings { ExpandTabs = s.ExpandTabs, TabSize = s.TabSize };
        foreach (Change c in changes)
        {
            o.Append(CultureInfo.InvariantCulture, $"@@ -{(c.OldCount == 0 ? c.Old : c.Old + 1)},{c.OldCount} +{(c.NewCount == 0 ? c.New : c.New + 1)},{c.NewCount} @@\n");
            for (int i = 0; i < c.OldCount; i++)
            {
                Line(o, "-", a[c.Old + i], c.Old + i == a.Count - 1 && !aEol, plain);
            }

            for (int i = 0; i < c.NewCount; i++)
            {
                Line(o, "+", b[c.New + i], c.New + i == b.Count - 1 && !bEol, plain);
            }
        }

        return o.ToString();
    }

    /// <summary>context.c's hunks: a change joins the hunk before it when fewer than 2×context+1 common lines part
    /// them (fewer than the context when the change is <paramref name="ignorable"/>, -B/-I); a hunk of ignorable
    /// changes only is left out, one with any other change is shown whole.</summary>
    private static void Hunks(StringBuilder o, List<string> a, bool aEol, List<string> b, bool bEol, List<Change> changes, bool[] ignorable, GnuTextDiffSettings s, bool unified)
    {
        int ctx = s.Context;
        int i = 0;
        int functionSearchFrom = 0;
        string? lastFunction = null;
        while (i < changes.Count)
        {
            int j = i;
            while (j + 1 < changes.Count && changes[j + 1].Old - (changes[j].Old + changes[j].OldCount) < (ignorable[j + 1] ? ctx : (2 * ctx) + 1))
            {
                j++;
            }

            if (Array.IndexOf(ignorable, false, i, j - i + 1) < 0)
            {
                i = j + 1;
                continue;
            }

            Change first = changes[i];
            Change last = changes[j];
            int oStart = Math.Max(0, first.Old - ctx);
            int oEnd = Math.Min(a.Count, last.Old + last.OldCount + ctx);
            int nStart = Math.Max(0, first.New - ctx);
            int nEnd = Math.Min(b.Count, last.New + last.NewCount + ctx);
            string heading = string.Empty;
            if (s.FunctionLine is not null)
            {
                for (int k = oStart - 1; k >= functionSearchFrom; k--)
                {
                    if (s.FunctionLine.IsMatch(a[k]))
                    {
                        lastFunction = a[k];
                        break;
                    }
                }

                functionSearchFrom = oStart;
                if (lastFunction is not null)
                {
                    string f = lastFunction.Length > 40 ? lastFunction[..40] : lastFunction;
                    heading = " " + f.TrimEnd();
                }
            }

            if (unified)
            {
                o.Append("@@ -").Append(URange(oStart, oEnd - oStart)).Append(" +").Append(URange(nStart, nEnd - nStart)).Append(" @@").Append(heading).Append('\n');
                int pa = oStart;
                for (int k = i; k <= j; k++)
                {
                    Change c = changes[k];
                    for (; pa < c.Old; pa++)
                    {
                        Line(o, " ", a[pa], pa == a.Count - 1 && !aEol, s);
                    }

                    for (int x = 0; x < c.OldCount; x++)
                    {
                        Line(o, "-", a[c.Old + x], c.Old + x == a.Count - 1 && !aEol, s);
                    }

                    for (int x = 0; x < c.NewCount; x++)
                    {
                        Line(o, "+", b[c.New + x], c.New + x == b.Count - 1 && !bEol, s);
                    }

                    pa = c.Old + c.OldCount;
                }

                for (; pa < oEnd; pa++)
                {
                    Line(o, " ", a[pa], pa == a.Count - 1 && !aEol, s);
                }
            }
            else
            {
                o.Append("***************").Append(heading).Append('\n');
                o.Append("*** ").Append(CRange(oStart, oEnd - oStart)).Append(" ****\n");
                bool anyOld = false;
                bool anyNew = false;
                for (int k = i; k <= j; k++)
                {
                    anyOld |= changes[k].OldCount > 0;
                    anyNew |= changes[k].NewCount > 0;
                }

                ContextSide(o, a, aEol, oStart, oEnd, changes, i, j, old: true, anyOld, s);
                o.Append("--- ").Append(CRange(nStart, nEnd - nStart)).Append(" ----\n");
                ContextSide(o, b, bEol, nStart, nEnd, changes, i, j, old: false, anyNew, s);
            }

            i = j + 1;
        }
    }

    private static void ContextSide(StringBuilder o, List<string> lines, bool eol, int start, int end, List<Change> changes, int i, int j, bool old, bool any, GnuTextDiffSettings s)
    {
        if (!any)
        {
            return;
        }

        int p = start;
        for (int k = i; k <= j; k++)
        {
            Change c = changes[k];
            int at = old ? c.Old : c.New;
            int count = old ? c.OldCount : c.NewCount;
            for (; p < at; p++)
            {
                Line(o, "  ", lines[p], p == lines.Count - 1 && !eol, s);
            }

            string mark = c.OldCount > 0 && c.NewCount > 0 ? "! " : old ? "- " : "+ ";
            for (int x = 0; x < count; x++)
            {
                Line(o, mark, lines[at + x], at + x == lines.Count - 1 && !eol, s);
            }

            p = at + count;
        }

        for (; p < end; p++)
        {
            Line(o, "  ", lines[p], p == lines.Count - 1 && !eol, s);
        }
    }

    private static string URange(int start, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{start},0"),
        1 => (start + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start + 1},{count}"),
    };

    private static string CRange(int start, int count) => count switch
    {
        0 => start.ToString(CultureInfo.InvariantCulture),
        1 => (start + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start + 1},{start + count}"),
    };

    /// <summary>GNU diff's side-by-side layout (side.c): half width and second column offset from -W and the tab size,
    /// padding with tabs unless -t.</summary>
    private static void SideBySide(StringBuilder o, List<string> a, bool aEol, List<string> b, bool bEol, List<Change> changes, GnuTextDiffSettings s)
    {
        // A line's newline: only a file's last line can lack one.
        bool ANl(int k) => aEol || k < a.Count - 1;
        bool BNl(int k) => bEol || k < b.Count - 1;
        int t = s.ExpandTabs ? 1 : s.TabSize;
        int off = (s.Width + t + 3) / (2 * t) * t;
        int hw = Math.Max(0, Math.Min(off - 3, s.Width - off));
        int c2o = hw > 0 ? off : s.Width;
        int pa = 0;
        int pb = 0;

        // print_sdiff_common_lines: the lines up to the next change, in pairs; after a change GNU ignored (-B, -I) one
        // side has more of them: the new side's are marked ')', the old side's '(' (all of them with --left-column).
        void Common(int limitA, int limitB)
        {
            if (!s.SuppressCommonLines)
            {
                if (!s.LeftColumn)
                {
                    for (; pa < limitA && pb < limitB; pa++, pb++)
                    {
                        One(o, a[pa], ANl(pa), ' ', b[pb], BNl(pb), hw, c2o, s);
                    }

                    for (; pb < limitB; pb++)
                    {
                        One(o, null, false, ')', b[pb], BNl(pb), hw, c2o, s);
                    }
                }

                for (; pa < limitA; pa++)
                {
                    One(o, a[pa], ANl(pa), '(', null, false, hw, c2o, s);
                }
            }

            (pa, pb) = (limitA, limitB);
        }

        void Run(int ea, int eb)
        {
            if (s.MergeAssist && !s.SuppressCommonLines && (pa < ea || pb < eb))
            {
                o.Append(CultureInfo.InvariantCulture, $"i{ea - pa},{eb - pb}\n");
            }

            Common(ea, eb);
        }

        foreach (Change c in changes)
        {
            Run(c.Old, c.New);
            if (s.MergeAssist)
            {
                o.Append(CultureInfo.InvariantCulture, $"c{c.OldCount},{c.NewCount}\n");
            }

            int both = Math.Min(c.OldCount, c.NewCount);
            for (int x = 0; x < both; x++)
            {
                One(o, a[c.Old + x], ANl(c.Old + x), '|', b[c.New + x], BNl(c.New + x), hw, c2o, s);
            }

            for (int x = both; x < c.OldCount; x++)
            {
                One(o, a[c.Old + x], ANl(c.Old + x), '<', null, false, hw, c2o, s);
            }

            for (int x = both; x < c.NewCount; x++)
            {
                One(o, null, false, '>', b[c.New + x], BNl(c.New + x), hw, c2o, s);
            }

            pa = c.Old + c.OldCount;
            pb = c.New + c.NewCount;
        }

        Run(a.Count, b.Count);
    }

    /// <summary>One line of side.c's print_1sdiff_line: a newline only when one of the two lines has one, and a
    /// changed pair whose lines differ in having one marked <c>\</c> (the left lacks it) or <c>/</c> (the right).</summary>
    private static void One(StringBuilder o, string? left, bool leftNl, char sep, string? right, bool rightNl, int hw, int c2o, GnuTextDiffSettings s)
    {
        int col = 0;
        bool newline = false;
        o.Append(s.Color?.SideBySideStart(sep));
        if (left is not null)
        {
            newline = leftNl;
            col = Half(o, left, 0, hw, s);
        }

        char shown = sep;
        if (sep != ' ')
        {
            col = TabFromTo(o, col, (hw + c2o - 1) / 2, s) + 1;
            if (sep == '|' && newline != rightNl)
            {
                shown = newline ? '/' : '\\';
            }

            o.Append(shown);
        }

        if (right is not null)
        {
            newline |= rightNl;
            if (right.Length > 0)
            {
                col = TabFromTo(o, col, c2o, s);
                Half(o, right, col, hw, s);
            }
        }

        if (newline)
        {
            o.Append('\n');
        }

        o.Append(s.Color?.SideBySideEnd(sep));
    }

    private static int TabFromTo(StringBuilder o, int from, int to, GnuTextDiffSettings s)
    {
        int size = s.TabSize;
        if (!s.ExpandTabs)
        {
            for (int tab = from + size - (from % size); tab <= to; tab += size)
            {
                o.Append('\t');
                from = tab;
            }
        }

        while (from++ < to)
        {
            o.Append(' ');
        }

        return to;
    }

    /// <summary>side.c's print_half_line (GNU diff 3.8, C locale): a tab's width counts from the column's own start,
    /// a backspace goes one column back, and bytes that are not printable ASCII take no column.</summary>
    private static int Half(StringBuilder o, string line, int indent, int bound, GnuTextDiffSettings s)
    {
        int inPos = 0;
        int outPos = 0;
        foreach (char ch in line)
        {
            switch (ch)
            {
                case '\t':
                    int spaces = s.TabSize - (inPos % s.TabSize);
                    if (inPos == outPos)
                    {
                        int tabstop = outPos + spaces;
                        if (s.ExpandTabs)
                        {
                            tabstop = Math.Min(tabstop, bound);
                            for (; outPos < tabstop; outPos++)
                            {
                                o.Append(' ');
                            }
                        }
                        else if (tabstop < bound)
                        {
                            outPos = tabstop;
                            o.Append(ch);
                        }
                    }

                    inPos += spaces;
                    break;
                case '\r':
                    // Back to the column's start, padded again to it.
                    o.Append(ch);
                    TabFromTo(o, 0, indent, s);
                    inPos = outPos = 0;
                    break;
                case '\b':
                    if (inPos != 0 && --inPos < bound)
                    {
                        if (outPos <= inPos)
                        {
                            // Spaces make up for a tab left out past the bound.
                            for (; outPos < inPos; outPos++)
                            {
                                o.Append(' ');
                            }
                        }
                        else
                        {
                            outPos = inPos;
                            o.Append(ch);
                        }
                    }

                    break;
                case >= ' ' and <= '~':
                    if (inPos++ < bound)
                    {
                        outPos = inPos;
                        o.Append(ch);
                    }

                    break;
                default:
                    if (inPos < bound)
                    {
                        o.Append(ch);
                    }

                    break;
            }
        }

        return outPos;
    }
}
