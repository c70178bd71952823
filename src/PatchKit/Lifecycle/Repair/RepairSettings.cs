namespace PatchKit.Lifecycle.Repair;

/// <summary>A copy of <see cref="RepairStageOptions"/> taken when the pipeline is built; later edits have no effect.</summary>
internal sealed class RepairSettings
{
    public RepairSettings(RepairStageOptions o)
    {
        Schedule = new MaintenanceSchedule(o.Windows.Select(w => new MaintenanceWindow
        {
            Days = [.. w.Days],
            Start = w.Start,
            Duration = w.Duration,
            TimeZone = w.TimeZone,
        }));
        WindowHorizon = o.WindowHorizon;
        MaxConcurrency = o.MaxConcurrency;
        ErrorBudget = o.ErrorBudget;
        HaltOnEarlyWaveFailure = o.HaltOnEarlyWaveFailure;
        LabTag = o.LabTag;
        CanaryTag = o.CanaryTag;
        CanaryFraction = o.CanaryFraction;
        DeferRebootTag = o.DeferRebootTag;
        PreferLiveUpdate = o.PreferLiveUpdate;
        RebootTimeout = o.RebootTimeout;
        StepTimeout = o.StepTimeout;
        CleanupTimeout = o.CleanupTimeout;
        Snapshot = o.Estimates.Snapshot;
        MigratePerGuest = o.Estimates.MigratePerGuest;
        MaintenanceMode = o.Estimates.MaintenanceMode;
        Install = o.Estimates.Install;
        LiveUpdate = o.Estimates.LiveUpdate;
        HostReboot = o.Estimates.HostReboot;
        GuestReboot = o.Estimates.GuestReboot;
        Verify = o.Estimates.Verify;
        VerifyHook = o.Verify;
        OnHostRepaired = o.OnHostRepaired;
    }

    public MaintenanceSchedule Schedule { get; }

    public TimeSpan WindowHorizon { get; }

    public int MaxConcurrency { get; }

    public int ErrorBudget { get; }

    public bool HaltOnEarlyWaveFailure { get; }

    public string LabTag { get; }

    public string CanaryTag { get; }

    public double CanaryFraction { get; }

    public string DeferRebootTag { get; }

    public bool PreferLiveUpdate { get; }

    public TimeSpan RebootTimeout { get; }

    public TimeSpan StepTimeout { get; }

    public TimeSpan CleanupTimeout { get; }

    public TimeSpan Snapshot { get; }

    public TimeSpan MigratePerGuest { get; }

    public TimeSpan MaintenanceMode { get; }

    public TimeSpan Install { get; }

    public TimeSpan LiveUpdate { get; }

    public TimeSpan HostReboot { get; }

    public TimeSpan GuestReboot { get; }

    public TimeSpan Verify { get; }

    public Func<OnHostVerifyArguments, ValueTask<bool>>? VerifyHook { get; }

    public Func<OnHostRepairedArguments, ValueTask>? OnHostRepaired { get; }
}
