using System.Globalization;
using PatchKit.Hosts.Esx.Soap;

namespace PatchKit.Hosts.Esx;

public sealed partial class EsxHostAdapter
{
    /// <summary>The vCenter custom attribute that keeps the largest fencing token seen for a host or VM.</summary>
    internal const string FenceField = "patchkit.fence";

    private int? _fenceKey;

    /// <summary>Refuses a call whose fencing token is older than the one kept in the entity's <see cref="FenceField"/>
    /// custom attribute on vCenter, and writes a newer one there (<c>SetField</c>) before the call acts. A server
    /// without custom attributes (a standalone ESXi) is not fenced here: the lifecycle's cancellation protects it.</summary>
    /// <exception cref="HostAdapterException">A newer lease holds the host or VM: this caller's lease is lost.</exception>
    private async Task FenceAsync(HostOperation operation, ManagedObjectReference entity, CancellationToken cancellationToken)
    {
        if (operation.FencingToken is not { } token)
        {
            return;
        }

        var sc = await SessionAsync(cancellationToken).ConfigureAwait(false);
        if (sc.CustomFieldsManager is not { } fields)
        {
            return;
        }

        int key = _fenceKey ??= await FenceKeyAsync(sc, fields, cancellationToken).ConfigureAwait(false);
        long stored = await ReadFenceAsync(sc, entity, key, cancellationToken).ConfigureAwait(false);
        if (token < stored)
        {
            throw new HostAdapterException(operation.HostId, string.Create(CultureInfo.InvariantCulture,
                $"Lease lost: a newer lease (fencing token {stored}) holds '{operation.HostId}' (vCenter attribute {FenceField}); this caller's token {token} is stale, so nothing was done on the host"), null);
        }

        if (token > stored)
        {
            await _client.InvokeAsync("SetField", fields, w =>
            {
                VimClient.WriteMoref(w, "entity", entity);
                w.WriteElementString("key", VimXml.VimNamespace, key.ToString(CultureInfo.InvariantCulture));
                w.WriteElementString("value", VimXml.VimNamespace, token.ToString(CultureInfo.InvariantCulture));
            }, idempotent: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the fencing token kept on <paramref name="entity"/> (0 when none). The largest value under the key
    /// counts: tokens only grow, and some servers (the simulator) keep every value set rather than the last.</summary>
    internal async Task<long> ReadFenceAsync(VimServiceContent sc, ManagedObjectReference entity, int key, CancellationToken cancellationToken)
    {
        var objects = await _client.RetrieveObjectsAsync(sc.PropertyCollector, [entity], ["customValue"], cancellationToken).ConfigureAwait(false);
        if (objects.FirstOrDefault()?.Node("customValue") is not { } values)
        {
            return 0;
        }

        long stored = 0;
        foreach (var v in values.Children)
        {
            if (v.ChildLong("key") == key && long.TryParse(v.ChildText("value"), NumberStyles.None, CultureInfo.InvariantCulture, out long t))
            {
                stored = Math.Max(stored, t);
            }
        }

        return stored;
    }

    /// <summary>The key of the <see cref="FenceField"/> attribute, defined on first use.</summary>
    private async Task<int> FenceKeyAsync(VimServiceContent sc, ManagedObjectReference fields, CancellationToken cancellationToken)
    {
        if (await FindFenceKeyAsync(sc, fields, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        try
        {
            var r = await _client.InvokeAsync("AddCustomFieldDef", fields, w => w.WriteElementString("name", VimXml.VimNamespace, FenceField),
                idempotent: false, cancellationToken).ConfigureAwait(false);
            if (r.FirstOrDefault()?.ChildLong("key") is { } k)
            {
                return (int)k;
            }
        }
        catch (VimFaultException ex) when (ex.FaultType == "DuplicateName")
        {
            // another worker defined it at the same moment
        }

        return await FindFenceKeyAsync(sc, fields, cancellationToken).ConfigureAwait(false)
            ?? throw new HostAdapterException("vCenter did not define the custom attribute " + FenceField + ".");
    }

    private async Task<int?> FindFenceKeyAsync(VimServiceContent sc, ManagedObjectReference fields, CancellationToken cancellationToken)
    {
        var objects = await _client.RetrieveObjectsAsync(sc.PropertyCollector, [fields], ["field"], cancellationToken).ConfigureAwait(false);
        foreach (var def in objects.FirstOrDefault()?.Node("field")?.Children ?? [])
        {
            if (def.ChildText("name") == FenceField && def.ChildLong("key") is { } k)
            {
                return (int)k;
            }
        }

        return null;
    }
}
