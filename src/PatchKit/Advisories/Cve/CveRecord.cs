using System.Text.Json.Serialization;

namespace PatchKit.Advisories.Cve;

/// <summary>A CVE JSON 5 record, the parts a matcher needs: the id and the CNA's <c>affected</c> products.</summary>
public sealed class CveRecord
{
    /// <summary>Gets or sets the record type (<c>CVE_RECORD</c>).</summary>
    public string? DataType { get; set; }

    /// <summary>Gets or sets the metadata.</summary>
    public CveMetadata? CveMetadata { get; set; }

    /// <summary>Gets or sets the containers.</summary>
    public CveContainers? Containers { get; set; }

    /// <summary>Gets the CVE id, or the empty string.</summary>
    [JsonIgnore]
    public string Id => CveMetadata?.CveId ?? string.Empty;
}

/// <summary>A CVE record's metadata.</summary>
public sealed class CveMetadata
{
    /// <summary>Gets or sets the CVE id.</summary>
    public string? CveId { get; set; }

    /// <summary>Gets or sets the state (<c>PUBLISHED</c>, <c>REJECTED</c>).</summary>
    public string? State { get; set; }
}

/// <summary>A CVE record's containers.</summary>
public sealed class CveContainers
{
    /// <summary>Gets or sets the CNA container.</summary>
    public CveCna? Cna { get; set; }
}

/// <summary>The CNA container: what the vendor says is affected.</summary>
public sealed class CveCna
{
    /// <summary>Gets or sets the affected products.</summary>
    public List<CveAffected>? Affected { get; set; }

    /// <summary>Gets or sets the references.</summary>
    public List<CveReference>? References { get; set; }
}

/// <summary>A reference of a CVE record.</summary>
public sealed class CveReference
{
    /// <summary>Gets or sets the URL.</summary>
    public string? Url { get; set; }
}

/// <summary>One affected product of a CVE record.</summary>
public sealed class CveAffected
{
    /// <summary>Gets or sets the vendor.</summary>
    public string? Vendor { get; set; }

    /// <summary>Gets or sets the product.</summary>
    public string? Product { get; set; }

    /// <summary>Gets or sets the status of versions not listed (<c>unaffected</c>, <c>affected</c>, <c>unknown</c>); absent means unknown.</summary>
    public string? DefaultStatus { get; set; }

    /// <summary>Gets or sets the versions.</summary>
    public List<CveVersion>? Versions { get; set; }
}

/// <summary>One version entry of an affected product.</summary>
public sealed class CveVersion
{
    /// <summary>Gets or sets the version (or the start of a range; older VMware records put free text here).</summary>
    public string? Version { get; set; }

    /// <summary>Gets or sets the status (<c>affected</c>, <c>unaffected</c>, <c>unknown</c>).</summary>
    public string? Status { get; set; }

    /// <summary>Gets or sets the first version not in the range.</summary>
    public string? LessThan { get; set; }

    /// <summary>Gets or sets the last version in the range.</summary>
    public string? LessThanOrEqual { get; set; }

    /// <summary>Gets or sets the version type (<c>custom</c>, <c>semver</c>).</summary>
    public string? VersionType { get; set; }
}

/// <summary>Source-generated JSON for CVE records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CveRecord))]
internal sealed partial class CveJsonContext : JsonSerializerContext
{
}
