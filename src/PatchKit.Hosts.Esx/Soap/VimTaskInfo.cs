namespace PatchKit.Hosts.Esx.Soap;

/// <summary>The state of a vSphere task (<c>Task.info</c>).</summary>
internal sealed class VimTaskInfo
{
    public required ManagedObjectReference Task { get; init; }

    /// <summary>queued, running, success or error.</summary>
    public string State { get; init; } = string.Empty;

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }

    public VimNode? Result { get; init; }

    public bool IsDone => State is "success" or "error";

    internal static VimTaskInfo From(ManagedObjectReference task, VimNode info)
    {
        var error = info.Child("error");
        return new VimTaskInfo
        {
            Task = task,
            State = info.ChildText("state") ?? string.Empty,
            ErrorType = error?.Child("fault")?.XsiType,
            ErrorMessage = error?.ChildText("localizedMessage"),
            Result = info.Child("result"),
        };
    }
}
