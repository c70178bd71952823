using System.Security.Cryptography;
using System.Text;

namespace PatchKit.Hosts.Esx.Ssh;

/// <summary>Decides whether a server's host key is the pinned one: a SHA-256 fingerprint, or an entry of an OpenSSH
/// known_hosts file (plain or hashed host names, <c>[host]:port</c>).</summary>
internal sealed class HostKeyPin
{
    private readonly string? _sha256;
    private readonly List<byte[]> _knownKeys = [];

    private HostKeyPin(string? sha256) => _sha256 = sha256;

    public string Description { get; private init; } = string.Empty;

    public static HostKeyPin Create(EsxSshOptions options)
    {
        string endpoint = options.Host + ":" + options.Port;
        if (!string.IsNullOrWhiteSpace(options.HostKeySha256))
        {
            string fp = options.HostKeySha256.Trim();
            if (fp.StartsWith("SHA256:", StringComparison.Ordinal))
            {
                fp = fp[7..];
            }

            return new HostKeyPin(fp.TrimEnd('=')) { Description = "the pinned SHA256:" + fp.TrimEnd('=') };
        }

        if (string.IsNullOrWhiteSpace(options.KnownHostsPath))
        {
            throw new HostAdapterException("SSH to " + endpoint + " needs a pinned host key: set HostKeySha256 (as ssh-keygen -l -E sha256 prints it) or KnownHostsPath. PatchKit never trusts an unknown host key.");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(options.KnownHostsPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostAdapterException("The known_hosts file " + options.KnownHostsPath + " for SSH to " + endpoint + " cannot be read (" + ex.GetType().Name + ").");
        }

        var pin = new HostKeyPin(null) { Description = "the known_hosts file " + options.KnownHostsPath };
        string[] names = options.Port == 22 ? [options.Host, "[" + options.Host + "]:22"] : ["[" + options.Host + "]:" + options.Port];
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line.StartsWith('@'))
            {
                continue;
            }

            string[] f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 3 || !f[0].Split(',').Any(p => names.Any(n => Matches(p, n))))
            {
                continue;
            }

            try
            {
                pin._knownKeys.Add(Convert.FromBase64String(f[2]));
            }
            catch (FormatException)
            {
                // not a key
            }
        }

        return pin;
    }

    private static bool Matches(string pattern, string name)
    {
        if (pattern.StartsWith("|1|", StringComparison.Ordinal))
        {
            string[] p = pattern.Split('|');
            if (p.Length != 4)
            {
                return false;
            }

            try
            {
                byte[] hash = HMACSHA1.HashData(Convert.FromBase64String(p[2]), Encoding.UTF8.GetBytes(name));
                return CryptographicOperations.FixedTimeEquals(hash, Convert.FromBase64String(p[3]));
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The key blob as sent by the server (type string, then the key), and its SHA-256 fingerprint (unpadded base64).</summary>
    public bool Accepts(byte[] keyBlob, string fingerprintSha256)
    {
        if (_sha256 is not null)
        {
            return string.Equals(_sha256, fingerprintSha256.TrimEnd('='), StringComparison.Ordinal);
        }

        return _knownKeys.Any(k => k.AsSpan().SequenceEqual(keyBlob));
    }
}
