using System.IO.Abstractions;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PatchKit.Diffs.Apply;

/// <summary>The file system calls of a tree apply, for names that are not valid UTF-8: on the real file system of a
/// Unix system, a path holding escaped bytes (<see cref="PathText.DecodeName"/>) goes to <c>libc</c> as its exact bytes;
/// every other path, and every other file system (in-memory ones keep the escaped string as the name), goes through
/// <see cref="IFileSystem"/> as before.</summary>
internal static partial class RawFiles
{
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int ENOTDIR = 20;

    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int OCloExec = 0x80000;

    private static readonly bool s_supported = OperatingSystem.IsLinux() && NativeStat.Supported;

    // O_NOFOLLOW differs between x86-64 (0400000) and arm64 (0100000).
    private static int ONoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>Whether <paramref name="path"/> must go to <c>libc</c> as bytes.</summary>
    public static bool IsRaw(IFileSystem fs, string path) => fs is FileSystem && PathText.HasEscapes(path) && s_supported;

    public static byte[] ReadAllBytes(IFileSystem fs, string path)
    {
        if (!IsRaw(fs, path))
        {
            return fs.File.ReadAllBytes(path);
        }

        using var stream = new FileStream(OpenHandle(path, ORdOnly | OCloExec, 0), FileAccess.Read, 1);
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Opens an existing file for writing, without truncating it.</summary>
    public static Stream OpenWrite(IFileSystem fs, string path) => IsRaw(fs, path)
        ? new FileStream(OpenHandle(path, OWrOnly | OCloExec | ONoFollow, 0), FileAccess.Write, 1)
        : fs.FileStream.New(path, FileMode.Open, FileAccess.Write, FileShare.Read, 1);

    /// <summary>Creates a new file, failing when anything (a file, a link, even a dangling one) has the name:
    /// <c>O_CREAT | O_EXCL</c>.</summary>
    public static Stream CreateExclusive(IFileSystem fs, string path) => IsRaw(fs, path)
        ? new FileStream(OpenHandle(path, OWrOnly | OCreat | OExcl | ONoFollow | OCloExec, 0x1b6), FileAccess.Write, 1)
        : fs is FileSystem
            ? new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1) // a FileStream: its handle sets the mode
            : fs.FileStream.New(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);

    /// <summary>Removes a file or link; a missing one (or a missing folder) is not an error.</summary>
    public static void Delete(IFileSystem fs, string path)
    {
        if (!IsRaw(fs, path))
        {
            fs.File.Delete(path);
            return;
        }

        if (Unlink(PathText.ToNative(path)) != 0 && Marshal.GetLastPInvokeError() is not (ENOENT or ENOTDIR))
        {
            throw Failure("remove", path);
        }
    }

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (<c>rename</c>, atomic).</summary>
    public static void Move(IFileSystem fs, string from, string to)
    {
        if (!IsRaw(fs, from) && !IsRaw(fs, to))
        {
            fs.File.Move(from, to, overwrite: true);
            return;
        }

        if (Rename(PathText.ToNative(from), PathText.ToNative(to)) != 0)
        {
            throw Failure("rename to " + PathGuard.Printable(PathText.EncodeName(to)), from);
        }
    }

    /// <summary>Creates a folder and the folders above it.</summary>
    public static void CreateDirectory(IFileSystem fs, string path)
    {
        if (!IsRaw(fs, path))
        {
            fs.Directory.CreateDirectory(path);
            return;
        }

        int slash = path.LastIndexOf('/');
        if (slash > 0 && !DirectoryExists(fs, path[..slash]))
        {
            CreateDirectory(fs, path[..slash]);
        }

        if (Mkdir(PathText.ToNative(path), 0x1ff) != 0 && (Marshal.GetLastPInvokeError() != EEXIST || !DirectoryExists(fs, path)))
        {
            throw Failure("create the folder", path);
        }
    }

    /// <summary>Whether <paramref name="path"/> is a folder (following links, as <c>Directory.Exists</c>).</summary>
    public static bool DirectoryExists(IFileSystem fs, string path) => IsRaw(fs, path)
        ? NativeStat.TryGet(path, follow: true, out NativeStat.FileStatus st) && st.IsDirectory
        : fs.Directory.Exists(path);

    /// <summary>Removes a folder when it is empty; says whether it did.</summary>
    public static bool RemoveIfEmpty(IFileSystem fs, string path)
    {
        if (IsRaw(fs, path))
        {
            return Rmdir(PathText.ToNative(path)) == 0;
        }

        if (!fs.Directory.Exists(path) || fs.Directory.EnumerateFileSystemEntries(path).Any())
        {
            return false;
        }

        fs.Directory.Delete(path);
        return true;
    }

    /// <summary>Creates a symbolic link whose target is exactly <paramref name="target"/>.</summary>
    public static void CreateSymbolicLink(IFileSystem fs, string path, ReadOnlySpan<byte> target)
    {
        string decoded = PathText.DecodeName(target);
        if (!IsRaw(fs, path) && !(fs is FileSystem && s_supported && PathText.HasEscapes(decoded)))
        {
            fs.File.CreateSymbolicLink(path, decoded);
            return;
        }

        byte[] z = new byte[target.Length + 1];
        target.CopyTo(z);
        if (Symlink(z, PathText.ToNative(path)) != 0)
        {
            throw Failure("create the symbolic link", path);
        }
    }

    /// <summary>The exact target of a symbolic link (on the real file system of Linux, its bytes as <c>readlink</c>
    /// gives them, never decoded).</summary>
    public static byte[] ReadLink(IFileSystem fs, string path)
    {
        if (fs is not FileSystem || !s_supported)
        {
            string? target = fs.FileInfo.New(path).LinkTarget;
            return target is null ? [] : PathText.EncodeName(target);
        }

        return NativeStat.ReadLink(path) ?? throw Failure("read the symbolic link", path);
    }

    /// <summary>The permission bits of a file (following links, as <c>File.GetUnixFileMode</c>).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static UnixFileMode GetMode(IFileSystem fs, string path)
    {
        if (!IsRaw(fs, path))
        {
            return fs.File.GetUnixFileMode(path);
        }

        return NativeStat.TryGet(path, follow: true, out NativeStat.FileStatus st) ? st.Permissions : throw Failure("read the mode of", path);
    }

    /// <summary>Sets the permission bits of a file.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void SetMode(IFileSystem fs, string path, UnixFileMode mode)
    {
        if (!IsRaw(fs, path))
        {
            fs.File.SetUnixFileMode(path, mode);
            return;
        }

        if (Chmod(PathText.ToNative(path), (int)mode) != 0)
        {
            throw Failure("set the mode of", path);
        }
    }

    private static SafeFileHandle OpenHandle(string path, int flags, int mode)
    {
        int fd = Open(PathText.ToNative(path), flags, mode);
        if (fd < 0)
        {
            throw Failure(flags == (ORdOnly | OCloExec) ? "open" : "open for writing", path);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static IOException Failure(string what, string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        string name = PathGuard.Printable(PathText.EncodeName(path));
        string text = $"Cannot {what} '{name}': {Marshal.GetPInvokeErrorMessage(errno)}.";
        return errno switch
        {
            ENOENT => new FileNotFoundException(text, name),
            EEXIST => new IOException(text, unchecked((int)0x80070050)),
            _ => new IOException(text),
        };
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte[] path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int Unlink(byte[] path);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static partial int Rename(byte[] from, byte[] to);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static partial int Mkdir(byte[] path, int mode);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    private static partial int Rmdir(byte[] path);

    [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true)]
    private static partial int Symlink(byte[] target, byte[] path);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static partial int Chmod(byte[] path, int mode);
}
