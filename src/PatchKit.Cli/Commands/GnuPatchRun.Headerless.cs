using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>Hunks that no file header names. GNU patch 2.7.6 needs a header before a hunk only when it is not told the
/// file to patch (ORIGFILE) and not under POSIX (patch.c: <c>there_is_another_patch (! (inname || posixly_correct))</c>):
/// then a bare <c>@@</c> hunk or context hunk, at the start or after text that ended the patch before, starts a patch
/// of its own, applied to ORIGFILE, or, without one, a file it cannot find ("can't find file to patch").</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>Whether hunks without a file header are read (ORIGFILE given, or POSIX asked for).</summary>
    private bool _headerless;

    /// <summary>How the drop-in reads a patch: leniently, no normal diffs guessed, hunks without a header read when GNU
    /// reads them.</summary>
    private PatchParseOptions GnuRead => new() { Lenient = true, ReadNormalDiffs = false, HunksWithoutHeaders = _headerless };

    /// <summary>Whether a file patch has no name at all (a hunk without a file header).</summary>
    private static bool Nameless(FilePatch f) =>
        f.OldPathBytes.IsEmpty && f.NewPathBytes.IsEmpty && f.OldHeader.IsEmpty && f.NewHeader.IsEmpty && f.Dialect != PatchDialect.Git
        && f.Dialect != PatchDialect.Normal;
}
