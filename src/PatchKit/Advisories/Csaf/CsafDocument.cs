namespace PatchKit.Advisories.Csaf;

/// <summary>A CSAF 2.0 document (<see href="https://docs.oasis-open.org/csaf/csaf/v2.0/csaf-v2.0.html"/>) as read by <see cref="CsafReader"/>.</summary>
public sealed class CsafDocument
{
    /// <summary>Gets the document-level metadata (<c>/document</c>); required, so never <see langword="null"/> after <see cref="CsafReader"/>.</summary>
    public CsafDocumentMetadata? Document { get; init; }

    /// <summary>Gets the product tree, or <see langword="null"/>.</summary>
    public CsafProductTree? ProductTree { get; init; }

    /// <summary>Gets the vulnerabilities.</summary>
    public IReadOnlyList<CsafVulnerability> Vulnerabilities { get; init => field = value ?? []; } = [];
}
