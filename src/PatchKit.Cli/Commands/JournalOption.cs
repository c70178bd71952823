using PatchKit.Lifecycle.Journal;
using PatchKit.Lifecycle.Postgres;
using PatchKit.Lifecycle.Sqlite;

namespace PatchKit.Cli.Commands;

/// <summary>What `--journal` names: a file (the default), <c>sqlite:PATH</c> (one SQLite database), or
/// <c>postgres://USER@HOST:PORT/DB?password-env=VAR</c> (a shared PostgreSQL database; the password by reference).</summary>
internal sealed class JournalOption : IDisposable
{
    private IDisposable? _owner;

    private JournalOption(IRunJournal journal, string display, string? localPath)
    {
        Journal = journal;
        Display = display;
        LocalPath = localPath;
    }

    public IRunJournal Journal { get; }

    /// <summary>Gets what to print for the journal (no credential).</summary>
    public string Display { get; }

    /// <summary>Gets the shared PostgreSQL database when the journal is one, else <see langword="null"/>.</summary>
    public PostgresRunStore? Store => _owner as PostgresRunStore;

    /// <summary>Gets the journal's file on this machine, or <see langword="null"/> for a database server.</summary>
    public string? LocalPath { get; }

    public static JournalOption Open(CliContext context, string value) => Open(context, value, default);

    /// <summary>Opens the journal; <paramref name="key"/> (a file journal only) authenticates its records.</summary>
    public static JournalOption Open(CliContext context, string value, ReadOnlyMemory<byte> key)
    {
        if (!key.IsEmpty && (value.StartsWith("sqlite:", StringComparison.Ordinal) || value.StartsWith("postgres://", StringComparison.Ordinal)
            || value.StartsWith("postgresql://", StringComparison.Ordinal)))
        {
            throw new ArgReaderException("a journal key authenticates a file journal only; the database journals are protected by the database's own access control");
        }

        if (value.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            string path = value["sqlite:".Length..];
            if (path.Length == 0)
            {
                throw new ArgReaderException("option '--journal' sqlite: needs a database file (sqlite:run.db)");
            }

            path = context.Resolve(path);
            return new JournalOption(new SqliteRunJournal(path), "sqlite:" + path, path);
        }

        if (value.StartsWith("postgres://", StringComparison.Ordinal) || value.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            PostgresJournalOptions options;
            try
            {
                options = PostgresJournalOptions.Parse(value);
            }
            catch (ArgumentException ex)
            {
                throw new ArgReaderException("option '--journal': " + ex.Message.Split(" (Parameter", 2)[0]);
            }

            var store = PostgresRunStore.OpenAsync(options, null, context.CancellationToken).GetAwaiter().GetResult();
            return new JournalOption(store.Journal, "postgres://" + options.Username + "@" + options.Endpoint, null) { _owner = store };
        }

        string file = context.Resolve(value);
        return new JournalOption(new FileRunJournal(file, new FileRunJournalOptions { AuthenticationKey = key }), file, file);
    }

    /// <summary>What the journal holds of the run, read once: whether it holds records of it (a resume; for a file
    /// journal, whether the file has any record), the record that says the run finished (none when an attempt started
    /// after it), how many attempts the run took, and the fingerprint of the inputs it started with (journals written
    /// before fingerprints were kept have none).</summary>
    public (bool Exists, JournalRecord? Completed, int Attempts, RunInputs? Inputs) ReadRun(string runId, CancellationToken cancellationToken)
    {
        if (Journal is FileRunJournal f && !(File.Exists(f.FilePath) && new FileInfo(f.FilePath).Length > 0))
        {
            return (false, null, 0, null);
        }

        var records = Journal.ReadAsync(runId, cancellationToken).AsTask().GetAwaiter().GetResult().Records;
        JournalRecord? completed = null;
        string? inputs = null;
        int attempts = 0;
        foreach (var r in records)
        {
            if (r.Kind == JournalRecordKind.RunStarted)
            {
                attempts++;
                completed = null;
            }
            else if (r.Kind == JournalRecordKind.RunCompleted)
            {
                completed = r;
            }
            else if (r.Kind == JournalRecordKind.Decision && r.Key == RunInputs.DecisionKey)
            {
                inputs = r.Data;
            }
        }

        return (Journal is FileRunJournal || records.Count > 0, completed, attempts, RunInputs.FromJson(inputs));
    }

    /// <summary>Journals the fingerprint of the inputs a run starts with (a decision record, readable by every journal
    /// kind; older versions of PatchKit ignore it).</summary>
    public void WriteInputs(string runId, RunInputs inputs, DateTimeOffset at, CancellationToken cancellationToken) =>
        Journal.AppendAsync(new JournalRecord
        {
            Format = JournalRecord.CurrentFormat,
            RunId = runId,
            Kind = JournalRecordKind.Decision,
            At = at,
            Key = RunInputs.DecisionKey,
            Message = "fleet, catalog and policy the run started with",
            Data = inputs.ToJson(),
        }, cancellationToken).AsTask().GetAwaiter().GetResult();

    public void Dispose()
    {
        (Journal as IDisposable)?.Dispose();
        _owner?.Dispose();
    }

    /// <summary>The key of `--journal-key-env VAR` or `--journal-key-file PATH` (at least 16 bytes), or empty.</summary>
    public static ReadOnlyMemory<byte> ReadKey(CliContext context, string? environment, string? file)
    {
        if (environment is not null && file is not null)
        {
            throw new ArgReaderException("give either '--journal-key-env' or '--journal-key-file', not both");
        }

        byte[] key;
        string from;
        if (environment is not null)
        {
            string? v = Environment.GetEnvironmentVariable(environment);
            if (string.IsNullOrEmpty(v))
            {
                throw new ArgReaderException("option '--journal-key-env': the environment variable " + environment + " is not set");
            }

            key = System.Text.Encoding.UTF8.GetBytes(v);
            from = "the environment variable " + environment;
        }
        else if (file is not null)
        {
            key = InputFile.ReadAllBytes(context, file, "journal key file");
            int n = key.Length;
            while (n > 0 && key[n - 1] is (byte)'\n' or (byte)'\r')
            {
                n--;
            }

            key = key[..n];
            from = "the file " + file;
        }
        else
        {
            return default;
        }

        return key.Length >= 16 ? key : throw new ArgReaderException("the journal key in " + from + " is " + key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes; it must be at least 16");
    }
}
