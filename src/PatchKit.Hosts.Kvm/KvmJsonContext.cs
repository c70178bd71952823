using System.Text.Json.Serialization;

namespace PatchKit.Hosts.Kvm;

/// <summary>Source-generated JSON for the QMP and guest-agent replies PatchKit reads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower)]
[JsonSerializable(typeof(QmpGreetingBody))]
[JsonSerializable(typeof(GuestAgentInfo))]
[JsonSerializable(typeof(GuestAgentOsInfo))]
[JsonSerializable(typeof(GuestExecStarted))]
[JsonSerializable(typeof(GuestExecStatus))]
[JsonSerializable(typeof(GuestFileRead))]
[JsonSerializable(typeof(QmpStatusInfo))]
[JsonSerializable(typeof(QmpNameInfo))]
[JsonSerializable(typeof(QmpVersionInfo))]
[JsonSerializable(typeof(List<QmpBlockInfo>))]
[JsonSerializable(typeof(List<QmpJobInfo>))]
[JsonSerializable(typeof(List<QmpNamedNode>))]
[JsonSerializable(typeof(QmpMigrationInfo))]
[JsonSerializable(typeof(KvmState))]
internal sealed partial class KvmJsonContext : JsonSerializerContext
{
}

internal sealed class QmpGreetingBody
{
    public QmpVersionInfo? Version { get; set; }

    public List<string> Capabilities { get; set; } = [];
}

internal sealed class QmpVersionInfo
{
    public QmpVersionTriple? Qemu { get; set; }

    public string Package { get; set; } = string.Empty;

    public override string ToString() => Qemu is { } q ? q.Major + "." + q.Minor + "." + q.Micro : string.Empty;
}

internal sealed class QmpVersionTriple
{
    public int Major { get; set; }

    public int Minor { get; set; }

    public int Micro { get; set; }
}

internal sealed class QmpStatusInfo
{
    public string Status { get; set; } = string.Empty;

    public bool Running { get; set; }
}

internal sealed class QmpNameInfo
{
    public string? Name { get; set; }
}

internal sealed class QmpBlockInfo
{
    public string Device { get; set; } = string.Empty;

    public string Qdev { get; set; } = string.Empty;

    public QmpBlockInserted? Inserted { get; set; }
}

internal sealed class QmpBlockInserted
{
    public string NodeName { get; set; } = string.Empty;

    public string Drv { get; set; } = string.Empty;

    public string File { get; set; } = string.Empty;

    public bool Ro { get; set; }

    public QmpImageInfo? Image { get; set; }
}

internal sealed class QmpImageInfo
{
    public string Filename { get; set; } = string.Empty;

    public long VirtualSize { get; set; }

    public List<QmpSnapshotEntry> Snapshots { get; set; } = [];

    public QmpImageInfo? BackingImage { get; set; }
}

internal sealed class QmpNamedNode
{
    public string NodeName { get; set; } = string.Empty;

    public string Drv { get; set; } = string.Empty;

    public string File { get; set; } = string.Empty;
}

internal sealed class QmpSnapshotEntry
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public long DateSec { get; set; }

    public long VmStateSize { get; set; }
}

internal sealed class QmpJobInfo
{
    public string Id { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string? Error { get; set; }
}

internal sealed class QmpMigrationInfo
{
    public string Status { get; set; } = string.Empty;

    public long TotalTime { get; set; }

    public long Downtime { get; set; }

    public long SetupTime { get; set; }

    public string? ErrorDesc { get; set; }

    public QmpMigrationRam? Ram { get; set; }
}

internal sealed class QmpMigrationRam
{
    public long Transferred { get; set; }

    public long Remaining { get; set; }

    public long Total { get; set; }

    public long DirtyPagesRate { get; set; }

    public double Mbps { get; set; }
}

internal sealed class GuestExecStarted
{
    public long Pid { get; set; }
}

internal sealed class GuestExecStatus
{
    public bool Exited { get; set; }

    [JsonPropertyName("exitcode")]
    public int? ExitCode { get; set; }

    public int? Signal { get; set; }

    public string? OutData { get; set; }

    public string? ErrData { get; set; }

    public bool OutTruncated { get; set; }

    public bool ErrTruncated { get; set; }
}

internal sealed class GuestFileRead
{
    public int Count { get; set; }

    public string BufB64 { get; set; } = string.Empty;

    public bool Eof { get; set; }
}
