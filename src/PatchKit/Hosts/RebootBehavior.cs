namespace PatchKit.Hosts;

/// <summary>Whether installing a patch needs a reboot.</summary>
public enum RebootBehavior
{
    /// <summary>Not known: the planner treats it as <see cref="May"/>.</summary>
    Unknown = 0,

    /// <summary>Never needs a reboot.</summary>
    Never = 1,

    /// <summary>Always needs a reboot.</summary>
    Always = 2,

    /// <summary>Needs one depending on the host's state; the install result says (<see cref="HostStepResult.RebootRequired"/>).</summary>
    May = 3,
}
