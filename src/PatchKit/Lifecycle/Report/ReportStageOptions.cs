namespace PatchKit.Lifecycle.Report;

/// <summary>Options of the Report stage.</summary>
public sealed class ReportStageOptions : PatchStageOptions
{
    /// <summary>Initializes a new instance of the <see cref="ReportStageOptions"/> class.</summary>
    public ReportStageOptions()
        : base(ReportConstants.DefaultName)
    {
    }

    /// <summary>Gets or sets the folder the report files go to, or <see langword="null"/> to keep the report in memory
    /// (<see cref="PatchRunContext.Report"/>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? OutputDirectory { get; set; }

    /// <summary>Gets or sets the folder of the run history (one file per run attempt, never overwritten).</summary>
    /// <value>The default value is <see langword="null"/>: <c>history</c> under <see cref="OutputDirectory"/>.</value>
    public string? HistoryDirectory { get; set; }

    /// <summary>Gets or sets which files are written.</summary>
    /// <value>The default value is <see cref="ReportFormats.All"/>.</value>
    public ReportFormats Formats { get; set; } = ReportFormats.All;

    /// <summary>Gets or sets how many hosts the HTML and Markdown tables list (the JSON lists them all).</summary>
    /// <value>The default value is 500.</value>
    public int MaxHostRows { get; set; } = 500;

    /// <inheritdoc/>
    protected internal override void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MaxHostRows < 1)
        {
            errors.Add("MaxHostRows must be at least 1.");
        }
    }
}
