using System.Diagnostics;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Advisories.OpenPgp;

/// <summary>The real <c>gpg</c> of this machine in a throw-away home folder: makes keys, exports them and signs files as a CSAF
/// provider does (<c>gpg --armor --detach-sign</c>).</summary>
public sealed class Gpg : IDisposable
{
    private readonly TempDir _home = new();

    public static bool IsInstalled => Find("gpg") is not null;

    /// <summary>Generates a key that signs (no passphrase, no expiry) and returns its fingerprint.</summary>
    public string GenerateKey(string userId, string algorithm)
    {
        Run("--quick-gen-key", userId, algorithm, "sign", "never");
        string colons = Run("--with-colons", "--fingerprint", userId);
        return colons.Split('\n').First(static l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    public byte[] ExportArmored(string fingerprint) => System.Text.Encoding.ASCII.GetBytes(Run("--armor", "--export", fingerprint));

    /// <summary>Writes <paramref name="file"/>.asc, an ASCII-armoured detached signature by <paramref name="fingerprint"/>.</summary>
    public void Sign(string fingerprint, string file) => Run("--local-user", fingerprint, "--armor", "--detach-sign", "--output", file + ".asc", file);

    public void Dispose()
    {
        try
        {
            using Process? p = Process.Start(new ProcessStartInfo("gpgconf", ["--homedir", _home.Path, "--kill", "gpg-agent"]) { UseShellExecute = false, RedirectStandardError = true });
            p?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        _home.Dispose();
    }

    private string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("gpg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["--homedir", _home.Path, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", string.Empty, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("gpg did not start");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"gpg {string.Join(' ', args)}: exit {p.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}

/// <summary>A test that needs the real gpg: skipped with the reason when it is missing, except under CI (<c>CI=true</c>), where it runs
/// and fails (test.sh installs gnupg).</summary>
public sealed class GpgFactAttribute : FactAttribute
{
    public GpgFactAttribute(string? corpus = null)
    {
        if (!Gpg.IsInstalled && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "gpg is not installed (test.sh installs gnupg)";
        }
        else if (corpus is not null && Corpus.Find(corpus) is null)
        {
            Skip = $"corpus entry '{corpus}' is absent";
        }
    }
}
