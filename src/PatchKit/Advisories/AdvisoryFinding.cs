namespace PatchKit.Advisories;

/// <summary>One problem a validator or linter found in a readable advisory: which check, where (JSON path) and in which document.</summary>
/// <param name="Check">The check's id: a CSAF test number (<c>6.1.1</c>) or an OSV linter check (<c>RNG:001</c>, <c>RecordHasAffected</c>).</param>
/// <param name="JsonPath">Where, as a JSON path (<c>$.vulnerabilities[0].product_status.fixed[1]</c>).</param>
/// <param name="Document">The document's name.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record AdvisoryFinding(string Check, string JsonPath, string Document, string Message)
{
    /// <summary>Returns <c>document: $.path: [check] message</c>.</summary>
    /// <returns>The finding as one line.</returns>
    public override string ToString() => $"{Document}: {JsonPath}: [{Check}] {Message}";
}
