using System.Runtime.InteropServices;

// Compiled into the library and, under PatchKit.Cli's own namespace, into the CLI's GNU drop-in (PatchKit.Cli.csproj).
#if PATCHKIT_CLI
namespace PatchKit.Cli.Native;
#else
namespace PatchKit.Diffs;
#endif

/// <summary>The few libc calls a tree diff makes per file on Linux: <c>openat</c> relative to an open directory (so a
/// name is looked up from its tree's root, not from <c>/</c> each time), <c>read</c> into a reused buffer, <c>fstat</c>
/// only when a header needs the time, and <c>readdir</c>'s entry types (so a walk needs no <c>lstat</c> per regular
/// file or directory). Every caller falls back to the managed calls when one of these fails, so errors keep their
/// usual messages.</summary>
internal static unsafe partial class NativeFiles
{
    /// <summary><c>AT_FDCWD</c>: a path relative to the working directory (or absolute).</summary>
    public const int CurrentDirectory = -100;

    /// <summary><c>DT_DIR</c>.</summary>
    public const byte TypeDirectory = 4;

    /// <summary><c>DT_REG</c>.</summary>
    public const byte TypeRegular = 8;

    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;
    private const int DirectoryOnly = 0x10000;
    private const int Interrupted = 4;

    // glibc and musl on LP64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
    private const int TypeOffset = 18;
    private const int NameOffset = 19;

    public static readonly bool Supported = NativeStat.Supported && Probe();

    /// <summary>Opens <paramref name="path"/> (relative to <paramref name="directory"/>, a descriptor or
    /// <see cref="CurrentDirectory"/>) for reading; -1 when it cannot be opened.</summary>
    public static int Open(int directory, string path, bool isDirectory = false)
    {
        int fd;
        // The exact bytes of the name (a name that is not UTF-8 keeps its bytes, see PathText.DecodeName).
        byte[] native = PathText.ToNative(path);
        do
        {
            fd = OpenAt(directory, native, ReadOnly | CloseOnExec | (isDirectory ? DirectoryOnly : 0));
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        return fd;
    }

    /// <summary>Closes a descriptor from <see cref="Open"/>.</summary>
    public static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = CloseFd(fd);
        }
    }

    /// <summary>Reads <paramref name="fd"/> to its end into <paramref name="buffer"/> (grown by doubling; the caller keeps
    /// the grown array). Returns the length, or -1 on a read error.</summary>
    public static int ReadAll(int fd, ref byte[] buffer)
    {
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length >= Array.MaxLength)
                {
                    return -1;
                }

                // Grown once to the file's size (one fstat) rather than by doubling and copying; not zeroed, since
                // only what is read is used.
                long want = Math.Max(1 << 16, (long)buffer.Length * 2);
                if (TryStat(fd, out NativeStat.FileStatus st) && st.Size + 1 > want)
                {
                    want = (st.Size + 1 + 0xFFFF) & ~0xFFFFL; // whole 64 KiB blocks: a slightly larger file later reuses it
                }

                byte[] bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, want));
                buffer.AsSpan(0, total).CopyTo(bigger);
                buffer = bigger;
            }

            nint n;
            fixed (byte* p = &buffer[total])
            {
                n = Read(fd, p, buffer.Length - total);
            }

            if (n == 0)
            {
                return total;
            }

            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == Interrupted)
                {
                    continue;
                }

                return -1;
            }

            total += (int)n;
        }
    }

    /// <summary>The status of an open descriptor.</summary>
    public static bool TryStat(int fd, out NativeStat.FileStatus status)
    {
        Span<byte> buf = stackalloc byte[256];
        buf.Clear();
        fixed (byte* p = buf)
        {
            if (FStat(fd, p) != 0)
            {
                status = default;
                return false;
            }
        }

        status = NativeStat.Parse(buf);
        return true;
    }

    /// <summary>Lists the names in the directory <paramref name="path"/> (relative to <paramref name="directory"/>) with
    /// their <c>d_type</c> (0 when the file system does not say), without <c>.</c> and <c>..</c>; false when the directory
    /// cannot be opened.</summary>
    public static bool TryList(int directory, string path, List<(byte[] Name, byte Type)> entries)
    {
        int fd = Open(directory, path, isDirectory: true);
        if (fd < 0)
        {
            return false;
        }

        nint dir = FdOpenDir(fd);
        if (dir == 0)
        {
            Close(fd);
            return false;
        }

        try
        {
            while (true)
            {
                byte* entry = ReadDir(dir);
                if (entry == null)
                {
                    return true;
                }

                ReadOnlySpan<byte> name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + NameOffset);
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                {
                    continue;
                }

                entries.Add((name.ToArray(), entry[TypeOffset]));
            }
        }
        finally
        {
            _ = CloseDir(dir);
        }
    }

    private static bool Probe()
    {
        try
        {
            var entries = new List<(byte[] Name, byte Type)>();
            int fd = Open(CurrentDirectory, "/", isDirectory: true);
            if (fd < 0)
            {
                return false;
            }

            bool ok = TryStat(fd, out NativeStat.FileStatus root) && root.IsDirectory;
            Close(fd);
            return ok && TryList(CurrentDirectory, "/", entries);
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAt(int directory, byte[] path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);

    [LibraryImport("libc", EntryPoint = "fstat")]
    private static partial int FStat(int fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "fdopendir")]
    private static partial nint FdOpenDir(int fd);

    [LibraryImport("libc", EntryPoint = "readdir")]
    private static partial byte* ReadDir(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDir(nint dir);
}
