using PatchKit.Hosts.Windows.Updates;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Hosts.Windows;

public sealed partial class WindowsHostAdapter
{
    /// <summary>Restarts the machine and waits until it answers with a new boot time (LastBootUpTime). The connection
    /// dropping, the shell vanishing and the listener answering 503 meanwhile are expected. The wait is bounded by the
    /// operation's timeout, or <see cref="WindowsHostAdapterOptions.RebootTimeout"/>; past it the result is
    /// <see cref="HostOperationStatus.TimedOut"/>.</summary>
    /// <param name="operation">The host and the run's token, clock and timeout.</param>
    /// <returns>Succeeded with the new boot time, TimedOut, Unreachable (down before the reboot) or Failed.</returns>
    public async Task<HostStepResult> RebootAndWaitAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var ct = operation.CancellationToken;
        ct.ThrowIfCancellationRequested();
        var clock = operation.TimeProvider;
        long start = clock.GetTimestamp();
        var m = Get(operation.HostId);
        if (await FenceOrFailureAsync(m, operation, start).ConfigureAwait(false) is { } fenced)
        {
            return fenced;
        }

        TimeSpan limit = operation.Timeout > TimeSpan.Zero ? operation.Timeout : _rebootTimeout;

        WindowsOsInfo before;
        try
        {
            before = await OsInfoAsync(m, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WinRmException or FormatException or HostAdapterException)
        {
            return Failure(ex, clock.GetElapsedTime(start));
        }

        _logger.RebootStarted(m.Id, before.LastBootUpTime);
        try
        {
            var r = await m.Shell.RunCommandAsync("shutdown.exe", ["/r", "/t", "5", "/d", "p:2:17", "/c", "\"PatchKit: restart for updates\""], ct).ConfigureAwait(false);

            // 1190: a shutdown is already scheduled, which is as good.
            if (r.ExitCode is not (0 or 1190))
            {
                return new HostStepResult
                {
                    Status = HostOperationStatus.Failed,
                    ErrorCode = WindowsResultCodes.Format(r.ExitCode),
                    Message = "shutdown /r on " + m.Id + " failed (exit " + r.ExitCode + "): " + WindowsOutputParser.ErrorText(r.StandardError.Span),
                    Duration = clock.GetElapsedTime(start),
                };
            }
        }
        catch (WinRmException)
        {
            // The connection or the shell went away with the machine: expected.
        }

        while (true)
        {
            TimeSpan left = limit - clock.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return new HostStepResult
                {
                    Status = HostOperationStatus.TimedOut,
                    Message = m.Id + " did not answer with a new boot time within " + limit + " of the restart (last boot " + before.LastBootUpTime.ToString("o") + ").",
                    Duration = clock.GetElapsedTime(start),
                };
            }

            await Task.Delay(left < _pollInterval ? left : _pollInterval, clock, ct).ConfigureAwait(false);
            try
            {
                using var bound = new CancellationTokenSource(left, clock);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct, bound.Token);
                var now = await OsInfoAsync(m, attempt.Token).ConfigureAwait(false);
                if (now.LastBootUpTime != before.LastBootUpTime)
                {
                    _logger.RebootCompleted(m.Id, now.LastBootUpTime);
                    return HostStepResult.Ok(clock.GetElapsedTime(start), m.Id + " is back, booted at " + now.LastBootUpTime.ToString("o") + ".");
                }
            }
            catch (Exception ex) when (ex is WinRmException or FormatException or HostAdapterException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // Still down, still shutting down, or services not up yet (WinRM answers before WMI does): poll again.
            }
        }
    }
}
