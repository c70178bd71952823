using System.Collections.Concurrent;
using System.Globalization;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Hosts.Esx;

public sealed partial class EsxHostAdapter
{
    /// <summary>The datastore folder under which every fenced host or VM has a folder of token markers.</summary>
    internal const string FenceFolder = ".patchkit-fence";

    private readonly ConcurrentDictionary<string, FenceLocation> _fenceLocations = new(StringComparer.Ordinal);

    /// <summary>Where an entity's markers live: <c>[Datastore] .patchkit-fence/MOREF/TOKEN</c>.</summary>
    internal sealed record FenceLocation(string Datastore, ManagedObjectReference Datacenter, ManagedObjectReference Browser, string Folder);

    /// <summary>Refuses a call whose fencing token is older than one already claimed for the host or VM. The tokens are
    /// kept on the entity's own datastore as one empty folder per token (<c>[ds] .patchkit-fence/MOREF/TOKEN</c>), so the
    /// check is write-then-read: a caller first creates its marker (<c>MakeDirectory</c>, atomic on the datastore), then
    /// lists the markers (<c>SearchDatastore_Task</c>) and goes ahead only when none is larger. Markers are never
    /// overwritten, so once a newer holder has passed its check, every later check of an older token sees the newer
    /// marker: a stale caller that raced the newer one is refused from its next call on, and two holders can never both
    /// keep passing (which a read-then-write register allows when the stale write lands last).</summary>
    /// <exception cref="HostAdapterException">A newer lease holds the host or VM: this caller's lease is lost.</exception>
    private async Task FenceAsync(HostOperation operation, ManagedObjectReference entity, CancellationToken cancellationToken)
    {
        if (operation.FencingToken is not { } token)
        {
            return;
        }

        var at = await FenceLocationAsync(entity, cancellationToken).ConfigureAwait(false);
        if (at is null)
        {
            return; // an entity on no datastore: nothing on the server can hold its token
        }

        await ClaimFenceAsync(at, token, cancellationToken).ConfigureAwait(false);
        long newest = await ReadFenceAsync(at, cancellationToken).ConfigureAwait(false);
        if (newest > token)
        {
            throw new HostAdapterException(operation.HostId, string.Create(CultureInfo.InvariantCulture,
                $"Lease lost: a newer lease (fencing token {newest}) holds '{operation.HostId}' ([{at.Datastore}] {at.Folder}); this caller's token {token} is stale, so nothing was done on the host"), null);
        }
    }

    /// <summary>The datastore folder of <paramref name="entity"/>'s markers: on the first of its datastores (by moref, so
    /// every worker picks the same one); null when it has none.</summary>
    internal async Task<FenceLocation?> FenceLocationAsync(ManagedObjectReference entity, CancellationToken cancellationToken)
    {
        if (_fenceLocations.TryGetValue(entity.Value, out var known))
        {
            return known;
        }

        var sc = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var objects = await _client.RetrieveObjectsAsync(sc.PropertyCollector, [entity], ["datastore"], cancellationToken).ConfigureAwait(false);
        var datastore = objects.FirstOrDefault()?.Node("datastore")?.Children.Where(c => c.IsMoref).Select(c => c.AsMoref())
            .OrderBy(m => m.Value, StringComparer.Ordinal).FirstOrDefault() ?? default;
        if (datastore.IsEmpty)
        {
            return null;
        }

        var ds = (await _client.RetrieveObjectsAsync(sc.PropertyCollector, [datastore], ["name", "browser", "parent"], cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        var browser = ds?.Moref("browser");
        var parent = ds?.Moref("parent");
        for (int depth = 0; parent is { } p && p.Type != "Datacenter" && depth < 16; depth++)
        {
            parent = (await _client.RetrieveObjectsAsync(sc.PropertyCollector, [p], ["parent"], cancellationToken).ConfigureAwait(false)).FirstOrDefault()?.Moref("parent");
        }

        if (ds?.Text("name") is not { } name || browser is not { } b || parent is not { Type: "Datacenter" } dc)
        {
            throw new HostAdapterException("The datastore " + datastore.Value + " of '" + entity.Value + "' has no name, browser or datacenter: the fencing token cannot be kept there.");
        }

        return _fenceLocations.GetOrAdd(entity.Value, new FenceLocation(name, dc, b, FenceFolder + "/" + entity.Value));
    }

    /// <summary>Creates the marker of <paramref name="token"/> (an existing one is fine: the same lease again).</summary>
    internal async Task ClaimFenceAsync(FenceLocation at, long token, CancellationToken cancellationToken)
    {
        var sc = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var files = sc.FileManager ?? throw new HostAdapterException("The server has no FileManager: the fencing token cannot be kept on a datastore.");
        try
        {
            await _client.InvokeAsync("MakeDirectory", files, w =>
            {
                w.WriteElementString("name", VimXml.VimNamespace, "[" + at.Datastore + "] " + at.Folder + "/" + token.ToString(CultureInfo.InvariantCulture));
                VimClient.WriteMoref(w, "datacenter", at.Datacenter);
                w.WriteElementString("createParentDirectories", VimXml.VimNamespace, "true");
            }, idempotent: true, cancellationToken).ConfigureAwait(false);
        }
        catch (VimFaultException ex) when (ex.FaultType == "FileAlreadyExists")
        {
            // this token's marker is there already
        }
    }

    /// <summary>The largest token whose marker is in the entity's folder (0 when none).</summary>
    internal async Task<long> ReadFenceAsync(FenceLocation at, CancellationToken cancellationToken)
    {
        var sc = await SessionAsync(cancellationToken).ConfigureAwait(false);
        VimTaskInfo info;
        try
        {
            var task = await _client.StartTaskAsync("SearchDatastore_Task", at.Browser, w =>
            {
                w.WriteElementString("datastorePath", VimXml.VimNamespace, "[" + at.Datastore + "] " + at.Folder);
                w.WriteStartElement("searchSpec", VimXml.VimNamespace);
                w.WriteElementString("matchPattern", VimXml.VimNamespace, "*");
                w.WriteEndElement();
            }, cancellationToken).ConfigureAwait(false);
            await _waitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                info = await _client.WaitForTaskAsync(sc.PropertyCollector, task, _options.TaskTimeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _waitGate.Release();
            }
        }
        catch (VimFaultException ex) when (ex.FaultType == "FileNotFound")
        {
            return 0;
        }

        if (info.State != "success")
        {
            if (info.ErrorType == "FileNotFound")
            {
                return 0;
            }

            throw new HostAdapterException("Listing the fencing tokens in [" + at.Datastore + "] " + at.Folder + " failed: " + (info.ErrorType ?? info.State) + ".");
        }

        long newest = 0;
        foreach (var file in info.Result?.ChildrenNamed("file") ?? [])
        {
            if (long.TryParse(file.ChildText("path")?.TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out long t))
            {
                newest = Math.Max(newest, t);
            }
        }

        return newest;
    }
}
