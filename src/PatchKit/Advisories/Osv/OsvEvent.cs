using System.Text.Json.Serialization;

namespace PatchKit.Advisories.Osv;

/// <summary>One event of a range: exactly one of <see cref="Introduced"/>, <see cref="Fixed"/>, <see cref="LastAffected"/> or <see cref="Limit"/> is set in a well-formed record.</summary>
public sealed class OsvEvent
{
    /// <summary>Gets the <c>introduced</c> version, or <see langword="null"/>.</summary>
    public string? Introduced { get; init; }

    /// <summary>Gets the <c>fixed</c> version, or <see langword="null"/>.</summary>
    public string? Fixed { get; init; }

    /// <summary>Gets the <c>last_affected</c> version, or <see langword="null"/>.</summary>
    public string? LastAffected { get; init; }

    /// <summary>Gets the <c>limit</c> version, or <see langword="null"/>.</summary>
    public string? Limit { get; init; }

    /// <summary>Gets which member is set; <see cref="OsvEventKind.None"/> when none or several are.</summary>
    [JsonIgnore]
    public OsvEventKind Kind =>
        (Introduced is null ? 0 : 1) + (Fixed is null ? 0 : 1) + (LastAffected is null ? 0 : 1) + (Limit is null ? 0 : 1) != 1 ? OsvEventKind.None
        : Introduced is not null ? OsvEventKind.Introduced
        : Fixed is not null ? OsvEventKind.Fixed
        : LastAffected is not null ? OsvEventKind.LastAffected
        : OsvEventKind.Limit;

    /// <summary>Gets the version (or commit) of the member that is set, or <see langword="null"/> when <see cref="Kind"/> is <see cref="OsvEventKind.None"/>.</summary>
    [JsonIgnore]
    public string? Version => Kind switch
    {
        OsvEventKind.Introduced => Introduced,
        OsvEventKind.Fixed => Fixed,
        OsvEventKind.LastAffected => LastAffected,
        OsvEventKind.Limit => Limit,
        _ => null,
    };
}
