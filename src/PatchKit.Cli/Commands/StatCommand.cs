using PatchKit.Cli.Rendering;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit stat [FILE]`: what a patch changes, as <c>git apply --stat --summary</c> (default), <c>--numstat</c> or <c>--summary</c> print it.</summary>
/// <remarks>With an explicit <c>--stat</c>, <c>--numstat</c> or <c>--summary</c> the output is exactly git apply's (context diffs, which git
/// does not read, are left out); the default summary also lists context diffs.</remarks>
internal static class StatCommand
{
    private static readonly ArgOption s_numstat = new('\0', "numstat", false, "Tab-separated added, removed and path per file, as git apply --numstat (binary: -\\t-).");
    private static readonly ArgOption s_stat = new('\0', "stat", false, "A diffstat, as git apply --stat.");
    private static readonly ArgOption s_summary = new('\0', "summary", false, "Creations, deletions, renames and mode changes, as git apply --summary.");
    private static readonly ArgOption s_strip = new('p', "strip", true, "Remove N leading path components (default: 1, guessed for traditional patches as git does).");
    private static readonly ArgOption s_recount = new('\0', "recount", false, "Ignore the hunk counts and count the lines (git apply --recount).");
    private static readonly ArgOption s_lenient = new('\0', "lenient", false, "Skip what cannot be read instead of failing, as GNU patch does.");
    private static readonly ArgOption s_help = new('h', "help", false, "Show this help.");
    private static readonly ArgOption[] s_options = [s_numstat, s_stat, s_summary, s_strip, s_recount, s_lenient, s_help];

    public static int Run(CliContext context, string[] args)
    {
        var (options, operands) = ArgReader.Parse(args, s_options);
        bool numstat = false, stat = false, summary = false, recount = false, lenient = false;
        int? strip = null;
        foreach (var (option, value) in options)
        {
            if (option == s_help)
            {
                ArgReader.PrintHelp(context.Output, "patchkit stat [--stat] [--numstat] [--summary] [-p N] [FILE|-]", s_options);
                return ExitCodes.Success;
            }

            numstat |= option == s_numstat;
            stat |= option == s_stat;
            summary |= option == s_summary;
            recount |= option == s_recount;
            lenient |= option == s_lenient;
            if (option == s_strip)
            {
                strip = ArgReader.ParseInt(option, value);
            }
        }

        if (operands.Count > 1)
        {
            throw new ArgReaderException("extra operand '" + operands[1] + "'");
        }

        bool human = !numstat && !stat && !summary;
        if (human)
        {
            stat = summary = true;
        }

        // Streamed through one reused buffer: a patch of any size costs memory for its files and hunks only, and no page
        // faults of a fresh array as big as the file.
        string source = operands.Count == 0 || operands[0] == "-" ? "standard input" : $"the patch file '{operands[0]}'";
        GitApplyStat report;
        try
        {
            using Stream input = operands.Count == 0 || operands[0] == "-" ? context.OpenInput() : OpenPatch(context, operands[0]);
            report = GitApplyStat.Read(input, strip, new PatchParseOptions { Recount = recount, Lenient = lenient }, includeContextDiffs: human, context.CancellationToken);
        }
        catch (PatchFormatException ex)
        {
            throw new CliInputException($"{source} is not a valid patch: {ex.Message}", "--lenient skips what cannot be read, as GNU patch does.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(operands.Count == 0 ? "-" : operands[0], operands.Count == 0 || operands[0] == "-" ? "standard input" : "patch file", ex);
        }

        if (report.IsEmpty)
        {
            throw new CliInputException($"no valid patches in input: {source} holds no file patch (no \"--- \" and \"+++ \", \"diff --git\" or \"*** \" lines).",
                "Is it the right file? A cover letter or a mail without a diff looks like this.");
        }

        if (stat)
        {
            report.WriteStat(context.Output);
        }

        if (numstat)
        {
            report.WriteNumstat(context.Output);
        }

        if (summary)
        {
            report.WriteSummary(context.Output);
        }

        return ExitCodes.Success;
    }

    private static FileStream OpenPatch(CliContext context, string path)
    {
        string full = InputFile.Check(context, path, "patch file");
        try
        {
            // No FileStream buffer: the reader reads straight into its own block.
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(path, "patch file", ex);
        }
    }
}
