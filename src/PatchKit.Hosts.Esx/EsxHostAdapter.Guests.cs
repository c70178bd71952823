using System.Xml;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Hosts.Esx;

public sealed partial class EsxHostAdapter
{
    /// <summary>Lab clones carry their source in the annotation, so they are found again after a crash.</summary>
    internal const string LabAnnotationPrefix = "patchkit-lab-source=";

    private static readonly HashSet<string> s_nicTypes = new(StringComparer.Ordinal)
    {
        "VirtualE1000", "VirtualE1000e", "VirtualVmxnet", "VirtualVmxnet2", "VirtualVmxnet3", "VirtualVmxnet3Vrdma", "VirtualPCNet32", "VirtualSriovEthernetCard", "VirtualEthernetCard",
    };

    private async Task<EsxVmInfo> RequireVmAsync(HostOperation operation)
    {
        return await GetVmAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false)
            ?? throw new HostAdapterException(operation.HostId, "No virtual machine with this id in the vSphere inventory", null);
    }

    /// <inheritdoc />
    public async Task<SnapshotInfo> CreateSnapshotAsync(HostOperation operation, string name)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(name);
        operation.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            var vm = await RequireVmAsync(operation).ConfigureAwait(false);
            if (vm.Snapshots.FirstOrDefault(s => s.Name == name) is { } existing)
            {
                return existing;
            }

            var info = await RunTaskAsync(operation, "snapshot", "CreateSnapshot_Task", vm.Moref, w =>
            {
                w.WriteElementString("name", VimXml.VimNamespace, name);
                w.WriteElementString("description", VimXml.VimNamespace, "PatchKit");
                Bool(w, "memory", false);
                Bool(w, "quiesce", false);
            }).ConfigureAwait(false);
            if (info.State != "success")
            {
                throw new HostAdapterException(operation.HostId, "Snapshot '" + name + "' of " + vm.Name + " failed: " + (info.ErrorType ?? "timed out") + " " + info.ErrorMessage, null);
            }

            var after = await RequireVmAsync(operation).ConfigureAwait(false);
            return after.Snapshots.FirstOrDefault(s => s.SnapshotId == info.Result?.Text) ?? after.Snapshots.First(s => s.Name == name);
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            return (await RequireVmAsync(operation).ConfigureAwait(false)).Snapshots;
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <inheritdoc />
    public Task<HostStepResult> RevertSnapshotAsync(HostOperation operation, string snapshotId) =>
        SnapshotTaskAsync(operation, snapshotId, "revert", "RevertToSnapshot_Task", w => Bool(w, "suppressPowerOn", false), missingIsSuccess: false);

    /// <inheritdoc />
    public Task<HostStepResult> RemoveSnapshotAsync(HostOperation operation, string snapshotId) =>
        SnapshotTaskAsync(operation, snapshotId, "remove-snapshot", "RemoveSnapshot_Task", w =>
        {
            Bool(w, "removeChildren", false);
            Bool(w, "consolidate", true);
        }, missingIsSuccess: true);

    private async Task<HostStepResult> SnapshotTaskAsync(HostOperation operation, string snapshotId, string kind, string method, Action<XmlWriter> args, bool missingIsSuccess)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var vm = await RequireVmAsync(operation).ConfigureAwait(false);
            if (!vm.Snapshots.Any(s => s.SnapshotId == snapshotId))
            {
                return missingIsSuccess
                    ? HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), "Snapshot " + snapshotId + " of " + vm.Name + " does not exist (already removed).")
                    : HostStepResult.Fail("Snapshot " + snapshotId + " of " + vm.Name + " does not exist.", _options.TimeProvider.GetElapsedTime(started), "NotFound");
            }

            var info = await RunTaskAsync(operation, kind, method, new ManagedObjectReference("VirtualMachineSnapshot", snapshotId), args).ConfigureAwait(false);
            return TaskResult(info, method + " of " + vm.Name, started);
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }

    /// <summary>Clones the VM (CloneVM_Task, powered off, from the snapshot) into the lab folder, with every network
    /// card set not to connect, so the clone cannot reach production networks when started.</summary>
    /// <inheritdoc />
    public async Task<LabClone> CreateLabCloneAsync(HostOperation operation, string snapshotId, string name)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var ct = operation.CancellationToken;
        ct.ThrowIfCancellationRequested();
        try
        {
            var existing = (await ListLabClonesAsync(operation).ConfigureAwait(false)).FirstOrDefault(c => c.Name == name);
            if (existing is not null)
            {
                return existing;
            }

            var vm = await RequireVmAsync(operation).ConfigureAwait(false);
            var devices = await CallAsync(sc => _client.RetrieveObjectsAsync(sc.PropertyCollector, [vm.Moref], ["config.hardware.device"], ct), ct).ConfigureAwait(false);
            var nics = devices.FirstOrDefault()?.Node("config.hardware.device")?.Children.Where(d => d.XsiType is { } t && s_nicTypes.Contains(t)).ToList() ?? [];
            var folder = _options.LabFolder is { Length: > 0 } lf ? new ManagedObjectReference("Folder", lf) : vm.Folder ?? throw new HostAdapterException(operation.HostId, "The VM has no folder to clone into; set LabFolder", null);
            var info = await RunTaskAsync(operation, "lab-clone", "CloneVM_Task", vm.Moref, w =>
            {
                VimClient.WriteMoref(w, "folder", folder);
                w.WriteElementString("name", VimXml.VimNamespace, name);
                w.WriteStartElement("spec", VimXml.VimNamespace);
                w.WriteStartElement("location", VimXml.VimNamespace);
                if (_options.LabHost is { Length: > 0 } lh)
                {
                    VimClient.WriteMoref(w, "host", HostRef(lh));
                }

                w.WriteEndElement();
                Bool(w, "template", false);
                w.WriteStartElement("config", VimXml.VimNamespace);
                w.WriteElementString("annotation", VimXml.VimNamespace, LabAnnotationPrefix + vm.Moref.Value);
                WriteNicsDisconnected(w, nics);
                w.WriteEndElement();
                Bool(w, "powerOn", false);
                if (snapshotId.Length > 0)
                {
                    VimClient.WriteMoref(w, "snapshot", new ManagedObjectReference("VirtualMachineSnapshot", snapshotId));
                }

                w.WriteEndElement();
            }).ConfigureAwait(false);
            if (info.State != "success" || info.Result is not { IsMoref: true } result)
            {
                throw new HostAdapterException(operation.HostId, "Lab clone '" + name + "' of " + vm.Name + " failed: " + (info.ErrorType ?? "timed out") + " " + info.ErrorMessage, null);
            }

            await EnsureLabConfigAsync(operation, result.AsMoref(), LabAnnotationPrefix + vm.Moref.Value).ConfigureAwait(false);
            return new LabClone { CloneId = result.Text, SourceHostId = vm.Moref.Value, Name = name };
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <summary>Reads the clone back and reconfigures it (ReconfigVM_Task) when a network card would still connect or
    /// the annotation is missing (a server that ignored the clone spec's config, as the simulator does).</summary>
    private async Task EnsureLabConfigAsync(HostOperation operation, ManagedObjectReference clone, string annotation)
    {
        var ct = operation.CancellationToken;
        var read = await CallAsync(sc => _client.RetrieveObjectsAsync(sc.PropertyCollector, [clone], ["config.hardware.device", "config.annotation"], ct), ct).ConfigureAwait(false);
        var connected = read.FirstOrDefault()?.Node("config.hardware.device")?.Children
            .Where(d => d.XsiType is { } t && s_nicTypes.Contains(t) && d.Child("connectable") is { } c && (c.ChildBool("connected") || c.ChildBool("startConnected")))
            .ToList() ?? [];
        bool annotated = read.FirstOrDefault()?.Text("config.annotation") == annotation;
        if (connected.Count == 0 && annotated)
        {
            return;
        }

        var info = await RunTaskAsync(operation, "lab-clone-cut", "ReconfigVM_Task", clone, w =>
        {
            w.WriteStartElement("spec", VimXml.VimNamespace);
            w.WriteElementString("annotation", VimXml.VimNamespace, annotation);
            WriteNicsDisconnected(w, connected);
            w.WriteEndElement();
        }).ConfigureAwait(false);
        if (info.State != "success")
        {
            throw new HostAdapterException(operation.HostId, "The lab clone " + clone.Value + " was made but its network could not be cut: " + info.ErrorType + " " + info.ErrorMessage + ". Destroy it before use", null);
        }
    }

    private static void WriteNicsDisconnected(XmlWriter w, List<VimNode> nics)
    {
        foreach (var nic in nics)
        {
            w.WriteStartElement("deviceChange", VimXml.VimNamespace);
            w.WriteElementString("operation", VimXml.VimNamespace, "edit");
            w.WriteStartElement("device", VimXml.VimNamespace);
            w.WriteAttributeString("type", VimXml.XsiNamespace, nic.XsiType);
            bool wroteConnectable = false;
            foreach (var child in nic.Children)
            {
                if (child.Name == "connectable")
                {
                    WriteConnectable(w);
                    wroteConnectable = true;
                }
                else
                {
                    if (!wroteConnectable && child.Name is "slotInfo" or "controllerKey" or "unitNumber" or "numaNode" or "deviceGroupInfo")
                    {
                        WriteConnectable(w);
                        wroteConnectable = true;
                    }

                    WriteNode(w, child);
                }
            }

            if (!wroteConnectable)
            {
                WriteConnectable(w);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        static void WriteConnectable(XmlWriter w)
        {
            w.WriteStartElement("connectable", VimXml.VimNamespace);
            Bool(w, "startConnected", false);
            Bool(w, "allowGuestControl", false);
            Bool(w, "connected", false);
            w.WriteEndElement();
        }
    }

    /// <summary>Writes a node read from a response back into a request: same name, xsi:type and moref type.</summary>
    private static void WriteNode(XmlWriter w, VimNode node)
    {
        w.WriteStartElement(node.Name, VimXml.VimNamespace);
        if (node.XsiType is { } t)
        {
            w.WriteAttributeString("type", VimXml.XsiNamespace, t);
        }

        if (node.MorefType is { } m)
        {
            w.WriteAttributeString("type", m);
        }

        if (node.Children.Count > 0)
        {
            foreach (var c in node.Children)
            {
                WriteNode(w, c);
            }
        }
        else
        {
            w.WriteString(node.Text);
        }

        w.WriteEndElement();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LabClone>> ListLabClonesAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            var inv = await LoadInventoryAsync(operation.CancellationToken).ConfigureAwait(false);
            string tag = LabAnnotationPrefix + operation.HostId;
            return [.. inv.Vms.Where(v => v.Annotation == tag).Select(v => new LabClone { CloneId = v.Moref.Value, SourceHostId = operation.HostId, Name = v.Name })];
        }
        catch (VimFaultException ex)
        {
            throw new HostAdapterException(operation.HostId, ex.Message, null);
        }
    }

    /// <summary>Powers the clone off and destroys it (Destroy_Task). Only VMs PatchKit made as lab clones are destroyed.</summary>
    /// <inheritdoc />
    public async Task<HostStepResult> DestroyLabCloneAsync(HostOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.CancellationToken.ThrowIfCancellationRequested();
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var vm = await GetVmAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false);
            if (vm is null)
            {
                return HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), "Lab clone " + operation.HostId + " does not exist (already destroyed).");
            }

            if (!vm.Annotation.StartsWith(LabAnnotationPrefix, StringComparison.Ordinal))
            {
                return HostStepResult.Fail(vm.Name + " is not a PatchKit lab clone; it is not destroyed.", _options.TimeProvider.GetElapsedTime(started), "NotALabClone");
            }

            if (vm.PoweredOn)
            {
                var off = await RunTaskAsync(operation, "lab-clone-off", "PowerOffVM_Task", vm.Moref, null).ConfigureAwait(false);
                if (off.State != "success")
                {
                    return TaskResult(off, "Powering off " + vm.Name, started);
                }
            }

            var info = await RunTaskAsync(operation, "lab-clone-destroy", "Destroy_Task", vm.Moref, null).ConfigureAwait(false);
            return TaskResult(info, "Destroying lab clone " + vm.Name, started);
        }
        catch (VimFaultException ex) when (ex.FaultType == "ManagedObjectNotFound")
        {
            return HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), "Lab clone " + operation.HostId + " does not exist (already destroyed).");
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }

    private async Task<HostStepResult> PowerAsync(HostOperation operation, bool on)
    {
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            var vm = await GetVmAsync(operation.HostId, operation.CancellationToken).ConfigureAwait(false);
            if (vm is null)
            {
                return HostStepResult.Fail("No virtual machine '" + operation.HostId + "' in the vSphere inventory.", TimeSpan.Zero, "ManagedObjectNotFound");
            }

            if (vm.PoweredOn == on)
            {
                return HostStepResult.Ok(_options.TimeProvider.GetElapsedTime(started), vm.Name + " is already " + vm.PowerState + ".");
            }

            var info = on
                ? await RunTaskAsync(operation, "power-on", "PowerOnVM_Task", vm.Moref, null).ConfigureAwait(false)
                : await RunTaskAsync(operation, "power-off", "PowerOffVM_Task", vm.Moref, null).ConfigureAwait(false);
            return TaskResult(info, (on ? "Powering on " : "Powering off ") + vm.Name, started);
        }
        catch (VimFaultException ex)
        {
            return Failure(operation.HostId, ex, started);
        }
    }
}
