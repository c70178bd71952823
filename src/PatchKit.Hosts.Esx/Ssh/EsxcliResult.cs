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
            Installed = List("VIBs Installed"),
            Removed = List("VIBs Removed"),
            Skipped = List("VIBs Skipped"),
            ErrorClass = errorClass,
            ErrorText = string.Join(' ', error),
        };
    }

    /// <summary>Parses <c>esxcli software vib list</c>: a header, a dashed rule whose runs give the column widths, rows.</summary>
    public static List<(string Name, string Version, string Vendor, string Acceptance)> ParseVibList(string output)
    {
        var rows = new List<(string, string, string, string)>();
        string[] lines = output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        int rule = Array.FindIndex(lines, l => l.StartsWith('-') && l.Trim().All(c => c is '-' or ' '));
        if (rule < 1)
        {
            return rows;
        }

        var cols = new List<(int Start, int End)>();
        string r = lines[rule];
        for (int i = 0; i < r.Length;)
        {
            if (r[i] != '-')
            {
                i++;
                continue;
            }

            int s = i;
            while (i < r.Length && r[i] == '-')
            {
                i++;
            }

            cols.Add((s, i));
        }

        string Cell(string line, int c)
        {
            int s = cols[c].Start;
            int e = c + 1 < cols.Count ? cols[c + 1].Start : line.Length;
            return s >= line.Length ? string.Empty : line[s..Math.Min(e, line.Length)].Trim();
        }

        foreach (string line in lines.Skip(rule + 1))
        {
            if (line.Trim().Length == 0 || cols.Count < 4)
            {
                continue;
            }

            rows.Add((Cell(line, 0), Cell(line, 1), Cell(line, 2), Cell(line, 3)));
        }

        return rows;
    }
}
