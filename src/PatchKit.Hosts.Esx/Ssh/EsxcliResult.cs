namespace PatchKit.Hosts.Esx.Ssh;

/// <summary>esxcli's default (human-readable) answer to a <c>software</c> command, parsed by key: the message, whether
/// a reboot is required, the VIB lists; or the error block (<c>[MaintenanceModeError]</c> and its text).</summary>
internal sealed class EsxcliResult
{
    public int ExitStatus { get; init; }

    public string Message { get; init; } = string.Empty;

    public bool RebootRequired { get; init; }

    public IReadOnlyList<string> Installed { get; init; } = [];

    public IReadOnlyList<string> Removed { get; init; } = [];

    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>The error class of a failure block (<c>MaintenanceModeError</c>, <c>NoMatchError</c>), or null.</summary>
    public string? ErrorClass { get; init; }

    public string ErrorText { get; init; } = string.Empty;

    public bool Succeeded => ExitStatus == 0 && ErrorClass is null;

    public static EsxcliResult Parse(int exitStatus, string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? errorClass = null;
        var error = new List<string>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            string t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (errorClass is null && t.Length > 2 && t[0] == '[' && t[^1] == ']' && !t.Contains(' ', StringComparison.Ordinal))
            {
                errorClass = t[1..^1];
                continue;
            }

            if (errorClass is not null)
            {
                if (!t.StartsWith("Please refer to the log file", StringComparison.Ordinal))
                {
                    error.Add(t);
                }

                continue;
            }

            if (t.StartsWith("Error:", StringComparison.Ordinal))
            {
                errorClass = "Error";
                error.Add(t[6..].Trim());
                continue;
            }

            int colon = t.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.StartsWith(' '))
            {
                fields[t[..colon].Trim()] = t[(colon + 1)..].Trim();
            }
        }

        IReadOnlyList<string> List(string key) => fields.TryGetValue(key, out string? v) && v.Length > 0
            ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

        if (exitStatus != 0 && errorClass is null)
        {
            errorClass = "ExitStatus" + exitStatus;
            error.Add(output.Trim());
        }

        return new EsxcliResult
        {
            ExitStatus = exitStatus,
            Message = fields.GetValueOrDefault("Message") ?? string.Empty,
            RebootRequired = string.Equals(fields.GetValueOrDefault("Reboot Required"), "true", StringComparison.OrdinalIgnoreCase),
            Installed = [.. List("VIBs Installed"), .. List("Components Installed")],
            Removed = [.. List("VIBs Removed"), .. List("Components Removed")],
            Skipped = [.. List("VIBs Skipped"), .. List("Components Skipped")],
            ErrorClass = errorClass,
            ErrorText = string.Join(' ', error),
        };
    }

    /// <summary>Parses <c>esxcli software vib list</c>: Name, Version, Vendor, Acceptance Level.</summary>
    public static List<(string Name, string Version, string Vendor, string Acceptance)> ParseVibList(string output) =>
        [.. ParseTable(output).Where(r => r.Count >= 4).Select(r => (r.GetValueOrDefault("Name") ?? string.Empty, r.GetValueOrDefault("Version") ?? string.Empty,
            r.GetValueOrDefault("Vendor") ?? string.Empty, r.GetValueOrDefault("Acceptance Level") ?? string.Empty))];

    /// <summary>Parses <c>esxcli software component list</c> (7.0 and later): Name, Display Name, Version, Display
    /// Version, Vendor, Acceptance Level (8.x adds Platforms). Vendors hold spaces and commas ("VMware, Inc."), so
    /// cells are cut by the columns of the dashed rule, never split on spaces.</summary>
    public static List<(string Name, string DisplayName, string Version, string DisplayVersion, string Vendor, string Acceptance)> ParseComponentList(string output) =>
        [.. ParseTable(output).Where(r => r.ContainsKey("Name") && r.ContainsKey("Version")).Select(r => (r["Name"], r.GetValueOrDefault("Display Name") ?? string.Empty, r["Version"],
            r.GetValueOrDefault("Display Version") ?? string.Empty, r.GetValueOrDefault("Vendor") ?? string.Empty, r.GetValueOrDefault("Acceptance Level") ?? string.Empty))];

    /// <summary>Parses one of esxcli's tables: a header line, a dashed rule whose runs give the columns, then rows; each
    /// row by header.</summary>
    public static List<Dictionary<string, string>> ParseTable(string output)
    {
        var rows = new List<Dictionary<string, string>>();
        string[] lines = output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        int rule = Array.FindIndex(lines, l => l.StartsWith('-') && l.Trim().All(c => c is '-' or ' '));
        if (rule < 1)
        {
            return rows;
        }

        var cols = new List<int>();
        string r = lines[rule];
        for (int i = 0; i < r.Length; i++)
        {
            if (r[i] == '-' && (i == 0 || r[i - 1] == ' '))
            {
                cols.Add(i);
            }
        }

        string Cell(string line, int c)
        {
            int s = cols[c];
            int e = c + 1 < cols.Count ? cols[c + 1] : line.Length;
            return s >= line.Length ? string.Empty : line[s..Math.Min(e, line.Length)].Trim();
        }

        var header = Enumerable.Range(0, cols.Count).Select(c => Cell(lines[rule - 1], c)).ToList();
        foreach (string line in lines.Skip(rule + 1))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int c = 0; c < cols.Count; c++)
            {
                row[header[c]] = Cell(line, c);
            }

            rows.Add(row);
        }

        return rows;
    }
}
