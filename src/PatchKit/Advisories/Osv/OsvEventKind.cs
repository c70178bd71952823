namespace PatchKit.Advisories.Osv;

/// <summary>What an <see cref="OsvEvent"/> marks.</summary>
public enum OsvEventKind
{
    /// <summary>The event has none of the four members, or more than one (the linter reports it).</summary>
    None = 0,

    /// <summary><c>introduced</c>: the first affected version (<c>0</c> for all earlier versions too).</summary>
    Introduced = 1,

    /// <summary><c>fixed</c>: the first version that is no longer affected.</summary>
    Fixed = 2,

    /// <summary><c>last_affected</c>: the last affected version.</summary>
    LastAffected = 3,

    /// <summary><c>limit</c>: an upper bound of the range (GIT ranges).</summary>
    Limit = 4,
}
