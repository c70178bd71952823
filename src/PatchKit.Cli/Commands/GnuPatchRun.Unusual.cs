using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Unusual patch input read as GNU patch 2.7.6 reads it.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>A unified hunk header as GNU reads it: the space before "+" and after the new range may be left out,
    /// and one "@" ends it (a function name only after "@@ ").</summary>
    [GeneratedRegex(@"^@@ -(\d+)(,\d+)? ?\+(\d+)(,\d+)? ?@(@?)([^\r\n]*)", RegexOptions.CultureInvariant)]
    private static partial Regex GnuHunkHeader();

    /// <summary>The form the library reads.</summary>
    [GeneratedRegex(@"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@", RegexOptions.CultureInvariant)]
    private static partial Regex LibraryHunkHeader();

    /// <summary><c>-c</c>/<c>-u</c>: GNU looks for a diff of that kind only for the first patch (its diff type is
    /// reset after each patch, so the patches after it are read whatever their kind); the text before it is passed over.
    /// A git diff with extended header lines (index, modes, rename, copy) counts as a patch of any kind, without the
    /// hunks <c>-c</c> cannot read.</summary>
    private PatchDocument FirstOfForcedKind(PatchDocument document, ReadOnlyMemory<byte> bytes)
    {
        bool context = _s.Format is PatchInputFormat.Context;
        for (int i = 0; i < document.Files.Count; i++)
        {
            FilePatch f = document.Files[i];
            bool ofKind = context ? f.Dialect == PatchDialect.Context : f.Dialect is PatchDialect.Unified or PatchDialect.Git;
            if (!ofKind && !GitExtended(f))
            {
                continue;
            }

            var files = document.Files.Skip(i).ToList();
            if (!ofKind)
            {
                files[0] = WithHunks(f, []);
            }

            return new PatchDocument(bytes, files) { Preamble = document.Preamble };
        }

        return new PatchDocument(bytes, []) { Preamble = document.Preamble };

    }

    /// <summary>Whether a git diff has extended header lines (index, modes, rename, copy): GNU takes it as a patch
    /// without hunks whatever its kind.</summary>
    private static bool GitExtended(FilePatch f) => f.Dialect == PatchDialect.Git
        && (f.OldMode is not null || f.NewMode is not null || f.OldObjectId is not null
            || f.Operation is FileOperation.Add or FileOperation.Delete or FileOperation.Rename or FileOperation.Copy);

    /// <summary>File headers with no hunk after them (<c>--- g</c>, <c>+++ g</c> and then the next file or the end) are
    /// text to GNU, not a patch: it reads on to the next hunk header. Only a git diff's extended header lines, a binary
    /// patch, or the file a hunk GNU cannot read belongs to make a patch without hunks.</summary>
    private static PatchDocument WithoutHeaderOnly(PatchDocument document, bool failingFileKept)
    {
        if (!document.Files.Any(f => IsHeaderOnly(f)))
        {
            return document;
        }

        var files = document.Files.Where((f, i) => !IsHeaderOnly(f) || (failingFileKept && i == document.Files.Count - 1)).ToList();
        return new PatchDocument(document.Source, files) { Preamble = document.Preamble };

        static bool IsHeaderOnly(FilePatch f) => f.Hunks.Count == 0 && !f.IsBinary && !GitExtended(f);
    }

    /// <summary>Whether text follows the last file's last hunk (GNU's "Ignoring the trailing garbage"), and whether
    /// it is only the patch's last line without its newline.</summary>
    private bool TrailingText(FilePatch last, ReadOnlySpan<byte> bytes, out bool partialRightAfter)
    {
        int after = last.Hunks.Count == 0 || last.Dialect == PatchDialect.Normal ? bytes.Length : LineStart(bytes, EndLine(last) + 1);
        partialRightAfter = after >= bytes.Length;
        return after < bytes.Length;
    }

    /// <summary>After the last patch GNU looks for another one: under --verbose it says so ("Hmm...") and that the
    /// rest is garbage; a last line without its newline is read (and reported) once more there.</summary>
    private void TrailingGarbage(bool trailing, bool partialLine)
    {
        if (_s.Verbose && trailing)
        {
            _say.Write("Hmm...");
        }

        if (partialLine)
        {
            PartialLineNote();
        }

        if (_s.Verbose && trailing)
        {
            _say.WriteLine("  Ignoring the trailing garbage.");
        }
    }

    /// <summary>Hunk headers GNU takes but the library passes over as text (<c>@@ -5 +5 @</c>, <c>@@ -5 +5@@</c>)
    /// written in the library's form, line for line; <see langword="null"/> when there are none.</summary>
    private static byte[]? WithGnuHunkHeaders(ReadOnlySpan<byte> bytes)
    {
        List<byte>? output = null;
        int copied = 0; // bytes of the patch already in output
        for (int at = 0; at < bytes.Length;)
        {
            int nl = bytes[at..].IndexOf((byte)'\n');
            int end = nl < 0 ? bytes.Length : at + nl;
            if (bytes[at..end].StartsWith("@@ -"u8))
            {
                string text = Encoding.Latin1.GetString(bytes[at..end]);
                if (!LibraryHunkHeader().IsMatch(text) && GnuHunkHeader().Match(text) is { Success: true } m)
                {
                    string name = m.Groups[5].Value == "@" && m.Groups[6].Value.StartsWith(' ') ? m.Groups[6].Value : string.Empty;
                    string cr = text.EndsWith('\r') ? "\r" : string.Empty;
                    output ??= [];
                    output.AddRange(bytes[copied..at]);
                    output.AddRange(Encoding.Latin1.GetBytes($"@@ -{m.Groups[1].Value}{m.Groups[2].Value} +{m.Groups[3].Value}{m.Groups[4].Value} @@{name}{cr}"));
                    copied = end;
                }
            }

            at = end + 1;
        }

        if (output is null)
        {
            return null;
        }

        output.AddRange(bytes[copied..]);
        return [.. output];
    }

    /// <summary>A line inside a context diff's hunk that GNU's reader (pch.c's another_hunk) calls malformed: in the old
    /// section any line that starts with none of a hunk line's marks, in the new section such a line unless GNU may still
    /// take that section as left out (as many lines as the old one's context, no changed line yet: the hunk ends
    /// there). The library's context reader
    /// ends the hunk or the file there instead.</summary>
    private LateFatal? GarbageInContextHunk(PatchDocument doc)
    {
        if (!doc.Files.Any(f => f.Dialect == PatchDialect.Context))
        {
            return null;
        }

        string[] lines = SourceLines();
        for (int n = 0; n < doc.Files.Count; n++)
        {
            if (doc.Files[n].Dialect != PatchDialect.Context)
            {
                continue;
            }

            int i = (int)Math.Max(doc.Files[n].LineNumber - 1, 0);
            int limit = lines.Length - 1; // the last element follows the last newline
            while (i < limit && !lines[i].StartsWith("********", StringComparison.Ordinal))
            {
                i++;
            }

            while (i + 1 < limit && lines[i].StartsWith("********", StringComparison.Ordinal) && lines[i + 1].StartsWith("*** ", StringComparison.Ordinal))
            {
                i += 2;
                int copiable = 0;
                while (i < limit && !lines[i].StartsWith("--- ", StringComparison.Ordinal))
                {
                    copiable += lines[i].Length == 0 || lines[i][0] is ' ' or '\t' ? 1 : 0;
                    if (lines[i].StartsWith('*'))
                    {
                        return null; // GNU's other words ("unexpected '***'"), not matched here
                    }

                    if (!IsHunkLine(lines[i]))
                    {
                        return InContextHunk(i + 1, Malformed(i + 1, lines[i]));
                    }

                    i++;
                }

                if (i >= limit)
                {
                    break;
                }

                int count = NewCount(lines[i]);
                // GNU takes the new section as possibly left out only when it has as many lines as the old one's context.
                bool changed = count != copiable;
                for (i++; count > 0 && i < limit; i++)
                {
                    string line = lines[i];
                    if (line.StartsWith('\\'))
                    {
                        continue;
                    }

                    if (!IsHunkLine(line) || line.StartsWith("********", StringComparison.Ordinal))
                    {
                        if (changed)
                        {
                            return InContextHunk(i + 1, Malformed(i + 1, line));
                        }

                        break;
                    }

                    changed |= line.Length > 0 && line[0] is '+' or '!';
                    count--;
                }
            }
        }

        return null;

        static bool IsHunkLine(string line) => line.Length == 0 || line[0] is ' ' or '\t' or '+' or '-' or '!' or '\\' or '\r';

        static string Malformed(int number, string line) => $"malformed patch at line {number.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {line}\n";

        // "--- c,d ----": d - c + 1 lines; "--- c ----": one (none for 0).
        static int NewCount(string range)
        {
            var m = ContextRange().Match(range);
            if (!m.Success)
            {
                return 0;
            }

            int first = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - first + 1 : first == 0 ? 0 : 1;
        }
    }

    [GeneratedRegex(@"^--- (\d{1,9})(?:,(\d{1,9}))?", RegexOptions.CultureInvariant)]
    private static partial Regex ContextRange();
}
