using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PatchKit.Hosts.Windows;

/// <summary>Options of <see cref="WindowsHostAdapter"/>.</summary>
public sealed class WindowsHostAdapterOptions
{
    /// <summary>Gets the machines.</summary>
    /// <value>The default value is an empty list; at least one machine is required.</value>
    public IList<WindowsHostOptions> Hosts { get; } = new List<WindowsHostOptions>();

    /// <summary>Gets or sets the clock for polling and timeouts.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the logger factory.</summary>
    /// <value>The default value is <see cref="NullLoggerFactory.Instance"/>.</value>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Gets or sets how long a reboot may take until the machine answers with a new boot time, when the
    /// operation has no timeout of its own.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan RebootTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how often a rebooting machine and a running install job are polled.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets after how many reboots an update that is still not installed counts as a reboot loop: the
    /// install then fails with error code <c>REBOOT_LOOP</c> instead of being tried again.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRebootsPerUpdate { get; set; } = 3;

    /// <summary>Returns every problem with these options (empty when they are usable).</summary>
    /// <returns>One sentence per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Hosts.Count == 0)
        {
            problems.Add("Hosts must name at least one machine.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in Hosts)
        {
            if (string.IsNullOrWhiteSpace(h.Id))
            {
                problems.Add("Every host needs an Id.");
                continue;
            }

            if (!ids.Add(h.Id))
            {
                problems.Add("Host id '" + h.Id + "' appears twice.");
            }

            if (h.GuestAgentEndpoint is { } agent)
            {
                if (!agent.StartsWith("unix:", StringComparison.Ordinal) && !agent.StartsWith("tcp:", StringComparison.Ordinal))
                {
                    problems.Add("Host '" + h.Id + "': GuestAgentEndpoint must be unix:PATH or tcp:HOST:PORT.");
                }

                continue;
            }

            foreach (string p in h.Connection.Validate())
            {
                problems.Add("Host '" + h.Id + "': " + p);
            }
        }

        if (RebootTimeout <= TimeSpan.Zero)
        {
            problems.Add("RebootTimeout must be positive.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            problems.Add("PollInterval must be positive.");
        }

        if (MaxRebootsPerUpdate < 1)
        {
            problems.Add("MaxRebootsPerUpdate must be at least 1.");
        }

        return problems;
    }
}
