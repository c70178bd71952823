using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PatchKit.Hosts.Kvm;

/// <summary>Finds a guest's QEMU process, reads its command line, derives the command line of a new QEMU for the same
/// guest (migration target, live update, lab clone) and starts it daemonized.</summary>
internal static partial class QemuProcess
{
    public static string SocketPath(string endpoint) => endpoint.StartsWith("unix:", StringComparison.Ordinal) ? endpoint[5..] : endpoint;

    /// <summary>The live QEMU process of a guest: the pid in its pid file when that process is a QEMU listening on the
    /// guest's QMP socket (a pid file is not trusted: the pid may have been reused, or the file written by someone
    /// else), otherwise the QEMU process whose command line names the socket.</summary>
    public static int? FindPid(string? pidFile, string qmpEndpoint)
    {
        string sock = SocketPath(qmpEndpoint);
        if (pidFile is not null && File.Exists(pidFile)
            && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && IsAlive(pid)
            && TryReadCommandLine(pid) is { Count: > 0 } cmd && cmd[0].Contains("qemu-system", StringComparison.Ordinal)
            && (qmpEndpoint.StartsWith("tcp:", StringComparison.Ordinal) || cmd.Exists(a => a.Contains(sock, StringComparison.Ordinal))))
        {
            return pid;
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int p))
            {
                continue;
            }

            var argv = TryReadCommandLine(p);
            if (argv is { Count: > 0 } && argv[0].Contains("qemu-system", StringComparison.Ordinal)
                && argv.Exists(a => a.Contains(sock, StringComparison.Ordinal)) && IsAlive(p))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>The run state (<c>query-status</c>) a QEMU reports on its QMP unix socket, asked synchronously; null when
    /// it does not answer within <paramref name="timeout"/> (another client holds the monitor, or it is gone).</summary>
    public static string? TryQueryStatus(string socketPath, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            socket.ReceiveTimeout = socket.SendTimeout = (int)timeout.TotalMilliseconds;
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? Reply()
            {
                // the next line that is a command's reply (events are skipped)
                while (deadline.Elapsed < timeout && reader.ReadLine() is { } line)
                {
                    if (line.Contains("\"return\"", StringComparison.Ordinal) || line.Contains("\"error\"", StringComparison.Ordinal))
                    {
                        return line;
                    }
                }

                return null;
            }

            if (reader.ReadLine() is not { } greeting || !greeting.Contains("\"QMP\"", StringComparison.Ordinal))
            {
                return null;
            }

            stream.Write("{\"execute\": \"qmp_capabilities\"}\n"u8);
            if (Reply() is null)
            {
                return null;
            }

            stream.Write("{\"execute\": \"query-status\"}\n"u8);
            if (Reply() is not { } reply)
            {
                return null;
            }

            using var doc = System.Text.Json.JsonDocument.Parse(reply);
            return doc.RootElement.TryGetProperty("return", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.Object
                && r.TryGetProperty("status", out var st) ? st.GetString() : null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException or ObjectDisposedException)
        {
            return null;
        }
    }

    public static List<string>? TryReadCommandLine(int pid)
    {
        try
        {
            byte[] raw = File.ReadAllBytes("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/cmdline");
            return [.. Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.None).SkipLast(1)];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Alive and not a zombie (a daemonized QEMU is reaped by PID 1, sometimes late).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string s = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
            int close = s.LastIndexOf(')');
            return close > 0 && close + 2 < s.Length && s[close + 2] != 'Z' && s[close + 2] != 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    public static string? MemPath(IReadOnlyList<string> argv)
    {
        foreach (string a in argv)
        {
            var m = MemPathRegex().Match(a);
            if (a.StartsWith("memory-backend-file", StringComparison.Ordinal) && m.Success)
            {
                return m.Groups[1].Value;
            }
        }

        return null;
    }

    /// <summary>Rewrites a QEMU command line (without argv[0]) for a new process of the same guest.</summary>
    public static List<string> Rewrite(IReadOnlyList<string> argv, RewriteSpec spec)
    {
        var outArgs = new List<string>();
        bool hasPidFile = false;
        bool hasLog = false;
        for (int i = 1; i < argv.Count; i++)
        {
            string a = argv[i];
            string? v = i + 1 < argv.Count ? argv[i + 1] : null;
            switch (a)
            {
                case "-daemonize" or "-S":
                    continue;
                case "-incoming":
                    i++;
                    continue;
                case "-netdev" or "-nic" or "-net" when spec.NoNetwork:
                    i++;
                    continue;
                case "-device" when spec.NoNetwork && v is not null && v.Contains("netdev=", StringComparison.Ordinal):
                    i++;
                    continue;
                case "-pidfile":
                    outArgs.Add(a);
                    outArgs.Add(spec.PidFile);
                    hasPidFile = true;
                    i++;
                    continue;
                case "-D":
                    outArgs.Add(a);
                    outArgs.Add(spec.LogFile);
                    hasLog = true;
                    i++;
                    continue;
                case "-name" when spec.Name is not null:
                    outArgs.Add(a);
                    outArgs.Add(spec.Name);
                    i++;
                    continue;
            }

            foreach (var (from, to) in spec.Replacements)
            {
                a = a.Replace(from, to, StringComparison.Ordinal);
            }

            outArgs.Add(a);
        }

        if (!hasPidFile)
        {
            outArgs.AddRange(["-pidfile", spec.PidFile]);
        }

        if (!hasLog)
        {
            outArgs.AddRange(["-D", spec.LogFile]);
        }

        if (spec.NoNetwork)
        {
            outArgs.AddRange(["-nic", "none"]);
        }

        if (spec.CprSocket is not null)
        {
            // cpr-transfer: the new QEMU reads the old one's file descriptors from this socket before anything else
            outArgs.AddRange(["-incoming", new System.Text.Json.Nodes.JsonObject
            {
                ["channel-type"] = "cpr",
                ["addr"] = new System.Text.Json.Nodes.JsonObject { ["transport"] = "socket", ["type"] = "unix", ["path"] = spec.CprSocket },
            }.ToJsonString()]);
        }

        if (spec.Incoming is not null)
        {
            outArgs.AddRange(["-incoming", spec.Incoming]);
        }

        if (spec.Paused)
        {
            outArgs.Add("-S");
        }

        foreach (string d in spec.DataDirectories)
        {
            bool present = false;
            for (int i = 0; i + 1 < outArgs.Count && !present; i++)
            {
                present = outArgs[i] == "-L" && outArgs[i + 1] == d;
            }

            if (!present)
            {
                outArgs.AddRange(["-L", d]);
            }
        }

        outArgs.Add("-daemonize");
        return outArgs;
    }

    /// <summary>Starts a daemonizing program and waits for the parent to return (QEMU returns once it is initialised).</summary>
    public static async Task<string> RunAsync(string binary, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new KvmConnectionException(binary, "could not start", null);
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string err = (await stderr.ConfigureAwait(false)).Trim();
        string output = await stdout.ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            // .NET reports a process ended by a signal as 128 + the signal's number
            throw new InvalidOperationException(Path.GetFileName(binary) + (p.ExitCode > 128 ? " was killed (signal " + (p.ExitCode - 128).ToString(CultureInfo.InvariantCulture) + ")" : " exited " + p.ExitCode.ToString(CultureInfo.InvariantCulture)) + (err.Length > 0 ? ": " + err : string.Empty));
        }

        return output;
    }

    public static async Task WaitForExitAsync(int pid, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        while (IsAlive(pid))
        {
            if (time.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException("QEMU process " + pid.ToString(CultureInfo.InvariantCulture) + " did not exit within " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task WaitForSocketAsync(string path, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        while (!File.Exists(path) || !IsListening(path))
        {
            if (time.GetElapsedTime(start) > timeout)
            {
                throw new KvmConnectionException("unix:" + path, "the socket did not appear within " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s", null);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the unix socket bound at <paramref name="path"/> listens yet: bind makes the file before listen,
    /// and a connect between the two is refused. Read from /proc/net/unix (a listening socket's flags are
    /// <c>00010000</c>); where that cannot be read, the file is taken for a listening socket.</summary>
    private static bool IsListening(string path)
    {
        string suffix = " " + Path.GetFullPath(path);
        try
        {
            foreach (string line in File.ReadLines("/proc/net/unix"))
            {
                // Num RefCount Protocol Flags Type St Inode Path
                if (line.EndsWith(suffix, StringComparison.Ordinal)
                    && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, _, "00010000", ..])
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Parses <c>QEMU emulator version 7.2.22 (Debian ...)</c>.</summary>
    public static string ParseVersion(string output)
    {
        var m = VersionRegex().Match(output);
        return m.Success ? m.Groups[1].Value : string.Empty;
    }

    /// <summary>The unix socket paths QEMU listens on (<c>unix:PATH,server=on</c>, <c>socket,path=PATH,server=on</c>):
    /// a second process of the same guest must listen elsewhere (binding unlinks the old path, and the old process removes
    /// its socket files when it exits).</summary>
    public static List<string> ServerSocketPaths(IReadOnlyList<string> argv)
    {
        var paths = new List<string>();
        foreach (string a in argv)
        {
            if (!a.Contains(",server", StringComparison.Ordinal) || a.Contains("server=off", StringComparison.Ordinal))
            {
                continue;
            }

            var m = ServerSocketRegex().Match(a);
            if (m.Success && !paths.Contains(m.Groups[1].Value))
            {
                paths.Add(m.Groups[1].Value);
            }
        }

        return paths;
    }

    [GeneratedRegex(@"(?:^unix:|[,]path=)([^,]+)")]
    private static partial Regex ServerSocketRegex();

    [GeneratedRegex(@"mem-path=([^,]+)")]
    private static partial Regex MemPathRegex();

    [GeneratedRegex(@"version (\d+\.\d+\.\d+)")]
    private static partial Regex VersionRegex();
}

/// <summary>How to derive a new QEMU's command line.</summary>
internal sealed class RewriteSpec
{
    public required string PidFile { get; init; }

    public required string LogFile { get; init; }

    public List<(string From, string To)> Replacements { get; } = [];

    public string? Incoming { get; init; }

    /// <summary>The unix socket of a <c>cpr-transfer</c> live update's cpr channel (a second <c>-incoming</c>).</summary>
    public string? CprSocket { get; set; }

    public string? Name { get; init; }

    public bool NoNetwork { get; init; }

    /// <summary>Whether the new process starts with its vCPUs stopped (<c>-S</c>).</summary>
    public bool Paused { get; init; }

    /// <summary>Firmware folders (<c>-L</c>) the new process needs, added when not there yet.</summary>
    public IReadOnlyList<string> DataDirectories { get; init; } = [];
}
