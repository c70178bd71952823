using PatchKit.Diffs.Algorithms;

namespace PatchKit.Diffs;

/// <summary>What one thread of a tree diff reuses from file to file: the change list, the output buffer and the two
/// read buffers (so reading a tree allocates per thread, not per file).</summary>
internal sealed class TreeWorker
{
    public List<Change> Changes { get; } = [];

    public ChunkedOutput? Output { get; set; }

    public byte[] OldBuffer { get; set; } = new byte[1 << 16];

    public byte[] NewBuffer { get; set; } = new byte[1 << 16];

    /// <summary>The bytes of both sides of the pair this thread is comparing (0 between pairs): while a large pair is
    /// compared, the writer may wait for it, and the other threads may hold that much more finished output.</summary>
    public long InputBytes;
}
