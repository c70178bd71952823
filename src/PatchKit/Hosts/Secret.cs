using PatchKit.Internal;

namespace PatchKit.Hosts;

/// <summary>A credential an adapter needs (a password, an API key, a private key's passphrase), loaded by reference
/// from an environment variable, a file or the caller's delegate: never written inline in a fleet file. Its
/// <see cref="ToString"/> prints <c>***</c>, and every value revealed is remembered so the lifecycle can redact it
/// from anything it records (journal, logs, report).</summary>
public sealed class Secret
{
    private readonly Func<CancellationToken, ValueTask<string>> _load;

    private Secret(string source, Func<CancellationToken, ValueTask<string>> load)
    {
        Source = source;
        _load = load;
    }

    /// <summary>Gets where the secret comes from, for error messages (<c>environment variable VC_PASSWORD</c>); never the value.</summary>
    public string Source { get; }

    /// <summary>Creates a secret read from an environment variable when revealed.</summary>
    /// <param name="name">The variable's name.</param>
    /// <returns>The secret.</returns>
    public static Secret FromEnvironment(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string source = "environment variable " + name;
        return new Secret(source, _ => ValueTask.FromResult(Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
            ? v
            : throw new HostAdapterException("The secret's " + source + " is not set; set it or name another source.")));
    }

    /// <summary>Creates a secret read from a file when revealed (one trailing line ending is removed).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The secret.</returns>
    public static Secret FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string source = "file " + path;
        return new Secret(source, async ct =>
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new HostAdapterException("The secret's " + source + " cannot be read (" + ex.GetType().Name + "); check that it exists and is readable.", null);
            }

            return text.TrimEnd('\n').TrimEnd('\r') is { Length: > 0 } v
                ? v
                : throw new HostAdapterException("The secret's " + source + " is empty.");
        });
    }

    /// <summary>Creates a secret the caller supplies when revealed (a vault client, a prompt).</summary>
    /// <param name="source">Where it comes from, for error messages.</param>
    /// <param name="load">Returns the value.</param>
    /// <returns>The secret.</returns>
    public static Secret FromDelegate(string source, Func<CancellationToken, ValueTask<string>> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(load);
        return new Secret(source, load);
    }

    /// <summary>Reads the value. Adapters call it just before they authenticate and keep it no longer than needed.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value.</returns>
    public async ValueTask<string> RevealAsync(CancellationToken cancellationToken)
    {
        string value = await _load(cancellationToken).ConfigureAwait(false);
        Redactor.Remember(value);
        return value;
    }

    /// <summary>Returns <c>***</c>, never the value.</summary>
    /// <returns><c>***</c>.</returns>
    public override string ToString() => Redactor.Mask;
}
