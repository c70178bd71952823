namespace PatchKit.Advisories.Csaf;

/// <summary>
/// The CSAF 2.0 mandatory tests (section 6.1) on a document that was read: each failure is an <see cref="AdvisoryFinding"/> naming the test
/// (<c>6.1.1</c>), the JSON path and the document. A document with no finding passes every implemented test; see <see cref="ImplementedTests"/>
/// for which those are (6.1.11 needs the CWE catalogue, which this library does not ship; 6.1.12 checks two-letter primary language
/// subtags only).
/// </summary>
public static partial class CsafValidator
{
    /// <summary>Gets the ids of the mandatory tests this validator runs.</summary>
    public static IReadOnlyList<string> ImplementedTests { get; } =
    [
        "6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.1.5", "6.1.6", "6.1.7", "6.1.8", "6.1.9", "6.1.10", "6.1.12", "6.1.13", "6.1.14", "6.1.15", "6.1.16",
        "6.1.17", "6.1.18", "6.1.19", "6.1.20", "6.1.21", "6.1.22", "6.1.23", "6.1.24", "6.1.25", "6.1.26", "6.1.27.1", "6.1.27.2",
        "6.1.27.3", "6.1.27.4", "6.1.27.5", "6.1.27.6", "6.1.27.7", "6.1.27.8", "6.1.27.9", "6.1.27.10", "6.1.27.11", "6.1.28", "6.1.29",
        "6.1.30", "6.1.31", "6.1.32", "6.1.33",
    ];

    /// <summary>Runs every implemented mandatory test.</summary>
    /// <param name="document">The document, as read by <see cref="CsafReader"/>.</param>
    /// <param name="documentName">The document's name, for the findings.</param>
    /// <returns>The findings, grouped by test in test order; empty when the document passes.</returns>
    public static IReadOnlyList<AdvisoryFinding> Validate(CsafDocument document, string documentName)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(documentName);
        var findings = new Findings(documentName);
        ProductTests(document, findings);
        CvssTests(document, findings);
        VersionTests(document, findings);
        ProfileTests(document, findings);
        LanguageTests(document, findings);
        OtherTests(document, findings);
        return findings.List;
    }

    private sealed class Findings(string document)
    {
        public List<AdvisoryFinding> List { get; } = [];

        public void Add(string test, string path, string message) => List.Add(new AdvisoryFinding(test, path, document, message));
    }

    private static string P(FormattableString s) => CsafProductIds.P(s);
}
