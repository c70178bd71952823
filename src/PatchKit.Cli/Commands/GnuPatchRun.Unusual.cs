using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Unusual patch input read as GNU patch 2.7.6 reads it.</summary>
internal sealed partial class GnuPatchRun
{
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
}
