using System.Runtime.InteropServices;

// Compiled into the library and, under PatchKit.Cli's own namespace, into the CLI's GNU drop-in (PatchKit.Cli.csproj).
#if PATCHKIT_CLI
namespace PatchKit.Cli.Native;
#else
namespace PatchKit.Diffs;
#endif

/// <summary><c>lstat</c>/<c>stat</c> on Linux (glibc, x86-64 and arm64): type, mode, size and the modification time to the
/// nanosecond in one call, as GNU diff reads them. Used only for the real file system; elsewhere the
/// System.IO.Abstractions calls are used.</summary>
internal static partial class NativeStat
{
    private const int ModeOffsetX64 = 24;
    private const int ModeOffsetArm64 = 16;
    private const int SizeOffset = 48;
    private const int MtimeOffset = 88;

    public static readonly bool Supported = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 && Probe();

    /// <summary>Reads the status of <paramref name="path"/> (of the link itself when <paramref name="follow"/> is false).</summary>
    public static bool TryGet(string path, bool follow, out FileStatus status)
    {
        Span<byte> buf = stackalloc byte[256];
        buf.Clear();
        // The exact bytes of the name (PathText.DecodeName's escapes back to the bytes they stand for).
        byte[] native = PathText.ToNative(path);
        int rc = follow ? Stat(native, ref MemoryMarshal.GetReference(buf)) : LStat(native, ref MemoryMarshal.GetReference(buf));
        if (rc != 0)
        {
            status = default;
            return false;
        }

        status = Parse(buf);
        return true;
    }

    /// <summary>Reads the fields of a <c>struct stat</c> filled by <c>stat</c>, <c>lstat</c> or <c>fstat</c>.</summary>
    internal static FileStatus Parse(ReadOnlySpan<byte> buf)
    {
        int modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? ModeOffsetX64 : ModeOffsetArm64;
        // st_nlink: x86-64 has it as 8 bytes after st_dev and st_ino; arm64 (generic layout) as 4 bytes after st_mode.
        long links = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? MemoryMarshal.Read<long>(buf[16..]) : MemoryMarshal.Read<uint>(buf[20..]);
        return new FileStatus(
            MemoryMarshal.Read<uint>(buf[modeOffset..]),
            MemoryMarshal.Read<long>(buf[SizeOffset..]),
            MemoryMarshal.Read<long>(buf[MtimeOffset..]),
            (int)MemoryMarshal.Read<long>(buf[(MtimeOffset + 8)..]),
            links)
        {
            // st_dev and st_ino: the first two 8-byte fields on both layouts.
            Device = MemoryMarshal.Read<ulong>(buf),
            Inode = MemoryMarshal.Read<ulong>(buf[8..]),
        };
    }

    /// <summary>Gets the number of hard links to the file at <paramref name="path"/> (not following a final symbolic
    /// link), or 1 when it cannot be read.</summary>
    public static long LinkCount(string path) => Supported && TryGet(path, follow: false, out FileStatus status) ? status.LinkCount : 1;

    private static bool Probe()
    {
        try
        {
            return TryGet("/", follow: true, out FileStatus root) && root.IsDirectory;
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

    [LibraryImport("libc", EntryPoint = "stat")]
    private static partial int Stat(byte[] path, ref byte buffer);

    /// <summary>Linux's <c>ELOOP</c>: too many levels of symbolic links.</summary>
    public const int ErrorLoop = 40;

    /// <summary>The <c>errno</c> of <c>stat</c> (following links) on <paramref name="path"/>, or 0 when it succeeds.</summary>
    public static int StatError(string path)
    {
        Span<byte> buf = stackalloc byte[256];
        return StatWithError(PathText.ToNative(path), ref MemoryMarshal.GetReference(buf)) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static partial int StatWithError(byte[] path, ref byte buffer);

    /// <summary>The target of the symbolic link <paramref name="path"/>, its bytes as <c>readlink</c> gives them (never
    /// decoded), or <see langword="null"/> when it cannot be read (the <c>errno</c> is then the last P/Invoke error).</summary>
    public static byte[]? ReadLink(string path)
    {
        byte[] buf = new byte[4096];
        nint n = ReadLinkNative(PathText.ToNative(path), buf, buf.Length);
        return n < 0 ? null : buf[..(int)n];
    }

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static partial nint ReadLinkNative(byte[] path, byte[] buffer, nint size);

    [LibraryImport("libc", EntryPoint = "lstat")]
    private static partial int LStat(byte[] path, ref byte buffer);

    /// <summary>The fields of <c>struct stat</c> a diff and a tree apply need.</summary>
    internal readonly record struct FileStatus(uint Mode, long Size, long MtimeSeconds, int MtimeNanoseconds, long LinkCount)
    {
        public bool IsDirectory => (Mode & 0xF000) == 0x4000;

        public bool IsRegular => (Mode & 0xF000) == 0x8000;

        public bool IsSymlink => (Mode & 0xF000) == 0xA000;

        public bool IsExecutable => (Mode & 0x40) != 0;

        /// <summary>Gets <c>st_dev</c>: the device the file is on.</summary>
        public ulong Device { get; init; }

        /// <summary>Gets <c>st_ino</c>: the file's inode number on its device.</summary>
        public ulong Inode { get; init; }

        /// <summary>Gets the permission bits (<c>st_mode &amp; 07777</c>).</summary>
        public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
    }
}
