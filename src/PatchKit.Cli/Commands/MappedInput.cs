using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PatchKit.Cli.Commands;

/// <summary>A file the drop-in reads (the patch, a file to patch) mapped read-only instead of copied into an array: a
/// 32 MB file read with <c>File.ReadAllBytes</c> costs a fresh array's 8,000 page faults, mapped it costs the page
/// cache's (a fault per 16 pages).</summary>
/// <remarks>A mapped file that is cut short under the mapping makes the next read of the cut pages fail (SIGBUS). The
/// drop-in writes a few files in place (reject files, the copy made as a backup, the global reject file); before each
/// such write it asks <see cref="BeforeWrite"/>, which, when the file written is this one (a patch read from the
/// reject file it writes, say), first moves a private copy of the bytes under the same addresses
/// (<c>mremap</c>), so everything parsed from them stays valid. Every other write replaces a name (rename) and leaves
/// the mapped inode as it was.</remarks>
internal sealed unsafe partial class MappedInput : MemoryManager<byte>
{
    private const long MinimumLength = 128 * 1024; // below this a read is cheaper than a map and its unmap
    private byte* _pointer;
    private readonly nuint _length;
    private readonly ulong _device;
    private readonly ulong _inode;
    private bool _private;

    private MappedInput(byte* pointer, nuint length, ulong device, ulong inode)
    {
        _pointer = pointer;
        _length = length;
        _device = device;
        _inode = inode;
    }

    /// <summary>The bytes of the file at <paramref name="path"/>: mapped when it is a regular file big enough to gain
    /// from it (and this is Linux), read otherwise.</summary>
    /// <returns>The bytes, and the mapping to dispose (null when read).</returns>
    public static (ReadOnlyMemory<byte> Bytes, MappedInput? Map) Read(string path)
    {
        if (!AtomicWrite.Native)
        {
            return (File.ReadAllBytes(path), null);
        }

        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> st = stackalloc byte[256];
        st.Clear();
        AtomicWrite.Status? status = AtomicWrite.FileStatus(handle, st);
        if (status is not { Regular: true } s || s.Size < MinimumLength || s.Size > int.MaxValue)
        {
            return (ReadAll(handle, status), null);
        }

        void* p = MMap(null, (nuint)s.Size, ProtRead, MapShared, handle.DangerousGetHandle(), 0);
        if (p == MapFailed)
        {
            return (ReadAll(handle, status), null);
        }

        var map = new MappedInput((byte*)p, (nuint)s.Size, s.Device, s.Inode);
        return (map.Memory, map);
    }

    private static byte[] ReadAll(SafeFileHandle handle, AtomicWrite.Status? status)
    {
        if (status is not { Regular: true, Size: > 0 } s)
        {
            // A pipe (-i <(...)), a device, or a file that says 0 bytes (as /proc's): read to the end.
            using var stream = new FileStream(handle, FileAccess.Read, 1);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        byte[] bytes = new byte[s.Size];
        int done = 0;
        while (done < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes.AsSpan(done), done);
            if (n == 0)
            {
                return bytes.AsSpan(0, done).ToArray();
            }

            done += n;
        }

        return bytes;
    }

    /// <summary>Called before <paramref name="path"/> is written in place: when it is this mapped file, the mapping
    /// becomes a private copy at the same addresses first.</summary>
    public void BeforeWrite(string path)
    {
        if (_private || _pointer is null)
        {
            return;
        }

        Span<byte> st = stackalloc byte[256];
        st.Clear();
        if (AtomicWrite.PathStatus(path, st) is not { } s || s.Device != _device || s.Inode != _inode)
        {
            return;
        }

        void* copy = MMap(null, _length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (copy == MapFailed)
        {
            throw new IOException($"Can't write file {path} : it is being read, and no memory is left to copy it");
        }

        Buffer.MemoryCopy(_pointer, copy, (long)_length, (long)_length);
        if (MRemap(copy, _length, _length, MRemapMayMove | MRemapFixed, _pointer) == MapFailed)
        {
            _ = MUnmap(copy, _length);
            throw new IOException($"Can't write file {path} : it is being read, and it could not be copied");
        }

        _private = true;
    }

    public override Span<byte> GetSpan() => new(_pointer, (int)_length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_pointer is not null)
        {
            _ = MUnmap(_pointer, _length);
            _pointer = null;
        }
    }

    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapShared = 1;
    private const int MapPrivate = 2;
    private const int MapAnonymous = 0x20;
    private const int MRemapMayMove = 1;
    private const int MRemapFixed = 2;
    private static readonly void* MapFailed = (void*)-1;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* MMap(void* address, nuint length, int protection, int flags, nint fd, long offset);

    [LibraryImport("libc", EntryPoint = "mremap", SetLastError = true)]
    private static partial void* MRemap(void* address, nuint oldLength, nuint newLength, int flags, void* newAddress);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int MUnmap(void* address, nuint length);
}
