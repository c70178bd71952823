namespace PatchKit.Advisories.Matching;

/// <summary>What a matcher decided for one installed package and one advisory.</summary>
public enum MatchDecision
{
    /// <summary>No decision could be made: the ecosystem has no version ordering, a version cannot be read, or the advisory does not say
    /// which release it is about. Never a guess.</summary>
    Unknown = 0,

    /// <summary>The installed version is in an affected range or listed as affected.</summary>
    Affected = 1,

    /// <summary>The installed version is at or above the version that fixes it.</summary>
    Fixed = 2,

    /// <summary>The installed version is outside every affected range (before <c>introduced</c>, after <c>last_affected</c>, at or above a <c>limit</c>).</summary>
    NotAffected = 3,
}
