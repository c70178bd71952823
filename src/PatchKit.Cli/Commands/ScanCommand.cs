using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PatchKit.Advisories.Catalogs;
using PatchKit.Advisories.Csaf;
using PatchKit.Advisories.Cve;
using PatchKit.Advisories.Matching;
using PatchKit.Advisories.Osv;
using PatchKit.Cli.Rendering;
using PatchKit.Hosts;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit scan`: which advisories apply to which hosts, one decision and one reason per installed package and advisory.
/// Exit 0 when nothing is affected, 1 when something is, 2 on bad input (the message names the file and the JSON path).</summary>
internal static class ScanCommand
{
    private static readonly ArgOption s_inventory = new('i', "inventory", true, "inventory (JSON: hosts with id, kind, version, os {id, versionId, name, build}, packages [{format, name, version, arch, source}], kbs)");
    private static readonly ArgOption s_thisMachine = new('\0', "from-this-machine", false, "scan this machine (dpkg-query and /etc/os-release) instead of an inventory");
    private static readonly ArgOption s_advisories = new('a', "advisories", true, "OSV records, CSAF documents and CVE records: a folder (*.json, *.json.gz, sub-folders included) or one file; a CSAF provider mirror (documents whose hash or signature does not check are left out); or a provider's https://…/provider-metadata.json (fetched into --cache first)");
    private static readonly ArgOption s_cache = new('\0', "cache", true, "the mirror folder of a provider given by URL (default: $XDG_CACHE_HOME/patchkit/csaf/HOST)");
    private static readonly ArgOption s_key = new('k', "key", true, "an OpenPGP public key file to trust for a CSAF provider's signatures besides its own (repeatable)");
    private static readonly ArgOption s_timeout = new('\0', "timeout", true, "seconds one request to a provider may take (default 30)");
    private static readonly ArgOption s_osvApi = new('\0', "osv-api", true, "also ask an OSV API (https://api.osv.dev/) for the records of each host's packages: POST /v1/querybatch, GET /v1/vulns/ID");
    private static readonly ArgOption s_json = new('\0', "json", false, "print the decisions as JSON");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption[] s_options = [s_inventory, s_thisMachine, s_advisories, s_cache, s_key, s_osvApi, s_timeout, s_json, s_help];

    internal sealed record Host(string Id, OsIdentity Os, List<InstalledPackage> Packages)
    {
        public HostKind Kind { get; init; } = HostKind.Linux;

        public string Version { get; init; } = string.Empty;

        public List<string> Kbs { get; init; } = [];

        public HostRecord ToRecord() => new()
        {
            Id = Id,
            Kind = Kind,
            Version = Version,
            Os = Os,
            Packages = Packages,
            InstalledPatches = [.. Kbs.Select(static k => new InstalledPatch { PatchId = k })],
        };
    }

    public static int Run(CliContext context, string[] args)
    {
        var (options, operands) = ArgReader.Parse(args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit scan (--inventory FILE | --from-this-machine) --advisories (DIR | FILE | PROVIDER-METADATA-URL) [--cache DIR] [--key FILE]... [--osv-api URL] [--json]", s_options);
            context.Output.WriteLine();
            context.Output.WriteLine("Exit codes: 0 nothing affected; 1 something affected; 2 bad input.");
            return ExitCodes.Success;
        }

        if (operands.Count > 0)
        {
            throw new ArgReaderException($"unexpected operand '{operands[0]}'");
        }

        string? inventory = RunCommand.Value(options, s_inventory);
        bool thisMachine = options.Exists(o => o.Option == s_thisMachine);
        if (inventory is null == !thisMachine)
        {
            throw new ArgReaderException("give either '--inventory FILE' or '--from-this-machine'");
        }

        Uri? osvApi = null;
        if (RunCommand.Value(options, s_osvApi) is { } api && !CsafProviderSource.IsUrl(api, out osvApi))
        {
            throw new ArgReaderException($"'--osv-api {api}': not an http(s) URL");
        }

        string? advisoriesArg = RunCommand.Value(options, s_advisories) ?? (osvApi is null ? throw new ArgReaderException("option '--advisories' (or '--osv-api') is required") : null);
        Uri? providerUrl = advisoriesArg is not null && CsafProviderSource.IsUrl(advisoriesArg, out Uri u) ? u : null;
        string? advisories = advisoriesArg is null ? null : providerUrl is null
            ? context.Resolve(advisoriesArg)
            : RunCommand.Value(options, s_cache) is { } cache ? context.Resolve(cache) : CsafProviderSource.DefaultFolder(providerUrl);
        List<string> keys = [.. options.Where(o => o.Option == s_key).Select(o => context.Resolve(o.Value!))];
        TimeSpan timeout = TimeSpan.FromSeconds(RunCommand.Value(options, s_timeout) is { } t ? ArgReader.ParseInt(s_timeout, t) : 30);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgReaderException("'--timeout' must be at least 1 second");
        }

        List<Host> hosts;
        if (inventory is not null)
        {
            string path = context.Resolve(inventory);
            if (!File.Exists(path))
            {
                return context.Fail($"{inventory}: no such file");
            }

            if (!TryReadInventory(File.ReadAllBytes(path), inventory, out hosts, out string? problem))
            {
                return context.Fail(problem);
            }
        }
        else
        {
            hosts = [ThisMachine()];
        }

        var records = new List<OsvRecord>();
        if (osvApi is not null)
        {
            using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("patchkit/" + CliVersion.Text);
            var client = new OsvApiClient(http, osvApi) { Timeout = timeout };
            List<OsvQuery> queries = [.. hosts.SelectMany(static h => OsvApiClient.QueriesFor(h.Os, h.Packages)).Distinct()];
            IReadOnlyList<OsvRecord> fetched = client.RecordsForAsync(queries, context.CancellationToken).GetAwaiter().GetResult();
            records.AddRange(fetched);
            context.Error.WriteLine($"patchkit scan: {osvApi}: {queries.Count} package quer{(queries.Count == 1 ? "y" : "ies")}, {fetched.Count} record(s)");
        }

        if (advisories is null)
        {
            // Only the OSV API.
        }
        else if (providerUrl is not null)
        {
            CsafDownloadResult download = CsafProviderSource.Download(providerUrl, advisories, timeout, context.CancellationToken);
            context.Error.WriteLine($"patchkit scan: {providerUrl}: {download.Downloaded} file(s) fetched, {download.NotModified} unchanged, into {advisories}");
            foreach (string problem in download.Problems)
            {
                context.Error.WriteLine("patchkit scan: warning: " + TerminalText.Message(problem));
            }
        }
        else if (!File.Exists(advisories) && !Directory.Exists(advisories))
        {
            return context.Fail($"{advisoriesArg}: no such file or folder");
        }

        var csaf = new List<CsafDocument>();
        var cves = new List<CveRecord>();
        IAsyncEnumerable<AdvisoryDocument> documents;
        if (advisories is null)
        {
            documents = ReadFiles([], context.CancellationToken);
        }
        else if (Directory.Exists(advisories) && CsafProviderMirror.IsMirror(advisories))
        {
            // A CSAF provider mirror: only documents whose hash (and signature, when the provider names keys) checks are read.
            CsafProviderSource.Checked mirror = CsafProviderSource.Check(advisories, keys, context.CancellationToken);
            foreach (string problem in mirror.Problems)
            {
                context.Error.WriteLine("patchkit scan: warning: " + TerminalText.Message(problem) + " (left out)");
            }

            documents = ReadFiles([.. mirror.UsableDocuments], context.CancellationToken);
        }
        else
        {
            documents = AdvisoryDocument.ReadFolderAsync(advisories, context.CancellationToken);
        }

        IAsyncEnumerator<AdvisoryDocument> e = documents.GetAsyncEnumerator(context.CancellationToken);
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                AdvisoryDocument d = e.Current;
                if (d.Error is { } error)
                {
                    return context.Fail(error.Message);
                }

                if (d.Osv is { } o)
                {
                    records.Add(o);
                }
                else if (d.Csaf is { } c)
                {
                    csaf.Add(c);
                }
                else if (d.Cve is { } v)
                {
                    cves.Add(v);
                }
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var osvMatcher = new AdvisoryMatcher(records);
        var csafMatcher = new CsafMatcher(csaf);
        var esxiMatcher = new EsxiAdvisoryMatcher(cves);
        List<HostMatchResult> results = [.. hosts.Select(h =>
        {
            HostRecord record = h.ToRecord();
            HostMatchResult osv = osvMatcher.Match(h.Id, h.Os, h.Packages);
            List<PackageMatch> all = [.. osv.Matches, .. csafMatcher.Match(record).Matches];
            string? ecosystem = osv.Ecosystem;
            if (h.Kind == HostKind.Esx)
            {
                HostMatchResult esx = esxiMatcher.Match(record);
                all.AddRange(esx.Matches);
                ecosystem ??= esx.Ecosystem;
            }

            return new HostMatchResult(h.Id, ecosystem ?? (all.Count > 0 ? h.Os.PrettyName : null), all);
        })];
        int advisoryCount = records.Count + csaf.Count + cves.Count;
        if (options.Exists(o => o.Option == s_json))
        {
            WriteJson(context.Output, results, advisoryCount);
        }
        else
        {
            WriteTable(context.Output, results, advisoryCount);
        }

        return results.Exists(r => r.IsAffected) ? ExitCodes.Partial : ExitCodes.Success;
    }

    private static async IAsyncEnumerable<AdvisoryDocument> ReadFiles(List<string> files, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (string file in files)
        {
            yield return await AdvisoryDocument.ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string DecisionName(MatchDecision decision) => decision switch
    {
        MatchDecision.Affected => "affected",
        MatchDecision.Fixed => "fixed",
        MatchDecision.NotAffected => "not_affected",
        _ => "unknown",
    };

    private static void WriteTable(TextWriter output, List<HostMatchResult> results, int advisoryCount)
    {
        string[] header = ["HOST", "PACKAGE", "INSTALLED", "FIXED", "ADVISORY", "DECISION"];
        var rows = new List<string[]> { header };
        foreach (HostMatchResult result in results)
        {
            foreach (PackageMatch m in result.Matches)
            {
                rows.Add([result.HostId, m.Package.Name, m.Package.Version, m.FixedVersion ?? "-", m.AdvisoryId, DecisionName(m.Decision)]);
            }
        }

        rows = [.. rows.Select(r => r.Select(TerminalText.Name).ToArray())];
        int[] widths = [.. Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length))];
        foreach (string[] row in rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                line.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            output.WriteLine(line.ToString());
        }

        output.WriteLine();
        foreach (HostMatchResult result in results)
        {
            if (result.Ecosystem is null)
            {
                output.WriteLine($"{TerminalText.Name(result.HostId)}: no advisory names this host's system or software; nothing was decided");
            }

            foreach (PackageMatch m in result.Matches)
            {
                string fix = m.Remediation is { } r && m.Decision == MatchDecision.Affected && !m.Reason.Contains(r, StringComparison.Ordinal) ? $" (fix: {r})" : string.Empty;
                output.WriteLine($"{TerminalText.Name(result.HostId)}: {DecisionName(m.Decision)}: {TerminalText.Message(m.Reason + fix)}");
            }
        }

        int affected = results.Sum(r => r.Matches.Count(m => m.Decision == MatchDecision.Affected));
        int unknown = results.Sum(r => r.Matches.Count(m => m.Decision == MatchDecision.Unknown));
        output.WriteLine($"{results.Count} host(s), {advisoryCount} advisories, {affected} affected, {unknown} unknown, {results.Count(r => r.IsAffected)} host(s) affected");
    }

    private static void WriteJson(TextWriter output, List<HostMatchResult> results, int advisoryCount)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("advisories", advisoryCount);
            w.WriteBoolean("affected", results.Exists(r => r.IsAffected));
            w.WriteStartArray("hosts");
            foreach (HostMatchResult result in results)
            {
                w.WriteStartObject();
                w.WriteString("id", result.HostId);
                w.WriteString("ecosystem", result.Ecosystem);
                w.WriteBoolean("affected", result.IsAffected);
                w.WriteStartArray("decisions");
                foreach (PackageMatch m in result.Matches)
                {
                    w.WriteStartObject();
                    w.WriteString("advisory", m.AdvisoryId);
                    w.WriteString("ecosystem", m.Ecosystem);
                    w.WriteString("advisoryPackage", m.AdvisoryPackage);
                    w.WriteString("package", m.Package.Name);
                    w.WriteString("arch", m.Package.Architecture);
                    w.WriteString("installed", m.Package.Version);
                    w.WriteString("fixed", m.FixedVersion);
                    w.WriteString("decision", DecisionName(m.Decision));
                    w.WriteString("reason", m.Reason);
                    if (m.Vulnerability is { } vuln)
                    {
                        w.WriteString("vulnerability", vuln);
                    }

                    if (m.Remediation is { } remedy)
                    {
                        w.WriteString("remediation", remedy);
                    }
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Reads the inventory; a problem names the file and the JSON path (<c>$.hosts[0].packages[2].version</c>).</summary>
    internal static bool TryReadInventory(byte[] json, string file, out List<Host> hosts, out string problem)
    {
        hosts = [];
        problem = string.Empty;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            problem = $"{file}: invalid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";
            return false;
        }

        using (doc)
        {
            try
            {
                JsonElement root = doc.RootElement;
                JsonElement hostArray = Member(root, "$", "hosts", JsonValueKind.Array, required: true)!.Value;
                int i = 0;
                foreach (JsonElement h in hostArray.EnumerateArray())
                {
                    string at = $"$.hosts[{i}]";
                    Expect(h, at, JsonValueKind.Object);
                    string id = Text(h, at, "id", required: true)!;
                    JsonElement os = Member(h, at, "os", JsonValueKind.Object, required: true)!.Value;
                    var identity = new OsIdentity
                    {
                        Id = Text(os, at + ".os", "id", required: true)!,
                        VersionId = Text(os, at + ".os", "versionId", required: false) ?? string.Empty,
                        PrettyName = Text(os, at + ".os", "name", required: false) ?? string.Empty,
                        Build = Text(os, at + ".os", "build", required: false) ?? string.Empty,
                    };
                    string kindText = Text(h, at, "kind", required: false) ?? (identity.Id.Equals("windows", StringComparison.OrdinalIgnoreCase) ? "windows" : identity.Id.Equals("esxi", StringComparison.OrdinalIgnoreCase) ? "esx" : "linux");
                    HostKind kind = kindText switch
                    {
                        "linux" => HostKind.Linux,
                        "kvm" => HostKind.Kvm,
                        "windows" => HostKind.Windows,
                        "esx" or "esxi" => HostKind.Esx,
                        _ => throw new InventoryException($"{at}.kind: '{kindText}' is not one of linux, kvm, windows, esx"),
                    };
                    var kbs = new List<string>();
                    if (Member(h, at, "kbs", JsonValueKind.Array, required: false) is { } kbList)
                    {
                        int k = 0;
                        foreach (JsonElement kb in kbList.EnumerateArray())
                        {
                            Expect(kb, $"{at}.kbs[{k}]", JsonValueKind.String);
                            kbs.Add(kb.GetString()!);
                            k++;
                        }
                    }
                    var packages = new List<InstalledPackage>();
                    if (Member(h, at, "packages", JsonValueKind.Array, required: false) is { } list)
                    {
                        int j = 0;
                        foreach (JsonElement p in list.EnumerateArray())
                        {
                            string pat = $"{at}.packages[{j}]";
                            Expect(p, pat, JsonValueKind.Object);
                            string format = Text(p, pat, "format", required: true)!;
                            packages.Add(new InstalledPackage
                            {
                                Format = format switch
                                {
                                    "dpkg" or "deb" => PackageFormat.Dpkg,
                                    "rpm" => PackageFormat.Rpm,
                                    "apk" or "unknown" => PackageFormat.Unknown,
                                    _ => throw new InventoryException($"{pat}.format: '{format}' is not one of dpkg, rpm, apk, unknown"),
                                },
                                Name = Text(p, pat, "name", required: true)!,
                                Version = Text(p, pat, "version", required: true)!,
                                Architecture = Text(p, pat, "arch", required: false) ?? string.Empty,
                                SourceName = Text(p, pat, "source", required: false) ?? string.Empty,
                            });
                            j++;
                        }
                    }

                    hosts.Add(new Host(id, identity, packages) { Kind = kind, Version = Text(h, at, "version", required: false) ?? identity.VersionId, Kbs = kbs });
                    i++;
                }
            }
            catch (InventoryException ex)
            {
                problem = $"{file}: {ex.Message}";
                return false;
            }
        }

        return true;
    }

    private static void Expect(JsonElement element, string at, JsonValueKind kind)
    {
        if (element.ValueKind != kind)
        {
            throw new InventoryException($"{at}: expected {Kind(kind)}, found {Kind(element.ValueKind)}");
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static JsonElement? Member(JsonElement parent, string at, string name, JsonValueKind kind, bool required)
    {
        Expect(parent, at, JsonValueKind.Object);
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return required ? throw new InventoryException($"{at}.{name}: required member is missing") : null;
        }

        Expect(value, $"{at}.{name}", kind);
        return value;
    }

    private static string? Text(JsonElement parent, string at, string name, bool required)
    {
        string? value = Member(parent, at, name, JsonValueKind.String, required)?.GetString();
        if (required && string.IsNullOrWhiteSpace(value))
        {
            throw new InventoryException($"{at}.{name}: must not be empty");
        }

        return value;
    }

    private static Host ThisMachine()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines("/etc/os-release"))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }

        var os = new OsIdentity
        {
            Id = fields.GetValueOrDefault("ID", "linux"),
            VersionId = fields.GetValueOrDefault("VERSION_ID", string.Empty),
            PrettyName = fields.GetValueOrDefault("PRETTY_NAME", string.Empty),
        };
        var psi = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-W", "-f", "${Package}\t${Version}\t${Architecture}\t${source:Package}\n" })
        {
            psi.ArgumentList.Add(arg);
        }

        string output;
        try
        {
            using Process p = Process.Start(psi) ?? throw new IOException("dpkg-query could not be started");
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new IOException($"dpkg-query failed (exit {p.ExitCode}): {stderr.GetAwaiter().GetResult().Trim()}");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new IOException($"dpkg-query could not be run: {ex.Message}", ex);
        }

        var packages = new List<InstalledPackage>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            if (f.Length == 4 && f[1].Length > 0)
            {
                packages.Add(new InstalledPackage { Format = PackageFormat.Dpkg, Name = f[0], Version = f[1], Architecture = f[2], SourceName = f[3] });
            }
        }

        return new Host(Environment.MachineName, os, packages);
    }

    private sealed class InventoryException(string message) : Exception(message);
}
