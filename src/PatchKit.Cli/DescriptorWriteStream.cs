using System.Runtime.InteropServices;

namespace PatchKit.Cli;

/// <summary>Standard output or error when it is a regular file (<c>patch … &gt; log 2&gt;&amp;1</c>, a script's
/// redirection of several commands into one file): each write goes through <c>write(2)</c>, at the descriptor's
/// shared offset, which it moves on. A <see cref="FileStream"/> on such a descriptor writes at offsets of its own
/// (<c>pwrite</c>), so the next command's output, or standard error on the same file, wrote over it.</summary>
internal sealed partial class DescriptorWriteStream(int fd) : Stream
{
    private const int EINTR = 4;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
        // Nothing is held back.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = WriteBytes(fd, start + done, (nuint)(buffer.Length - done));
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }

                done += (int)n;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteBytes(int fd, byte* buffer, nuint count);
}
