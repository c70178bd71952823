using System.Globalization;
using System.Text;
using PatchKit.Hosts;
using PatchKit.Lifecycle;

namespace PatchKit.Cli.Rendering;

/// <summary>Writes lifecycle progress to standard error. Every stage event and every finished host is one plain line,
/// in order. On a terminal a live area follows those lines and is redrawn in place: the current stage with its count,
/// and a line per host in progress naming the step it is on (at most <see cref="MaxHostLines"/>). When standard error is
/// not a terminal no escape sequence is written: the plain lines only.</summary>
internal sealed partial class ProgressPrinter : IProgress<PatchProgress>, IProgress<HostProgress>
{
    /// <summary>How many hosts in progress the live area lists by name.</summary>
    internal const int MaxHostLines = 8;

    private readonly object _gate = new();
    private readonly TextWriter _error;
    private readonly bool _terminal;
    private readonly Func<int> _width;
    private readonly Dictionary<string, string> _hosts = new(StringComparer.Ordinal);
    private string? _stage;
    private int _completed;
    private int _total;
    private int _drawn;

    /// <summary>Prints plain lines only.</summary>
    public ProgressPrinter(TextWriter error)
        : this(error, terminal: false, () => 80)
    {
    }

    /// <summary>Prints plain lines and, when <paramref name="terminal"/>, the live area (lines cut to <paramref name="width"/>).</summary>
    public ProgressPrinter(TextWriter error, bool terminal, Func<int> width)
    {
        _error = error;
        _terminal = terminal;
        _width = width;
    }

    /// <summary>The printer of a command: <see langword="null"/> with <c>-q</c>; the live area when standard error is a terminal.</summary>
    public static ProgressPrinter? For(CliContext context, bool quiet) =>
        quiet ? null : new ProgressPrinter(context.Error, context.ErrorIsTerminal, TerminalWidth);

    /// <summary>The terminal's width: <c>COLUMNS</c>, else the terminal's own size (TIOCGWINSZ on standard error), else
    /// 80. Not <c>Console.WindowWidth</c>: it sets the terminal up for .NET's console and writes its keypad escape.</summary>
    private static int TerminalWidth()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0)
        {
            return columns;
        }

        if (OperatingSystem.IsLinux())
        {
            try
            {
                Span<ushort> size = stackalloc ushort[4];
                if (IoctlWindowSize(2, 0x5413, ref size[0]) == 0 && size[1] > 0)
                {
                    return size[1];
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // no libc ioctl here: the default below
            }
        }

        return 80;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int IoctlWindowSize(int fd, nuint request, ref ushort size);

    public void Report(PatchProgress value)
    {
        lock (_gate)
        {
            if (value.Message == "starting" && value.Total == 0)
            {
                _stage = value.Stage;
                _completed = 0;
                _total = 0;
                _hosts.Clear();
            }
            else if (value.Total > 0)
            {
                _completed = value.Completed;
                _total = value.Total;
            }

            // A host's result line ends its live line ("esx01: patched …").
            int colon = value.Message.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                _hosts.Remove(value.Message[..colon]);
            }

            Permanent(value.Total > 0 ? $"[{value.Stage} {value.Completed}/{value.Total}] {value.Message}" : $"[{value.Stage}] {value.Message}");
        }
    }

    public void Report(HostProgress value)
    {
        if (!_terminal)
        {
            return; // the plain lines say when a host finished; a step-by-step log would bury them
        }

        lock (_gate)
        {
            _hosts[value.HostId] = value.Message;
            Redraw();
        }
    }

    /// <summary>Clears the live area (before the command prints its result).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _hosts.Clear();
            _stage = null;
            if (_terminal)
            {
                Clear();
                _error.Flush();
            }
        }
    }

    private void Permanent(string line)
    {
        if (!_terminal)
        {
            _error.WriteLine(line);
            return;
        }

        Clear();
        _error.Write(TerminalText.Message(line));
        _error.Write('\n');
        Draw();
    }

    private void Redraw()
    {
        Clear();
        Draw();
    }

    /// <summary>Moves to the start of the live area and erases it.</summary>
    private void Clear()
    {
        _error.Write(_drawn > 0 ? "\r\x1b[" + _drawn.ToString(CultureInfo.InvariantCulture) + "A\x1b[J" : "\r\x1b[J");
        _drawn = 0;
    }

    private void Draw()
    {
        if (_stage is null)
        {
            _error.Flush();
            return;
        }

        int width = Math.Max(20, _width() - 1);
        var sb = new StringBuilder();
        string head = _total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{_stage}: {_completed}/{_total} done ({100 * _completed / _total} %)")
            : _stage + ": working";
        if (_hosts.Count > 0)
        {
            head += ", " + Plural.Of(_hosts.Count, "host") + " in progress";
        }

        Line(sb, head, width);
        foreach (var (host, step) in _hosts.OrderBy(h => h.Key, StringComparer.Ordinal).Take(MaxHostLines))
        {
            Line(sb, "  " + host + ": " + step, width);
        }

        if (_hosts.Count > MaxHostLines)
        {
            Line(sb, "  … " + (_hosts.Count - MaxHostLines).ToString(CultureInfo.InvariantCulture) + " more", width);
        }

        _error.Write(sb.ToString());
        _error.Flush();
    }

    private void Line(StringBuilder sb, string text, int width)
    {
        text = TerminalText.Message(text);
        sb.Append(text.Length > width ? text[..(width - 1)] + "…" : text).Append('\n');
        _drawn++;
    }
}
