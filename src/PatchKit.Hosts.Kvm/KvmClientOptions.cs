namespace PatchKit.Hosts.Kvm;

/// <summary>Settings shared by <see cref="QmpClient"/> and <see cref="GuestAgentClient"/>.</summary>
public sealed class KvmClientOptions
{
    /// <summary>Gets or sets the clock for timeouts and polling. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets how long a connection attempt (and, for QMP, the greeting) may take. Defaults to 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a command may wait for its reply when the call names no timeout. Defaults to 60 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
