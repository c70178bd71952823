using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PatchKit.Diffs.Apply;

/// <summary>An exclusive lock on a tree for the whole of one apply or recovery, so two applies never interleave and
/// none rolls back the live journal of another.</summary>
/// <remarks>
/// On Linux the lock is <c>flock(LOCK_EX | LOCK_NB)</c> on the root folder itself: no file is added to the tree, the
/// kernel drops the lock when its owner dies (a killed apply leaves no stale lock, and the next apply recovers its
/// journal), and it holds across processes even though the CLI turns off .NET's own advisory locking
/// (<c>System.IO.DisableFileLocking</c>). Elsewhere, and on an in-memory file system, the lock is held in this process
/// only. A second apply does not wait: it fails at once, naming the tree, as <c>git</c> does on a held
/// <c>index.lock</c>.
/// </remarks>
internal sealed partial class TreeLock : IDisposable
{
    private const int ORdOnly = 0;
    private const int OCloexec = 0x80000; // the same on x86-64 and arm64 (O_DIRECTORY is not, so it is left out)
    private const int LockEx = 2;
    private const int LockNb = 4;
    private const int EWouldBlock = 11; // EAGAIN on x86-64 and arm64

    private static readonly ConcurrentDictionary<(IFileSystem Fs, string Root), TreeLock> s_inProcess = new();

    private static readonly ManualResetEventSlim s_pause = new(false);

    private readonly SafeFileHandle? _handle;
    private readonly (IFileSystem Fs, string Root) _key;

    private TreeLock(SafeFileHandle? handle, (IFileSystem, string) key)
    {
        _handle = handle;
        _key = key;
    }

    /// <summary>Takes the tree's lock or throws when another apply holds it.</summary>
    /// <exception cref="PatchApplyException">Another apply (in this process or another) holds the lock.</exception>
    public static TreeLock Acquire(IFileSystem fs, string root)
    {
        var key = (fs, root);
        SafeFileHandle? handle = null;
        if (fs is FileSystem && NativeStat.Supported)
        {
            int fd = Open(root, ORdOnly | OCloexec);
            if (fd < 0)
            {
                throw new PatchApplyException($"Can't open the tree '{root}' to lock it (errno {Marshal.GetLastPInvokeError()}).", root);
            }

            handle = new SafeFileHandle(fd, ownsHandle: true);
            if (!TryFlock(fd, out int errno))
            {
                handle.Dispose();
                handle = null;
                if (errno == EWouldBlock)
                {
                    throw Busy(root);
                }

                // A file system without flock (ENOLCK, EINVAL, EOPNOTSUPP): the lock then holds in this process only,
                // rather than no apply working there at all.
            }
        }

        var taken = new TreeLock(handle, key);
        if (!s_inProcess.TryAdd(key, taken))
        {
            handle?.Dispose();
            throw Busy(root);
        }

        return taken;
    }

    public void Dispose()
    {
        s_inProcess.TryRemove(new KeyValuePair<(IFileSystem, string), TreeLock>(_key, this));
        _handle?.Dispose(); // closing the descriptor drops the flock
    }

    /// <summary>Takes the flock, trying again for a moment when it is held: a process this one just forked (to run git or
    /// quilt, say) shares the descriptor of an apply that has finished until that child calls exec, which closes it
    /// (<c>O_CLOEXEC</c>); an apply that really holds the lock still fails after at most 0.2 s.</summary>
    private static bool TryFlock(int fd, out int errno)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (Flock(fd, LockEx | LockNb) == 0)
            {
                errno = 0;
                return true;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != EWouldBlock || attempt == 10)
            {
                return false;
            }

            // A short real-time pause (the lock is the kernel's, not on any run's clock); the event is never set.
            s_pause.Wait(20);
        }
    }

    private static PatchApplyException Busy(string root) =>
        new($"Another apply is running on '{root}' (it holds the tree's lock); nothing was changed. Try again when it has finished.", root);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
