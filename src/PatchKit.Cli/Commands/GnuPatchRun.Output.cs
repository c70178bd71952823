namespace PatchKit.Cli.Commands;

/// <summary>The <c>-o FILE</c> output.</summary>
internal sealed partial class GnuPatchRun
{
    /// <summary>Writes the first text of a run into <c>-o FILE</c> in place, as GNU does (it opens FILE with
    /// <c>O_TRUNC</c> and writes into it): through a symbolic link to its target, into a device (<c>-o /dev/null</c>),
    /// into the inode FILE's other hard links share. A new file renamed over the name, as a patched file is written,
    /// would have replaced <c>/dev/null</c> itself with a regular file, or the link with a copy. Where FILE is a file
    /// the run has mapped (the file patched, the patch), the mapping becomes a private copy first; unlike GNU, which
    /// empties FILE before it reads anything, the drop-in has read it already, so nothing is lost.</summary>
    private void WriteOutput(string outPath, ReadOnlySpan<byte> content)
    {
        BeforeWriteInPlace(outPath);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OutputMode;
        }

        using var stream = new FileStream(outPath, options);
        stream.Write(content);
    }

    /// <summary>Whether <c>-o FILE</c> is there when the run starts: a symbolic link whose target is missing is not (GNU's
    /// open creates the target through it).</summary>
    private static bool OutputThere(string full)
    {
        var info = new FileInfo(full);
        if (info.LinkTarget is null)
        {
            return info.Exists;
        }

        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            return true; // a loop of links: the open fails where it is written, as GNU's
        }
    }
}
