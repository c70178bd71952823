using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PatchKit.Lifecycle.Report;

/// <summary>Report: builds the report, writes JSON/Markdown/HTML, and adds one never-overwritten history entry.</summary>
internal sealed class ReportStage : PatchStage
{
    private readonly string _name;
    private readonly string? _output;
    private readonly string? _history;
    private readonly ReportFormats _formats;
    private readonly int _maxRows;

    public ReportStage(string name, ReportStageOptions options)
    {
        _name = name;
        _output = options.OutputDirectory;
        _history = options.HistoryDirectory ?? (options.OutputDirectory is null ? null : Path.Combine(options.OutputDirectory, "history"));
        _formats = options.Formats;
        _maxRows = options.MaxHostRows;
    }

    protected internal override ValueTask ExecuteAsync(PatchRunContext context)
    {
        var earlier = _history is null ? [] : ReadHistory(context, _history);
        var report = ReportBuilder.Build(context, earlier);
        context.Report = report;
        var files = new List<string>();
        if (_output is not null)
        {
            Directory.CreateDirectory(_output);
            string stem = Path.Combine(_output, "patchkit-report-" + context.RunId + (context.IsDryRun ? "-plan" : string.Empty));
            if ((_formats & ReportFormats.Json) != 0)
            {
                files.Add(Write(stem + ".json", ReportRenderer.ToJson(report)));
            }

            if ((_formats & ReportFormats.Markdown) != 0)
            {
                files.Add(Write(stem + ".md", Encoding.UTF8.GetBytes(ReportRenderer.ToMarkdown(report, _maxRows))));
            }

            if ((_formats & ReportFormats.Html) != 0)
            {
                files.Add(Write(stem + ".html", Encoding.UTF8.GetBytes(ReportRenderer.ToHtml(report, _maxRows))));
            }

            foreach (var f in files)
            {
                Log.ReportWritten(context.Logger, f);
            }
        }

        if (_history is not null && !context.IsDryRun)
        {
            var entry = report.History[^1];
            if (!earlier.Contains(entry))
            {
                WriteHistoryEntry(context, _history, entry);
            }
        }

        context.ReportFiles = files;
        context.ReportProgress(_name, files.Count == 0 ? "report ready" : "report written to " + files[^1], 1, 1);
        return ValueTask.CompletedTask;
    }

    /// <summary>Adds a history file under a name no other file has. Several workers of one run may report at the same
    /// moment: the name is claimed by creating the file (never by looking first), and a name taken by another process
    /// moves on to the next number.</summary>
    private static void WriteHistoryEntry(PatchRunContext context, string dir, RunHistoryEntry entry)
    {
        Directory.CreateDirectory(dir);
        string baseName = Path.Combine(dir, entry.GeneratedAt.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "-" + context.RunId);
        for (int n = 1; ; n++)
        {
            string path = n == 1 ? baseName + ".json" : baseName + "-" + n.ToString(CultureInfo.InvariantCulture) + ".json";
            FileStream fs;
            try
            {
                fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            }
            catch (IOException) when (File.Exists(path) && n < 10_000)
            {
                continue;
            }

            using (fs)
            {
                JsonSerializer.Serialize(fs, entry, ReportJsonContext.Default.RunHistoryEntry);
                fs.Flush(true);
            }

            return;
        }
    }

    private static string Write(string path, byte[] bytes)
    {
        // A temporary name of this process and call: several workers of one run may write the same report at once.
        string tmp = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
        return Path.GetFullPath(path);
    }

    private static List<RunHistoryEntry> ReadHistory(PatchRunContext context, string dir)
    {
        var list = new List<RunHistoryEntry>();
        if (!Directory.Exists(dir))
        {
            return list;
        }

        foreach (string f in Directory.EnumerateFiles(dir, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(f), ReportJsonContext.Default.RunHistoryEntry) is { } e)
                {
                    list.Add(e);
                }
            }
            catch (JsonException)
            {
                Log.HistoryEntryUnreadable(context.Logger, f);
            }
        }

        // Equal entries are one report written by several workers of a run at once: count it once.
        list = [.. list.Distinct()];
        list.Sort((a, b) => a.GeneratedAt.CompareTo(b.GeneratedAt));
        return list;
    }
}
