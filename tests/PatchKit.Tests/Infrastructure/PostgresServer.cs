using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PatchKit.Lifecycle.Postgres;

namespace PatchKit.Tests.Infrastructure;

/// <summary>A real PostgreSQL server of the tests' own (tests/fixtures/postgres): <c>initdb</c> into a temporary
/// folder, <c>pg_ctl start</c> on a free port of 127.0.0.1 with the socket in that folder, SCRAM password
/// authentication with the password in a file; as root, run as the unprivileged <c>postgres</c> user (or
/// <c>nobody</c>). Never the machine's own service. One server per test collection.</summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly Lazy<string?> s_binDir = new(FindBinDir);
    private readonly string? _user;
    private int _databases;

    public PostgresServer()
    {
        if (BinDir is null)
        {
            Problem = Missing;
            return;
        }

        Folder = Directory.CreateTempSubdirectory("patchkit-pg-").FullName;
        _user = Environment.UserName == "root" || geteuid() == 0 ? (UserExists("postgres") ? "postgres" : "nobody") : null;
        try
        {
            PasswordFile = Path.Combine(Folder, "password");
            File.WriteAllText(PasswordFile, Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "\n");
            if (_user is not null)
            {
                Run("chown", "-R", _user, Folder);
            }

            RunAs(Path.Combine(BinDir, "initdb"), "-D", DataDir, "-U", "patchkit", "--pwfile=" + PasswordFile, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions");
            Port = FreePort();
            Start();
        }
        catch (Exception ex)
        {
            Problem = "the test PostgreSQL server did not start: " + ex.Message;
        }
    }

    public static string? BinDir => s_binDir.Value;

    public static string Missing => "PostgreSQL 15's server programs are not installed (tests/fixtures/postgres/setup.sh installs them; test.sh runs it)";

    public string? Problem { get; }

    public string Folder { get; } = string.Empty;

    public string DataDir => Path.Combine(Folder, "data");

    public string PasswordFile { get; } = string.Empty;

    public int Port { get; }

    /// <summary>Fails the test (with the reason) when the server could not start.</summary>
    public void Require()
    {
        if (Problem is not null)
        {
            Assert.Fail(Problem);
        }
    }

    /// <summary>Creates a new database and returns options to reach it (the password by reference to the file).</summary>
    public PostgresJournalOptions NewDatabase(string prefix = "t")
    {
        Require();
        string name = prefix + "_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..6];
        Psql("CREATE DATABASE " + name);
        return Options(name);
    }

    public PostgresJournalOptions Options(string database) =>
        new() { Host = "127.0.0.1", Port = Port, Database = database, Username = "patchkit", PasswordFile = PasswordFile };

    public string Url(string database) => string.Create(CultureInfo.InvariantCulture, $"postgres://patchkit@127.0.0.1:{Port}/{database}?password-file={Uri.EscapeDataString(PasswordFile)}");

    /// <summary>Runs SQL through psql as the superuser over the socket folder.</summary>
    public string Psql(string sql, string database = "postgres")
    {
        var env = new Dictionary<string, string> { ["PGPASSWORD"] = File.ReadAllText(PasswordFile).Trim() };
        return Run(env, "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "patchkit", "-d", database, "-c", sql).Trim();
    }

    public void Stop() => RunAs(Path.Combine(BinDir!, "pg_ctl"), "-D", DataDir, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary>Starts the server (again). Autovacuum is off: its workers' transactions would count in the databases'
    /// statistics that tests read (a test server's tables are small and short-lived).</summary>
    public void Start() => RunAs(Path.Combine(BinDir!, "pg_ctl"), "-D", DataDir, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {Folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c autovacuum=off"), "start");

    public void Dispose()
    {
        if (Folder.Length == 0)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
            {
                RunAs(Path.Combine(BinDir!, "pg_ctl"), "-D", DataDir, "-m", "immediate", "-w", "stop");
            }
        }
        catch (InvalidOperationException)
        {
        }

        Directory.Delete(Folder, recursive: true);
    }

    [System.Runtime.InteropServices.DllImport("libc")]
#pragma warning disable SYSLIB1054, CA5392 // libc's geteuid: no marshalling, nothing to generate
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054, CA5392

    private static string? FindBinDir()
    {
        string? env = Environment.GetEnvironmentVariable("PATCHKIT_PG_BINDIR");
        if (env is not null)
        {
            // A named folder is the only one looked at (a folder without the programs: PostgreSQL counts as missing).
            return File.Exists(Path.Combine(env, "initdb")) ? env : null;
        }

        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderBy(d => d.Contains("/15/", StringComparison.Ordinal) ? 0 : 1).FirstOrDefault();
    }

    private static bool UserExists(string name) => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private string RunAs(string program, params string[] args) =>
        _user is null ? Run(program, args) : Run("runuser", ["-u", _user, "--", program, .. args]);

    private static string Run(string program, params string[] args) => Run(new Dictionary<string, string>(), program, args);

    private static string Run(Dictionary<string, string> env, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', args.Where(a => !a.StartsWith("--pwfile", StringComparison.Ordinal)).Take(6))} exited {p.ExitCode}: {err.Result.Trim()} {output.Trim()}");
        }

        return output;
    }
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
}

/// <summary>A fact that needs the test PostgreSQL server: skipped with the reason when its programs are not installed,
/// except under CI (<c>CI=true</c>), where it runs and fails.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.BinDir is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = PostgresServer.Missing;
        }
    }
}

/// <summary>The theory counterpart of <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.BinDir is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = PostgresServer.Missing;
        }
    }
}
