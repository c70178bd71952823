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

    /// <summary>GNU's words for a write past the file size limit (EFBIG).</summary>
    private const string FileTooLarge = "write error : File too large";

    /// <summary>GNU's words for the first write into <c>-o FILE</c> that failed (a full device), or
    /// <see langword="null"/>.</summary>
    private string? _outputWriteError;

    /// <summary>Writes patched text into <c>-o FILE</c> (the first text of the run in place, later ones after it). GNU
    /// writes FILE through a stdio buffer and checks only that each line went into it: a write that failed stops the
    /// run only as FILE is closed at its end (see <see cref="OutputWriteErrorAtEnd"/>); nothing more is written after
    /// it.</summary>
    private void IntoOutput(string outPath, ReadOnlySpan<byte> content, bool append)
    {
        if (_outputWriteError is not null)
        {
            return;
        }

        try
        {
            if (append)
            {
                using var more = new FileStream(outPath, FileMode.Append, FileAccess.Write);
                more.Write(content);
            }
            else
            {
                WriteOutput(outPath, content);
            }
        }
        catch (IOException ex) when (WriteFailure(ex) is { } failure)
        {
            _outputWriteError = failure;
        }
        catch (ArgumentOutOfRangeException)
        {
            // .NET's FileStream reports EFBIG (past the process's file size limit, RLIMIT_FSIZE) as this.
            _outputWriteError = FileTooLarge;
        }
    }

    /// <summary>GNU closes <c>-o FILE</c> after the last patch, before it writes the files it queued and removes the
    /// files it would: a write into it that failed stops the run there, and nothing is removed.</summary>
    private void OutputWriteErrorAtEnd()
    {
        if (_outputWriteError is { } error)
        {
            throw new GnuPatchFatalException(error);
        }
    }

    /// <summary>GNU's words ("write error" and the C library's text of the error number .NET keeps in the exception)
    /// for a write that failed for want of room or of the device, or <see langword="null"/> for another error.</summary>
    private static string? WriteFailure(IOException ex) => ex.HResult switch
    {
        5 => "write error : Input/output error",
        27 => FileTooLarge,
        28 => "write error : No space left on device",
        122 => "write error : Disk quota exceeded",
        _ => null,
    };

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
