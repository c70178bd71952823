namespace PatchKit.Advisories.Csaf;

/// <summary>CVSS v2 and v3.x base metrics: vector parsing, base score (FIRST's specification formulas) and the JSON property names of each metric.</summary>
internal static class CsafCvss
{
    private static readonly string[] s_v3Metrics = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
    private static readonly string[] s_v2Metrics = ["AV", "AC", "Au", "C", "I", "A"];

    /// <summary>The base metrics of a vector, or null when a base metric is missing, repeated or has an unknown value.</summary>
    public static Dictionary<string, string>? ParseVector(string vector, bool v3)
    {
        string[] parts = vector.Split('/');
        int start = v3 ? 1 : 0;
        var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = start; i < parts.Length; i++)
        {
            int colon = parts[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !metrics.TryAdd(parts[i][..colon], parts[i][(colon + 1)..]))
            {
                return null;
            }
        }

        foreach (string m in v3 ? s_v3Metrics : s_v2Metrics)
        {
            if (!metrics.TryGetValue(m, out string? value) || Name(m, value, v3) is null)
            {
                return null;
            }
        }

        return metrics;
    }

    /// <summary>The JSON property, metric and expected value for each base metric.</summary>
    public static IEnumerable<(string Property, string Metric, string Value)> Properties(Dictionary<string, string> metrics, bool v3)
    {
        foreach (string m in v3 ? s_v3Metrics : s_v2Metrics)
        {
            string property = (m, v3) switch
            {
                ("AV", true) => "attackVector",
                ("AC", true) => "attackComplexity",
                ("PR", true) => "privilegesRequired",
                ("UI", true) => "userInteraction",
                ("S", true) => "scope",
                ("AV", false) => "accessVector",
                ("AC", false) => "accessComplexity",
                ("Au", false) => "authentication",
                ("C", _) => "confidentialityImpact",
                ("I", _) => "integrityImpact",
                _ => "availabilityImpact",
            };
            yield return (property, m, Name(m, metrics[m], v3)!);
        }
    }

    public static double BaseScoreV3(Dictionary<string, string> m, bool v30)
    {
        bool changed = m["S"] == "C";
        double av = m["AV"] switch { "N" => 0.85, "A" => 0.62, "L" => 0.55, _ => 0.2 };
        double ac = m["AC"] == "L" ? 0.77 : 0.44;
        double pr = m["PR"] switch { "N" => 0.85, "L" => changed ? 0.68 : 0.62, _ => changed ? 0.5 : 0.27 };
        double ui = m["UI"] == "N" ? 0.85 : 0.62;
        static double Cia(string v) => v switch { "H" => 0.56, "L" => 0.22, _ => 0 };
        double iss = 1 - ((1 - Cia(m["C"])) * (1 - Cia(m["I"])) * (1 - Cia(m["A"])));
        double impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0)
        {
            return 0;
        }

        double raw = changed ? Math.Min(1.08 * (impact + exploitability), 10) : Math.Min(impact + exploitability, 10);
        return v30 ? Math.Ceiling(raw * 10) / 10 : RoundUp31(raw);
    }

    public static double BaseScoreV2(Dictionary<string, string> m)
    {
        double av = m["AV"] switch { "L" => 0.395, "A" => 0.646, _ => 1.0 };
        double ac = m["AC"] switch { "H" => 0.35, "M" => 0.61, _ => 0.71 };
        double au = m["Au"] switch { "M" => 0.45, "S" => 0.56, _ => 0.704 };
        static double Cia(string v) => v switch { "N" => 0, "P" => 0.275, _ => 0.660 };
        double impact = 10.41 * (1 - ((1 - Cia(m["C"])) * (1 - Cia(m["I"])) * (1 - Cia(m["A"]))));
        double exploitability = 20 * av * ac * au;
        double f = impact == 0 ? 0 : 1.176;
        return Math.Round(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f, 1, MidpointRounding.AwayFromZero);
    }

    // CVSS v3.1 specification, Appendix A: Roundup avoids floating-point artefacts.
    private static double RoundUp31(double value)
    {
        long i = (long)Math.Round(value * 100000);
        return i % 10000 == 0 ? i / 100000.0 : (Math.Floor(i / 10000.0) + 1) / 10.0;
    }

    private static string? Name(string metric, string value, bool v3) => (metric, value, v3) switch
    {
        ("AV", "N", _) => "NETWORK",
        ("AV", "A", _) => "ADJACENT_NETWORK",
        ("AV", "L", _) => "LOCAL",
        ("AV", "P", true) => "PHYSICAL",
        ("AC", "L", _) => "LOW",
        ("AC", "H", _) => "HIGH",
        ("AC", "M", false) => "MEDIUM",
        ("PR", "N", true) => "NONE",
        ("PR", "L", true) => "LOW",
        ("PR", "H", true) => "HIGH",
        ("UI", "N", true) => "NONE",
        ("UI", "R", true) => "REQUIRED",
        ("S", "U", true) => "UNCHANGED",
        ("S", "C", true) => "CHANGED",
        ("Au", "M", false) => "MULTIPLE",
        ("Au", "S", false) => "SINGLE",
        ("Au", "N", false) => "NONE",
        ("C" or "I" or "A", "H", true) => "HIGH",
        ("C" or "I" or "A", "L", true) => "LOW",
        ("C" or "I" or "A", "N", _) => "NONE",
        ("C" or "I" or "A", "P", false) => "PARTIAL",
        ("C" or "I" or "A", "C", false) => "COMPLETE",
        _ => null,
    };
}
