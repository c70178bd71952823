using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>Scores: 6.1.7 (one score per version and product), 6.1.8 (CVSS objects well formed), 6.1.9 (scores as computed from the vector), 6.1.10 (properties agree with the vector).</summary>
public static partial class CsafValidator
{
    private static readonly string[] s_severities = ["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

    private static void CvssTests(CsafDocument doc, Findings findings)
    {
        for (int v = 0; v < doc.Vulnerabilities.Count; v++)
        {
            var seen = new HashSet<(string Product, string Version)>();
            IReadOnlyList<CsafScore> scores = doc.Vulnerabilities[v].Scores;
            for (int s = 0; s < scores.Count; s++)
            {
                string path = P($"$.vulnerabilities[{v}].scores[{s}]");
                foreach ((JsonElement? cvss, string member, bool v3) in new[] { (scores[s].CvssV3, "cvss_v3", true), (scores[s].CvssV2, "cvss_v2", false) })
                {
                    if (cvss is not { ValueKind: JsonValueKind.Object } c)
                    {
                        continue;
                    }

                    string version = c.TryGetProperty("version", out JsonElement ve) && ve.ValueKind == JsonValueKind.String ? ve.GetString()! : "?";
                    foreach (string product in scores[s].Products)
                    {
                        if (!seen.Add((product, version)))
                        {
                            findings.Add("6.1.7", path + "." + member, $"product \"{product}\" has more than one CVSS {version} score");
                        }
                    }

                    Cvss(c, v3, path + "." + member, findings);
                }
            }
        }
    }

    private static void Cvss(JsonElement c, bool v3, string path, Findings findings)
    {
        // 6.1.8: the schema's required members and their types.
        string[] required = v3 ? ["version", "vectorString", "baseScore", "baseSeverity"] : ["version", "vectorString", "baseScore"];
        bool wellFormed = true;
        foreach (string name in required)
        {
            if (!c.TryGetProperty(name, out JsonElement e) || e.ValueKind != (name == "baseScore" ? JsonValueKind.Number : JsonValueKind.String))
            {
                findings.Add("6.1.8", path + "." + name, $"invalid CVSS: {name} is missing or has the wrong type");
                wellFormed = false;
            }
        }

        string version = c.TryGetProperty("version", out JsonElement ve) && ve.ValueKind == JsonValueKind.String ? ve.GetString()! : string.Empty;
        string vector = c.TryGetProperty("vectorString", out JsonElement vs) && vs.ValueKind == JsonValueKind.String ? vs.GetString()! : string.Empty;
        if (wellFormed && (v3 ? version is not ("3.0" or "3.1") || !vector.StartsWith("CVSS:" + version + "/", StringComparison.Ordinal) : version != "2.0"))
        {
            findings.Add("6.1.8", path + ".version", $"invalid CVSS: version \"{version}\" does not match the object or its vector");
            wellFormed = false;
        }

        if (!wellFormed)
        {
            return;
        }

        Dictionary<string, string>? metrics = CsafCvss.ParseVector(vector, v3);
        if (metrics is null)
        {
            findings.Add("6.1.8", path + ".vectorString", $"invalid CVSS: vector \"{vector}\" is not a CVSS {version} base vector");
            return;
        }

        // 6.1.10: the properties that are given must agree with the vector.
        foreach ((string property, string metric, string value) in CsafCvss.Properties(metrics, v3))
        {
            if (c.TryGetProperty(property, out JsonElement p) && p.ValueKind == JsonValueKind.String && p.GetString() != value)
            {
                findings.Add("6.1.10", path + "." + property, $"inconsistent CVSS: {property} is \"{p.GetString()}\" but the vector says {metric}:{metrics[metric]} ({value})");
            }
        }

        // 6.1.9: base score (and v3 severity) as computed from the vector.
        double computed = v3 ? CsafCvss.BaseScoreV3(metrics, version == "3.0") : CsafCvss.BaseScoreV2(metrics);
        double given = c.GetProperty("baseScore").GetDouble();
        if (Math.Abs(computed - given) > 1e-9)
        {
            findings.Add("6.1.9", path + ".baseScore", $"invalid CVSS computation: baseScore is {given} but the vector gives {computed}");
        }

        if (v3)
        {
            string severity = computed == 0 ? "NONE" : computed < 4 ? "LOW" : computed < 7 ? "MEDIUM" : computed < 9 ? "HIGH" : "CRITICAL";
            string givenSeverity = c.GetProperty("baseSeverity").GetString()!;
            if (givenSeverity != severity)
            {
                findings.Add(Array.IndexOf(s_severities, givenSeverity) < 0 ? "6.1.8" : "6.1.9", path + ".baseSeverity", $"invalid CVSS computation: baseSeverity is {givenSeverity} but the score {computed} is {severity}");
            }
        }
    }
}
