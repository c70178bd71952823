using System.ComponentModel;
using System.Diagnostics;

namespace PatchKit.Cli.Commands;

/// <summary>GNU diff's <c>-l</c>/<c>--paginate</c>: one compared pair's output through <c>pr -h HEADER</c>, run as a
/// program of its own (never through a shell), as GNU diff 3.8 runs it.</summary>
internal static class GnuPaginate
{
    /// <summary>The program GNU diff 3.8 is built to run (its messages name it so).</summary>
    public const string PrProgram = "/usr/bin/pr";

    /// <summary>Runs <c>pr -h <paramref name="header"/></c> on <paramref name="input"/> and returns what it printed.</summary>
    /// <exception cref="GnuDiffFatalException">pr cannot be run or fails (GNU's words).</exception>
    public static byte[] Run(string header, byte[] input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(PrProgram)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add(header);
        Process? pr;
        try
        {
            pr = Process.Start(start);
        }
        catch (Win32Exception ex)
        {
            throw new GnuDiffFatalException(File.Exists(PrProgram) ? $"subsidiary program '{PrProgram}' could not be invoked" : $"subsidiary program '{PrProgram}' not found", ex);
        }

        using (pr)
        {
            if (pr is null)
            {
                throw new GnuDiffFatalException($"subsidiary program '{PrProgram}' could not be invoked");
            }

            using var output = new MemoryStream();
            Task copy = pr.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            try
            {
                pr.StandardInput.BaseStream.Write(input);
                pr.StandardInput.Close();
            }
            catch (IOException)
            {
                // pr stopped reading; its exit status says why.
            }

            copy.GetAwaiter().GetResult();
            pr.WaitForExit();
            return pr.ExitCode == 0 ? output.ToArray() : throw new GnuDiffFatalException($"subsidiary program '{PrProgram}' failed (exit status {pr.ExitCode})");
        }
    }
}

/// <summary>GNU diff stops with its words and exit status 2, without its "Try 'diff --help'" line (GNU's <c>fatal</c>): pr could
/// not be run or failed, too many labels, conflicting widths or tab sizes, both --from-file and --to-file.</summary>
internal sealed class GnuDiffFatalException : Exception
{
    public GnuDiffFatalException()
    {
    }

    public GnuDiffFatalException(string message)
        : base(message)
    {
    }

    public GnuDiffFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
