using System.Text.Json;
using PatchKit.Hosts;
using PatchKit.Hosts.Kvm;

namespace PatchKit.Cli.Commands;

/// <summary>A fleet file for real machines: <c>{"adapters": [{"kind": "kvm", ...}]}</c>, each entry naming an adapter
/// and its endpoints. Credentials are references only (<c>{"env": "NAME"}</c> or <c>{"file": "PATH"}</c>); an inline
/// value is refused. A file without <c>adapters</c> is a simulated fleet description.</summary>
internal sealed class RealFleet
{
    private RealFleet(List<IHostAdapter> adapters) => Adapters = adapters;

    public List<IHostAdapter> Adapters { get; }

    public static bool IsRealFleet(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("adapters", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads the file; relative paths in it are relative to the file's folder.</summary>
    public static RealFleet Parse(byte[] bytes, string path)
    {
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var adapters = new List<IHostAdapter>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var a in Array(doc.RootElement, "adapters", "$"))
        {
            string where = "adapters[" + i++ + "]";
            if (a.TryGetProperty("credentials", out var cred))
            {
                CheckCredentials(cred, where + ".credentials");
            }

            string kind = Str(a, "kind", where) ?? throw Bad(where + ".kind is required (\"kvm\", \"esx\" or \"windows\")");
            switch (kind)
            {
                case "kvm":
                    adapters.Add(new KvmHostAdapter(Kvm(a, where, baseDir, ids)));
                    break;
                case "esx":
                    adapters.Add(Esx(a, where, baseDir));
                    break;
                case "windows":
                    adapters.Add(new PatchKit.Hosts.Windows.WindowsHostAdapter(Windows(a, where, baseDir, ids)));
                    break;
                default:
                    throw Bad(where + ".kind '" + kind + "' is not an adapter this CLI has (kvm, esx, windows)");
            }
        }

        if (adapters.Count == 0)
        {
            throw Bad("'adapters' names no adapter");
        }

        return new RealFleet(adapters);
    }

    /// <summary>A vCenter (or ESXi host) by reference to its connection file (the one `run --esx` takes); paths in that
    /// file are relative to the fleet file's folder.</summary>
    private static PatchKit.Hosts.Esx.EsxHostAdapter Esx(JsonElement a, string where, string baseDir)
    {
        string file = Path.Combine(baseDir, Str(a, "connection", where) ?? throw Bad(where + ".connection is required (the path of an ESX connection file, like examples/esx.json)"));
        EsxConnectionFile connection;
        try
        {
            connection = EsxConnectionFile.Parse(File.ReadAllBytes(file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw Bad(where + ".connection '" + file + "' cannot be read: " + ex.Message);
        }

        var problems = EsxConnectionFile.Validate(connection);
        if (problems.Count > 0)
        {
            throw Bad(where + ".connection '" + file + "': " + string.Join("; ", problems));
        }

        try
        {
            return new PatchKit.Hosts.Esx.EsxHostAdapter(connection.ToOptions(p => Path.Combine(baseDir, p)));
        }
        catch (HostAdapterException ex)
        {
            throw Bad(where + ".connection '" + file + "': " + ex.Message);
        }
    }

    /// <summary>Windows machines (hosts or guests) by WinRM, or through the QEMU guest agent of their hypervisor:
    /// <c>{"kind": "windows", "hosts": [{"id", "name", "winrm", "authentication", "user", "password": {"env"|"file"},
    /// "thumbprintSha256", "allowUnencryptedHttp"} or {"id", "guestAgent": "unix:PATH"}]}</c>.</summary>
    internal static PatchKit.Hosts.Windows.WindowsHostAdapterOptions Windows(JsonElement a, string where, string baseDir, HashSet<string> ids)
    {
        var o = new PatchKit.Hosts.Windows.WindowsHostAdapterOptions();
        int h = 0;
        foreach (var el in Array(a, "hosts", where))
        {
            string hw = where + ".hosts[" + h++ + "]";
            var host = new PatchKit.Hosts.Windows.WindowsHostOptions { Id = Id(el, hw, ids) };
            host.Name = Str(el, "name", hw) ?? host.Id;
            if (Str(el, "guestAgent", hw) is { } agent)
            {
                host.GuestAgentEndpoint = Endpoint(agent, baseDir, hw + ".guestAgent");
            }
            else
            {
                string winrm = Str(el, "winrm", hw) ?? throw Bad(hw + ".winrm (the WinRM endpoint, https://HOST:5986/wsman) or .guestAgent is required");
                var c = host.Connection;
                c.Endpoint = Uri.TryCreate(winrm, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? u : throw Bad(hw + ".winrm '" + winrm + "' is not an http(s) URL");
                c.Authentication = Str(el, "authentication", hw) switch
                {
                    null or "negotiate" => PatchKit.Hosts.Windows.WinRmAuthentication.Negotiate,
                    "ntlm" => PatchKit.Hosts.Windows.WinRmAuthentication.Ntlm,
                    "basic" => PatchKit.Hosts.Windows.WinRmAuthentication.Basic,
                    var other => throw Bad(hw + ".authentication '" + other + "' is not negotiate, ntlm or basic"),
                };
                c.UserName = Str(el, "user", hw) ?? throw Bad(hw + ".user is required");
                if (!el.TryGetProperty("password", out var pw))
                {
                    throw Bad(hw + ".password is required ({\"env\": \"NAME\"} or {\"file\": \"PATH\"})");
                }

                CheckCredentials(pw, hw + ".password");
                c.Password = pw.TryGetProperty("env", out var env) ? Secret.FromEnvironment(env.GetString()!) : Secret.FromFile(Path.Combine(baseDir, pw.GetProperty("file").GetString()!));
                c.CertificateThumbprintSha256 = Str(el, "thumbprintSha256", hw);
                c.AllowUnencryptedHttp = el.TryGetProperty("allowUnencryptedHttp", out var plain) && (plain.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Bad(hw + ".allowUnencryptedHttp must be true or false"),
                });
            }

            o.Hosts.Add(host);
        }

        var problems = o.Validate();
        return problems.Count == 0 ? o : throw Bad(where + ": " + string.Join(" ", problems));
    }

    private static KvmHostAdapterOptions Kvm(JsonElement a, string where, string baseDir, HashSet<string> ids)
    {
        var o = new KvmHostAdapterOptions();
        if (Str(a, "qemuBinary", where) is { } q)
        {
            o.QemuBinary = q;
        }

        if (Str(a, "liveUpdateMode", where) is { } lum)
        {
            o.LiveUpdateMode = lum switch
            {
                "auto" => KvmLiveUpdateMode.Auto,
                "x-ignore-shared" => KvmLiveUpdateMode.IgnoreShared,
                "cpr-reboot" => KvmLiveUpdateMode.CprReboot,
                "cpr-transfer" => KvmLiveUpdateMode.CprTransfer,
                _ => throw Bad(where + ".liveUpdateMode '" + lum + "' is not one of auto, x-ignore-shared, cpr-reboot, cpr-transfer"),
            };
        }

        if (Str(a, "qemuImg", where) is { } qi)
        {
            o.QemuImgBinary = qi;
        }

        if (Str(a, "stateFile", where) is { } sf)
        {
            o.StateFile = Path.Combine(baseDir, sf);
        }

        if (a.TryGetProperty("maxBandwidth", out var bw))
        {
            o.MaxBandwidthBytesPerSecond = bw.ValueKind == JsonValueKind.Number && bw.TryGetInt64(out long bps) && bps > 0
                ? bps : throw Bad(where + ".maxBandwidth must be a positive number of bytes per second");
        }

        int h = 0;
        foreach (var hostEl in Array(a, "hosts", where))
        {
            string hw = where + ".hosts[" + h++ + "]";
            var host = new KvmHostDescription
            {
                Id = Id(hostEl, hw, ids),
                RunDirectory = Path.Combine(baseDir, Str(hostEl, "runDirectory", hw) ?? throw Bad(hw + ".runDirectory is required")),
                Cluster = Str(hostEl, "cluster", hw) ?? string.Empty,
                SharedStorage = !hostEl.TryGetProperty("sharedStorage", out var shared) || shared.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Bad(hw + ".sharedStorage must be true or false"),
                },
            };
            Commands(hostEl, "installCommand", hw, host.InstallCommand);
            Commands(hostEl, "rebootCommand", hw, host.RebootCommand);
            int g = 0;
            foreach (var guestEl in hostEl.TryGetProperty("guests", out _) ? Array(hostEl, "guests", hw) : [])
            {
                string gw = hw + ".guests[" + g++ + "]";
                var guest = new KvmGuestDescription
                {
                    Id = Id(guestEl, gw, ids),
                    Qmp = Endpoint(Str(guestEl, "qmp", gw) ?? throw Bad(gw + ".qmp is required (unix:PATH or tcp:HOST:PORT)"), baseDir, gw + ".qmp"),
                    Agent = Str(guestEl, "agent", gw) is { } ag ? Endpoint(ag, baseDir, gw + ".agent") : null,
                    PidFile = Str(guestEl, "pidFile", gw) is { } pf ? Path.Combine(baseDir, pf) : null,
                };
                if (Str(guestEl, "stateDirectory", gw) is { } sd)
                {
                    guest.StateDirectory = sd;
                }

                if (Str(guestEl, "patchRoot", gw) is { } pr)
                {
                    guest.PatchRoot = pr;
                }

                if (guestEl.TryGetProperty("labVerify", out _))
                {
                    foreach (var arg in Array(guestEl, "labVerify", gw))
                    {
                        guest.LabVerifyCommand.Add(arg.ValueKind == JsonValueKind.String ? arg.GetString()! : throw Bad(gw + ".labVerify must be an array of strings (program, then arguments)"));
                    }

                    if (guest.LabVerifyCommand.Count == 0)
                    {
                        throw Bad(gw + ".labVerify must name a program");
                    }
                }

                guest.SnapshotMode = Str(guestEl, "snapshots", gw) switch
                {
                    null or "internal" => KvmSnapshotMode.Internal,
                    "external" => KvmSnapshotMode.External,
                    _ => throw Bad(gw + ".snapshots must be \"internal\" or \"external\""),
                };

                if (guestEl.TryGetProperty("tags", out _))
                {
                    foreach (var t in Array(guestEl, "tags", gw))
                    {
                        guest.Tags.Add(t.GetString() ?? string.Empty);
                    }
                }

                host.Guests.Add(guest);
            }

            o.Hosts.Add(host);
        }

        return o;
    }

    /// <summary>Reads an optional command (program, then arguments) into <paramref name="into"/>.</summary>
    private static void Commands(JsonElement e, string name, string where, IList<string> into)
    {
        if (!e.TryGetProperty(name, out _))
        {
            return;
        }

        foreach (var arg in Array(e, name, where))
        {
            into.Add(arg.ValueKind == JsonValueKind.String ? arg.GetString()! : throw Bad(where + "." + name + " must be an array of strings (program, then arguments)"));
        }

        if (into.Count == 0)
        {
            throw Bad(where + "." + name + " must name a program");
        }
    }

    private static string Endpoint(string value, string baseDir, string where)
    {
        if (value.StartsWith("unix:", StringComparison.Ordinal))
        {
            return "unix:" + Path.Combine(baseDir, value[5..]);
        }

        if (value.StartsWith("tcp:", StringComparison.Ordinal))
        {
            return value;
        }

        throw Bad(where + " '" + value + "' is not an endpoint (unix:PATH or tcp:HOST:PORT)");
    }

    private static void CheckCredentials(JsonElement c, string where)
    {
        bool reference = c.ValueKind == JsonValueKind.Object
            && c.EnumerateObject().Count() == 1
            && c.EnumerateObject().All(p => p.Name is "env" or "file" && p.Value.ValueKind == JsonValueKind.String);
        if (!reference)
        {
            // never echo the value: it may be a password someone put inline
            throw Bad(where + " must be a reference, {\"env\": \"NAME\"} or {\"file\": \"PATH\"}; inline credentials are refused");
        }
    }

    private static string Id(JsonElement e, string where, HashSet<string> ids)
    {
        string id = Str(e, "id", where) ?? throw Bad(where + ".id is required");
        return ids.Add(id) ? id : throw Bad(where + ".id '" + id + "' appears twice");
    }

    private static string? Str(JsonElement e, string name, string where) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw Bad(where + "." + name + " must be a string");

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw Bad(where + "." + name + " must be an array");

    private static FleetFileException Bad(string message) => new(message);
}

/// <summary>A fleet file for real machines that is not valid; the message names the place in the file.</summary>
internal sealed class FleetFileException(string message) : Exception(message);
