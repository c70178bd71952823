using System.Runtime.InteropServices;
using System.Text;

namespace PatchKit.Cli;

/// <summary>The second native binary: <c>patchkit</c> built without the lifecycle commands (<see cref="CliFeatures"/>)
/// hands them to <c>patchkit-lifecycle</c>, installed beside it, by replacing its own process with it (<c>execv</c>: the
/// same process id, arguments, environment, descriptors and exit status, so scripts and signals see one command).</summary>
internal static unsafe partial class LifecycleBinary
{
    /// <summary>The file name of the binary with every command, beside <c>patchkit</c>.</summary>
    public const string FileName = "patchkit-lifecycle";

    /// <summary>Replaces this process with <see cref="FileName"/> run with the same arguments. Returns only when it could
    /// not be started: the message is then on standard error and the exit code is <see cref="ExitCodes.Trouble"/>.</summary>
    /// <param name="args">This process's arguments (the command first).</param>
    /// <returns><see cref="ExitCodes.Trouble"/>.</returns>
    public static int Exec(string[] args)
    {
        // The binary's own path with links resolved (the kernel's /proc/self/exe), so a `patchkit` link on the PATH
        // finds the lifecycle binary beside the file it points to.
        string directory = Path.GetDirectoryName(Environment.ProcessPath) ?? AppContext.BaseDirectory;
        string path = Path.Combine(directory, FileName);
        List<byte[]> argv = [NulTerminated(path), .. Arguments(args)];

        // One block of the nul-terminated strings and a null-terminated vector of pointers into it.
        byte[] block = new byte[argv.Sum(a => a.Length)];
        nint[] vector = new nint[argv.Count + 1];
        int errno;
        fixed (byte* strings = block)
        fixed (nint* pointers = vector)
        {
            int at = 0;
            for (int i = 0; i < argv.Count; i++)
            {
                argv[i].CopyTo(block, at);
                pointers[i] = (nint)(strings + at);
                at += argv[i].Length;
            }

            ExecV(strings, (byte**)pointers);
            errno = Marshal.GetLastPInvokeError();
        }

        using var error = new StreamWriter(CliApp.StandardStream(2), Rendering.RawNameEncoding.Instance);
        error.WriteLine(
            $"patchkit: '{Rendering.TerminalText.Message(args[0])}' is a command of {FileName}, which could not be started from "
            + $"'{Rendering.TerminalText.Message(path)}' ({Marshal.GetPInvokeErrorMessage(errno)}).");
        error.WriteLine($"Install {FileName} beside patchkit: both come out of the same native publish (see docs/packaging.md).");
        return ExitCodes.Trouble;
    }

    /// <summary>The arguments as the process got them: the bytes of <c>/proc/self/cmdline</c> after <c>argv[0]</c> (a
    /// name that is not UTF-8 passes unchanged), else <paramref name="args"/> in UTF-8.</summary>
    private static IEnumerable<byte[]> Arguments(string[] args)
    {
        List<byte[]> raw = RawArguments.Read() ?? [];
        // argv[0] and then exactly the arguments .NET decoded: anything else (no /proc) falls back to the strings.
        if (raw.Count == args.Length + 1)
        {
            return raw.Skip(1).Select(static a => (byte[])[.. a, 0]);
        }

        return args.Select(NulTerminated);
    }

    private static byte[] NulTerminated(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static partial int ExecV(byte* path, byte** argv);
}
