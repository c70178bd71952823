using System.Buffers;
using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using PatchKit.Cli.Native;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit diff`: compares two files or trees and writes a unified diff (GNU <c>diff -Naur</c> or <c>--git</c>),
/// exiting 0 when they are the same, 1 when they differ and 2 on trouble, as GNU diff.</summary>
internal static partial class DiffCommand
{
    private const string Usage = "diff [OPTION]... FILES";

    private static readonly ArgOption s_unified = new('u', null, false, "Unified diff with 3 lines of context.");
    private static readonly ArgOption s_contextFormat = new('c', null, false, "Context diff with 3 lines of context.");
    private static readonly ArgOption s_contextLines = new('C', "context", true, "Context diff with N lines of context.");
    private static readonly ArgOption s_normal = new('\0', "normal", false, "Normal diff (the default).");
    private static readonly ArgOption s_ed = new('e', "ed", false, "Output an ed script.");
    private static readonly ArgOption s_forwardEd = new('f', "forward-ed", false, "Output something like an ed script in forward order.");
    private static readonly ArgOption s_rcs = new('n', "rcs", false, "Output an RCS format diff.");
    private static readonly ArgOption s_brief = new('q', "brief", false, "Report only when files differ.");
    private static readonly ArgOption s_identical = new('s', "report-identical-files", false, "Report when two files are the same.");
    private static readonly ArgOption s_context = new('U', "unified", true, "Unified diff with N lines of context.");
    private static readonly ArgOption s_newFile = new('N', "new-file", false, "Treat absent files as empty.");
    private static readonly ArgOption s_text = new('a', "text", false, "Treat all files as text.");
    private static readonly ArgOption s_recursive = new('r', "recursive", false, "Recursively compare subdirectories.");
    private static readonly ArgOption s_function = new('p', "show-c-function", false, "Show which C function each change is in.");
    private static readonly ArgOption s_git = new('\0', "git", false, "Write git's format (diff --git, index, modes).");
    private static readonly ArgOption s_fullIndex = new('\0', "full-index", false, "With --git, full 40-digit blob ids.");
    private static readonly ArgOption s_binary = new('\0', "binary", false, "With --git, write binary files as GIT binary patches.");
    private static readonly ArgOption s_algorithm = new('\0', "algorithm", true, "myers (default), histogram or patience.");
    private static readonly ArgOption s_minimal = new('d', "minimal", false, "Find a minimal diff however long it takes.");
    private static readonly ArgOption s_noDeref = new('\0', "no-dereference", false, "Compare symbolic links as links.");
    private static readonly ArgOption s_ignoreCase = new('i', "ignore-case", false, "Ignore case differences in file contents.");
    private static readonly ArgOption s_ignoreTabs = new('E', "ignore-tab-expansion", false, "Ignore changes due to tab expansion.");
    private static readonly ArgOption s_ignoreTrailing = new('Z', "ignore-trailing-space", false, "Ignore white space at line end.");
    private static readonly ArgOption s_ignoreSpaceChange = new('b', "ignore-space-change", false, "Ignore changes in the amount of white space.");
    private static readonly ArgOption s_ignoreAllSpace = new('w', "ignore-all-space", false, "Ignore all white space.");
    private static readonly ArgOption s_ignoreBlank = new('B', "ignore-blank-lines", false, "Ignore changes where lines are all blank.");
    private static readonly ArgOption s_ignoreMatching = new('I', "ignore-matching-lines", true, "Ignore changes where all lines match RE.");
    private static readonly ArgOption s_stripCr = new('\0', "strip-trailing-cr", false, "Strip trailing carriage return on input.");
    private static readonly ArgOption s_expandTabs = new('t', "expand-tabs", false, "Expand tabs to spaces in output.");
    private static readonly ArgOption s_initialTab = new('T', "initial-tab", false, "Make tabs line up by prepending a tab.");
    private static readonly ArgOption s_suppressBlankEmpty = new('\0', "suppress-blank-empty", false, "Write no space or tab before an empty output line.");
    private static readonly ArgOption s_paginate = new('l', "paginate", false, "Pass output through 'pr' to paginate it.");
    private static readonly ArgOption s_tabSize = new('\0', "tabsize", true, "Tab stops every NUM (default 8) print columns.");
    private static readonly ArgOption s_sideBySide = new('y', "side-by-side", false, "Output in two columns.");
    private static readonly ArgOption s_width = new('W', "width", true, "Output at most NUM (default 130) print columns.");
    private static readonly ArgOption s_suppressCommon = new('\0', "suppress-common-lines", false, "Do not output common lines.");
    private static readonly ArgOption s_leftColumn = new('\0', "left-column", false, "Output only the left column of common lines.");
    private static readonly ArgOption s_ifdef = new('D', "ifdef", true, "Output merged file with '#ifdef NAME' diffs.");
    private static readonly ArgOption s_functionLine = new('F', "show-function-line", true, "Show the most recent line matching RE.");
    private static readonly ArgOption s_label = new('L', "label", true, "Use LABEL instead of file name and timestamp (can be repeated).");
    private static readonly ArgOption s_fromFile = new('\0', "from-file", true, "Compare FILE1 to all operands.");
    private static readonly ArgOption s_toFile = new('\0', "to-file", true, "Compare all operands to FILE2.");
    private static readonly ArgOption s_exclude = new('x', "exclude", true, "Exclude files that match PAT.");
    private static readonly ArgOption s_excludeFrom = new('X', "exclude-from", true, "Exclude files that match any pattern in FILE.");
    private static readonly ArgOption s_ignoreFileNameCase = new('\0', "ignore-file-name-case", false, "Ignore case when comparing file names.");
    private static readonly ArgOption s_noIgnoreFileNameCase = new('\0', "no-ignore-file-name-case", false, "Consider case when comparing file names.");
    private static readonly ArgOption s_startingFile = new('S', "starting-file", true, "Start with FILE when comparing directories.");
    private static readonly ArgOption s_unidirectional = new('P', "unidirectional-new-file", false, "Treat absent first files as empty.");
    private static readonly ArgOption s_lineFormat = new('\0', "line-format", true, "Format all input lines with LFMT.");
    private static readonly ArgOption[] s_lineFormats =
    [
        new('\0', "unchanged-line-format", true, "Format unchanged input lines with LFMT."),
        new('\0', "old-line-format", true, "Format old input lines with LFMT."),
        new('\0', "new-line-format", true, "Format new input lines with LFMT."),
    ];

    private static readonly ArgOption[] s_groupFormats =
    [
        new('\0', "unchanged-group-format", true, "Format unchanged input groups with GFMT."),
        new('\0', "old-group-format", true, "Format old input groups with GFMT."),
        new('\0', "new-group-format", true, "Format new input groups with GFMT."),
        new('\0', "changed-group-format", true, "Format changed input groups with GFMT."),
    ];

    private static readonly ArgOption s_color = new('\0', "color", true, "Color output; WHEN is 'never', 'always', or 'auto' (plain --color: auto).");
    private static readonly ArgOption s_palette = new('\0', "palette", true, "The colors to use when --color is active (GNU's ad=32:de=31:hd=1:ln=36:rs=0 …).");
    private static readonly ArgOption s_help = new('\0', "help", false, "Show this help.");

    // -h (obsolete, ignored by GNU too) and --speed-large-files change nothing here; --horizon-lines (the common lines
    // kept at the files' ends) can change which edit script is found, as in GNU. (--speed-large-files only speeds
    // GNU's search up, PatchKit's is not slower without it).
    private static readonly ArgOption s_obsoleteH = new('h', null, false, "Ignored (as in GNU diff).");
    private static readonly ArgOption s_horizon = new('\0', "horizon-lines", true, "Keep NUM lines of the common prefix and suffix.");
    private static readonly ArgOption s_speedLarge = new('H', "speed-large-files", false, "Assume large files and many scattered small changes (accepted; no effect).");
    private static readonly ArgOption s_inhibitHunkMerge = new('\0', "inhibit-hunk-merge", false, "Obsolete (accepted; no effect, as in GNU diff).");
    private static readonly ArgOption s_version = new('v', "version", false, "Print the version and exit.");

    // Hidden, as in GNU diff's --help: -NUM (the obsolete context length, digits read as one number while they follow
    // each other) and --sdiff-merge-assist (sdiff's side-by-side with "iN,M"/"cN,M" run lines).
    private static readonly ArgOption[] s_digits = [.. "0123456789".Select(c => new ArgOption(c, null, false, string.Empty))];
    private static readonly ArgOption s_sdiffMergeAssist = new('\0', "sdiff-merge-assist", false, string.Empty);

    /// <summary>GNU diff 3.8's long options in its table's order (getopt lists an ambiguous abbreviation's
    /// possibilities so), hidden ones included.</summary>
    private static readonly string[] s_gnuLongNames =
    [
        "binary", "brief", "changed-group-format", "color", "context", "ed", "exclude", "exclude-from", "expand-tabs",
        "forward-ed", "from-file", "help", "horizon-lines", "ifdef", "ignore-all-space", "ignore-blank-lines", "ignore-case",
        "ignore-file-name-case", "ignore-matching-lines", "ignore-space-change", "ignore-tab-expansion",
        "ignore-trailing-space", "inhibit-hunk-merge", "initial-tab", "label", "left-column", "line-format", "minimal",
        "new-file", "new-group-format", "new-line-format", "no-dereference", "no-ignore-file-name-case", "normal",
        "old-group-format", "old-line-format", "paginate", "palette", "rcs", "recursive", "report-identical-files",
        "sdiff-merge-assist", "show-c-function", "show-function-line", "side-by-side", "speed-large-files",
        "starting-file", "strip-trailing-cr", "suppress-blank-empty", "suppress-common-lines", "tabsize", "text",
        "to-file", "unchanged-group-format", "unchanged-line-format", "unidirectional-new-file", "unified", "version",
        "width",
    ];

    private static readonly ArgOption[] s_options =
    [
        s_unified, s_context, s_contextFormat, s_contextLines, s_normal, s_ed, s_forwardEd, s_rcs, s_brief, s_identical, s_newFile, s_text, s_recursive, s_function, s_git, s_fullIndex, s_binary, s_algorithm, s_minimal, s_noDeref, s_ignoreCase, s_ignoreTabs,
        s_ignoreTrailing, s_ignoreSpaceChange, s_ignoreAllSpace, s_ignoreBlank, s_ignoreMatching, s_stripCr, s_expandTabs, s_initialTab, s_suppressBlankEmpty, s_paginate, s_tabSize,
        s_sideBySide, s_width, s_suppressCommon, s_leftColumn, s_ifdef, s_functionLine, s_label, s_fromFile, s_toFile, s_exclude, s_excludeFrom,
        s_ignoreFileNameCase, s_noIgnoreFileNameCase, s_startingFile, s_unidirectional, s_lineFormat, .. s_lineFormats, .. s_groupFormats, s_color, s_palette, s_help, s_version, s_obsoleteH, s_horizon, s_speedLarge, s_inhibitHunkMerge,
        s_sdiffMergeAssist, .. s_digits,
    ];

    public static int Run(CliContext context, string[] args)
    {
        try
        {
            // An operand that is not UTF-8 keeps its bytes (.NET's decoding would name another file).
            return RunGnu(context, RawArguments.Exact(args));
        }
        catch (GnuDiffFatalException ex)
        {
            context.Error.WriteLine("diff: " + ex.Message);
            return ExitCodes.Trouble;
        }
        catch (ArgReaderException ex)
        {
            // GNU diff's words for a command line it does not take.
            context.Error.WriteLine("diff: " + ex.Message);
            context.Error.WriteLine("diff: Try 'diff --help' for more information.");
            return ExitCodes.Trouble;
        }
    }

    private static int RunGnu(CliContext context, string[] args)
    {
        // diff only reads: skip .NET's advisory flock on every file it opens (one syscall per file).
        AppContext.SetSwitch("System.IO.DisableFileLocking", true);
        // --color takes an optional argument (getopt's optional_argument): without '=' it means auto.
        string[] expanded = (string[])args.Clone();
        for (int i = 0; i < expanded.Length && expanded[i] != "--"; i++)
        {
            string a = expanded[i];
            expanded[i] = a.Length >= 5 && !a.Contains('=', StringComparison.Ordinal) && "--color".StartsWith(a, StringComparison.Ordinal) ? "--color=auto" : a;
        }

        var (found, operands) = ArgReader.Parse(GnuDropInText.UpToInfoOption(expanded, s_options, s_version, s_help), s_options, s_gnuLongNames);
        string colorStyle = "never";
        string? palette = null;
        var options = new DiffOptions();
        var format = GnuDiffFormat.Normal;
        bool reportIdentical = false;
        int? contextLines = null;
        var text = new GnuTextDiffSettings();
        var functionLines = new List<string>();
        string? fromFile = null;
        string? toFile = null;
        // Each pattern with whether it matches case-folded: as GNU, a pattern given after --ignore-file-name-case does.
        var excludes = new List<(System.Text.RegularExpressions.Regex Pattern, bool Fold)>();
        // GNU's specify_style: a second, different output style is an error; -q and -s are not styles.
        string? style = null;
        bool brief = false;
        int width = 0;
        int tabSize = 0;
        int horizon = 0;
        // GNU's -NUM: digits in a row make one number (a digit after a digit option multiplies by ten, even across
        // arguments: -1 -2 is 12); -C/-U set explicit_context.
        long obsoleteContext = -1;
        bool explicitContext = false;
        ArgOption? previous = null;
        void Style(string name, GnuDiffFormat f)
        {
            if (style is not null && style != name)
            {
                throw new ArgReaderException("conflicting output style options");
            }

            style = name;
            format = f;
        }

        foreach (var (option, value) in found)
        {
            bool afterDigit = previous is { Short: >= '0' and <= '9' };
            previous = option;
            if (option.Short is >= '0' and <= '9' && option.Long is null)
            {
                obsoleteContext = afterDigit ? Math.Min(obsoleteContext * 10 + (option.Short - '0'), int.MaxValue) : option.Short - '0';
                continue;
            }

            if (option == s_sdiffMergeAssist)
            {
                Style("sdiff", GnuDiffFormat.Normal);
                text.MergeAssist = true;
                continue;
            }

            if (option == s_horizon)
            {
                // GNU's "invalid horizon length" check: a number is required.
                horizon = Math.Max(horizon, GnuNumber(value!, "horizon length", 0));
                continue;
            }

            if (option == s_help)
            {
                ArgReader.PrintHelp(context.Output, Usage, s_options);
                context.Output.WriteLine();
                context.Output.WriteLine("Exit status: 0 if inputs are the same, 1 if different, 2 if trouble.");
                return ExitCodes.Success;
            }

            if (option == s_version)
            {
                GnuDropInText.Version(context.Output, "diff (GNU diffutils) 3.8", "diff", "GNU diff 3.8");
                return ExitCodes.Success;
            }

            if (option == s_context || option == s_contextLines)
            {
                // GNU keeps the largest context asked for.
                Style(option == s_context ? "unified" : "context", option == s_context ? GnuDiffFormat.Unified : GnuDiffFormat.Context);
                contextLines = Math.Max(contextLines ?? 0, GnuNumber(value!, "context length", 0));
                explicitContext = true;
            }
            else if (option == s_unified || option == s_contextFormat)
            {
                Style(option == s_unified ? "unified" : "context", option == s_unified ? GnuDiffFormat.Unified : GnuDiffFormat.Context);
                contextLines = Math.Max(contextLines ?? 0, 3);
            }
            else if (option == s_normal) { Style("normal", GnuDiffFormat.Normal); }
            else if (option == s_ed) { Style("ed", GnuDiffFormat.Ed); }
            else if (option == s_forwardEd) { Style("forward-ed", GnuDiffFormat.ForwardEd); }
            else if (option == s_rcs) { Style("rcs", GnuDiffFormat.Rcs); }
            else if (option == s_brief)
            {
                brief = true;
            }
            else if (option == s_identical)
            {
                reportIdentical = true;
            }
            else if (option == s_ignoreCase) { text.IgnoreCase = true; }
            else if (option == s_ignoreTabs) { text.IgnoreTabExpansion = true; }
            else if (option == s_ignoreTrailing) { text.IgnoreTrailingSpace = true; }
            else if (option == s_ignoreSpaceChange) { text.IgnoreSpaceChange = true; }
            else if (option == s_ignoreAllSpace) { text.IgnoreAllSpace = true; }
            else if (option == s_ignoreBlank) { text.IgnoreBlankLines = true; }
            else if (option == s_ignoreMatching) { text.IgnoreMatching.Add(GnuBasicRegex.Compile(value!)); }
            else if (option == s_stripCr) { text.StripTrailingCr = true; }
            else if (option == s_expandTabs) { text.ExpandTabs = true; }
            else if (option == s_initialTab) { text.InitialTab = true; }
            else if (option == s_suppressBlankEmpty) { text.SuppressBlankEmpty = true; }
            else if (option == s_paginate) { text.Paginate = EchoCommandLine(args); }
            else if (option == s_tabSize) { tabSize = Once(tabSize, GnuNumber(value!, "tabsize", 1), "tabsize"); }
            else if (option == s_sideBySide) { Style("sdiff", GnuDiffFormat.Normal); }
            else if (option == s_width) { width = Once(width, GnuNumber(value!, "width", 1), "width"); }
            else if (option == s_suppressCommon) { text.SuppressCommonLines = true; }
            else if (option == s_leftColumn) { text.LeftColumn = true; }
            else if (option == s_ifdef) { Style("ifdef", GnuDiffFormat.Normal); text.Formats.SetIfDef(value!); }
            else if (option == s_color)
            {
                colorStyle = value is "auto" or "always" or "never" ? value : throw new ArgReaderException($"invalid color '{value}'");
            }
            else if (option == s_palette) { palette = value; }
            else if (option == s_lineFormat) { Style("ifdef", GnuDiffFormat.Normal); text.Formats.SetLine(-1, value!, "--line-format"); }
            else if (Array.IndexOf(s_lineFormats, option) is int lk and >= 0) { Style("ifdef", GnuDiffFormat.Normal); text.Formats.SetLine(lk, value!, GnuLineFormats.LineOption(lk)); }
            else if (Array.IndexOf(s_groupFormats, option) is int gk and >= 0) { Style("ifdef", GnuDiffFormat.Normal); text.Formats.SetGroup(gk, value!, GnuLineFormats.GroupOption(gk)); }
            else if (option == s_functionLine) { GnuBasicRegex.Compile(value!); functionLines.Add(value!); }
            else if (option == s_label)
            {
                if (text.OldLabel is null) { text.OldLabel = value; }
                else if (text.NewLabel is null) { text.NewLabel = value; }
                else { throw new GnuDiffFatalException("too many file label options"); }
            }
            else if (option == s_fromFile) { fromFile = SpecifyValue(fromFile, value!, "--from-file"); }
            else if (option == s_exclude) { excludes.Add(Exclusion(value!, options.IgnoreFileNameCase)); }
            else if (option == s_ignoreFileNameCase) { options.IgnoreFileNameCase = true; }
            else if (option == s_noIgnoreFileNameCase) { options.IgnoreFileNameCase = false; }
            else if (option == s_excludeFrom)
            {
                string path = context.Resolve(value!);
                if (!File.Exists(path))
                {
                    context.Error.WriteLine($"diff: {value}: No such file or directory");
                    return ExitCodes.Trouble;
                }

                foreach (string line in File.ReadAllLines(path))
                {
                    if (line.Length > 0)
                    {
                        excludes.Add(Exclusion(line, options.IgnoreFileNameCase));
                    }
                }
            }
            else if (option == s_startingFile) { options.StartingFile = SpecifyValue(options.StartingFile, value!, "-S"); }
            else if (option == s_unidirectional) { options.UnidirectionalNewFile = true; }
            else if (option == s_toFile) { toFile = SpecifyValue(toFile, value!, "--to-file"); }
            else if (option == s_newFile)
            {
                options.TreatAbsentAsEmpty = true;
            }
            else if (option == s_text)
            {
                options.Text = true;
            }
            else if (option == s_recursive)
            {
                options.Recursive = true;
            }
            else if (option == s_function)
            {
                options.ShowFunction = true;
            }
            else if (option == s_git)
            {
                options.Format = DiffFormat.Git;
                format = GnuDiffFormat.Unified;
            }
            else if (option == s_fullIndex)
            {
                options.FullIndex = true;
            }
            else if (option == s_binary)
            {
                options.GitBinary = true;
            }
            else if (option == s_minimal)
            {
                options.Minimal = true;
            }
            else if (option == s_noDeref)
            {
                options.NoDereference = true;
            }
            else if (option == s_algorithm)
            {
                options.Algorithm = value switch
                {
                    "myers" or "default" => DiffAlgorithm.Myers,
                    "histogram" => DiffAlgorithm.Histogram,
                    "patience" => DiffAlgorithm.Patience,
                    _ => throw new ArgReaderException($"invalid argument '{value}' for '--algorithm' (valid: myers, histogram, patience)"),
                };
            }
        }

        if (style is null && options.ShowFunction)
        {
            // GNU: -p alone asks for the context format (dated as -c dates, whatever else is given).
            format = GnuDiffFormat.Context;
            contextLines ??= 3;
        }

        if (obsoleteContext >= 0 && format is GnuDiffFormat.Unified or GnuDiffFormat.Context
            && ((contextLines ?? 0) < obsoleteContext || (obsoleteContext < (contextLines ?? 0) && !explicitContext)))
        {
            contextLines = (int)obsoleteContext;
        }

        // A context longer than any file is all of it (GNU saturates at its largest number; the renderers add to it).
        contextLines = contextLines is { } n ? Math.Min(n, 1 << 30) : null;
        format = brief ? GnuDiffFormat.Brief : format;
        // -q reports only whether the files differ, side by side or not.
        text.SideBySide = style == "sdiff" && !brief;
        text.SameMakesOutput = style == "sdiff" && !text.SuppressCommonLines;
        text.Width = width == 0 ? 130 : width;
        text.TabSize = tabSize == 0 ? 8 : tabSize;
        // GNU keeps one white-space mode: -w over all, -b over -E and -Z (which combine).
        text.IgnoreSpaceChange &= !text.IgnoreAllSpace;
        text.IgnoreTabExpansion &= !text.IgnoreAllSpace && !text.IgnoreSpaceChange;
        text.IgnoreTrailingSpace &= !text.IgnoreAllSpace && !text.IgnoreSpaceChange;
        if (excludes.Count > 0)
        {
            options.Exclude = name => excludes.Exists(x => x.Pattern.IsMatch(x.Fold ? AsciiLower(name) : name));
        }

        var pairs = new List<(string Old, string New)>();
        if (fromFile is not null && toFile is not null)
        {
            throw new GnuDiffFatalException("--from-file and --to-file both specified");
        }

        if (fromFile is not null || toFile is not null)
        {
            foreach (string operand in operands)
            {
                pairs.Add(fromFile is not null ? (fromFile, operand) : (operand, toFile!));
            }
        }
        else if (operands.Count == 2)
        {
            pairs.Add((operands[0], operands[1]));
        }

        if (pairs.Count == 0 || (fromFile is null && toFile is null && operands.Count != 2))
        {
            throw new ArgReaderException(operands.Count < 2 ? $"missing operand after '{(operands.Count == 0 ? "diff" : operands[0])}'" : $"extra operand '{operands[2]}'");
        }

        options.Context = format is GnuDiffFormat.Unified or GnuDiffFormat.Context ? contextLines ?? 3 : 0;
        text.Format = format;
        text.Context = contextLines ?? 3;
        text.Horizon = Math.Max(horizon, options.Context);
        text.Minimal = options.Minimal;
        options.HorizonLines = horizon;
        if (functionLines.Count > 0)
        {
            // GNU joins every -F (and -p's expression) into one, each an alternative: the last -F does not replace the others.
            text.FunctionLine = GnuBasicRegex.Compile(string.Join("\\|", options.ShowFunction ? [.. functionLines, "^[[:alpha:]$_]"] : functionLines));
        }

        if (options.ShowFunction && (text.NeedsTextRenderer || pairs.Exists(p => p.Old == "-" || p.New == "-")))
        {
            text.FunctionLine ??= new System.Text.RegularExpressions.Regex("^[A-Za-z$_]", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        }

        if (colorStyle == "auto" && Environment.GetEnvironmentVariable("TERM") == "dumb")
        {
            colorStyle = "never";
        }

        if ((colorStyle == "always" || (colorStyle == "auto" && !Console.IsOutputRedirected))
            && (text.SideBySide || format is GnuDiffFormat.Normal or GnuDiffFormat.Unified or GnuDiffFormat.Context) && !text.Formats.Any)
        {
            text.Color = GnuDiffColor.Parse(palette, context.Error);
        }

        text.Formats.Complete();
        int status = 0;
        CliContext run = context;
        using var held = new MemoryStream();
        if (text.Paginate is not null)
        {
            // With -l GNU queues its own lines ("Only in …", "Common subdirectories: …", "… are identical", "Binary
            // files … differ") and prints them after all of pr's pages (util.c's message queue), on a terminal too.
            text.PaginateOutput = context.Output;
            run = new CliContext(new StreamWriter(held, new UTF8Encoding(false)), context.Error, context.OpenInput, context.WorkingDirectory, context.CancellationToken);
        }

        try
        {
            foreach (var (oldOperand, newOperand) in pairs)
            {
                status = Math.Max(status, ComparePair(run, args, options, text, format, reportIdentical, oldOperand, newOperand));
            }
        }
        finally
        {
            if (run != context)
            {
                run.Output.Flush();
                WriteBytes(context.Output, held.ToArray());
            }
        }

        return status;
    }

    private static int ComparePair(CliContext context, string[] args, DiffOptions options, GnuTextDiffSettings text, GnuDiffFormat format, bool reportIdentical, string oldOperand, string newOperand, string? oldRoot = null, string? newRoot = null)
    {
        string[] operands = [oldOperand, newOperand];
        bool stdin = oldOperand == "-" || newOperand == "-";
        if (stdin && GnuDiffTree.IsDirectory(context.Resolve(oldOperand == "-" ? newOperand : oldOperand)))
        {
            context.Error.WriteLine("diff: cannot compare '-' to a directory");
            return ExitCodes.Trouble;
        }

        string oldPath = oldRoot ?? context.Resolve(oldOperand);
        string newPath = newRoot ?? context.Resolve(newOperand);
        // Missing as stat finds it: a dangling link (followed) is missing too.
        bool oldGone = !stdin && !GnuDiffTree.Found(oldPath, options.NoDereference);
        bool newGone = !stdin && !GnuDiffTree.Found(newPath, options.NoDereference);
        // A folder as GNU's stat finds it: with --no-dereference a link is a link, wherever it leads.
        bool Folder(string path) => GnuDiffTree.IsDirectory(path, options.NoDereference);
        if ((oldGone && Folder(newPath)) || (newGone && Folder(oldPath)))
        {
            if (!options.TreatAbsentAsEmpty && !(oldGone && options.UnidirectionalNewFile))
            {
                context.Error.WriteLine($"diff: {(oldGone ? oldOperand : newOperand)}: {GnuDiffTree.MissingReason(oldGone ? oldPath : newPath)}");
                return ExitCodes.Trouble;
            }

            // With -N, GNU compares the folder with an empty one under the missing name.
            DirectoryInfo empty = Directory.CreateTempSubdirectory("patchkit-diff-empty-");
            try
            {
                return ComparePair(context, args, options, text, format, reportIdentical, oldOperand, newOperand, oldGone ? empty.FullName : oldRoot, newGone ? empty.FullName : newRoot);
            }
            finally
            {
                empty.Delete();
            }
        }

        bool textOnly = text.NeedsTextRenderer || format is GnuDiffFormat.Ed or GnuDiffFormat.ForwardEd;
        if (!stdin && Folder(oldPath) != Folder(newPath) && GnuDiffTree.Present(Folder(oldPath) ? newPath : oldPath, options.NoDereference)
            && FileAgainstFolder(context, options, text, oldOperand, newOperand) is var (joinedOld, joinedNew, folderLine)
            && (folderLine is not null || textOnly || reportIdentical || options.NoDereference))
        {
            // A file against a folder: GNU compares it with the folder's entry of its name (the exact name, else one
            // equal but for case with --ignore-file-name-case), which must be there (-N or not). The library's walk
            // does this for the plain formats, but for an entry that is a folder, the pair -s names identical and
            // links not followed (the pair's lines then name the entry, or the labels).
            if (folderLine is not null)
            {
                context.Output.WriteLine(folderLine);
                return ExitCodes.Partial;
            }

            (oldOperand, newOperand) = (joinedOld, joinedNew);
            string joined = Folder(oldPath) ? oldOperand : newOperand;
            if (!GnuDiffTree.Found(context.Resolve(joined), options.NoDereference))
            {
                context.Error.WriteLine($"diff: {joined}: No such file or directory");
                return ExitCodes.Trouble;
            }

            (oldPath, newPath) = (context.Resolve(oldOperand), context.Resolve(newOperand));
            operands = [oldOperand, newOperand];
        }

        // Operands that are links not followed (--no-dereference) go through the library's walk, which answers for
        // links as GNU does whatever the format.
        bool links = options.NoDereference && !stdin && (GnuDiffTree.IsLink(oldPath) || GnuDiffTree.IsLink(newPath));
        if ((textOnly || stdin) && !links && !Folder(oldPath) && !Folder(newPath))
        {
            return CompareText(context, options, text, reportIdentical, oldOperand, newOperand);
        }

        if (!stdin && !links && !text.SameMakesOutput && !text.Formats.Any && SameFolder(oldPath, newPath))
        {
            // Two names of one folder: GNU knows them identical without a look inside and, as for any pair that makes
            // no output when nothing differs, says nothing (-s's "are identical" is for files only).
            return ExitCodes.Success;
        }

        if (text.Formats.Any && Folder(oldPath) && Folder(newPath))
        {
            // GNU's words, whichever of -D and the format options was given.
            context.Error.WriteLine("diff: -D option not supported with directories");
            return ExitCodes.Trouble;
        }

        if ((text.NeedsTextRenderer || text.SameMakesOutput || reportIdentical || format is GnuDiffFormat.Ed or GnuDiffFormat.ForwardEd) && Folder(oldPath) && Folder(newPath))
        {
            // -s names each identical pair in its place in the walk, as -y shows each one side by side: both need the
            // pairs the library's walk passes over in silence.
            return CompareTreeText(context, args, options, text, reportIdentical, oldOperand, newOperand, oldRoot, newRoot, links);
        }

        options.CommandLine = EchoCommandLine(args);
        options.OldLabel = operands[0];
        options.NewLabel = operands[1];
        var output = new ArrayBufferWriter<byte>(1 << 16);
        TreeDiffResult result;
        // GNU names a link against another kind by the labels where given (the library's line names the files).
        bool relabel = links && (text.OldLabel ?? text.NewLabel) is not null && !Folder(oldPath) && !Folder(newPath);
        if (format == GnuDiffFormat.Unified && text.Color is null && !relabel && context.Output is StreamWriter { BaseStream: { } stdout } writer)
        {
            // Streamed as it is found: memory follows the largest file pair, not the size of the diff.
            writer.Flush();
            result = TreeDiff.Write(new FileSystem(), (oldRoot ?? context.Resolve(operands[0])), (newRoot ?? context.Resolve(operands[1])), stdout, options, context.CancellationToken);
        }
        else
        {
            result = TreeDiff.Write(new FileSystem(), (oldRoot ?? context.Resolve(operands[0])), (newRoot ?? context.Resolve(operands[1])), output, options, context.CancellationToken);
        }

        if (text.Color is { } color)
        {
            string plain = Encoding.Latin1.GetString(output.WrittenSpan);
            WriteBytes(context.Output, Encoding.Latin1.GetBytes(color.Apply(format == GnuDiffFormat.Unified ? plain : GnuDiffFormats.Convert(plain, format), format)));
        }
        else if (relabel)
        {
            string line = Encoding.Latin1.GetString(output.WrittenSpan);
            WriteBytes(context.Output, Encoding.Latin1.GetBytes(line.EndsWith('\n') ? KindsByLabel(line[..^1], text) + "\n" : line));
        }
        else if (format == GnuDiffFormat.Unified)
        {
            WriteBytes(context.Output, output.WrittenSpan);
        }
        else
        {
            string converted = GnuDiffFormats.Convert(Encoding.Latin1.GetString(output.WrittenSpan), format);
            // -q names binary files as any other pair that differs.
            WriteBytes(context.Output, Encoding.Latin1.GetBytes(format == GnuDiffFormat.Brief ? BinaryFilesLine().Replace(converted, "Files ") : converted));
        }

        if (reportIdentical && result.ExitStatus == 0 && !result.HasDifferences)
        {
            context.Output.WriteLine($"Files {operands[0]} and {operands[1]} are identical");
        }

        foreach (string error in result.Errors)
        {
            context.Error.WriteLine("diff: " + ErrorText.Scrub(error));
        }

        return result.ExitStatus;
    }

    /// <summary>A file operand against a folder operand: the pair GNU compares (the file and the folder's entry of its
    /// name), and when that entry is a folder GNU's line for it, in any format ("File … is a regular file while file …
    /// is a directory", by the labels where given).</summary>
    private static (string Old, string New, string? FolderLine) FileAgainstFolder(CliContext context, DiffOptions options, GnuTextDiffSettings text, string oldOperand, string newOperand)
    {
        bool oldIsDir = GnuDiffTree.IsDirectory(context.Resolve(oldOperand), options.NoDereference);
        string file = oldIsDir ? newOperand : oldOperand;
        string joined = InFolder(context, options, oldIsDir ? oldOperand : newOperand, Path.GetFileName(file.TrimEnd('/')));
        var (o, n) = oldIsDir ? (joined, newOperand) : (oldOperand, joined);
        if (!GnuDiffTree.IsDirectory(context.Resolve(joined), options.NoDereference))
        {
            return (o, n, null);
        }

        string kind = options.NoDereference && GnuDiffTree.IsLink(context.Resolve(file)) ? "symbolic link"
            : new FileInfo(context.Resolve(file)).Length == 0 ? "regular empty file" : "regular file";
        string shownOld = text.OldLabel is { } ol ? GnuNames.Raw(ol) : o;
        string shownNew = text.NewLabel is { } nl ? GnuNames.Raw(nl) : n;
        return (o, n, oldIsDir ? $"File {shownOld} is a directory while file {shownNew} is a {kind}" : $"File {shownOld} is a {kind} while file {shownNew} is a directory");
    }

    /// <summary>The operand naming <paramref name="name"/> inside folder operand <paramref name="folder"/>, found as
    /// GNU finds it (regardless of case with <c>--ignore-file-name-case</c>).</summary>
    private static string InFolder(CliContext context, DiffOptions options, string folder, string name)
    {
        if (options.IgnoreFileNameCase)
        {
            try
            {
                name = FileNameOrder.NameIn(Directory.EnumerateFileSystemEntries(context.Resolve(folder)).Select(e => Path.GetFileName(e)), name, options.Exclude);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable: the name as given, whose read then reports the trouble.
            }
        }

        return GnuDiffTree.Join(folder, name);
    }

    /// <summary>Two folders with GNU's comparison or layout options: the library's tree walk finds which pairs differ
    /// byte for byte (and what exists on one side only), then each such pair goes through <see cref="CompareText"/>
    /// with GNU's <c>diff OPTIONS OLD NEW</c> line before its output (none when the options make them equal).</summary>
    /// <param name="topLink">Whether an operand is a link not followed (<c>--no-dereference</c>): no folder to the walk,
    /// with no pairs inside.</param>
    private static int CompareTreeText(CliContext context, string[] args, DiffOptions options, GnuTextDiffSettings text, bool reportIdentical, string oldOperand, string newOperand, string? oldRoot, string? newRoot, bool topLink)
    {
        options.CommandLine = EchoCommandLine(args);
        options.OldLabel = oldOperand;
        options.NewLabel = newOperand;
        int context0 = options.Context;
        options.Context = 0;
        var output = new ArrayBufferWriter<byte>(1 << 16);
        TreeDiffResult result = TreeDiff.Write(new FileSystem(), oldRoot ?? context.Resolve(oldOperand), newRoot ?? context.Resolve(newOperand), output, options, context.CancellationToken);
        options.Context = context0;
        // Names stay quoted in this listing (one line per pair even for a name with a newline); each line is read
        // back with its names as they are.
        string brief = GnuDiffFormats.Convert(Encoding.Latin1.GetString(output.WrittenSpan), GnuDiffFormat.Brief, quotedNames: true);
        string echo = GnuNames.Raw(EchoCommandLine(args));
        int status = result.Errors.Count > 0 ? ExitCodes.Trouble : 0;

        // GNU diff also goes through the pairs that are the same byte for byte: -y shows them side by side (under
        // their "diff …" line, even when both are empty) and -s reports them. They are put where the walk meets them.
        bool showSame = text.SideBySide && !text.SuppressCommonLines;
        // An ed script also checks the same pairs: a last line without newline is an error there too.
        bool ed = text.Format is GnuDiffFormat.Ed or GnuDiffFormat.ForwardEd;
        // The walk also names the pairs of the listing's lines (a name may hold " and " or " is a ").
        // Under -y -q too (GNU's no_diff_means_no_output is the style's alone), one device or folder on both sides is named.
        WalkOrder order = !topLink ? GnuDiffTree.Order(oldRoot ?? context.Resolve(oldOperand), newRoot ?? context.Resolve(newOperand), options, text.SameMakesOutput) : new WalkOrder();
        bool sameFiles = showSame || reportIdentical || ed;
        var same = new Queue<(string Old, string New, int Position, bool Links, string? Kind)>((sameFiles ? order.CommonFiles : []).Select(c => (c.Old, c.New, c.Position, c.Links, (string?)null))
            .Concat((sameFiles || text.SameMakesOutput ? order.SameSpecial : []).Select(d => (d.Old, d.New, d.Position, false, (string?)d.Kind))).OrderBy(e => e.Position));
        var listed = new HashSet<string>(StringComparer.Ordinal);
        // An ed script's comparison of a pair says on standard error that a file lacks its last newline: the walk's own
        // errors go where the walk meets their names (GNU reports each as it gets there), the others at the end.
        var located = result.Errors.Select(error => (Position: ed ? WalkErrorPosition(error, order, oldOperand, newOperand) : null, Error: error)).ToList();
        var errorsAhead = new Queue<(int? Position, string Error)>(located.Where(e => e.Position is not null).OrderBy(e => e.Position));
        var errorsLeft = located.Where(e => e.Position is null).Select(e => e.Error).ToList();
        void ErrorsBefore(int position)
        {
            while (errorsAhead.Count > 0 && errorsAhead.Peek().Position < position)
            {
                context.Error.WriteLine("diff: " + ErrorText.Scrub(errorsAhead.Dequeue().Error));
            }
        }

        void SamePairsBefore((string Rel, bool NewSide)? key, int? found = null)
        {
            int? position = found ?? (key is { } k ? order.PositionOf(k.Rel, k.NewSide) : int.MaxValue);
            while (same.Count > 0 && (position is { } p ? same.Peek().Position < p : GnuDiffTree.ComparePaths(same.Peek().Old, key!.Value.Rel, options.IgnoreFileNameCase) < 0))
            {
                (string oldRel, string newRel, int at, bool links, string? kind) = same.Dequeue();
                if (listed.Contains(oldRel))
                {
                    continue;
                }

                string a = GnuDiffTree.Join(oldOperand, oldRel);
                string b = GnuDiffTree.Join(newOperand, newRel);
                if (kind == "directory")
                {
                    // One folder on both sides, not walked into (no -r): -y names it as any common folders.
                    context.Output.WriteLine(text.Message($"Common subdirectories: {a} and {b}"));
                    continue;
                }

                if (kind is not null)
                {
                    // One device (fifo, socket) on both sides: GNU's same_file. Where no difference means no output
                    // only -s says a word; -y (even with -q) prints what kind of file each is, a difference.
                    if (text.SameMakesOutput)
                    {
                        context.Output.WriteLine(text.Message($"File {text.OldLabel ?? a} is a {kind} while file {text.NewLabel ?? b} is a {kind}"));
                        status = Math.Max(status, ExitCodes.Partial);
                    }
                    else if (reportIdentical)
                    {
                        context.Output.WriteLine(text.Message($"Files {text.OldLabel ?? a} and {text.NewLabel ?? b} are identical"));
                    }

                    continue;
                }

                if (links)
                {
                    // Two links to the same place (--no-dereference): only -s says a word.
                    if (reportIdentical)
                    {
                        context.Output.WriteLine(text.Message($"Files {text.OldLabel ?? a} and {text.NewLabel ?? b} are identical"));
                    }

                    continue;
                }

                string header = text.Format == GnuDiffFormat.Brief ? string.Empty : $"{echo} {PairName(text.OldLabel, a)} {PairName(text.NewLabel, b)}\n";
                ErrorsBefore(at);
                status = Math.Max(status, CompareText(context, options, text, reportIdentical, a, b, header, headerAlways: showSame));
            }
        }

        // The listing's lines are bytes (names as they are); the walk's names and the operands are names.
        string[] lines = brief.Split('\n');
        string Plain(string line) => BriefLine().Match(line) is { Success: true } pair
            ? GnuNames.FromBytes($"Files {GnuNames.Unquoted(pair.Groups[1].Value)} and {GnuNames.Unquoted(pair.Groups[2].Value)} differ")
            : GnuNames.FromBytes(line);
        // Each line's entry of the walk, found by its names (else, without a walk, read from the line).
        var entries = lines.Select(line => line.Length == 0 ? null : order.Find(line, oldOperand, newOperand)).ToArray();
        for (int i = 0; i < lines.Length; i++)
        {
            // A pair named in the listing differs: it is not one of the same pairs.
            if (entries[i] is { Old: { } old })
            {
                listed.Add(old);
            }
            else if (entries[i] is null && GnuDiffTree.ListingKey(Plain(lines[i]), oldOperand, newOperand) is { NewSide: false } named)
            {
                listed.Add(named.Rel);
            }
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var entry = entries[i];
            if (entry is { } e)
            {
                SamePairsBefore(null, e.Position);
            }
            else
            {
                SamePairsBefore(GnuDiffTree.ListingKey(Plain(line), oldOperand, newOperand));
            }

            System.Text.RegularExpressions.Match m = BriefLine().Match(line);
            if (m.Success)
            {
                (string a, string b) = entry is { Old: { } o, New: { } n }
                    ? (GnuDiffTree.Join(oldOperand, o), GnuDiffTree.Join(newOperand, n))
                    : (GnuNames.FromBytes(GnuNames.Unquoted(m.Groups[1].Value)), GnuNames.FromBytes(GnuNames.Unquoted(m.Groups[2].Value)));
                string header = text.Format == GnuDiffFormat.Brief ? string.Empty : $"{echo} {PairName(text.OldLabel, a)} {PairName(text.NewLabel, b)}\n";
                // -y heads a pair that differs even when nothing of it is shown (an empty file against an ignored blank line).
                if (entry is { } pair)
                {
                    ErrorsBefore(pair.Position);
                }

                status = Math.Max(status, CompareText(context, options, text, reportIdentical, a, b, header, headerAlways: showSame));
                continue;
            }

            if (line.StartsWith("Only in ", StringComparison.Ordinal) || line.StartsWith("File ", StringComparison.Ordinal) || line.StartsWith("Symbolic links ", StringComparison.Ordinal))
            {
                status = Math.Max(status, ExitCodes.Partial);
            }

            string shown = line;
            if ((text.OldLabel ?? text.NewLabel) is not null && line.StartsWith("Binary files ", StringComparison.Ordinal)
                && line.LastIndexOf($" and {GnuNames.Raw(newOperand)}", StringComparison.Ordinal) is int split and > 13 && line.EndsWith(" differ", StringComparison.Ordinal))
            {
                // GNU's labels name each binary pair of the walk too.
                shown = $"Binary files {(text.OldLabel is { } ol ? GnuNames.Raw(ol) : line[13..split])} and {(text.NewLabel is { } nl ? GnuNames.Raw(nl) : line[(split + 5)..^7])} differ";
            }
            else if ((text.OldLabel ?? text.NewLabel) is not null && entry is { Old: { } ko, New: { } kn }
                && line.StartsWith($"File {GnuNames.Raw(GnuDiffTree.Join(oldOperand, ko))} is a ", StringComparison.Ordinal))
            {
                // GNU names a pair of other kinds by the labels too (not "Only in", "Common subdirectories", links).
                string ra = GnuNames.Raw(GnuDiffTree.Join(oldOperand, ko));
                string rb = GnuNames.Raw(GnuDiffTree.Join(newOperand, kn));
                int kind = ra.Length + 11;
                int middle = line.IndexOf($" while file {rb} is a ", kind, StringComparison.Ordinal);
                shown = $"File {(text.OldLabel is { } ol ? GnuNames.Raw(ol) : ra)} is a {line[kind..middle]} while file {(text.NewLabel is { } nl ? GnuNames.Raw(nl) : rb)} is a {line[(middle + rb.Length + 18)..]}";
            }
            else
            {
                shown = KindsByLabel(line, text);
            }

            WriteBytes(context.Output, Encoding.Latin1.GetBytes(text.Message(text.Format == GnuDiffFormat.Brief ? BinaryFilesLine().Replace(shown, "Files ") : shown) + "\n"));
        }

        SamePairsBefore(null);
        ErrorsBefore(int.MaxValue);
        foreach (string error in errorsLeft)
        {
            context.Error.WriteLine("diff: " + ErrorText.Scrub(error));
        }

        return status;
    }

    /// <summary>Where the walk meets the name a walk error is about ("OPERAND/NAME: text"), or <see langword="null"/>
    /// for an error that names no entry of the walk.</summary>
    private static int? WalkErrorPosition(string error, WalkOrder order, string oldOperand, string newOperand)
    {
        foreach ((string operand, bool newSide) in (ReadOnlySpan<(string, bool)>)[(oldOperand, false), (newOperand, true)])
        {
            string prefix = GnuDiffTree.Join(operand, string.Empty);
            int colon = error.LastIndexOf(": ", StringComparison.Ordinal);
            if (error.StartsWith(prefix, StringComparison.Ordinal) && colon > prefix.Length
                && order.PositionOf(error[prefix.Length..colon], newSide) is { } position)
            {
                return position;
            }
        }

        return null;
    }

    /// <summary>GNU's "File A is a KIND while file B is a KIND" line with the labels where given in place of the names
    /// (any other line as it is).</summary>
    private static string KindsByLabel(string line, GnuTextDiffSettings text) => KindsLine().Match(line) is { Success: true } kinds
        ? $"File {(text.OldLabel is { } ol ? GnuNames.Raw(ol) : kinds.Groups[1].Value)} is a {kinds.Groups[2].Value} while file {(text.NewLabel is { } nl ? GnuNames.Raw(nl) : kinds.Groups[3].Value)} is a {kinds.Groups[4].Value}"
        : line;

    /// <summary>A number as GNU diff reads an option's (strtoimax: leading blanks and a sign taken), at least
    /// <paramref name="min"/>, else GNU's "invalid WHAT 'VALUE'" and its help line.</summary>
    private static int GnuNumber(string value, string what, int min) =>
        long.TryParse(value, NumberStyles.AllowLeadingWhite | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) && n >= min
            ? (int)Math.Min(n, int.MaxValue)
            : throw new ArgReaderException($"invalid {what} '{value}'");

    /// <summary>GNU's width and tab size: a second, different value is fatal.</summary>
    private static int Once(int current, int value, string what) =>
        current != 0 && current != value ? throw new GnuDiffFatalException($"conflicting {what} options") : value;

    /// <summary>GNU's specify_value: a second, different value of the option is an error.</summary>
    private static string SpecifyValue(string? current, string value, string option) =>
        current is not null && current != value ? throw new ArgReaderException($"conflicting {option} option value '{value}'") : value;

    [System.Text.RegularExpressions.GeneratedRegex("^Binary files ", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BinaryFilesLine();

    [System.Text.RegularExpressions.GeneratedRegex("^(?:Files|Binary files) (.*) and (.*) differ$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BriefLine();

    [System.Text.RegularExpressions.GeneratedRegex("^File (.*) is a (.*) while file (.*) is a (.*)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex KindsLine();

    /// <summary>An exclusion pattern; <paramref name="fold"/> makes it match as fnmatch's <c>FNM_CASEFOLD</c> in the C
    /// locale (pattern and name both with ASCII letters in lower case).</summary>
    private static (System.Text.RegularExpressions.Regex, bool) Exclusion(string pattern, bool fold) => (Glob(fold ? AsciiLower(pattern) : pattern), fold);

    private static string AsciiLower(string s) => string.Create(s.Length, s, static (span, src) =>
    {
        for (int i = 0; i < src.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(src[i]) ? (char)(src[i] + 32) : src[i];
        }
    });

    /// <summary>A shell pattern (<c>*</c>, <c>?</c>, <c>[...]</c>) as GNU diff's -x matches base names.</summary>
    private static System.Text.RegularExpressions.Regex Glob(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    int close = pattern.IndexOf(']', i + 2);
                    if (close < 0)
                    {
                        sb.Append("\\[");
                        break;
                    }

                    string set = pattern[(i + 1)..close];
                    sb.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new System.Text.RegularExpressions.Regex(sb.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Singleline, TimeSpan.FromSeconds(2));
    }

    /// <summary>A pair's name in a <c>diff …</c> command line, as a byte string: its label, else the name, C-quoted as
    /// GNU's headers write it (GNU quotes a label there too).</summary>
    private static string PairName(string? label, string name) => GnuNames.Quoted(label ?? name);

    /// <summary>Whether both paths are folders and one folder (one device and inode, links followed).</summary>
    private static bool SameFolder(string oldPath, string newPath)
    {
        if (!GnuDiffTree.IsDirectory(oldPath) || !GnuDiffTree.IsDirectory(newPath))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        return AtomicWrite.PathStatus(oldPath, buffer) is { } a && AtomicWrite.PathStatus(newPath, buffer) is { } b
            && (a.Device, a.Inode) == (b.Device, b.Inode);
    }

    /// <summary>Two files (or standard input) through <see cref="GnuTextDiff"/>: GNU's comparison and layout options.</summary>
    private static int CompareText(CliContext context, DiffOptions options, GnuTextDiffSettings text, bool reportIdentical, string oldOperand, string newOperand, string treeHeader = "", bool headerAlways = false)
    {
        int Identical()
        {
            if (reportIdentical)
            {
                context.Output.WriteLine(text.Message($"Files {text.OldLabel ?? oldOperand} and {text.NewLabel ?? newOperand} are identical"));
            }

            return ExitCodes.Success;
        }

        if (oldOperand != "-" && newOperand != "-" && !text.SameMakesOutput && !text.Formats.Any && !headerAlways
            && GnuDiffTree.SameFile(context.Resolve(oldOperand), context.Resolve(newOperand), out _))
        {
            // One file on both sides (GNU's same_file): identical without a read where no difference means no output,
            // so not checked for the ed formats' missing final newline either.
            return Identical();
        }

        byte[]? stdin = null;
        // -N (or -P for the old side) reads a missing file as empty only when the other one is there.
        bool oldThere = oldOperand == "-" || GnuDiffTree.Present(context.Resolve(oldOperand), noDereference: false);
        bool newThere = newOperand == "-" || GnuDiffTree.Present(context.Resolve(newOperand), noDereference: false);
        DiffFile? Read(string operand, bool old)
        {
            if (operand == "-")
            {
                if (stdin is null)
                {
                    using Stream input = context.OpenInput();
                    using var ms = new MemoryStream();
                    input.CopyTo(ms);
                    stdin = ms.ToArray();
                }

                // GNU diff 3.8 dates standard input with the current time, to the nanosecond.
                (long seconds, int nanoseconds) = RealTimeClock.Now();
                return new DiffFile(operand, stdin) { LastWriteTime = DateTimeOffset.FromUnixTimeSeconds(seconds), Nanoseconds = nanoseconds };
            }

            string path = context.Resolve(operand);
            if (path.Any(static c => c is >= '\uDC80' and <= '\uDCFF'))
            {
                // A name that is not UTF-8 (its bytes kept as escapes): .NET's file calls cannot name it, the
                // library's native read can.
                try
                {
                    return DiffFile.FromFile(path, operand);
                }
                catch (IOException)
                {
                    // Missing: answered below.
                }
            }

            if (!(old ? oldThere : newThere))
            {
                if ((old ? newThere : oldThere) && (options.TreatAbsentAsEmpty || (options.UnidirectionalNewFile && old)) && !GnuDiffTree.IsLoop(path))
                {
                    return DiffFile.Absent(operand);
                }

                context.Error.WriteLine($"diff: {operand}: {GnuDiffTree.MissingReason(path)}");
                return null;
            }

            return DiffFile.FromFile(path, operand);
        }

        DiffFile? oldFile = Read(oldOperand, old: true);
        DiffFile? newFile = Read(newOperand, old: false);
        if (oldFile is null || newFile is null)
        {
            return ExitCodes.Trouble;
        }

        ReadOnlySpan<byte> a = oldFile.Content.Span;
        ReadOnlySpan<byte> b = newFile.Content.Span;
        bool binary = !options.Text && (a[..Math.Min(a.Length, 1 << 15)].Contains((byte)0) || b[..Math.Min(b.Length, 1 << 15)].Contains((byte)0));
        if (binary)
        {
            if (a.SequenceEqual(b))
            {
                return Identical();
            }

            context.Output.WriteLine(text.Message($"{(text.Format == GnuDiffFormat.Brief ? "Files" : "Binary files")} {text.OldLabel ?? oldOperand} and {text.NewLabel ?? newOperand} differ"));
            return ExitCodes.Partial;
        }

        int trouble = 0;
        if (text.Format is GnuDiffFormat.Ed or GnuDiffFormat.ForwardEd)
        {
            // An ed script cannot say that a line lacks its newline: GNU says so for each such file, fails, and
            // compares the line as if it had its newline.
            static bool Unended(DiffFile f) => f.Content.Length > 0 && f.Content.Span[^1] != (byte)'\n';
            static DiffFile Ended(DiffFile f) => new(f.Path, (byte[])[.. f.Content.Span, (byte)'\n'])
            {
                Exists = f.Exists, LastWriteTime = f.LastWriteTime, Nanoseconds = f.Nanoseconds, Mode = f.Mode,
            };

            if (Unended(oldFile))
            {
                context.Error.WriteLine($"diff: {text.OldLabel ?? oldOperand}: No newline at end of file\n");
                oldFile = Ended(oldFile);
                trouble = ExitCodes.Trouble;
            }

            if (Unended(newFile))
            {
                context.Error.WriteLine($"diff: {text.NewLabel ?? newOperand}: No newline at end of file\n");
                newFile = Ended(newFile);
                trouble = ExitCodes.Trouble;
            }
        }

        var sb = new StringBuilder();
        int status = Math.Max(trouble, GnuTextDiff.Write(sb, oldFile, newFile, text));
        string written = text.Color is { } color && !text.SideBySide ? color.Apply(sb.ToString(), text.Format) : sb.ToString();
        if (text.Paginate is { } echo && text.Format != GnuDiffFormat.Brief)
        {
            // GNU runs pr once per compared pair, its header naming the pair (the "diff …" line of a tree is that header).
            if (written.Length > 0 || headerAlways)
            {
                WriteBytes(text.PaginateOutput ?? context.Output, GnuPaginate.Run($"{echo} {text.OldLabel ?? oldOperand} {text.NewLabel ?? newOperand}", Encoding.Latin1.GetBytes(written), context.CancellationToken));
            }
        }
        else
        {
            if (written.Length > 0 || headerAlways)
            {
                written = treeHeader + written;
            }

            WriteBytes(context.Output, Encoding.Latin1.GetBytes(written));
        }

        return status == 0 ? Identical() : status;
    }

    /// <summary>The command GNU diff echoes before each file of a tree: <c>diff</c> and the options as typed, less PatchKit's own.</summary>
    private static string EchoCommandLine(string[] args)
    {
        var sb = new StringBuilder("diff");
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                break;
            }

            if (arg.StartsWith("--algorithm", StringComparison.Ordinal) || arg.StartsWith("--alg", StringComparison.Ordinal))
            {
                if (!arg.Contains('=', StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            if (arg is "--git" or "--full-index" or "--binary")
            {
                continue;
            }

            if (arg.Length > 1 && arg[0] == '-')
            {
                sb.Append(' ').Append(ShellQuote(arg));
                bool takesValue = arg.StartsWith("--", StringComparison.Ordinal)
                    ? !arg.Contains('=', StringComparison.Ordinal) && s_options.Any(o => o.TakesValue && o.Long is not null && o.Long.StartsWith(arg[2..], StringComparison.Ordinal))
                    : s_options.Any(o => o.TakesValue && o.Short == arg[^1]) && !arg[1..^1].Any(c => s_options.Any(o => o.TakesValue && o.Short == c));
                if (takesValue && i + 1 < args.Length)
                {
                    sb.Append(' ').Append(ShellQuote(args[++i]));
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>An argument as GNU diff echoes it (gnulib's shell quoting): as typed unless a byte
    /// is special to the shell, else in single quotes (a <c>'</c> as <c>'\''</c>), or in double quotes when it holds a
    /// <c>'</c> and nothing else but letters, digits, spaces and the safe punctuation (in a UTF-8 locale printable
    /// characters of several bytes too). Other bytes (controls but tab, carriage return and newline; bytes above 127)
    /// need no quotes and stay as they are.</summary>
    private static string ShellQuote(string arg)
    {
        byte[] bytes = FileNames.Encode(arg);
        bool quote = bytes.Length == 0;
        bool quoteOnly = true;
        bool apostrophe = false;
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            bool special = b switch
            {
                (byte)'{' or (byte)'}' => bytes.Length == 1,
                (byte)'#' or (byte)'~' => i == 0,
                (byte)'?' or (byte)'\\' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)' ' or (byte)'!' or (byte)'"' or (byte)'$' or (byte)'&'
                    or (byte)'(' or (byte)')' or (byte)'*' or (byte)';' or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'[' or (byte)'^'
                    or (byte)'`' or (byte)'|' or (byte)'\'' => true,
                _ => false,
            };
            quote |= special;
            apostrophe |= b == '\'';
            // What may stand inside double quotes as it is (gnulib's c_and_shell_quote_compat).
            bool plain = b switch
            {
                (byte)'{' or (byte)'}' or (byte)'#' or (byte)'~' => special,
                (byte)' ' or (byte)'\'' => true,
                (byte)'?' or (byte)'\\' or (byte)'!' or (byte)'"' or (byte)'$' or (byte)'&' or (byte)'(' or (byte)')' or (byte)'*' or (byte)';'
                    or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'[' or (byte)'^' or (byte)'`' or (byte)'|' => false,
                _ => b is > 32 and < 127,
            };
            if (b >= 0x80 && GnuLocale.Utf8)
            {
                // In a UTF-8 locale a printable character of several bytes is plain (an invalid byte is not).
                if (System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out System.Text.Rune r, out int length) == System.Buffers.OperationStatus.Done)
                {
                    plain = !System.Text.Rune.IsControl(r) && System.Text.Rune.GetUnicodeCategory(r) is not (UnicodeCategory.OtherNotAssigned or UnicodeCategory.Format);
                    i += length - 1;
                }
            }

            quoteOnly &= plain;
        }

        if (!quote)
        {
            return arg;
        }

        if (apostrophe && quoteOnly)
        {
            return "\"" + arg + "\"";
        }

        var sb = new List<byte>(bytes.Length + 8) { (byte)'\'' };
        foreach (byte b in bytes)
        {
            if (b == '\'')
            {
                sb.AddRange("'\\''"u8);
            }
            else
            {
                sb.Add(b);
            }
        }

        sb.Add((byte)'\'');
        return FileNames.Decode(sb.ToArray());
    }

    /// <summary>Writes the diff's bytes as they are: straight to the stream under a <see cref="StreamWriter"/>, else decoded.</summary>
    private static void WriteBytes(TextWriter writer, ReadOnlySpan<byte> bytes)
    {
        if (writer is StreamWriter { BaseStream: { } stream } streamWriter)
        {
            streamWriter.Flush();
            stream.Write(bytes);
            stream.Flush();
            return;
        }

        writer.Write(Encoding.UTF8.GetString(bytes));
    }
}
