using PatchKit.Lifecycle;

namespace PatchKit.Cli.Rendering;

/// <summary>Writes lifecycle progress to standard error, one line per event, in order (no color, no animation).</summary>
internal sealed class ProgressPrinter(TextWriter error) : IProgress<PatchProgress>
{
    private readonly object _gate = new();

    public void Report(PatchProgress value)
    {
        lock (_gate)
        {
            error.WriteLine(value.Total > 0 ? $"[{value.Stage} {value.Completed}/{value.Total}] {value.Message}" : $"[{value.Stage}] {value.Message}");
        }
    }
}
