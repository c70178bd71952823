using System.Buffers.Binary;
using System.IO.Compression;
using PatchKit.Diffs.Apply;

namespace PatchKit.Diffs.Merge;

/// <summary>Reads objects from a git object store (<c>objects/</c> of a repository): loose objects (zlib) and pack
/// files (<c>.idx</c> version 2 beside <c>.pack</c> version 2 or 3, with <c>OFS_DELTA</c> and <c>REF_DELTA</c>
/// entries). Ids may be abbreviated, as in a patch's <c>index</c> line; an ambiguous prefix finds nothing.</summary>
/// <remarks>Read-only and untrusted: every size, offset and delta is checked; a damaged store gives an error naming the
/// file, never a wrong object (each object read is checked against its id).</remarks>
internal sealed class GitObjectStore
{
    private const int MaxDeltaDepth = 10_000;
    private readonly string _objects;
    private readonly Lazy<PackIndex[]> _packs;

    public GitObjectStore(string objectsDirectory)
    {
        _objects = objectsDirectory;
        _packs = new Lazy<PackIndex[]>(LoadPacks, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Finds the objects folder of a repository: <paramref name="path"/> itself when it holds <c>objects/</c>
    /// (a git directory or a bare repository), or its <c>.git</c> folder (a work tree). <see langword="null"/> when neither.</summary>
    public static string? FindObjectsDirectory(string path)
    {
        if (Directory.Exists(Path.Combine(path, "objects")) && File.Exists(Path.Combine(path, "HEAD")))
        {
            return Path.Combine(path, "objects");
        }

        string dotGit = Path.Combine(path, ".git");
        if (Directory.Exists(Path.Combine(dotGit, "objects")))
        {
            return Path.Combine(dotGit, "objects");
        }

        return Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) == "objects" && Directory.Exists(path) ? path : null;
    }

    /// <summary>Reads the blob whose id is or starts with <paramref name="id"/> (4 to 40 hex digits).</summary>
    /// <returns>The content, or <see langword="null"/> when no object or more than one has that id, or it is not a blob.</returns>
    /// <exception cref="InvalidDataException">The store is damaged (names the file).</exception>
    public byte[]? ReadBlob(string id)
    {
        byte[]? full = Resolve(id);
        if (full is null)
        {
            return null;
        }

        (int type, byte[] data) = Read(full, 0);
        return type == 3 ? data : null;
    }

    /// <summary>The full id (20 bytes) an abbreviation names, or <see langword="null"/> when none or several.</summary>
    public byte[]? Resolve(string id)
    {
        if (id.Length < 4 || id.Length > 40 || !IsHex(id))
        {
            return null;
        }

        id = id.ToLowerInvariant();
        var found = new HashSet<string>(StringComparer.Ordinal);
        string dir = Path.Combine(_objects, id[..2]);
        if (Directory.Exists(dir))
        {
            foreach (string file in Directory.EnumerateFiles(dir, id[2..] + "*"))
            {
                string name = Path.GetFileName(file);
                if (name.Length == 38 && IsHex(name))
                {
                    found.Add(id[..2] + name);
                }
            }
        }

        foreach (PackIndex pack in _packs.Value)
        {
            pack.FindPrefix(id, found);
        }

        return found.Count == 1 ? Convert.FromHexString(found.First()) : null;
    }

    private (int Type, byte[] Data) Read(byte[] id, int depth)
    {
        if (depth > MaxDeltaDepth)
        {
            throw new InvalidDataException($"Delta chain longer than {MaxDeltaDepth} in the git object store '{_objects}'.");
        }

        string hex = Convert.ToHexStringLower(id);
        string loose = Path.Combine(_objects, hex[..2], hex[2..]);
        (int Type, byte[] Data) result;
        if (File.Exists(loose))
        {
            result = ReadLoose(loose);
        }
        else
        {
            PackIndex? pack = null;
            long offset = -1;
            foreach (PackIndex p in _packs.Value)
            {
                offset = p.Find(id);
                if (offset >= 0)
                {
                    pack = p;
                    break;
                }
            }

            if (pack is null)
            {
                throw new InvalidDataException($"The git object {hex} is missing from '{_objects}' (a delta base?).");
            }

            result = ReadPacked(pack, offset, depth);
        }

        Span<byte> check = stackalloc byte[20];
        HashObject(result.Type, result.Data, check);
        if (!check.SequenceEqual(id))
        {
            throw new InvalidDataException($"The git object {hex} in '{_objects}' does not hash to its id (damaged store).");
        }

        return result;
    }

    private static (int Type, byte[] Data) ReadLoose(string file)
    {
        try
        {
            using FileStream fs = File.OpenRead(file);
            using var z = new ZLibStream(fs, CompressionMode.Decompress);
            using var ms = new MemoryStream();
            z.CopyTo(ms);
            byte[] all = ms.GetBuffer();
            int len = (int)ms.Length;
            int nul = Array.IndexOf(all, (byte)0, 0, Math.Min(len, 64));
            int sp = Array.IndexOf(all, (byte)' ', 0, Math.Max(0, nul));
            if (nul < 0 || sp < 0 || !long.TryParse(all.AsSpan(sp + 1, nul - sp - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long size) || size != len - nul - 1)
            {
                throw new InvalidDataException($"The loose git object '{file}' has a bad header.");
            }

            int type = all.AsSpan(0, sp) switch
            {
                var s when s.SequenceEqual("commit"u8) => 1,
                var s when s.SequenceEqual("tree"u8) => 2,
                var s when s.SequenceEqual("blob"u8) => 3,
                var s when s.SequenceEqual("tag"u8) => 4,
                _ => throw new InvalidDataException($"The loose git object '{file}' has an unknown type."),
            };
            return (type, all.AsSpan(nul + 1, len - nul - 1).ToArray());
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Can't read the loose git object '{file}': {e.Message}", e);
        }
    }

    private (int Type, byte[] Data) ReadPacked(PackIndex pack, long offset, int depth)
    {
        // Delta chains are followed iteratively for OFS_DELTA (the common case in a gc'd pack).
        var deltas = new Stack<byte[]>();
        int type;
        byte[] data;
        using (FileStream fs = new(pack.PackPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            while (true)
            {
                if (deltas.Count > MaxDeltaDepth)
                {
                    throw new InvalidDataException($"Delta chain longer than {MaxDeltaDepth} in '{pack.PackPath}'.");
                }

                if (offset < 12 || offset >= fs.Length - 20)
                {
                    throw new InvalidDataException($"Bad object offset {offset} in '{pack.PackPath}'.");
                }

                fs.Position = offset;
                int c = ReadByte(fs, pack.PackPath);
                type = (c >> 4) & 7;
                long size = c & 15;
                int shift = 4;
                while ((c & 0x80) != 0)
                {
                    c = ReadByte(fs, pack.PackPath);
                    if (shift > 56)
                    {
                        throw new InvalidDataException($"Bad object header at {offset} in '{pack.PackPath}'.");
                    }

                    size |= (long)(c & 0x7f) << shift;
                    shift += 7;
                }

                if (size > Array.MaxLength)
                {
                    throw new InvalidDataException($"Object at {offset} in '{pack.PackPath}' is too large.");
                }

                if (type == 6)
                {
                    // OFS_DELTA: the base is at a negative offset (git's "offset encoding": each further byte adds one).
                    c = ReadByte(fs, pack.PackPath);
                    long back = c & 0x7f;
                    while ((c & 0x80) != 0)
                    {
                        c = ReadByte(fs, pack.PackPath);
                        if (back > (long.MaxValue >> 8))
                        {
                            throw new InvalidDataException($"Bad delta offset at {offset} in '{pack.PackPath}'.");
                        }

                        back = ((back + 1) << 7) | (long)(c & 0x7f);
                    }

                    deltas.Push(Inflate(fs, (int)size, pack.PackPath, offset));
                    if (back <= 0 || back > offset)
                    {
                        throw new InvalidDataException($"Bad delta base offset at {offset} in '{pack.PackPath}'.");
                    }

                    offset -= back;
                    continue;
                }

                if (type == 7)
                {
                    // REF_DELTA: the base is named by id (possibly in another pack, or loose).
                    byte[] baseId = new byte[20];
                    fs.ReadExactly(baseId);
                    byte[] delta = Inflate(fs, (int)size, pack.PackPath, offset);
                    (type, data) = Read(baseId, depth + deltas.Count + 1);
                    deltas.Push(delta);
                    break;
                }

                if (type is < 1 or > 4)
                {
                    throw new InvalidDataException($"Unknown object type {type} at {offset} in '{pack.PackPath}'.");
                }

                data = Inflate(fs, (int)size, pack.PackPath, offset);
                break;
            }
        }

        while (deltas.Count > 0)
        {
            byte[] delta = deltas.Pop();
            data = GitDelta.Apply(data, delta, out string? error)
                ?? throw new InvalidDataException($"A delta in '{pack.PackPath}' does not fit its base: {error}.");
        }

        return (type, data);
    }

    private static byte[] Inflate(FileStream fs, int size, string file, long offset)
    {
        byte[] data = new byte[size];
        using var z = new ZLibStream(fs, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            z.ReadExactly(data);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The object at {offset} in '{file}' is shorter than its header says.", e);
        }

        return data;
    }

    private static int ReadByte(FileStream fs, string file)
    {
        int c = fs.ReadByte();
        return c >= 0 ? c : throw new InvalidDataException($"'{file}' ends inside an object header.");
    }

    private PackIndex[] LoadPacks()
    {
        string dir = Path.Combine(_objects, "pack");
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var packs = new List<PackIndex>();
        foreach (string idx in Directory.EnumerateFiles(dir, "*.idx").Order(StringComparer.Ordinal))
        {
            string pack = Path.ChangeExtension(idx, ".pack");
            if (File.Exists(pack))
            {
                packs.Add(PackIndex.Load(idx, pack));
            }
        }

        return [.. packs];
    }

    internal static void HashObject(int type, ReadOnlySpan<byte> data, Span<byte> hash)
    {
        string name = type switch { 1 => "commit", 2 => "tree", 3 => "blob", _ => "tag" };
        byte[] header = System.Text.Encoding.ASCII.GetBytes(name + " " + data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0");
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
        sha.AppendData(header);
        sha.AppendData(data);
        sha.GetHashAndReset(hash);
    }

    private static bool IsHex(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A pack's <c>.idx</c> (version 2): fan-out, sorted ids, CRCs, 4-byte offsets, large offsets.</summary>
    private sealed class PackIndex
    {
        private readonly byte[] _idx;
        private readonly int _count;

        private PackIndex(string packPath, byte[] idx, int count)
        {
            PackPath = packPath;
            _idx = idx;
            _count = count;
        }

        public string PackPath { get; }

        public static PackIndex Load(string idxPath, string packPath)
        {
            byte[] idx = File.ReadAllBytes(idxPath);
            if (idx.Length < 8 + 1024 + 40 || BinaryPrimitives.ReadUInt32BigEndian(idx) != 0xff744f63 || BinaryPrimitives.ReadUInt32BigEndian(idx.AsSpan(4)) != 2)
            {
                throw new InvalidDataException($"'{idxPath}' is not a version 2 pack index.");
            }

            uint count = BinaryPrimitives.ReadUInt32BigEndian(idx.AsSpan(8 + (255 * 4)));
            long need = 8 + 1024 + (count * 28L) + 40;
            if (count > int.MaxValue / 28 || idx.Length < need)
            {
                throw new InvalidDataException($"'{idxPath}' is truncated.");
            }

            return new PackIndex(packPath, idx, (int)count);
        }

        private ReadOnlySpan<byte> Id(int i) => _idx.AsSpan(8 + 1024 + (i * 20), 20);

        private (int Lo, int Hi) Bucket(byte first)
        {
            int lo = first == 0 ? 0 : (int)BinaryPrimitives.ReadUInt32BigEndian(_idx.AsSpan(8 + ((first - 1) * 4)));
            int hi = (int)BinaryPrimitives.ReadUInt32BigEndian(_idx.AsSpan(8 + (first * 4)));
            return (Math.Min(lo, _count), Math.Min(hi, _count));
        }

        public long Find(ReadOnlySpan<byte> id)
        {
            (int lo, int hi) = Bucket(id[0]);
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                int cmp = Id(mid).SequenceCompareTo(id);
                if (cmp == 0)
                {
                    return Offset(mid);
                }

                if (cmp < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return -1;
        }

        public void FindPrefix(string hexPrefix, HashSet<string> found)
        {
            byte first = Convert.FromHexString(hexPrefix.AsSpan(0, 2))[0];
            (int lo, int hi) = Bucket(first);
            for (int i = lo; i < hi; i++)
            {
                string hex = Convert.ToHexStringLower(Id(i));
                if (hex.StartsWith(hexPrefix, StringComparison.Ordinal))
                {
                    found.Add(hex);
                }
            }
        }

        private long Offset(int i)
        {
            int table = 8 + 1024 + (_count * 24);
            uint small = BinaryPrimitives.ReadUInt32BigEndian(_idx.AsSpan(table + (i * 4)));
            if ((small & 0x80000000) == 0)
            {
                return small;
            }

            int large = table + (_count * 4) + ((int)(small & 0x7fffffff) * 8);
            if (large + 8 > _idx.Length - 40)
            {
                throw new InvalidDataException($"Bad large offset in the index of '{PackPath}'.");
            }

            return (long)BinaryPrimitives.ReadUInt64BigEndian(_idx.AsSpan(large));
        }
    }
}
