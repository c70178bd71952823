using System.Buffers;
using System.Globalization;
using System.IO.Abstractions;
using PatchKit.Diffs;
using PatchKit.Cli.Rendering;
using PatchKit.Diffs.Apply;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit apply`: GNU patch's command line over <see cref="PatchApplier.ApplyTree"/>; all-or-nothing
/// unless <c>--partial</c>. Exit 0: everything applied; 1: some hunks failed (nothing written unless --partial);
/// 2: trouble.</summary>
internal static class ApplyCommand
{
    private static readonly ArgOption s_strip = new('p', "strip", true, "Strip NUM leading components from file names (default: 1 for git diffs, 0 otherwise).");
    private static readonly ArgOption s_directory = new('d', "directory", true, "Change to DIR before doing anything.");
    private static readonly ArgOption s_input = new('i', "input", true, "Read the patch from FILE instead of standard input.");
    private static readonly ArgOption s_reverse = new('R', "reverse", false, "Assume the patch was created with old and new files swapped.");
    private static readonly ArgOption s_forward = new('N', "forward", false, "Skip patches that seem reversed or already applied.");
    private static readonly ArgOption s_fuzz = new('F', "fuzz", true, "Ignore up to NUM context lines at each end when matching (default 2).");
    private static readonly ArgOption s_dryRun = new('\0', "dry-run", false, "Print what would happen, change nothing.");
    private static readonly ArgOption s_backup = new('b', "backup", false, "Save each changed file as NAME.orig first.");
    private static readonly ArgOption s_rejectFile = new('r', "reject-file", true, "With --partial, put all rejects into FILE.");
    private static readonly ArgOption s_ignoreWhitespace = new('l', "ignore-whitespace", false, "Match any run of blanks with any run of blanks.");
    private static readonly ArgOption s_silent = new('s', "silent", false, "Work silently, unless an error occurs.");
    private static readonly ArgOption s_quiet = new('\0', "quiet", false, "The same as --silent.");
    private static readonly ArgOption s_verbose = new('\0', "verbose", false, "Report every hunk, and stack traces on errors.");
    private static readonly ArgOption s_partial = new('\0', "partial", false, "GNU behaviour: apply what applies, write .rej files for the rest.");
    private static readonly ArgOption s_force = new('f', "force", false, "Do not look for reversed or already applied patches.");
    private static readonly ArgOption s_matchEndings = new('\0', "match-line-endings", false, "Let a CRLF file match an LF patch (and the reverse).");
    private static readonly ArgOption s_allowGit = new('\0', "allow-git-dir", false, "Allow writing below .git folders.");
    private static readonly ArgOption s_fsync = new('\0', "fsync", false, "Flush the journal, every written file and changed folder to the disk (survives a power cut).");
    private static readonly ArgOption s_recover = new('\0', "recover", false, "Roll back an apply that was interrupted (its journal is in DIR).");
    private static readonly ArgOption s_recount = new('\0', "recount", false, "Ignore the line counts of hunk headers and count the lines (as git apply --recount); a hunk shorter than its header is otherwise an error.");
    private static readonly ArgOption s_portable = new('\0', "portable-names", false, "Refuse names Windows reserves for devices (CON, aux.txt, ...) on every system.");
    private static readonly ArgOption s_threeWay = new('\0', "3way", false, "When hunks do not apply, merge with the file's base (blob ids of the patch); conflicts get markers (exit 1).");
    private static readonly ArgOption s_baseDir = new('\0', "base-dir", true, "With --3way: the bases are the files of DIR (the tree the patch was made on).");
    private static readonly ArgOption s_gitDir = new('\0', "git-dir", true, "With --3way: read the bases from the git objects of DIR (default: the target tree's repository).");
    private static readonly ArgOption s_baseFile = new('\0', "base", true, "With --3way: FILE is the base (for a patch of one file).");
    private static readonly ArgOption s_conflictStyle = new('\0', "conflict-style", true, "With --3way: write conflicts in STYLE merge (default) or diff3 (with the base's lines).");
    private static readonly ArgOption s_failOnConflict = new('\0', "fail-on-conflict", false, "With --3way: a conflict writes nothing (all-or-nothing), instead of leaving markers.");
    private static readonly ArgOption s_mergeFirst = new('\0', "merge-first", false, "With --3way: merge every file whose base is found, even when its hunks apply directly (as git apply --3way).");
    private static readonly ArgOption s_quotingStyle = new('\0', "quoting-style", true, "Print file names in STYLE: literal, shell, shell-always, c or escape (default: $QUOTING_STYLE, else shell), as GNU patch.");
    private static readonly ArgOption s_help = new('h', "help", false, "Show this help.");

    private static readonly ArgOption[] s_options =
    [
        s_strip, s_directory, s_input, s_reverse, s_forward, s_fuzz, s_dryRun, s_backup, s_rejectFile, s_ignoreWhitespace,
        s_silent, s_quiet, s_verbose, s_partial, s_force, s_matchEndings, s_allowGit, s_fsync, s_recover, s_recount, s_portable,
        s_threeWay, s_baseDir, s_gitDir, s_baseFile, s_conflictStyle, s_failOnConflict, s_mergeFirst, s_quotingStyle, s_help,
    ];

    public static int Run(CliContext context, string[] args)
    {
        var (found, operands) = ArgReader.Parse(args, s_options);
        var options = new ApplyOptions { StripComponents = null };
        string? directory = null;
        string? input = null;
        bool silent = false;
        bool verbose = false;
        bool recover = false;
        bool recount = false;
        string? quotingStyle = null;
        bool threeWay = false;
        bool failOnConflict = false;
        bool mergeFirst = false;
        string? conflictStyle = null;
        var bases = new List<(ArgOption Option, string Value)>();
        foreach (var (option, value) in found)
        {
            if (option == s_help)
            {
                ArgReader.PrintHelp(context.Output, "patchkit apply [options] [ORIGFILE [PATCHFILE]]", s_options);
                context.Output.WriteLine();
                context.Output.WriteLine("All-or-nothing by default: if any hunk fails, nothing is written (exit 1). Exit 2: trouble.");
                return ExitCodes.Success;
            }

            if (option == s_strip)
            {
                options.StripComponents = ArgReader.ParseInt(option, value);
            }
            else if (option == s_directory)
            {
                directory = value;
            }
            else if (option == s_input)
            {
                input = value;
            }
            else if (option == s_reverse)
            {
                options.Reverse = true;
            }
            else if (option == s_forward)
            {
                options.SkipAlreadyApplied = true;
            }
            else if (option == s_fuzz)
            {
                options.Fuzz = ArgReader.ParseInt(option, value);
            }
            else if (option == s_dryRun)
            {
                options.DryRun = true;
            }
            else if (option == s_fsync)
            {
                options.FlushToDisk = true;
            }
            else if (option == s_backup)
            {
                options.BackupOriginals = true;
            }
            else if (option == s_rejectFile)
            {
                options.RejectFile = value;
            }
            else if (option == s_ignoreWhitespace)
            {
                options.IgnoreWhitespace = true;
            }
            else if (option == s_silent || option == s_quiet)
            {
                silent = true;
            }
            else if (option == s_verbose)
            {
                verbose = true;
            }
            else if (option == s_partial)
            {
                options.Partial = true;
            }
            else if (option == s_force)
            {
                options.DetectReversed = false;
            }
            else if (option == s_matchEndings)
            {
                options.MatchLineEndings = true;
            }
            else if (option == s_allowGit)
            {
                options.AllowGitDirectory = true;
            }
            else if (option == s_recover)
            {
                recover = true;
            }
            else if (option == s_recount)
            {
                recount = true;
            }
            else if (option == s_portable)
            {
                options.PortableNames = true;
            }
            else if (option == s_threeWay)
            {
                threeWay = true;
            }
            else if (option == s_baseDir || option == s_gitDir || option == s_baseFile)
            {
                bases.Add((option, value!));
            }
            else if (option == s_conflictStyle)
            {
                conflictStyle = value;
            }
            else if (option == s_failOnConflict)
            {
                failOnConflict = true;
            }
            else if (option == s_mergeFirst)
            {
                mergeFirst = true;
            }
            else if (option == s_quotingStyle)
            {
                quotingStyle = value;
            }
        }

        NameQuoting quoting = NameQuoting.From(quotingStyle);

        if (operands.Count > 2)
        {
            throw new ArgReaderException($"extra operand '{operands[2]}'");
        }

        string root = directory is null ? context.WorkingDirectory : context.Resolve(directory);
        var fs = new FileSystem();
        if (threeWay)
        {
            options.ThreeWay = ThreeWay(context, fs, root, bases, conflictStyle, failOnConflict);
            options.ThreeWay.MergeFirst = mergeFirst;
        }
        else if (bases.Count > 0 || conflictStyle is not null || failOnConflict || mergeFirst)
        {
            throw new ArgReaderException($"--{(bases.Count > 0 ? bases[0].Option.Long : conflictStyle is not null ? "conflict-style" : failOnConflict ? "fail-on-conflict" : "merge-first")} needs --3way");
        }
        if (recover)
        {
            bool done = PatchApplier.Recover(fs, root, options);
            context.Output.WriteLine(done ? $"recovered: rolled back an interrupted apply in {quoting.Quote(root)}" : $"nothing to recover in {quoting.Quote(root)}");
            return ExitCodes.Success;
        }

        string? patchFile = operands.Count == 2 ? operands[1] : input;
        PatchFileBytes? mapped = null;
        try
        {
            ReadOnlyMemory<byte> bytes;
            if (patchFile is not null && patchFile != "-")
            {
                string path = InputFile.Check(context, patchFile, "patch file");
                try
                {
                    mapped = PatchFileBytes.Open(path);
                    bytes = mapped.Memory;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw InputFile.Unreadable(patchFile, "patch file", ex);
                }
            }
            else
            {
                bytes = ReadAll(context.OpenInput());
            }

            string source = patchFile is not null && patchFile != "-" ? $"the patch file '{patchFile}'" : "standard input";
            PatchDocument document;
            try
            {
                document = PatchDocument.Parse(bytes, new PatchParseOptions { Lenient = true, Recount = recount });
            }
            catch (PatchFormatException ex) when (ex.Reason == "EdScript" && operands.Count >= 1)
            {
                // An ed script holds no old lines: they come from the file given (read as data, never run).
                document = ParseEd(bytes, context.Resolve(operands[0]), source);
            }
            catch (PatchFormatException ex)
            {
                throw new CliInputException($"{source} is not a valid patch: {ex.Message}", null, ex);
            }

            if (operands.Count == 0 && document.Files.Any(f => f.Dialect is PatchDialect.Normal))
            {
                throw new CliInputException($"{source} is a normal diff, which names no file.", "Give the file to patch first: patchkit apply FILE PATCH.");
            }

            if (operands.Count >= 1)
            {
                // patch ORIGFILE: every file patch goes to that one file.
                string original = context.Resolve(operands[0]);
                root = Path.GetDirectoryName(original) ?? root;
                document = Retarget(document, Path.GetFileName(original), keepIds: threeWay);
                options.StripComponents = 0;
            }

            if (document.Files.Count == 0)
            {
                throw new CliInputException($"only garbage was found in {source}: it holds no file patch (no \"--- \" and \"+++ \", \"diff --git\" or \"*** \" lines).",
                    "Is it the right file? A cover letter or a mail without a diff looks like this.");
            }

            TreeApplyResult result = PatchApplier.ApplyTree(document, fs, root, options, context.CancellationToken);
            return Report(context, result, options, silent, verbose, quoting);
        }
        finally
        {
            mapped?.Dispose();
        }
    }

    /// <summary>Writes why a hunk failed, indented under its "FAILED" line: its nearest place and the lines that
    /// differ there, each expected line beside the line found.</summary>
    private static void WriteDiagnosis(TextWriter o, HunkResult h)
    {
        if (h.Diagnosis is not { } d)
        {
            return;
        }

        foreach (string line in d.GetReportLines())
        {
            o.WriteLine("  " + TerminalText.Message(line));
        }
    }

    private static int Report(CliContext context, TreeApplyResult result, ApplyOptions options, bool silent, bool verbose, NameQuoting quoting)
    {
        TextWriter o = context.Output;
        bool anyFailed = false;
        bool anyConflict = false;
        foreach (FileApplyResult file in result.Files)
        {
            FilePatch patch = file.Patch;
            if (!silent)
            {
                string verb = options.DryRun ? "checking" : "patching";
                string what = patch.IsBinary ? "binary file" : "file";
                string extra = patch.Operation switch
                {
                    FileOperation.Rename => $" (renamed from {quoting.Quote(Strip(FileNames.Decode((options.Reverse ? patch.NewPathBytes : patch.OldPathBytes).Span), options.StripComponents ?? (patch.Dialect == PatchDialect.Git ? 1 : 0)))})",
                    FileOperation.Copy => $" (copied from {quoting.Quote(Strip(FileNames.Decode((options.Reverse ? patch.NewPathBytes : patch.OldPathBytes).Span), options.StripComponents ?? (patch.Dialect == PatchDialect.Git ? 1 : 0)))})",
                    _ => string.Empty,
                };
                o.WriteLine($"{verb} {what} {quoting.Quote(file.Path)}{extra}");
            }

            if (patch.ShortHunk is { Recounted: true } cut)
            {
                context.Error.WriteLine(TerminalText.Message(string.Create(CultureInfo.InvariantCulture, $"patchkit: warning: hunk #{cut.Index + 1} of {file.Path} (patch line {cut.LineNumber}) is shorter than its header: -{cut.HeaderOld} +{cut.HeaderNew} promised, -{cut.BodyOld} +{cut.BodyNew} there; its lines were counted instead (--recount)")));
            }

            if (file.Error is not null)
            {
                anyFailed = true;
                context.Error.WriteLine(TerminalText.Message(file.Error));
                continue;
            }

            if (file.ReversedDetected)
            {
                anyFailed = true;
                int n = file.Hunks.Length;
                o.WriteLine(file.Skipped
                    ? "Reversed (or previously applied) patch detected!  Skipping patch."
                    : "Reversed (or previously applied) patch detected!  Not applying it (-R reverses it, -N skips it).");
                o.WriteLine($"{n} out of {n} hunk{(n == 1 ? string.Empty : "s")} {(file.Skipped ? "ignored" : "FAILED")}");
                continue;
            }

            if (file.MergedThreeWay)
            {
                if (file.Conflicts > 0)
                {
                    anyConflict = true;
                    o.WriteLine($"Applied patch to {quoting.Quote(file.Path)} with {file.Conflicts} conflict{(file.Conflicts == 1 ? string.Empty : "s")} (three-way merge).");
                    o.WriteLine($"U {quoting.Quote(file.Path)}");
                }
                else if (!silent)
                {
                    o.WriteLine($"Applied patch to {quoting.Quote(file.Path)} cleanly (three-way merge).");
                }

                continue;
            }

            int failed = 0;
            foreach (HunkResult h in file.Hunks)
            {
                int number = h.Index + 1;
                switch (h.Status)
                {
                    case HunkStatus.Applied:
                        if (!silent && (verbose || h.Offset != 0 || h.Fuzz != 0))
                        {
                            string fuzz = h.Fuzz != 0 ? $" with fuzz {h.Fuzz}" : string.Empty;
                            string offset = h.Offset != 0 ? $" (offset {h.Offset} line{(Math.Abs(h.Offset) == 1 ? string.Empty : "s")})" : string.Empty;
                            o.WriteLine($"Hunk #{number} succeeded at {h.Line}{fuzz}{offset}.");
                        }

                        break;
                    case HunkStatus.AlreadyApplied:
                        failed++;
                        o.WriteLine($"Hunk #{number} FAILED at {h.Line} (already applied: its new side is there).");
                        WriteDiagnosis(o, h);
                        break;
                    default:
                        failed++;
                        o.WriteLine($"Hunk #{number} FAILED at {h.Line}.");
                        WriteDiagnosis(o, h);
                        break;
                }
            }

            if (failed > 0)
            {
                anyFailed = true;
                int n = file.Hunks.Length;
                string tail = options.Partial && !options.DryRun ? $" -- saving rejects to file {quoting.Quote(options.RejectFile ?? file.Path + ".rej")}" : string.Empty;
                o.WriteLine($"{failed} out of {n} hunk{(n == 1 ? string.Empty : "s")} FAILED{tail}");
                if (file.ThreeWayNote is { } note)
                {
                    o.WriteLine(TerminalText.Message(note));
                }
            }
        }

        if (result.Recovered)
        {
            context.Error.WriteLine("patchkit: an interrupted earlier apply was rolled back first");
        }

        if (anyFailed && !options.Partial && !options.DryRun)
        {
            context.Error.WriteLine("patchkit: nothing was changed (all-or-nothing; --partial applies what applies)");
        }
        else if (anyConflict && !options.DryRun)
        {
            context.Error.WriteLine(result.Committed
                ? "patchkit: conflicts were written with markers; resolve them (exit 1)"
                : "patchkit: nothing was changed (--fail-on-conflict)");
        }

        return anyFailed || anyConflict || !result.Succeeded ? ExitCodes.Partial : ExitCodes.Success;
    }

    private static string? Strip(string? path, int strip)
    {
        if (path is null)
        {
            return null;
        }

        for (int i = 0; i < strip; i++)
        {
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                break;
            }

            path = path[(slash + 1)..];
        }

        return path;
    }

    private static ThreeWayOptions ThreeWay(CliContext context, FileSystem fs, string root, List<(ArgOption Option, string Value)> bases, string? style, bool failOnConflict)
    {
        if (bases.Count > 1)
        {
            throw new ArgReaderException($"--{bases[0].Option.Long} and --{bases[1].Option.Long} can't be used together: give one source of bases");
        }

        ConflictStyle conflictStyle = style switch
        {
            null or "merge" => ConflictStyle.Merge,
            "diff3" => ConflictStyle.Diff3,
            _ => throw new ArgReaderException($"--conflict-style must be merge or diff3, not '{style}'"),
        };

        IMergeBaseSource source;
        if (bases.Count == 0)
        {
            source = MergeBases.TryFromGitDirectory(root)
                ?? throw new CliInputException($"--3way needs the bases: '{root}' is not in a git repository (no .git/objects there).",
                    "Give --git-dir DIR (a repository holding the patch's blobs), --base-dir DIR (the tree the patch was made on) or --base FILE.");
        }
        else
        {
            var (option, value) = bases[0];
            string path = context.Resolve(value);
            if (option == s_baseFile)
            {
                string file = InputFile.Check(context, value, "base file");
                try
                {
                    source = MergeBases.FromContent(File.ReadAllBytes(file));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw InputFile.Unreadable(value, "base file", ex);
                }
            }
            else if (!Directory.Exists(path))
            {
                throw new CliInputException($"--{option.Long}: the folder '{value}' does not exist.");
            }
            else if (option == s_gitDir)
            {
                source = MergeBases.TryFromGitDirectory(path)
                    ?? throw new CliInputException($"--git-dir: '{value}' holds no git object store (neither .git/objects nor objects/ with HEAD).");
            }
            else
            {
                source = MergeBases.FromFolder(fs, path);
            }
        }

        return new ThreeWayOptions(source) { ConflictStyle = conflictStyle, FailOnConflict = failOnConflict };
    }

    private static PatchDocument ParseEd(ReadOnlyMemory<byte> script, string original, string source)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(original);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(original, "file to patch", ex);
        }

        try
        {
            return PatchDocument.ParseEd(script, content);
        }
        catch (PatchFormatException ex)
        {
            throw new CliInputException($"{source} is not a valid ed script: {ex.Message}", null, ex);
        }
    }

    private static PatchDocument Retarget(PatchDocument document, string fileName, bool keepIds)
    {
        byte[] name = System.Text.Encoding.UTF8.GetBytes(fileName);
        var files = new List<FilePatch>(document.Files.Count);
        foreach (FilePatch f in document.Files)
        {
            FileOperation op = f.Operation is FileOperation.Rename or FileOperation.Copy ? FileOperation.Modify : f.Operation;
            files.Add(new FilePatch(name, name, op, f.Hunks)
            {
                Dialect = f.Dialect,
                OldMode = f.OldMode,
                NewMode = f.NewMode,
                IsBinary = f.IsBinary,
                BinaryPatch = f.BinaryPatch,
                LineNumber = f.LineNumber,
                AddedLines = f.AddedLines,
                RemovedLines = f.RemovedLines,
                OldObjectId = keepIds ? f.OldObjectId : null,
                NewObjectId = keepIds ? f.NewObjectId : null,
            });
        }

        return new PatchDocument(document.Source, files);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var buffer = new ArrayBufferWriter<byte>(1 << 16);
            while (true)
            {
                Span<byte> span = buffer.GetSpan(1 << 16);
                int n = stream.Read(span);
                if (n == 0)
                {
                    break;
                }

                buffer.Advance(n);
            }

            return buffer.WrittenSpan.ToArray();
        }
    }
}
