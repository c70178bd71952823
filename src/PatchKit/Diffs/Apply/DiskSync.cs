using System.IO.Abstractions;
using System.Runtime.InteropServices;

namespace PatchKit.Diffs.Apply;

/// <summary>Flushes files and folders of the real file system to the disk for <see cref="ApplyOptions.FlushToDisk"/>:
/// <c>fsync</c> of a file through its stream, and of a folder (so a created, renamed or deleted name survives a power
/// cut) through <c>open(O_DIRECTORY)</c> + <c>fsync</c> on Linux. Other file systems (in-memory ones in tests) have
/// no disk, and folders are not flushed off Linux.</summary>
internal static partial class DiskSync
{
    private const int OpenReadOnly = 0;
    private const int OpenCloseOnExec = 0x80000;

    /// <summary>Flushes a file being written, through to the disk when the stream can.</summary>
    public static void File(Stream stream)
    {
        if (stream is FileSystemStream fileSystemStream)
        {
            fileSystemStream.Flush(flushToDisk: true);
        }
        else if (stream is FileStream fileStream)
        {
            fileStream.Flush(flushToDisk: true);
        }
        else
        {
            stream.Flush();
        }
    }

    /// <summary>Flushes a folder's entries to the disk (Linux, real file system only).</summary>
    /// <exception cref="IOException">The folder cannot be opened or flushed.</exception>
    public static void Folder(IFileSystem fs, string path)
    {
        if (fs is not FileSystem || !OperatingSystem.IsLinux())
        {
            return;
        }

        // O_DIRECTORY differs between x86-64 (0200000) and arm64 (040000).
        int directory = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
        int fd = Open(PathText.ToNative(path), OpenReadOnly | directory | OpenCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open the folder '{path}' to flush it to the disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Flushing the folder '{path}' to the disk failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte[] path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
