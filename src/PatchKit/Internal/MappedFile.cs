using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace PatchKit.Internal;

/// <summary>A read-only memory-mapped file exposed as <see cref="Memory{T}"/>, so a big patch is parsed in place
/// instead of being copied into a fresh array (measured: 19 ms to scan a 40 MB patch mapped, 53 ms through
/// <c>File.ReadAllBytes</c>; see the shared DOTNET-FACTS).</summary>
internal sealed unsafe class MappedFile : MemoryManager<byte>
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, int length)
    {
        _map = map;
        _view = view;
        _length = length;
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _pointer = p + view.PointerOffset;
    }

    /// <summary>Maps a file; a file of 0 bytes, under <paramref name="minimumLength"/> or over 2 GB gives
    /// <see langword="null"/> (read it another way).</summary>
    public static MappedFile? Open(string path, long minimumLength = 1)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        long length = stream.Length;
        if (length == 0 || length < minimumLength || length > int.MaxValue)
        {
            stream.Dispose();
            return null;
        }

        var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        return new MappedFile(map, view, (int)length);
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
        }
    }
}
