using System.Runtime.InteropServices;

namespace PatchKit.Cli;

/// <summary>Standard output or error on Unix, written with <c>write(2)</c>. A <see cref="FileStream"/> over the descriptor
/// writes a regular file with <c>pwrite</c> at its own position and leaves the descriptor's shared offset where it was,
/// so in <c>{ patchkit diff a b; echo done; } &gt; log</c> the next writer overwrote what patchkit had written.</summary>
internal sealed unsafe partial class StandardOutputStream : Stream
{
    private const int EINTR = 4;
    private readonly int _fd;

    private StandardOutputStream(int fd) => _fd = fd;

    /// <summary>Returns a stream writing to <paramref name="fd"/>, or <see langword="null"/> when the descriptor is not
    /// open for writing (a write of nothing fails).</summary>
    /// <param name="fd">The descriptor (1 or 2), not closed by the stream.</param>
    /// <returns>The stream, or <see langword="null"/>.</returns>
    public static StandardOutputStream? TryOpen(int fd) => SysWrite(fd, null, 0) == 0 ? new StandardOutputStream(fd) : null;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = SysWrite(_fd, start + done, buffer.Length - done);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    // EPIPE (a closed pipe: `patchkit diff … | head`), ENOSPC, EBADF: an I/O error as FileStream reports it.
                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint SysWrite(int fd, byte* buffer, nint count);
}
