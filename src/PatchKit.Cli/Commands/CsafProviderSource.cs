using PatchKit.Advisories.Catalogs;
using PatchKit.Advisories.OpenPgp;
using PatchKit.Cli.Rendering;

namespace PatchKit.Cli.Commands;

/// <summary>A CSAF provider as an advisory source of the CLI: downloaded over HTTP(S) into a mirror folder (provider metadata, ROLIE
/// feeds or directory index, documents, hash, signature and key files), then checked: each document's <c>.sha512</c>/<c>.sha256</c>,
/// and its OpenPGP signature when the provider names keys in <c>public_openpgp_keys</c> or the user gives some.</summary>
internal static class CsafProviderSource
{
    /// <summary>What the check of a mirror found.</summary>
    /// <param name="Entries">One per document a feed lists.</param>
    /// <param name="Problems">Key problems (a key not fetched, another fingerprint) and each document's problem, naming its URL.</param>
    /// <param name="Keys">The fingerprints signatures were checked with; empty when they were not checked.</param>
    internal sealed record Checked(List<CsafMirrorEntry> Entries, List<string> Problems, IReadOnlyList<string> Keys)
    {
        public IEnumerable<string> UsableDocuments => Entries.Where(static e => e.Problem is null && e.HashVerified && e.LocalPath is not null).Select(static e => e.LocalPath!);
    }

    /// <summary>Whether a command-line advisory source is an http(s) URL (a provider's metadata) rather than a path.</summary>
    public static bool IsUrl(string source, out Uri url)
    {
        url = null!;
        return (source.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(source, UriKind.Absolute, out url!);
    }

    /// <summary>The default mirror folder of a provider: <c>$XDG_CACHE_HOME/patchkit/csaf/HOST[_PORT]</c> (else <c>~/.cache/…</c>).</summary>
    public static string DefaultFolder(Uri url)
    {
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "patchkit", "csaf", url.IsDefaultPort ? url.Host : $"{url.Host}_{url.Port}");
    }

    public static CsafDownloadResult Download(Uri url, string folder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("patchkit/" + CliVersion.Text);
        return new CsafProviderDownloader(http, folder) { Timeout = timeout }.DownloadAsync(url, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Checks a mirror folder: hashes always; signatures with the provider's keys and <paramref name="keyFiles"/> when there are any.</summary>
    /// <exception cref="CliInputException">A key file given by the user is missing or holds no OpenPGP key.</exception>
    public static Checked Check(string folder, IReadOnlyList<string> keyFiles, CancellationToken cancellationToken)
    {
        IReadOnlyList<CsafPublicKey> providerKeys = new CsafProviderMirror(folder).PublicKeysAsync(cancellationToken).GetAwaiter().GetResult();
        var problems = new List<string>();
        OpenPgpSignatureVerifier? verifier = null;
        if (providerKeys.Count > 0 || keyFiles.Count > 0)
        {
            verifier = OpenPgpSignatureVerifier.ForProvider(providerKeys, out IReadOnlyList<string> keyProblems);
            problems.AddRange(keyProblems);
            foreach (string keyFile in keyFiles)
            {
                try
                {
                    using FileStream file = File.OpenRead(keyFile);
                    verifier.AddKeys(file, keyFile);
                }
                catch (Exception e) when (e is OpenPgpKeyException or IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException(e is OpenPgpKeyException ? e.Message : $"{keyFile}: {ErrorText.Describe(e)}");
                }
            }
        }

        var mirror = new CsafProviderMirror(folder) { SignatureVerifier = verifier };
        var entries = new List<CsafMirrorEntry>();
        IAsyncEnumerator<CsafMirrorEntry> walk = mirror.CheckAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (walk.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                entries.Add(walk.Current);
                if (walk.Current.Problem is { } p)
                {
                    problems.Add($"{walk.Current.Url}: {p}");
                }
            }
        }
        finally
        {
            walk.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return new Checked(entries, problems, verifier?.Fingerprints ?? []);
    }

    /// <summary>One line per document and a summary, as <c>patchkit advisories fetch</c> prints them.</summary>
    public static void Print(TextWriter output, Checked result)
    {
        foreach (CsafMirrorEntry entry in result.Entries)
        {
            string line = entry.Problem is { } p
                ? $"problem: {entry.Url}: {p}"
                : $"ok: {entry.Url}: {entry.HashAlgorithm} verified" + (entry.Signature is { } s ? ", " + s.Detail : string.Empty);
            output.WriteLine(TerminalText.Message(line));
        }

        int good = result.Entries.Count(static e => e.Problem is null);
        output.WriteLine(result.Keys.Count > 0
            ? $"{good} of {result.Entries.Count} document(s) verified (hash and OpenPGP signature, {result.Keys.Count} trusted key(s))"
            : $"{good} of {result.Entries.Count} document(s) verified (hash only: the provider names no OpenPGP key in public_openpgp_keys and no --key was given)");
    }
}
