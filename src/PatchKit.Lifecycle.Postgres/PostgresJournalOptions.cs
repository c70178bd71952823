using System.Globalization;
using Npgsql;

namespace PatchKit.Lifecycle.Postgres;

/// <summary>Where the shared journal is and how to log in. The password is never part of the options: it is read,
/// when a connection is opened, from an environment variable or a file named here.</summary>
public sealed class PostgresJournalOptions
{
    /// <summary>Gets or sets the server's host name or address, or a folder holding its Unix socket.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>Gets or sets the server's port.</summary>
    /// <value>The default value is 5432.</value>
    public int Port { get; set; } = 5432;

    /// <summary>Gets or sets the database.</summary>
    public string Database { get; set; } = "patchkit";

    /// <summary>Gets or sets the user name.</summary>
    public string Username { get; set; } = "patchkit";

    /// <summary>Gets or sets the environment variable holding the password, or <see langword="null"/>.</summary>
    public string? PasswordEnvironmentVariable { get; set; }

    /// <summary>Gets or sets the file holding the password (its first line), or <see langword="null"/>.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Gets or sets how long a connection attempt may take.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets where the database is, for messages: <c>host:port/database</c> (never a credential).</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}/{Database}");

    /// <summary>Parses <c>postgres://USER@HOST:PORT/DATABASE?password-env=VAR</c> or
    /// <c>?password-file=PATH</c>. A password written in the address itself is refused: it would end up in shell
    /// histories and process lists.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The address is not of that form, or holds a password.</exception>
    public static PostgresJournalOptions Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!(address.StartsWith("postgres://", StringComparison.Ordinal) || address.StartsWith("postgresql://", StringComparison.Ordinal))
            || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ArgumentException("the journal address is not of the form postgres://USER@HOST:PORT/DATABASE?password-env=VARIABLE", nameof(address));
        }

        var options = new PostgresJournalOptions { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException("the journal address holds a password; give it by reference instead: ?password-env=VARIABLE or ?password-file=PATH", nameof(address));
            }

            options.Username = Uri.UnescapeDataString(uri.UserInfo);
        }

        string db = uri.AbsolutePath.Trim('/');
        if (db.Length > 0)
        {
            options.Database = Uri.UnescapeDataString(db);
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "password-env":
                    options.PasswordEnvironmentVariable = value;
                    break;
                case "password-file":
                    options.PasswordFile = value;
                    break;
                case "host":
                    options.Host = value;
                    break;
                case "password":
                    throw new ArgumentException("the journal address holds a password; give it by reference instead: ?password-env=VARIABLE or ?password-file=PATH", nameof(address));
                default:
                    throw new ArgumentException($"the journal address has an unknown parameter '{key}' (known: password-env, password-file, host)", nameof(address));
            }
        }

        return options;
    }

    internal NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlSlimDataSourceBuilder();
        builder.EnableArrays();
        var cs = builder.ConnectionStringBuilder;
        cs.Host = Host;
        cs.Port = Port;
        cs.Database = Database;
        cs.Username = Username;
        cs.Timeout = Math.Max(1, (int)ConnectTimeout.TotalSeconds);
        cs.IncludeErrorDetail = false;
        cs.ApplicationName = "patchkit";
        cs.MaxPoolSize = 20;

        // PatchKit keeps no session state on a connection (no SET, no session advisory lock, no LISTEN, no temporary
        // table), so a connection given back to the pool needs no DISCARD ALL: that reset was one more statement and
        // one more transaction on the server for every journal group, claim and renewal.
        cs.NoResetOnClose = true;

        // The same few statements run all the time: prepared once per connection, they are parsed and planned once.
        cs.MaxAutoPrepare = 16;
        cs.AutoPrepareMinUsages = 2;

        // A process stopped inside a transaction (SIGSTOP, a VM paused, a partition) must not hold its locks for ever:
        // a claim holds the run's claim lock for a moment, and every other worker's claim waits on it. The server ends
        // such a session after 10 s idle in its transaction, which frees the locks; its lease then expires as usual.
        cs.Options = "-c idle_in_transaction_session_timeout=10000";
        string? password = ReadPassword();
        if (password is not null)
        {
            cs.Password = password;
        }

        return builder.Build();
    }

    private string? ReadPassword()
    {
        if (PasswordEnvironmentVariable is { Length: > 0 } variable)
        {
            return Environment.GetEnvironmentVariable(variable)
                ?? throw new PostgresJournalException($"The password of the journal database {Endpoint} is to be read from the environment variable {variable}, which is not set.");
        }

        if (PasswordFile is { Length: > 0 } file)
        {
            try
            {
                using var reader = new StreamReader(file);
                return reader.ReadLine() ?? string.Empty;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PostgresJournalException($"The password file '{file}' of the journal database {Endpoint} cannot be read: {ex.Message}", ex);
            }
        }

        return null;
    }
}
