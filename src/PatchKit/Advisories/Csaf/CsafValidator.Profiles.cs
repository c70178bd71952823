namespace PatchKit.Advisories.Csaf;

/// <summary>Profiles and languages: 6.1.15, 6.1.26, 6.1.27.1 to 6.1.27.8, 6.1.27.11, 6.1.28.</summary>
public static partial class CsafValidator
{
    private static readonly string[] s_profiles = ["csaf_base", "csaf_security_incident_response", "csaf_informational_advisory", "csaf_security_advisory", "csaf_vex"];

    // Names (with and without the csaf_ prefix) and titles of every profile but CSAF Base, normalised.
    private static readonly string[] s_reservedNames =
    [
        "csafsecurityincidentresponse", "securityincidentresponse", "csafinformationaladvisory", "informationaladvisory",
        "csafsecurityadvisory", "securityadvisory", "csafvex", "vex",
    ];

    private static void ProfileTests(CsafDocument doc, Findings findings)
    {
        CsafDocumentMetadata? meta = doc.Document;
        if (meta is null)
        {
            return;
        }

        // 6.1.15 Translator.
        if (meta.Publisher?.Category == "translator" && meta.SourceLang is null)
        {
            findings.Add("6.1.15", "$.document.source_lang", "the publisher is a translator but source_lang is missing");
        }

        // 6.1.28 Translation.
        if (meta.Lang is not null && meta.SourceLang is not null && string.Equals(meta.Lang, meta.SourceLang, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add("6.1.28", "$.document.source_lang", $"lang and source_lang are both \"{meta.Lang}\"");
        }

        string category = meta.Category ?? string.Empty;

        // 6.1.26 Prohibited Document Category Name.
        if (Array.IndexOf(s_profiles, category) < 0)
        {
            string normalized = new string([.. category.Where(static c => c is not ('-' or '_') && !char.IsWhiteSpace(c))]).ToLowerInvariant();
            if (category.StartsWith("csaf_", StringComparison.OrdinalIgnoreCase) || Array.IndexOf(s_reservedNames, normalized) >= 0)
            {
                findings.Add("6.1.26", "$.document.category", $"the category \"{category}\" is reserved or too close to a CSAF profile name");
            }
        }

        bool informational = category is "csaf_informational_advisory" or "csaf_security_incident_response";
        if (informational)
        {
            // 6.1.27.1 Document Notes; 6.1.27.2 Document References.
            if (!meta.Notes.Any(static n => n.Category is "description" or "details" or "general" or "summary"))
            {
                findings.Add("6.1.27.1", "$.document.notes", "the profile needs a document note of category description, details, general or summary");
            }

            if (!meta.References.Any(static r => r.Category == "external"))
            {
                findings.Add("6.1.27.2", "$.document.references", "the profile needs an external document reference");
            }
        }

        // 6.1.27.3 Vulnerabilities (informational advisories have none).
        if (category == "csaf_informational_advisory" && doc.Vulnerabilities.Count > 0)
        {
            findings.Add("6.1.27.3", "$.vulnerabilities", "an informational advisory must not have vulnerabilities");
        }

        bool advisory = category == "csaf_security_advisory";
        bool vex = category == "csaf_vex";
        if (!advisory && !vex)
        {
            return;
        }

        // 6.1.27.4 Product Tree; 6.1.27.11 Vulnerabilities.
        if (doc.ProductTree is null)
        {
            findings.Add("6.1.27.4", "$.product_tree", "the profile needs a product tree");
        }

        if (doc.Vulnerabilities.Count == 0)
        {
            findings.Add("6.1.27.11", "$.vulnerabilities", "the profile needs vulnerabilities");
        }

        for (int v = 0; v < doc.Vulnerabilities.Count; v++)
        {
            CsafVulnerability vuln = doc.Vulnerabilities[v];
            string path = P($"$.vulnerabilities[{v}]");

            // 6.1.27.5 Vulnerability Notes.
            if (vuln.Notes.Count == 0)
            {
                findings.Add("6.1.27.5", path + ".notes", "the profile needs notes on every vulnerability");
            }

            // 6.1.27.6 Product Status (security advisory).
            if (advisory && vuln.ProductStatus is null)
            {
                findings.Add("6.1.27.6", path + ".product_status", "a security advisory needs a product status on every vulnerability");
            }

            if (!vex)
            {
                continue;
            }

            // 6.1.27.7 VEX Product Status; 6.1.27.8 Vulnerability ID.
            CsafProductStatus? s = vuln.ProductStatus;
            if (s is null || (s.Fixed.Count == 0 && s.KnownAffected.Count == 0 && s.KnownNotAffected.Count == 0 && s.UnderInvestigation.Count == 0))
            {
                findings.Add("6.1.27.7", path + ".product_status", "a VEX vulnerability needs fixed, known_affected, known_not_affected or under_investigation");
            }

            if (vuln.Cve is null && vuln.Ids.Count == 0)
            {
                findings.Add("6.1.27.8", path, "a VEX vulnerability needs a cve or ids");
            }

            if (s is null)
            {
                continue;
            }

            // 6.1.27.9 Impact Statement: every known_not_affected product has a flag or an impact threat.
            HashSet<string> impact = [];
            foreach (CsafFlag f in vuln.Flags)
            {
                impact.UnionWith(Covered(doc, f.ProductIds, f.GroupIds));
            }

            foreach (CsafThreat t in vuln.Threats.Where(static t => t.Category == "impact"))
            {
                impact.UnionWith(Covered(doc, t.ProductIds, t.GroupIds));
            }

            for (int i = 0; i < s.KnownNotAffected.Count; i++)
            {
                if (!impact.Contains(s.KnownNotAffected[i]))
                {
                    findings.Add("6.1.27.9", P($"{path}.product_status.known_not_affected[{i}]"), $"product \"{s.KnownNotAffected[i]}\" is not affected but has no impact statement (flag or impact threat)");
                }
            }

            // 6.1.27.10 Action Statement: every known_affected product has a remediation.
            HashSet<string> action = [];
            foreach (CsafRemediation r in vuln.Remediations)
            {
                action.UnionWith(Covered(doc, r.ProductIds, r.GroupIds));
            }

            for (int i = 0; i < s.KnownAffected.Count; i++)
            {
                if (!action.Contains(s.KnownAffected[i]))
                {
                    findings.Add("6.1.27.10", P($"{path}.product_status.known_affected[{i}]"), $"product \"{s.KnownAffected[i]}\" is affected but has no remediation");
                }
            }
        }
    }
}
