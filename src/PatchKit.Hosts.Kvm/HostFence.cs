using System.Globalization;
using System.Text;

namespace PatchKit.Hosts.Kvm;

/// <summary>The fencing token of a guest or KVM host kept on the KVM host itself: a file
/// <c>RUNDIR/.patchkit-fence/ID</c> holding the largest token seen, changed by compare-and-set under a POSIX record lock
/// (every process working on the host, every worker of a shared run, goes through the same file). A call whose token is
/// smaller than the stored one is refused before it reaches QEMU or the guest: its caller's lease moved to another
/// worker.</summary>
internal static class HostFence
{
    private static readonly object Gate = new(); // the record lock is per process: threads of one process take this too

    /// <summary>Compares <paramref name="token"/> with the stored token and stores it when larger.</summary>
    /// <returns><see langword="null"/> when the call may go ahead; otherwise the newer token that holds the host.</returns>
    public static long? CompareAndSet(string directory, string id, long token)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, id);
        lock (Gate)
        {
            using var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            Lock(fs);
            try
            {
                var buffer = new byte[32];
                int n = fs.Read(buffer);
                long stored = n > 0 && long.TryParse(Encoding.ASCII.GetString(buffer, 0, n).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : 0;
                if (token < stored)
                {
                    return stored;
                }

                if (token > stored)
                {
                    byte[] text = Encoding.ASCII.GetBytes(token.ToString(CultureInfo.InvariantCulture) + "\n");
                    fs.Position = 0;
                    fs.SetLength(0);
                    fs.Write(text);
                    fs.Flush(flushToDisk: true);
                }

                return null;
            }
            finally
            {
                if (!OperatingSystem.IsMacOS())
                {
                    fs.Unlock(0, 1);
                }
            }
        }
    }

    /// <summary>Reads the stored token (0 when none).</summary>
    public static long Read(string directory, string id)
    {
        string path = Path.Combine(directory, id);
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : 0;
    }

    private static void Lock(FileStream fs)
    {
        if (OperatingSystem.IsMacOS())
        {
            return; // FileStream.Lock is not available there: the in-process gate only
        }

        var spin = default(SpinWait);
        while (true)
        {
            try
            {
                fs.Lock(0, 1);
                return;
            }
            catch (IOException)
            {
                spin.SpinOnce(sleep1Threshold: 10); // another process holds it for a few microseconds
            }
        }
    }
}
