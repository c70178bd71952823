namespace PatchKit.Hosts;

/// <summary>Progress of one operation on one host, for people (a migration at 40 %, an install downloading).</summary>
public sealed class HostProgress
{
    /// <summary>Gets the host.</summary>
    public required string HostId { get; init; }

    /// <summary>Gets what is happening.</summary>
    public required string Message { get; init; }

    /// <summary>Gets how much is done, from 0 to 1, or <see langword="null"/> when unknown.</summary>
    public double? Fraction { get; init; }
}
