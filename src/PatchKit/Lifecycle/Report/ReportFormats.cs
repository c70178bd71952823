namespace PatchKit.Lifecycle.Report;

/// <summary>Which report files are written.</summary>
[Flags]
public enum ReportFormats
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>JSON, for machines.</summary>
    Json = 1,

    /// <summary>Markdown, for tickets and chat.</summary>
    Markdown = 2,

    /// <summary>One self-contained HTML page with inline SVG charts.</summary>
    Html = 4,

    /// <summary>All of them.</summary>
    All = Json | Markdown | Html,
}
