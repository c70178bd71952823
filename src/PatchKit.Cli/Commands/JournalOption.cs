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

    public static JournalOption Open(CliContext context, string value)
    {
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
        return new JournalOption(new FileRunJournal(file), file, file);
    }

    /// <summary>Whether the journal already holds records of the run (a resume).</summary>
    public bool HasRun(string runId, CancellationToken cancellationToken) => Journal switch
    {
        FileRunJournal f => File.Exists(f.FilePath) && new FileInfo(f.FilePath).Length > 0,
        _ => Journal.ReadAsync(runId, cancellationToken).AsTask().GetAwaiter().GetResult().Records.Count > 0,
    };

    public void Dispose()
    {
        (Journal as IDisposable)?.Dispose();
        _owner?.Dispose();
    }
}
