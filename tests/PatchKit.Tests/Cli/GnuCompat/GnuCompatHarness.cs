using System.Diagnostics;
using System.Globalization;
using System.Text;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>One situation run through GNU patch or diff and through PatchKit's drop-in on identical fresh trees.</summary>
/// <param name="Name">The row's name (unique; the known-gaps list refers to it).</param>
/// <param name="Tool"><c>patch</c> or <c>diff</c>: the program name both are invoked by, through the PATH.</param>
/// <param name="Files">The tree before the run: relative path and content (all given the same fixed time).</param>
/// <param name="Args">The arguments after the program name.</param>
public sealed record CompatRow(string Name, string Tool, (string Path, string Content)[] Files, string[] Args)
{
    /// <summary>Gets the tree file whose bytes are piped to standard input, or <see langword="null"/> for an empty input.</summary>
    public string? StdinFile { get; init; }

    /// <summary>Gets the files given a mode other than 0644 before the run.</summary>
    public (string Path, UnixFileMode Mode)[] Modes { get; init; } = [];

    /// <summary>Gets symbolic links created before the run: the link's path and its target as written.</summary>
    public (string Path, string Target)[] Links { get; init; } = [];

    /// <summary>Gets empty folders created before the run.</summary>
    public string[] Dirs { get; init; } = [];

    /// <summary>Gets named pipes (fifos) created before the run.</summary>
    public string[] Fifos { get; init; } = [];

    /// <summary>Gets the files given another owner and group before the run (numeric ids, through <c>chown</c>, so only
    /// as root); with any, every file's owner and group are compared too.</summary>
    public (string Path, int Uid, int Gid)[] Owners { get; init; } = [];

    /// <summary>Gets modification times set after the tree is made, as <c>touch -h -d</c> takes them
    /// (<c>@1700000000.123456789</c>: to the nanosecond), on files or on links themselves.</summary>
    public (string Path, string Time)[] Stamps { get; init; } = [];

    /// <summary>Gets a value indicating whether files' modification times are compared too.</summary>
    public bool Times { get; init; }

    /// <summary>Gets the answers typed on a terminal, one per question in order, or <see langword="null"/> to run without
    /// a terminal. With answers, standard output is a pseudo-terminal that is also the program's controlling terminal
    /// (so <c>/dev/tty</c> is it); what the terminal shows (questions, echoed answers, CR LF line ends) is compared as
    /// standard output.</summary>
    public string[]? Terminal { get; init; }

    /// <summary>Gets a value indicating whether, with a <see cref="Terminal"/>, standard output is a pipe all the same
    /// (GNU patch then does not read the terminal and takes the default answers).</summary>
    public bool StdoutPiped { get; init; }

    /// <summary>Gets environment variables set for both programs (after the harness clears the ones that change
    /// GNU patch's behaviour, such as <c>QUOTING_STYLE</c>).</summary>
    public (string Name, string Value)[] Env { get; init; } = [];

    /// <summary>Gets what of standard output is compared, or <see langword="null"/> for all of it: a row whose text
    /// PatchKit words on purpose in its own way (<c>--version</c>'s lines after the first, <c>--help</c>) compares
    /// what a script reads from it.</summary>
    public Func<string, string>? StdoutView { get; init; }

    /// <summary>Gets what of standard error is compared, or <see langword="null"/> for all of it: a row whose error
    /// names a temporary file GNU names at random compares it with that name taken out.</summary>
    public Func<string, string>? StderrView { get; init; }

    /// <summary>Gets a file of the tree that standard output and error are both redirected to (a shell's
    /// <c>&gt;FILE 2&gt;&amp;1</c>, around lines the shell writes before and after the program), or <see langword="null"/>
    /// for pipes.</summary>
    public string? OutputFile { get; init; }

    /// <summary>Gets shell commands run in the tree just before the program, in the same shell (so <c>set --</c>
    /// there replaces the arguments), or <see langword="null"/>: for file names that a .NET string cannot carry (bytes
    /// that are not UTF-8, made with <c>printf</c>).</summary>
    public string? Prelude { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>What one run left: output, error output, exit status and the tree.</summary>
internal sealed record CompatOutcome(int ExitCode, string Stdout, string Stderr, string Tree)
{
    public string Describe() =>
        $"exit {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}--- tree ---\n{Tree}";
}

/// <summary>Runs a <see cref="CompatRow"/> through a program on the PATH, in a new session without a terminal (so GNU
/// patch's questions get its default answers, deterministically), with <c>LC_ALL=C</c> and <c>TZ=UTC</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class GnuCompatHarness
{
    /// <summary>The time every file of a row's tree starts with.</summary>
    public static readonly DateTime FixedTime = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static readonly Lazy<string> s_gnuBin = new(() => LinkDirectory("gnu", "/usr/bin/patch", "/usr/bin/diff"));
    private static readonly Lazy<string> s_patchKitBin = new(() =>
    {
        string? native = Environment.GetEnvironmentVariable(CliRunner.NativeCliVariable);
        string exe = string.IsNullOrEmpty(native) ? Path.ChangeExtension(RepoFiles.CliDll, null) : native;
        return LinkDirectory("patchkit", exe, exe);
    });

    /// <summary>Gets a value indicating whether GNU patch and diff and the CLI's executable are here to compare.</summary>
    public static bool Available =>
        File.Exists("/usr/bin/patch") && File.Exists("/usr/bin/diff") && File.Exists("/usr/bin/setsid")
        && (File.Exists(Path.ChangeExtension(RepoFiles.CliDll, null)) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CliRunner.NativeCliVariable)));

    /// <summary>Gets a folder with <c>patch</c> and <c>diff</c> links to GNU's tools.</summary>
    public static string GnuBin => s_gnuBin.Value;

    /// <summary>Gets a folder with <c>patch</c> and <c>diff</c> links to the built CLI (the drop-in install).</summary>
    public static string PatchKitBin => s_patchKitBin.Value;

    public static CompatOutcome RunGnu(CompatRow row) => Run(row, s_gnuBin.Value);

    public static CompatOutcome RunPatchKit(CompatRow row) => Run(row, s_patchKitBin.Value);

    private static string LinkDirectory(string name, string patch, string diff)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"patchkit-gnucompat-{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        foreach (var (link, target) in new[] { ("patch", patch), ("diff", diff) })
        {
            string path = Path.Combine(dir, link);
            File.Delete(path);
            File.CreateSymbolicLink(path, target);
        }

        return dir;
    }

    private static CompatOutcome Run(CompatRow row, string bin)
    {
        string root = Directory.CreateTempSubdirectory("patchkit-gnucompat-").FullName;
        try
        {
            string tree = Path.Combine(root, "t");
            Directory.CreateDirectory(tree);
            foreach (string d in row.Dirs)
            {
                Directory.CreateDirectory(Path.Combine(tree, d));
            }

            foreach (var (path, content) in row.Files)
            {
                string full = Path.Combine(tree, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, Encoding.UTF8.GetBytes(content));
                File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            foreach (var (path, mode) in row.Modes)
            {
                File.SetUnixFileMode(Path.Combine(tree, path), mode);
            }

            foreach (var (path, _) in row.Files)
            {
                File.SetLastWriteTimeUtc(Path.Combine(tree, path), FixedTime);
            }

            foreach (var (path, uid, gid) in row.Owners)
            {
                RunTool("/bin/chown", $"{uid.ToString(CultureInfo.InvariantCulture)}:{gid.ToString(CultureInfo.InvariantCulture)}", Path.Combine(tree, path));
            }

            foreach (var (path, target) in row.Links)
            {
                File.CreateSymbolicLink(Path.Combine(tree, path), target);
            }

            foreach (string fifo in row.Fifos)
            {
                RunTool("/usr/bin/mkfifo", Path.Combine(tree, fifo));
            }

            foreach (var (path, time) in row.Stamps)
            {
                RunTool("/usr/bin/touch", "-h", "-d", time, Path.Combine(tree, path));
            }

            using PseudoTerminal? pty = row.Terminal is null ? null : PseudoTerminal.Open();
            var psi = new ProcessStartInfo("/usr/bin/setsid")
            {
                WorkingDirectory = tree,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("-w");
            if (pty is not null)
            {
                // A session of its own whose controlling terminal is the pseudo-terminal (setsid -c takes standard
                // input's), with standard output on it too; standard error stays a pipe. The shell is already a
                // session leader, so setsid forks: -w waits for the program and returns its exit status.
                psi.ArgumentList.Add("/bin/sh");
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add("exec /usr/bin/setsid -w -c \"$@\" <\"$PATCHKIT_TEST_PTS\"" + (row.StdoutPiped ? string.Empty : " >\"$PATCHKIT_TEST_PTS\""));
                psi.ArgumentList.Add("sh");
                psi.Environment["PATCHKIT_TEST_PTS"] = pty.SlavePath;
            }

            psi.ArgumentList.Add("/bin/sh");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(row.OutputFile is { } log
                ? "PATH=\"$0:/usr/bin:/bin\"; export PATH; { echo before; " + row.Tool + " \"$@\"; s=$?; echo after; } >" + log + " 2>&1; exit $s"
                : "PATH=\"$0:/usr/bin:/bin\"; export PATH; " + (row.Prelude is { } prelude ? prelude + "; " : string.Empty) + "exec " + row.Tool + " \"$@\"");
            psi.ArgumentList.Add(bin);
            foreach (string a in row.Args)
            {
                psi.ArgumentList.Add(a);
            }

            foreach (string v in new[] { "POSIXLY_CORRECT", "VERSION_CONTROL", "PATCH_VERSION_CONTROL", "SIMPLE_BACKUP_SUFFIX", "QUOTING_STYLE", "PATCH_GET", "PATCHKIT_VERBOSE", "DIFF_OPTIONS" })
            {
                psi.Environment.Remove(v);
            }

            psi.Environment["LC_ALL"] = "C";
            psi.Environment["TZ"] = "UTC";
            foreach (var (name, value) in row.Env)
            {
                psi.Environment[name] = value;
            }

            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
            {
                psi.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(host);
            }

            using var p = Process.Start(psi)!;
            var terminalTask = pty is null ? null : Task.Run(() => pty.Converse(row.Terminal!, () => p.HasExited));
            var stdoutTask = Task.Run(() =>
            {
                using var ms = new MemoryStream();
                p.StandardOutput.BaseStream.CopyTo(ms);
                return ms.ToArray();
            });
            var stderrTask = Task.Run(() =>
            {
                using var ms = new MemoryStream();
                p.StandardError.BaseStream.CopyTo(ms);
                return ms.ToArray();
            });
            try
            {
                if (row.StdinFile is not null)
                {
                    p.StandardInput.BaseStream.Write(File.ReadAllBytes(Path.Combine(tree, row.StdinFile)));
                }

                p.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program ended without reading its input: that is part of its behaviour.
            }

            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{row.Tool} did not end within a minute for row '{row.Name}'");
            }

            string Clean(byte[] bytes) => Utf8OrEscaped(bytes).Replace(tree, "<DIR>", StringComparison.Ordinal).Replace(root, "<ROOT>", StringComparison.Ordinal);
            string stdout = Clean(stdoutTask.Result);
            if (terminalTask is not null)
            {
                stdout += "--- terminal ---\n" + Clean(Encoding.UTF8.GetBytes(terminalTask.Result));
            }

            string listing = Listing(tree, row.Times);
            if (row.Owners.Length > 0)
            {
                listing += "--- owners ---\n" + Clean(Encoding.UTF8.GetBytes(Owners(tree)));
            }

            return new CompatOutcome(p.ExitCode, stdout, Clean(stderrTask.Result), listing);
        }
        finally
        {
            foreach (string f in Entries(root))
            {
                if (Directory.Exists(f) && new FileInfo(f).LinkTarget is null)
                {
                    File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            if (row.Prelude is null)
            {
                Directory.Delete(root, recursive: true);
            }
            else
            {
                // Names that are not UTF-8: .NET cannot delete them by name.
                RunTool("/bin/rm", "-rf", root);
            }
        }
    }

    /// <summary>Output as text: UTF-8, each byte that is not part of it as <c>\xNN</c> (so two outputs that differ in
    /// such a byte still differ).</summary>
    private static string Utf8OrEscaped(byte[] bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(rest, out Rune rune, out int used) == System.Buffers.OperationStatus.Done)
            {
                sb.Append(rune.ToString());
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{rest[0]:X2}");
                used = 1;
            }

            rest = rest[used..];
        }

        return sb.ToString();
    }

    /// <summary>Every entry under <paramref name="folder"/>, links listed but not followed: .NET's recursive
    /// enumeration walks into a link to a folder, and links that lead back up (<c>up -> ..</c>, <c>self -> .</c>) would
    /// make it walk without end.</summary>
    private static IEnumerable<string> Entries(string folder)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
        {
            yield return entry;
            if (new FileInfo(entry).LinkTarget is null && Directory.Exists(entry))
            {
                foreach (string inner in Entries(entry))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Whether this process runs as root (what <see cref="CompatRow.Owners"/> needs).</summary>
    public static bool IsRoot => RunTool("/usr/bin/id", "-u").Trim() == "0";

    /// <summary>Every entry's owner and group (numeric), one line each, sorted by path.</summary>
    private static string Owners(string tree)
    {
        string[] entries = [.. Entries(tree).Order(StringComparer.Ordinal)];
        var sb = new StringBuilder();
        foreach (string entry in entries)
        {
            sb.Append(RunTool("/usr/bin/stat", "-c", "%u:%g", entry).Trim()).Append(' ').Append(Path.GetRelativePath(tree, entry)).Append('\n');
        }

        return sb.ToString();
    }

    private static string RunTool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {error}");
        }

        return output;
    }

    /// <summary>Every entry of the tree: kind, mode, path, and a file's content (its time when asked).</summary>
    /// <summary>A file's time in a listing: its second, or "now" for a file written by the run (the two tools run one
    /// after the other, so their clocks may read different seconds).</summary>
    private static string Stamp(DateTime written) =>
        DateTime.UtcNow - written < TimeSpan.FromHours(1) ? "now" : new DateTimeOffset(written).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Listing(string tree, bool times)
    {
        var lines = new List<string>();
        foreach (string entry in Entries(tree))
        {
            string rel = Path.GetRelativePath(tree, entry);
            if (rel.Contains('\uFFFD', StringComparison.Ordinal))
            {
                // A name that is not UTF-8 (see CompatRow.Prelude): .NET cannot open it by this name.
                lines.Add($"name {rel}");
                continue;
            }

            var info = new FileInfo(entry);
            // (A link's own mode is not asked for: the call follows the link, which may lead nowhere.)
            string mode = info.LinkTarget is null ? Convert.ToString((int)File.GetUnixFileMode(entry), 8).PadLeft(4, '0') : string.Empty;
            if (info.LinkTarget is { } target)
            {
                lines.Add($"link {rel} -> {target}");
            }
            else if (Directory.Exists(entry))
            {
                lines.Add($"dir  {mode} {rel}/");
            }
            else if (PatchKit.Diffs.NativeStat.TryGet(entry, follow: false, out PatchKit.Diffs.NativeStat.FileStatus st) && (st.Mode & 0xF000) == 0x1000)
            {
                // A fifo is listed, never read (a read would wait for a writer).
                lines.Add($"fifo {mode} {rel}");
            }
            else
            {
                byte[] bytes = File.ReadAllBytes(entry);
                string content = bytes.Length <= 400 && Array.IndexOf(bytes, (byte)0) < 0
                    ? Encoding.UTF8.GetString(bytes).Replace("\n", "\\n", StringComparison.Ordinal)
                    : "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
                string time = times ? " @" + Stamp(File.GetLastWriteTimeUtc(entry)) : string.Empty;
                lines.Add($"file {mode} {rel}{time}: {content}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines) + "\n";
    }
}
