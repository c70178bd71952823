namespace PatchKit.Lifecycle.Repair;

/// <summary>Options of the Repair stage: windows, waves, concurrency, error budget and the per-host path.</summary>
public sealed class RepairStageOptions : PatchStageOptions
{
    /// <summary>Initializes a new instance of the <see cref="RepairStageOptions"/> class.</summary>
    public RepairStageOptions()
        : base(RepairConstants.DefaultName)
    {
    }

    /// <summary>Gets the maintenance windows; empty means always open. No new step starts unless its estimate
    /// finishes inside the open window; cleanup steps (revert, exit maintenance mode, rebalance, snapshot removal)
    /// always run, because leaving a host half-done is worse than overrunning.</summary>
    public IList<MaintenanceWindow> Windows { get; init; } = [];

    /// <summary>Gets or sets how far ahead a host may wait for a window before it is skipped.</summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan WindowHorizon { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets how many hosts are patched at once within a wave.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how many hosts may fail (or be rolled back) before the run halts; hosts not started then
    /// are left untouched and reported as skipped.</summary>
    /// <value>The default value is 2.</value>
    public int ErrorBudget { get; set; } = 2;

    /// <summary>Gets or sets whether any failure in the lab or canary wave halts the run before the next wave.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool HaltOnEarlyWaveFailure { get; set; } = true;

    /// <summary>Gets or sets the tag of hosts in the first wave.</summary>
    /// <value>The default value is <c>lab</c>.</value>
    public string LabTag { get; set; } = "lab";

    /// <summary>Gets or sets the tag of hosts in the canary wave.</summary>
    /// <value>The default value is <c>canary</c>.</value>
    public string CanaryTag { get; set; } = "canary";

    /// <summary>Gets or sets the share of the remaining hosts put in the canary wave when no host carries
    /// <see cref="CanaryTag"/>.</summary>
    /// <value>The default value is 0.1.</value>
    public double CanaryFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the tag of hosts whose reboots are deferred (they end patched, pending reboot).</summary>
    /// <value>The default value is <c>reboot:defer</c>.</value>
    public string DeferRebootTag { get; set; } = "reboot:defer";

    /// <summary>Gets or sets whether live update/live patch is preferred when every patch of a host allows it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PreferLiveUpdate { get; set; } = true;

    /// <summary>Gets or sets how long to wait for a host to come back after a reboot.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan RebootTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how long any other host step may take (measured on the run's clock) before it is
    /// cancelled and recorded as timed out; a hung platform task then fails one host instead of hanging the run.</summary>
    /// <value>The default value is 2 hours.</value>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets how long cleanup (revert, exit maintenance mode, rebalance, remove snapshot) may still run
    /// after the run was cancelled, so a host is not left in maintenance mode until someone resumes the run.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets the step estimates.</summary>
    public RepairStepEstimates Estimates { get; init; } = new();

    /// <summary>Gets or sets a verification run after the health check; <see langword="false"/> rolls the host back.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnHostVerifyArguments, ValueTask<bool>>? Verify { get; set; }

    /// <summary>Gets or sets a hook called when a host's repair ended.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnHostRepairedArguments, ValueTask>? OnHostRepaired { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MaxConcurrency < 1)
        {
            errors.Add("MaxConcurrency must be at least 1.");
        }

        if (ErrorBudget < 0)
        {
            errors.Add("ErrorBudget must not be negative.");
        }

        if (CanaryFraction is < 0 or > 1)
        {
            errors.Add("CanaryFraction must be between 0 and 1.");
        }

        if (WindowHorizon <= TimeSpan.Zero)
        {
            errors.Add("WindowHorizon must be positive.");
        }

        if (StepTimeout <= TimeSpan.Zero && StepTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add("StepTimeout must be positive (or infinite).");
        }

        if (CleanupTimeout <= TimeSpan.Zero)
        {
            errors.Add("CleanupTimeout must be positive.");
        }

        if (RebootTimeout <= TimeSpan.Zero)
        {
            errors.Add("RebootTimeout must be positive.");
        }

        foreach (var w in Windows)
        {
            if (w.Duration <= TimeSpan.Zero || w.Duration > TimeSpan.FromDays(7))
            {
                errors.Add("A window's Duration must be between 0 and 7 days.");
            }

            try
            {
                _ = w.TryGetOccurrence(DateTimeOffset.UnixEpoch, out _, out _);
            }
            catch (TimeZoneNotFoundException)
            {
                errors.Add($"Time zone '{w.TimeZone}' is not known on this machine.");
            }
            catch (InvalidTimeZoneException)
            {
                errors.Add($"Time zone '{w.TimeZone}' is invalid on this machine.");
            }
        }
    }
}
