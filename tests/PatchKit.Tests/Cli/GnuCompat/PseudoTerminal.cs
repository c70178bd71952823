using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>A pseudo-terminal for the rows whose questions are answered from a terminal: the test holds the master side,
/// the program under test gets the slave (by its path) as its controlling terminal and standard output. Each time the
/// program stops on a question (what it printed last ends like one of GNU patch's prompts), the next answer is typed.
/// Echo and CR LF output are the terminal's own defaults, so what is read back is what a user would see.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class PseudoTerminal : IDisposable
{
    private const int ReadWrite = 2;
    private const int NoControllingTerminal = 0x100;

    private static readonly string[] s_prompts = ["[n] ", "[y] ", "File to patch: "];

    private readonly SafeFileHandle _master;
    private readonly FileStream _stream;

    private PseudoTerminal(SafeFileHandle master, string slavePath)
    {
        _master = master;
        _stream = new FileStream(master, FileAccess.ReadWrite, bufferSize: 0);
        SlavePath = slavePath;
    }

    /// <summary>Gets the path of the slave side (<c>/dev/pts/N</c>).</summary>
    public string SlavePath { get; }

    public static PseudoTerminal Open()
    {
        int fd = PosixOpenPt(ReadWrite | NoControllingTerminal);
        if (fd < 0)
        {
            throw new IOException($"posix_openpt failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        IntPtr name = IntPtr.Zero;
        if (GrantPt(fd) != 0 || UnlockPt(fd) != 0 || (name = PtsName(fd)) == IntPtr.Zero)
        {
            handle.Dispose();
            throw new IOException($"could not set up the pseudo-terminal: errno {Marshal.GetLastPInvokeError()}");
        }

        return new PseudoTerminal(handle, Marshal.PtrToStringAnsi(name)!);
    }

    /// <summary>Reads everything the terminal shows until the last program holding it ends, typing each answer (and a
    /// newline) when the program waits on a question; questions beyond the answers get an empty line.</summary>
    /// <param name="answers">The answers, in order.</param>
    /// <param name="ended">Whether the program has ended (then a hang-up ends the conversation).</param>
    public string Converse(string[] answers, Func<bool> ended)
    {
        var shown = new StringBuilder();
        var buffer = new byte[4096];
        int answered = 0;
        int answeredAt = -1;
        bool drained = false;
        while (true)
        {
            int n;
            try
            {
                n = _stream.Read(buffer);
            }
            catch (IOException)
            {
                // EIO while no process has the slave open: before the program opened it, or once it has ended.
                n = 0;
            }

            if (n <= 0)
            {
                if (ended())
                {
                    if (drained)
                    {
                        break;
                    }

                    // The program may have written and ended between the last read and now: read once more.
                    drained = true;
                    continue;
                }

                Thread.Sleep(5);
                continue;
            }

            drained = false;

            shown.Append(Encoding.UTF8.GetString(buffer, 0, n));
            string text = shown.ToString();
            if (text.Length > answeredAt && s_prompts.Any(p => text.EndsWith(p, StringComparison.Ordinal)))
            {
                byte[] line = Encoding.UTF8.GetBytes((answered < answers.Length ? answers[answered] : string.Empty) + "\n");
                answered++;
                _stream.Write(line);

                answeredAt = text.Length;
            }
        }

        return shown.ToString();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _master.Dispose();
    }

#pragma warning disable SYSLIB1054, CA5392 // libc's pseudo-terminal calls: ints and a returned pointer, nothing to generate
    [DllImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static extern int PosixOpenPt(int flags);

    [DllImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static extern int GrantPt(int fd);

    [DllImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static extern int UnlockPt(int fd);

    [DllImport("libc", EntryPoint = "ptsname", SetLastError = true)]
    private static extern IntPtr PtsName(int fd);
#pragma warning restore SYSLIB1054, CA5392
}
