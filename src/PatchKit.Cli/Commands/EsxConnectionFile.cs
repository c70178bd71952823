using System.Text.Json;
using System.Text.Json.Serialization;
using PatchKit.Hosts;
using PatchKit.Hosts.Esx;
using PatchKit.Internal;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit run --esx FILE`: where the vCenter (or ESXi host) is and how to reach each host's shell. Passwords
/// are named by environment variable or file, never written here.</summary>
internal sealed class EsxConnectionFile
{
    public required string Endpoint { get; set; }

    public required string UserName { get; set; }

    public string? PasswordEnvironment { get; set; }

    public string? PasswordFile { get; set; }

    public string? ThumbprintSha256 { get; set; }

    public bool AllowPlainHttp { get; set; }

    public bool AllowApiInstall { get; set; }

    public List<EsxSshEntry>? Ssh { get; set; }

    public static EsxConnectionFile Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, EsxConnectionJsonContext.Default.EsxConnectionFile)
            ?? throw new JsonException("the file holds null, not a connection object");

    /// <summary>What is wrong with the file beyond its JSON syntax, one sentence a problem.</summary>
    public static List<string> Validate(EsxConnectionFile f)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(f.Endpoint, UriKind.Absolute, out _))
        {
            problems.Add("$.endpoint is not an absolute URL (e.g. https://vcenter.example.com/sdk)");
        }

        if ((f.PasswordEnvironment is null) == (f.PasswordFile is null))
        {
            problems.Add("$: name the password by exactly one of passwordEnvironment or passwordFile");
        }

        foreach (var (s, i) in (f.Ssh ?? []).Select((s, i) => (s, i)))
        {
            if (s.HostKeySha256 is null && s.KnownHostsPath is null)
            {
                problems.Add($"$.ssh[{i}] pins no host key: set hostKeySha256 or knownHostsPath");
            }
        }

        return problems;
    }

    public EsxHostAdapterOptions ToOptions(Func<string, string> resolvePath)
    {
        var o = new EsxHostAdapterOptions
        {
            Endpoint = new Uri(Endpoint),
            UserName = UserName,
            Password = Secret(PasswordEnvironment, PasswordFile, resolvePath) ?? throw new InvalidOperationException(),
            ThumbprintSha256 = ThumbprintSha256,
            AllowPlainHttp = AllowPlainHttp,
            AllowApiInstall = AllowApiInstall,
        };
        foreach (var s in Ssh ?? [])
        {
            o.Ssh[s.HostName] = new EsxSshOptions
            {
                Host = s.Host ?? s.HostName,
                Port = s.Port,
                UserName = s.UserName,
                Password = Secret(s.PasswordEnvironment, s.PasswordFile, resolvePath),
                PrivateKeyPath = s.PrivateKeyPath is { } k ? resolvePath(k) : null,
                HostKeySha256 = s.HostKeySha256,
                KnownHostsPath = s.KnownHostsPath is { } kh ? resolvePath(kh) : null,
            };
        }

        return o;
    }

    private static Secret? Secret(string? environment, string? file, Func<string, string> resolvePath) =>
        environment is { } e ? Hosts.Secret.FromEnvironment(e) : file is { } f ? Hosts.Secret.FromFile(resolvePath(f)) : null;
}

/// <summary>One host's SSH access in an <see cref="EsxConnectionFile"/>.</summary>
internal sealed class EsxSshEntry
{
    public required string HostName { get; set; }

    public string? Host { get; set; }

    public int Port { get; set; } = 22;

    public required string UserName { get; set; }

    public string? PasswordEnvironment { get; set; }

    public string? PasswordFile { get; set; }

    public string? PrivateKeyPath { get; set; }

    public string? HostKeySha256 { get; set; }

    public string? KnownHostsPath { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(EsxConnectionFile))]
internal sealed partial class EsxConnectionJsonContext : JsonSerializerContext
{
}
