using PatchKit.Advisories;

namespace PatchKit.Lifecycle.Resolve;

/// <summary>Options of the Resolve stage (what is missing, what is approved).</summary>
public sealed class ResolveStageOptions : PatchStageOptions
{
    /// <summary>Initializes a new instance of the <see cref="ResolveStageOptions"/> class.</summary>
    public ResolveStageOptions()
        : base(ResolveConstants.DefaultName)
    {
    }

    /// <summary>Gets or sets where patches come from. Required.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IPatchCatalog? Catalog { get; set; }

    /// <summary>Gets more catalogs to ask beside <see cref="Catalog"/> (a CSAF folder, an OSV feed). The first catalog
    /// to name a patch id wins: <see cref="Catalog"/> first, then these in order.</summary>
    public IList<IPatchCatalog> Catalogs { get; init; } = [];

    /// <summary>Gets or sets the approval rules.</summary>
    /// <value>The default value is a new <see cref="ApprovalPolicy"/>.</value>
    public ApprovalPolicy Approval { get; set; } = new();

    /// <summary>Gets or sets a hook called for every assessed host.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnHostAssessedArguments, ValueTask>? OnHostAssessed { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Catalog is null && Catalogs.Count == 0)
        {
            errors.Add("Catalog is required (or at least one of Catalogs).");
        }

        if (Approval is null)
        {
            errors.Add("Approval is required.");
        }
        else if (Approval.AutoApproveAfterDays is < 0)
        {
            errors.Add("Approval.AutoApproveAfterDays must not be negative.");
        }
    }
}
