using System.Xml;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Hosts.Esx;

public sealed partial class EsxHostAdapter
{
    private const string CheckpointPrefix = "vim-task:";

    /// <summary>Starts a task (or, when the operation's checkpoint names a task of this kind, waits on that one instead of
    /// starting the work again), checkpoints its moref, and waits for it within the operation's timeout.</summary>
    internal async Task<VimTaskInfo> RunTaskAsync(HostOperation operation, string kind, string method, ManagedObjectReference self, Action<XmlWriter>? arguments)
    {
        var ct = operation.CancellationToken;
        string prefix = CheckpointPrefix + kind + ":";
        var sc = await SessionAsync(ct).ConfigureAwait(false);
        if (operation.Checkpoint is { } cp && cp.StartsWith(prefix, StringComparison.Ordinal))
        {
            var resumed = new ManagedObjectReference("Task", cp[prefix.Length..]);
            try
            {
                return await WaitAsync(operation, sc, resumed).ConfigureAwait(false);
            }
            catch (VimFaultException ex) when (ex.FaultType == "ManagedObjectNotFound")
            {
                // The task is gone (the server forgets finished tasks): the caller's idempotency check decided to start again.
            }
        }

        if (operation.FencingToken is not null)
        {
            // the lease is checked on vCenter before every task that changes the host or VM
            var entity = self.Value == operation.HostId ? self
                : await GetHostAsync(operation.HostId, ct).ConfigureAwait(false) is { } h ? h.Moref : VmRef(operation.HostId);
            await FenceAsync(operation, entity, ct).ConfigureAwait(false);
        }

        var task = await CallAsync(_ => _client.StartTaskAsync(method, self, arguments, ct), ct).ConfigureAwait(false);
        Log.TaskStarted(_logger, method, self.Value, task.Value);
        await operation.CheckpointAsync(prefix + task.Value).ConfigureAwait(false);
        return await WaitAsync(operation, sc, task).ConfigureAwait(false);
    }

    private async Task<VimTaskInfo> WaitAsync(HostOperation operation, VimServiceContent sc, ManagedObjectReference task)
    {
        TimeSpan timeout = operation.Timeout == Timeout.InfiniteTimeSpan ? _options.TaskTimeout : operation.Timeout;
        // One waiter per session: WaitForUpdatesEx reports every filter of the session's property collector.
        await _waitGate.WaitAsync(operation.CancellationToken).ConfigureAwait(false);
        try
        {
            return await _client.WaitForTaskAsync(sc.PropertyCollector, task, timeout, operation.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _waitGate.Release();
        }
    }

    private HostStepResult TaskResult(VimTaskInfo info, string what, long started) => info.State switch
    {
        "success" => HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), what + ": done."),
        "error" => HostStepResult.Fail(what + " failed: " + info.ErrorType + (string.IsNullOrEmpty(info.ErrorMessage) ? string.Empty : " (" + info.ErrorMessage + ")"), _options.TimeProvider.GetElapsedTime(started), info.ErrorType),
        _ => new HostStepResult { Status = HostOperationStatus.TimedOut, Message = what + ": task " + info.Task.Value + " still " + (info.State.Length == 0 ? "queued" : info.State) + " when the timeout passed.", Duration = _options.TimeProvider.GetElapsedTime(started) },
    };

    private HostStepResult Failure(string hostId, VimFaultException ex, long started) => new()
    {
        Status = ex.IsTransient ? HostOperationStatus.Unreachable : HostOperationStatus.Failed,
        Message = ex.Message + " (host '" + hostId + "')",
        ErrorCode = ex.FaultType,
        Duration = _options.TimeProvider.GetElapsedTime(started),
    };

    private static void Bool(XmlWriter w, string name, bool value) => w.WriteElementString(name, VimXml.VimNamespace, value ? "true" : "false");
}
