using System.Buffers;
using System.Globalization;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>GNU patch's reject files: the hunks that failed, in unified or context format, under the patch's own
/// header lines.</summary>
internal static class GnuRejects
{
    /// <summary>Writes the failed hunks of <paramref name="r"/>; <paramref name="shifts"/> (per hunk) moves a hunk's line
    /// numbers as GNU does, by the lines the hunks applied before it added or removed. The hunks before
    /// <paramref name="oldStyleUntil"/> are written as an old-style context diff's (ranges without the trailing stars).
    /// Context hunks GNU read into other sections than the library are written from GNU's (<paramref name="sections"/>,
    /// by the line of the hunk's old range).</summary>
    public static void Write(FilePatch f, FileApplyResult r, IBufferWriter<byte> output, bool context, bool explain = false, Func<string?, string?>? strip = null, int[]? shifts = null, bool reverse = false, int oldStyleUntil = 0, string? index = null, IReadOnlyDictionary<long, GnuContextSections>? sections = null)
    {
        var failed = new List<Hunk>();
        var oldStyle = new List<bool>();
        var comments = new StringBuilder();
        foreach (HunkResult h in r.Hunks)
        {
            if (h.Status != HunkStatus.Applied)
            {
                Hunk hunk = f.Hunks[h.Index];
                int shift = shifts is null ? 0 : shifts[h.Index];
                oldStyle.Add(h.Index < oldStyleUntil);
                failed.Add(shift == 0 ? hunk : new Hunk(hunk.OldStart + shift, hunk.OldCount, hunk.NewStart + shift, hunk.NewCount, hunk.SectionHeading, hunk.Body, hunk.LineNumber));
                if (explain && h.Diagnosis is { } d)
                {
                    // Before the header: GNU patch and git apply skip text there, so the reject file stays a patch.
                    var lines = d.GetReportLines();
                    comments.Append(CultureInfo.InvariantCulture, $"# hunk #{h.Index + 1} FAILED at {h.Line}: {lines[0]}\n");
                    for (int i = 1; i < lines.Length; i++)
                    {
                        comments.Append("#   ").Append(lines[i]).Append('\n');
                    }
                }
            }
        }

        Emit(output, comments);

        Write(f, failed, oldStyle, output, context, strip, reverse, index, sections);
    }

    public static void WriteAll(FilePatch f, IBufferWriter<byte> output, bool context, Func<string?, string?>? strip = null, bool reverse = false, int oldStyleUntil = 0, string? index = null, IReadOnlyDictionary<long, GnuContextSections>? sections = null) =>
        Write(f, [.. f.Hunks], [.. f.Hunks.Select((_, i) => i < oldStyleUntil)], output, context, strip, reverse, index, sections);

    /// <summary>Writes hunks as GNU's reject file: with <c>-R</c> they are written reversed (as patch tried them), the
    /// new side's name first. A file that only an <c>Index:</c> line named (<paramref name="index"/>, as patch uses
    /// it) gets that line first and no name in its header lines, as GNU writes it; under POSIX the header's
    /// <c>Index:</c> name comes first, then its names.</summary>
    private static void Write(FilePatch f, List<Hunk> hunks, List<bool> oldStyle, IBufferWriter<byte> output, bool context, Func<string?, string?>? strip, bool reverse, string? index, IReadOnlyDictionary<long, GnuContextSections>? sections)
    {
        var sb = new StringBuilder();
        // (A git diff's /dev/null side is named as its "diff --git" line names it: the other side's name, without a
        // time string, as GNU's fetchname sets none for "/dev/null".)
        bool git = f.Dialect == PatchDialect.Git;
        // (Under POSIX the header's Index: name is written too, before its names.)
        bool indexAlone = index is not null && f.NewHeader.IsEmpty;
        string oldHeader = indexAlone ? "/dev/null" : git && f.OldPath is null ? Header(default, f.NewPath, strip) : Header(f.OldHeader, f.OldPath, strip);
        string newHeader = indexAlone ? "/dev/null" : git && f.NewPath is null ? Header(default, f.OldPath, strip) : Header(f.NewHeader, f.NewPath, strip);
        if (index is not null)
        {
            sb.Append("Index: ").Append(index).Append('\n');
        }

        if (reverse)
        {
            (oldHeader, newHeader) = (newHeader, oldHeader);
            hunks = hunks.ConvertAll(Reversed);
        }

        sb.Append(context ? "*** " : "--- ").Append(oldHeader).Append('\n');
        sb.Append(context ? "--- " : "+++ ").Append(newHeader).Append('\n');
        Emit(output, sb);
        for (int i = 0; i < hunks.Count; i++)
        {
            Hunk h = hunks[i];
            if (context)
            {
                GnuContextSections? gnu = f.Dialect == PatchDialect.Context && sections is not null && sections.TryGetValue(h.LineNumber, out var read) ? read : null;
                WriteContext(h, output, f.Dialect == PatchDialect.Normal, oldStyle[i], reverse ? gnu?.Reversed() : gnu);
            }
            else
            {
                string heading = h.SectionHeading.IsEmpty ? string.Empty : " " + Encoding.UTF8.GetString(h.SectionHeading.Span);
                sb.Append(CultureInfo.InvariantCulture, $"@@ -{Range(h.OldStart, h.OldCount)} +{Range(h.NewStart, h.NewCount)} @@{heading}\n");
                Emit(output, sb);
                WriteBody(h.Body.Span, output);
            }
        }
    }

    /// <summary>A unified hunk's lines as GNU's abort_hunk_unified writes them: in each run of changed lines between
    /// context lines the removed ones first, then the added ones (a hunk that has an added line before a removed one is
    /// written so); a line marked "\ No newline at end of file" is written without its newline and the marker is left
    /// out (so the next line of the reject joins it), as pch_write_line does.</summary>
    private static void WriteBody(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var removed = new List<(int Start, int End, bool Marked)>();
        var added = new List<(int Start, int End, bool Marked)>();
        int start = 0;
        while (start < body.Length)
        {
            int nl = body[start..].IndexOf((byte)'\n');
            int end = nl < 0 ? body.Length : start + nl + 1;
            int lineStart = start;
            start = end;
            if (body[lineStart] == (byte)'\\')
            {
                continue;
            }

            bool marked = start < body.Length && body[start] == (byte)'\\';
            if (body[lineStart] == (byte)'-')
            {
                removed.Add((lineStart, end, marked));
            }
            else if (body[lineStart] == (byte)'+')
            {
                added.Add((lineStart, end, marked));
            }
            else
            {
                Changes(body, output);
                if (body[lineStart] is (byte)'\n' or (byte)'\t')
                {
                    output.Write(" "u8); // a context line whose space was eaten: GNU writes its ' ' back
                }

                Line(body[lineStart..end], marked, output);
            }
        }

        Changes(body, output);

        void Changes(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
        {
            foreach (var (from, to, marked) in removed)
            {
                Line(body[from..to], marked, output);
            }

            foreach (var (from, to, marked) in added)
            {
                Line(body[from..to], marked, output);
            }

            removed.Clear();
            added.Clear();
        }

        static void Line(ReadOnlySpan<byte> line, bool marked, IBufferWriter<byte> output)
        {
            output.Write(marked && line[^1] == (byte)'\n' ? line[..^1] : line);
            if (!marked && line[^1] != (byte)'\n')
            {
                output.Write("\n"u8);
            }
        }
    }

    /// <summary>The hunk the other way round: sides swapped, and in each change the (new) removed lines before the
    /// added ones, as unified diffs have them.</summary>
    private static Hunk Reversed(Hunk h)
    {
        string body = Encoding.Latin1.GetString(h.Body.Span);
        var lines = new List<string>();
        int start = 0;
        while (start < body.Length)
        {
            int nl = body.IndexOf('\n', start);
            int end = nl < 0 ? body.Length : nl + 1;
            lines.Add(body[start..end]);
            start = end;
        }

        var sb = new StringBuilder(body.Length);
        for (int i = 0; i < lines.Count;)
        {
            if (lines[i].Length == 0 || lines[i][0] is not ('-' or '+'))
            {
                sb.Append(lines[i++]);
                continue;
            }

            // One change: its lines, each with the "\ No newline" line that may follow it.
            var removed = new StringBuilder();
            var added = new StringBuilder();
            while (i < lines.Count && lines[i].Length > 0 && lines[i][0] is '-' or '+')
            {
                bool wasAdded = lines[i][0] == '+';
                StringBuilder to = wasAdded ? removed : added;
                to.Append(wasAdded ? '-' : '+').Append(lines[i], 1, lines[i].Length - 1);
                i++;
                if (i < lines.Count && lines[i].StartsWith('\\'))
                {
                    to.Append(lines[i++]);
                }
            }

            sb.Append(removed).Append(added);
        }

        return new Hunk(h.NewStart, h.NewCount, h.OldStart, h.OldCount, h.SectionHeading, Encoding.Latin1.GetBytes(sb.ToString()), h.LineNumber);
    }

    /// <summary>A reject file's header line after the tag: as GNU's print_header_line, the name as patch uses it (after
    /// <c>-p</c>, or the base name without it) followed by the rest of the patch's header (its time stamp).</summary>
    private static string Header(ReadOnlyMemory<byte> header, string? path, Func<string?, string?>? strip)
    {
        if (header.IsEmpty)
        {
            // A name without a header line of its own (a git diff's, from its "diff --git" line) is stripped too.
            return (path is not null && strip is not null ? strip(path) : null) ?? path ?? "/dev/null";
        }

        string text = Encoding.UTF8.GetString(header.Span).TrimEnd('\r', '\n');
        if (path is null && text.Split('\t')[0] is var name && name != "/dev/null")
        {
            // A side the patch says is not there (an epoch date) keeps its name to GNU, which strips it as any other.
            path = name;
        }

        if (strip is not null && path is not null && text.StartsWith(path, StringComparison.Ordinal)
            && (text.Length == path.Length || text[path.Length] is '\t' or ' ') && strip(path) is { } stripped)
        {
            // (GNU's time string is the rest of the line as it is, the blanks before the stamp included.)
            return stripped + text[path.Length..];
        }

        return text;
    }

    private static string Range(int start, int count) => count == 1
        ? start.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    /// <summary>GNU's range of a side in a context reject: <c>0</c> when empty, else first (and last) line.</summary>
    private static string NormalRange(int start, int count) => count switch
    {
        0 => "0",
        1 => start.ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start},{start + count - 1}"),
    };

    private static string ContextRange(int start, int count) => count switch
    {
        0 => start.ToString(CultureInfo.InvariantCulture),
        1 => start.ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start},{start + count - 1}"),
    };

    /// <summary>A hunk as abort_hunk_context writes it. A normal diff's (no context) keeps its lines' own marks (<c>-</c>
    /// and <c>+</c>, never <c>!</c>), its ranges as GNU numbers them (<c>0</c> for an empty side) and GNU's marks for a
    /// diff older than the new-style context format (no <c>****</c>, five dashes), as also an old-style context diff's
    /// hunk (<paramref name="oldStyle"/>) gets them. A context hunk GNU read into other sections than the library
    /// (<paramref name="gnu"/>) is written from GNU's sections.</summary>
    private static void WriteContext(Hunk h, IBufferWriter<byte> output, bool normal, bool oldStyle, GnuContextSections? gnu)
    {
        if (gnu is not null)
        {
            var (gnuOld, gnuNew) = (SectionLines(gnu.Old), SectionLines(gnu.New));
            Sides(gnuOld, gnuNew, out StringBuilder oldSection, out StringBuilder newSection);
            if (gnu.EmptyLineBeforeNew)
            {
                oldSection.Append('\n'); // (kept as GNU read it, right before the new section's range line)
            }

            WriteContextSections(new Hunk(h.OldStart, Count(gnuOld), h.NewStart, Count(gnuNew), h.SectionHeading, h.Body, h.LineNumber), oldSection, newSection, output, normal, oldStyle);
            return;
        }

        // Each line with its newline; one marked "\ No newline at end of file" without it (GNU writes no marker).
        var lines = new List<(char Kind, string Text)>();
        string body = Encoding.UTF8.GetString(h.Body.Span);
        string[] split = body.Split('\n');
        for (int n = 0; n < split.Length; n++)
        {
            string line = split[n];
            if (line.Length == 0 && n == split.Length - 1)
            {
                continue;
            }

            if (line is [] or ['\t' or '\r', ..])
            {
                lines.Add((' ', line + "\n")); // a context line whose space was eaten (GNU's another_hunk)
                continue;
            }

            if (line[0] == '\\' && lines.Count > 0 && lines[^1].Kind != '\\')
            {
                lines[^1] = (lines[^1].Kind, lines[^1].Text[..^1]);
            }

            lines.Add((line[0], line[1..] + "\n"));
        }

        var oldSide = new StringBuilder();
        var newSide = new StringBuilder();
        for (int i = 0; i < lines.Count;)
        {
            if (lines[i].Kind is ' ')
            {
                oldSide.Append("  ").Append(lines[i].Text);
                newSide.Append("  ").Append(lines[i].Text);
                i++;
                continue;
            }

            if (lines[i].Kind == '\\')
            {
                i++;
                continue;
            }

            int j = i;
            bool minus = false;
            bool plus = false;
            while (j < lines.Count && lines[j].Kind is '-' or '+' or '\\')
            {
                minus |= lines[j].Kind == '-';
                plus |= lines[j].Kind == '+';
                j++;
            }

            for (int k = i; k < j; k++)
            {
                if (lines[k].Kind == '-')
                {
                    oldSide.Append(plus && !normal ? "! " : "- ").Append(lines[k].Text);
                }
                else if (lines[k].Kind == '+')
                {
                    newSide.Append(minus && !normal ? "! " : "+ ").Append(lines[k].Text);
                }
            }

            i = j;
        }

        WriteContextSections(h, oldSide, newSide, output, normal, oldStyle);

        static int Count(List<(char Kind, string Text)> section) => section.Count(l => l.Kind != '\\');
    }

    /// <summary>A context hunk's section as GNU keeps it (pch.c's another_hunk): each line's mark and text (with its
    /// newline, none for a line a "\ No newline at end of file" line follows; the marker itself kept as a
    /// <c>\</c> entry).</summary>
    private static List<(char Kind, string Text)> SectionLines(IReadOnlyList<string> section)
    {
        var lines = new List<(char Kind, string Text)>(section.Count);
        foreach (string line in section)
        {
            if (line is [] or ['\t' or '\r', ..])
            {
                lines.Add((' ', line + "\n")); // a line whose mark and space were eaten
            }
            else if (line[0] == '\\')
            {
                if (lines.Count > 0 && lines[^1].Kind != '\\')
                {
                    lines[^1] = (lines[^1].Kind, lines[^1].Text[..^1]);
                }

                lines.Add(('\\', string.Empty));
            }
            else
            {
                lines.Add((line[0], (line.Length > 1 && line[1] is ' ' or '\t' ? line[2..] : line[1..]) + "\n"));
            }
        }

        return lines;
    }

    /// <summary>GNU's two sections as abort_hunk_context writes them: each line's own mark then a space.</summary>
    private static void Sides(List<(char Kind, string Text)> old, List<(char Kind, string Text)> @new, out StringBuilder oldSide, out StringBuilder newSide)
    {
        oldSide = Side(old);
        newSide = Side(@new);

        static StringBuilder Side(List<(char Kind, string Text)> section)
        {
            var sb = new StringBuilder();
            foreach (var (kind, text) in section)
            {
                if (kind != '\\')
                {
                    sb.Append(kind).Append(' ').Append(text);
                }
            }

            return sb;
        }
    }

    /// <summary>A context hunk's stars, range lines and sections (see <see cref="WriteContext"/>).</summary>
    private static void WriteContextSections(Hunk h, StringBuilder oldSide, StringBuilder newSide, IBufferWriter<byte> output, bool normal, bool oldStyle)
    {
        // GNU writes both sides whole, also the one a context diff leaves out for having no change (abort_hunk_context
        // prints every line patch holds of the hunk).
        // GNU names the hunk's function (a unified "@@ … @@ NAME", a context "*************** NAME") after the stars.
        var sb = new StringBuilder("***************");
        if (!normal && !h.SectionHeading.IsEmpty)
        {
            sb.Append(' ').Append(Encoding.UTF8.GetString(h.SectionHeading.Span));
        }

        sb.Append('\n');
        if (normal)
        {
            sb.Append("*** ").Append(NormalRange(h.OldStart, h.OldCount)).Append('\n');
            sb.Append(oldSide);
            sb.Append("--- ").Append(NormalRange(h.NewStart, h.NewCount)).Append(" -----\n");
        }
        else
        {
            sb.Append("*** ").Append(ContextRange(h.OldStart, h.OldCount)).Append(oldStyle ? "\n" : " ****\n");
            sb.Append(oldSide);
            sb.Append("--- ").Append(ContextRange(h.NewStart, h.NewCount)).Append(oldStyle ? " -----\n" : " ----\n");
        }

        sb.Append(newSide);

        Emit(output, sb);
    }

    private static void Emit(IBufferWriter<byte> output, StringBuilder sb)
    {
        output.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        sb.Clear();
    }
}

/// <summary>A context hunk's two sections as GNU's reader (pch.c's another_hunk) fills them, where the library reads
/// the hunk otherwise: an empty line right before the new section's range line (GNU keeps it), an old section left out
/// (GNU fills it from the new one's unchanged lines), a new section the patch's end cuts short (GNU fills it with empty
/// unchanged lines). Each line as the patch has it (mark, space, text; without its newline), fill lines so too.</summary>
/// <param name="Old">The old section's lines.</param>
/// <param name="New">The new section's lines.</param>
/// <param name="EmptyLineBeforeNew">Whether an empty line comes right before the new section's range line.</param>
internal sealed record GnuContextSections(IReadOnlyList<string> Old, IReadOnlyList<string> New, bool EmptyLineBeforeNew)
{
    /// <summary>The sections as GNU's pch_swap turns them for <c>-R</c>: the new one first with its added lines
    /// removed ones, then the old one with its removed lines added ones; the empty line stays before the range line.</summary>
    public GnuContextSections Reversed() => new(Marked(New, '+', '-'), Marked(Old, '-', '+'), EmptyLineBeforeNew);

    private static List<string> Marked(IReadOnlyList<string> section, char from, char to) =>
        [.. section.Select(line => line.StartsWith(from) ? to + line[1..] : line)];
}

/// <summary><c>patch -D NAME</c>: each change group of a hunk becomes <c>#ifndef NAME</c> old <c>#else</c> new
/// <c>#endif</c> (<c>#ifdef NAME</c> for additions only), so the patched file holds both versions.</summary>
internal static class GnuIfDef
{
    public static FilePatch Transform(FilePatch f, string name, bool reverse)
    {
        bool context = f.Dialect == PatchDialect.Context;
        var hunks = new List<Hunk>(f.Hunks.Count);
        foreach (Hunk h in f.Hunks)
        {
            string body = Encoding.UTF8.GetString(h.Body.Span);
            var lines = new List<string>(body.Split('\n'));
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            char removed = reverse ? '+' : '-';
            char added = reverse ? '-' : '+';
            var output = new StringBuilder();
            int newCount = 0;
            int oldCount = 0;
            for (int i = 0; i < lines.Count;)
            {
                char kind = lines[i].Length > 0 ? lines[i][0] : ' ';
                if (kind is not ('-' or '+'))
                {
                    output.Append(lines[i]).Append('\n');
                    if (kind != '\\')
                    {
                        newCount++;
                        oldCount++;
                    }

                    i++;
                    continue;
                }

                var old = new List<string>();
                var @new = new List<string>();
                bool oldUnended = false;
                for (char last = ' '; i < lines.Count && lines[i].Length > 0 && lines[i][0] is '-' or '+' or '\\'; i++)
                {
                    if (lines[i][0] == '\\')
                    {
                        // "\ No newline at end of file": the line before has none. An old line still needs the marker to
                        // be found; every line GNU writes here gets its newline back before the #else/#endif after it.
                        oldUnended |= last == removed;
                        continue;
                    }

                    last = lines[i][0];
                    (last == removed ? old : @new).Add(lines[i][1..]);
                }

                void Emit(char sign, string text)
                {
                    output.Append(sign == '-' ? removed : added).Append(text).Append('\n');
                    if (sign == '-')
                    {
                        oldCount++;
                    }
                    else
                    {
                        newCount++;
                    }
                }

                foreach (string o in old)
                {
                    Emit('-', o);
                }

                if (oldUnended)
                {
                    output.Append("\\ No newline at end of file\n");
                }

                Emit('+', (old.Count > 0 ? "#ifndef " : "#ifdef ") + name);
                foreach (string o in old)
                {
                    Emit('+', o);
                }

                if (old.Count > 0 && @new.Count > 0)
                {
                    Emit('+', "#else");
                    if (oldUnended && !context)
                    {
                        // GNU's apply_hunk writes the old line without its newline, then "\n#else\n", and does not
                        // note that the line now ends: the added lines after the hunk's old ones start with one more
                        // newline (an empty line). A context diff's '!' lines are written without that step.
                        Emit('+', string.Empty);
                    }
                }

                foreach (string n in @new)
                {
                    Emit('+', n);
                }

                Emit('+', "#endif");
            }

            byte[] bytes = Encoding.UTF8.GetBytes(output.ToString());
            hunks.Add(reverse
                ? new Hunk(h.OldStart, newCount, h.NewStart, oldCount, h.SectionHeading, bytes, h.LineNumber)
                : new Hunk(h.OldStart, oldCount, h.NewStart, newCount, h.SectionHeading, bytes, h.LineNumber));
        }

        return new FilePatch(f.OldPathBytes, f.NewPathBytes, f.Operation, hunks)
        {
            Dialect = f.Dialect,
            LineNumber = f.LineNumber,
            OldMode = f.OldMode,
            NewMode = f.NewMode,
        };
    }
}
