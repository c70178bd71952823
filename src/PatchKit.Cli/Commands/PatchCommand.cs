using System.Buffers;
using System.Globalization;
using System.Text;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit patch`, and the binary run through a link named <c>patch</c>: GNU patch 2.7.6's command line,
/// messages, exit statuses and files left behind. Unlike <c>patchkit apply</c> it applies partially and writes rejects,
/// file by file, as GNU does; names are checked as GNU checks them, and no ed script ever reaches a shell.</summary>
internal static class PatchCommand
{
    private static readonly ArgOption s_backup = new('b', "backup", false, "Back up the original contents of each file.");
    private static readonly ArgOption s_backupIfMismatch = new('\0', "backup-if-mismatch", false, "Back up if the patch does not match exactly (the default).");
    private static readonly ArgOption s_noBackupIfMismatch = new('\0', "no-backup-if-mismatch", false, "Back up mismatches only if otherwise requested.");
    private static readonly ArgOption s_versionControl = new('V', "version-control", true, "Backup style: none (simple), simple (never), numbered (t), existing (nil).");
    private static readonly ArgOption s_prefix = new('B', "prefix", true, "Prepend PREFIX to backup file names.");
    private static readonly ArgOption s_basenamePrefix = new('Y', "basename-prefix", true, "Prepend PREFIX to backup file basenames.");
    private static readonly ArgOption s_suffix = new('z', "suffix", true, "Append SUFFIX to backup file names.");
    private static readonly ArgOption s_context = new('c', "context", false, "Interpret the patch as a context diff.");
    private static readonly ArgOption s_ed = new('e', "ed", false, "Interpret the patch as an ed script.");
    private static readonly ArgOption s_normal = new('n', "normal", false, "Interpret the patch as a normal diff.");
    private static readonly ArgOption s_unified = new('u', "unified", false, "Interpret the patch as a unified diff.");
    private static readonly ArgOption s_directory = new('d', "directory", true, "Change the working directory to DIR first.");
    private static readonly ArgOption s_ifdef = new('D', "ifdef", true, "Make merged if-then-else output using NAME.");
    private static readonly ArgOption s_removeEmpty = new('E', "remove-empty-files", false, "Remove output files that are empty after patching.");
    private static readonly ArgOption s_force = new('f', "force", false, "Like -t, but ignore bad-Prereq patches, and assume unreversed.");
    private static readonly ArgOption s_fuzz = new('F', "fuzz", true, "Number of LINES for inexact 'fuzzy' matching (default 2).");
    private static readonly ArgOption s_get = new('g', "get", true, "Get files from RCS etc. if positive; ask if negative.");
    private static readonly ArgOption s_input = new('i', "input", true, "Read patch from PATCHFILE instead of stdin.");
    private static readonly ArgOption s_ignoreWhitespace = new('l', "ignore-whitespace", false, "Ignore white space changes between patch and input.");
    private static readonly ArgOption s_forward = new('N', "forward", false, "Ignore patches that appear to be reversed or already applied.");
    private static readonly ArgOption s_output = new('o', "output", true, "Output patched files to FILE.");
    private static readonly ArgOption s_strip = new('p', "strip", true, "Strip NUM leading components from file names.");
    private static readonly ArgOption s_rejectFile = new('r', "reject-file", true, "Output rejects to FILE.");
    private static readonly ArgOption s_reverse = new('R', "reverse", false, "Assume patches were created with old and new files swapped.");
    private static readonly ArgOption s_silent = new('s', "silent", false, "Work silently unless an error occurs.");
    private static readonly ArgOption s_quiet = new('\0', "quiet", false, "Work silently unless an error occurs.");
    private static readonly ArgOption s_batch = new('t', "batch", false, "Ask no questions; skip bad-Prereq patches; assume reversed.");
    private static readonly ArgOption s_setTime = new('T', "set-time", false, "Set times of patched files, assuming diff uses local time.");
    private static readonly ArgOption s_setUtc = new('Z', "set-utc", false, "Set times of patched files, assuming diff uses UTC (GMT).");
    private static readonly ArgOption s_version = new('v', "version", false, "Output version info.");
    private static readonly ArgOption s_debug = new('x', "debug", true, "Debugging flags.");
    private static readonly ArgOption s_binary = new('\0', "binary", false, "Read and write data in binary mode.");
    private static readonly ArgOption s_dryRun = new('\0', "dry-run", false, "Do not actually change any files; just print what would happen.");
    private static readonly ArgOption s_posix = new('\0', "posix", false, "Conform to the POSIX standard.");
    private static readonly ArgOption s_merge = new('\0', "merge", true, "Merge using conflict markers instead of creating reject files (merge or diff3).");
    private static readonly ArgOption s_rejectFormat = new('\0', "reject-format", true, "Create 'context' or 'unified' rejects.");
    private static readonly ArgOption s_readOnly = new('\0', "read-only", true, "How to handle read-only input files: 'ignore', 'warn' (default), or 'fail'.");
    private static readonly ArgOption s_quotingStyle = new('\0', "quoting-style", true, "Output file names using quoting style WORD.");
    private static readonly ArgOption s_followSymlinks = new('\0', "follow-symlinks", false, "Follow symlinks.");
    private static readonly ArgOption s_verbose = new('\0', "verbose", false, "Output extra information about the work being done.");
    private static readonly ArgOption s_explain = new('\0', "explain-failures", false, "PatchKit extension: say why each failed hunk failed (its nearest place, the lines that differ there), also as comments in the reject files.");
    private static readonly ArgOption s_help = new('h', "help", false, "Display this help and exit.");

    /// <summary>GNU patch 2.7.6's long options in its table's order (getopt lists an ambiguous abbreviation's
    /// possibilities so).</summary>
    private static readonly string[] s_gnuLongNames =
    [
        "backup", "prefix", "context", "directory", "ifdef", "ed", "remove-empty-files", "force", "fuzz", "get", "help",
        "input", "ignore-whitespace", "merge", "normal", "forward", "output", "strip", "reject-file", "reverse", "quiet",
        "silent", "batch", "set-time", "unified", "version", "version-control", "debug", "basename-prefix", "suffix",
        "set-utc", "dry-run", "verbose", "binary", "backup-if-mismatch", "no-backup-if-mismatch", "posix", "quoting-style",
        "reject-format", "read-only", "follow-symlinks",
    ];

    private static readonly ArgOption[] s_options =
    [
        s_backup, s_backupIfMismatch, s_noBackupIfMismatch, s_versionControl, s_prefix, s_basenamePrefix, s_suffix, s_context, s_ed,
        s_normal, s_unified, s_directory, s_ifdef, s_removeEmpty, s_force, s_fuzz, s_get, s_input, s_ignoreWhitespace, s_forward, s_output,
        s_strip, s_rejectFile, s_reverse, s_silent, s_quiet, s_batch, s_setTime, s_setUtc, s_version, s_debug, s_binary, s_dryRun, s_posix,
        s_merge, s_rejectFormat, s_readOnly, s_quotingStyle, s_followSymlinks, s_verbose, s_explain, s_help,
    ];

    /// <summary>The program name in messages, as GNU patch prints its <c>argv[0]</c>.</summary>
    private const string Name = "patch";

    public static int Run(CliContext context, string[] args)
    {
        GnuPatchSettings s;
        List<string> operands;
        try
        {
            (s, operands) = Parse(GnuDropInText.UpToInfoOption(args, s_options, s_version, s_help), context.WorkingDirectory, context.Output);
        }
        catch (GnuPatchUsageException ex)
        {
            // GNU's argmatch failure (-V): its words and the valid values, without the "Try" line.
            context.Error.Write(ex.Message);
            return ExitCodes.Trouble;
        }
        catch (GnuPatchFatalException ex)
        {
            // A bad option value GNU checks itself (numbers, empty backup names): "patch: **** …", exit 2.
            context.Error.WriteLine($"{Name}: **** {ex.Message}");
            return ExitCodes.Trouble;
        }
        catch (ArgReaderException ex)
        {
            if (ex.Message.Length > 0)
            {
                // An empty message: GNU's usage() alone (a bad --merge, --reject-format or --read-only word).
                context.Error.WriteLine($"{Name}: {ex.Message}");
            }

            context.Error.WriteLine($"{Name}: Try '{Name} --help' for more information.");
            return ExitCodes.Trouble;
        }

        if (s.Help)
        {
            ArgReader.PrintHelp(context.Output, "patch [OPTION]... [ORIGFILE [PATCHFILE]]", s_options);
            return ExitCodes.Success;
        }

        if (s.Version)
        {
            GnuDropInText.Version(context.Output, "GNU patch 2.7.6", "patch", "GNU patch 2.7.6");
            return ExitCodes.Success;
        }

        using var run = new GnuPatchRun(context, s);
        try
        {
            return run.Execute(operands);
        }
        catch (GnuPatchFatalException ex)
        {
            run.Flush();
            context.Error.WriteLine($"{Name}: **** {ex.Message}");
            return ExitCodes.Trouble;
        }
    }

    private static (GnuPatchSettings Settings, List<string> Operands) Parse(string[] args, string workingDirectory, TextWriter say)
    {
        // --merge takes an optional argument (getopt's "merge:" with optional_argument): without '=' it means merge.
        string[] expanded = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            expanded[i] = a.Length > 3 && a.StartsWith("--m", StringComparison.Ordinal) && !a.Contains('=', StringComparison.Ordinal) && "--merge".StartsWith(a, StringComparison.Ordinal) ? "--merge=merge" : a;
        }

        var s = new GnuPatchSettings();
        string? versionControl = null;
        bool? backupIfMismatch = null;

        // Each option is taken as GNU's getopt loop meets it, so the first bad value (or unknown option) is the one
        // reported, and -v/--help end the reading there.
        void Take(ArgOption o, string? v)
        {
            if (s.Help || s.Version)
            {
                return;
            }

            if (o == s_help) { s.Help = true; }
            else if (o == s_version) { s.Version = true; }
            else if (o == s_backup) { s.Backup = true; }
            else if (o == s_backupIfMismatch) { backupIfMismatch = true; }
            else if (o == s_noBackupIfMismatch) { backupIfMismatch = false; }
            else if (o == s_versionControl) { versionControl = v!; }
            else if (o == s_prefix) { s.Prefix = NotEmpty(v!, "backup prefix"); }
            else if (o == s_basenamePrefix) { s.BasenamePrefix = NotEmpty(v!, "backup basename prefix"); }
            else if (o == s_suffix) { s.Suffix = NotEmpty(v!, "backup suffix"); s.SuffixGiven = true; }
            else if (o == s_context) { s.Format = PatchInputFormat.Context; }
            else if (o == s_ed) { s.Format = PatchInputFormat.Ed; }
            else if (o == s_normal) { s.Format = PatchInputFormat.Normal; }
            else if (o == s_unified) { s.Format = PatchInputFormat.Unified; }
            else if (o == s_directory) { s.Directory = ChangeDirectory(s.Directory ?? workingDirectory, v!, s.QuotingStyle); }
            else if (o == s_ifdef) { s.IfDef = v; }
            else if (o == s_removeEmpty) { s.RemoveEmpty = true; }
            else if (o == s_force) { s.Force = true; }
            else if (o == s_fuzz) { s.Fuzz = GnuNumber(v!, false, "fuzz factor"); }
            else if (o == s_get) { s.Get = GnuNumber(v!, true, "get option value"); }
            else if (o == s_input) { s.Input = v; }
            else if (o == s_ignoreWhitespace) { s.IgnoreWhitespace = true; }
            else if (o == s_forward) { s.Forward = true; }
            else if (o == s_output) { s.Output = v; }
            else if (o == s_strip) { s.Strip = GnuNumber(v!, false, "strip count"); }
            else if (o == s_rejectFile) { s.RejectFile = v; }
            else if (o == s_reverse) { s.Reverse = true; }
            else if (o == s_silent || o == s_quiet) { s.Silent = true; s.Verbose = false; }
            else if (o == s_batch) { s.Batch = true; }
            else if (o == s_setTime) { s.SetTime = true; }
            else if (o == s_setUtc) { s.SetUtc = true; }
            else if (o == s_binary) { s.Binary = true; }
            else if (o == s_followSymlinks) { s.FollowSymlinks = true; }
            else if (o == s_debug) { _ = GnuNumber(v!, true, "debugging option"); }
            else if (o == s_dryRun) { s.DryRun = true; }
            else if (o == s_posix) { s.Posix = true; }
            else if (o == s_merge) { s.Merge = v is "merge" or "diff3" ? v : throw new ArgReaderException(string.Empty); }
            else if (o == s_verbose) { s.Verbose = true; s.Silent = false; }
            else if (o == s_explain) { s.ExplainFailures = true; }
            else if (o == s_rejectFormat)
            {
                s.RejectFormat = v switch
                {
                    "context" => PatchInputFormat.Context,
                    "unified" => PatchInputFormat.Unified,
                    _ => throw new ArgReaderException(string.Empty),
                };
            }
            else if (o == s_readOnly)
            {
                s.ReadOnly = v switch
                {
                    "ignore" or "warn" or "fail" => v,
                    _ => throw new ArgReaderException(string.Empty),
                };
            }
            else if (o == s_quotingStyle)
            {
                s.QuotingStyle = QuotingWord(v!);
            }
        }

        var (options, operands) = ArgReader.Parse(expanded, s_options, s_gnuLongNames, Take);
        if (s.Help || s.Version)
        {
            return (s, operands);
        }

        if (options is [.., (var last, null)] && last == s_backup && operands.Count == 3 && expanded[^4] == "-b"
            && expanded[^3..].SequenceEqual(operands, StringComparer.Ordinal) && operands.All(a => a.Length < 2 || a[0] != '-'))
        {
            // GNU's compatibility rule for CVS 1.9: "-b SUFFIX ORIGFILE PATCHFILE" as the last four arguments is
            // "-b -z SUFFIX", said (on standard output, as the options are read) unless -s came before.
            if (!s.Silent)
            {
                say.WriteLine($"warning: the '-b {operands[0]}' option is obsolete; use '-b -z {operands[0]}' instead");
            }

            s.Suffix = NotEmpty(operands[0], "backup suffix");
            s.SuffixGiven = true;
            operands.RemoveAt(0);
        }

        if (operands.Count > 2)
        {
            // GNU patch words it "NAME: extra operand", the name (the first one too many) first.
            throw new ArgReaderException($"{Rendering.NameQuoting.From(s.QuotingStyle).Quote(operands[2])}: extra operand");
        }

        // With --merge, GNU writes conflict markers and no #ifdef lines: -D is ignored.
        if (s.Merge is not null)
        {
            s.IfDef = null;
        }

        // GNU's environment: SIMPLE_BACKUP_SUFFIX (not empty) names simple backups unless -z does; POSIXLY_CORRECT turns
        // off the backup of a mismatch by default (--posix does not); PATCH_VERSION_CONTROL, else VERSION_CONTROL,
        // stands for -V when it is not given.
        if (!s.SuffixGiven && Environment.GetEnvironmentVariable("SIMPLE_BACKUP_SUFFIX") is { Length: > 0 } suffix)
        {
            s.Suffix = suffix;
        }

        s.BackupIfMismatch = backupIfMismatch ?? Environment.GetEnvironmentVariable("POSIXLY_CORRECT") is null;
        string what = "--version-control or -V option";
        if (versionControl is null)
        {
            (versionControl, what) = Environment.GetEnvironmentVariable("PATCH_VERSION_CONTROL") is { } patchVersionControl
                ? (patchVersionControl, "$PATCH_VERSION_CONTROL")
                : (Environment.GetEnvironmentVariable("VERSION_CONTROL"), "$VERSION_CONTROL");
        }

        // GNU reads the backup style only when a backup may be made (-b, or the backup of a mismatch).
        if (s.Backup || s.BackupIfMismatch)
        {
            s.VersionControl = ParseVersionControl(versionControl, what);
        }

        return (s, operands);
    }

    /// <summary>GNU patch's numeric_string: optional sign, decimal digits, the value wrapping as GNU's 32-bit int does
    /// (so a too-large number is taken, not refused), negative refused where not allowed.</summary>
    private static int GnuNumber(string value, bool negativeAllowed, string what)
    {
        int sign = value.StartsWith('-') ? -1 : 1;
        int i = value.Length > 0 && value[0] is '-' or '+' ? 1 : 0;
        int n = 0;
        do
        {
            int digit = i < value.Length ? value[i] - '0' : -1;
            if (digit is < 0 or > 9)
            {
                throw new GnuPatchFatalException($"{what} {Rendering.NameQuoting.From(null).Quote(value)} is not a number");
            }

            n = unchecked((n * 10) + (sign * digit));
        }
        while (++i < value.Length);

        return n < 0 && !negativeAllowed ? throw new GnuPatchFatalException($"{what} {Rendering.NameQuoting.From(null).Quote(value)} is negative") : n;
    }

    /// <summary>GNU's <c>-d</c>: a chdir as the option is met, so a second <c>-d</c> is taken from the first's folder and a
    /// folder that is not there stops the run before any later option is read.</summary>
    private static string ChangeDirectory(string current, string value, string? quotingStyle)
    {
        string full = value.Length > 0 ? Path.GetFullPath(value, current) : string.Empty;
        if (full.Length == 0 || !Directory.Exists(full))
        {
            string why = full.Length > 0 && File.Exists(full) ? "Not a directory" : "No such file or directory";
            throw new GnuPatchFatalException($"Can't change to directory {Rendering.NameQuoting.From(quotingStyle).Quote(value)} : {why}");
        }

        return full;
    }

    private static string NotEmpty(string value, string what) =>
        value.Length > 0 ? value : throw new GnuPatchFatalException($"{what} is empty");

    /// <summary>GNU's argmatch: the index of <paramref name="value"/> among <paramref name="words"/>, else of the first
    /// word it begins when all the words it begins stand for one value (<paramref name="same"/>); -1 when it begins
    /// none, -2 when they stand for several (ambiguous).</summary>
    private static int Argmatch(string value, IReadOnlyList<string> words, Func<int, int, bool> same)
    {
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i] == value)
            {
                return i;
            }
        }

        int match = -1;
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i].StartsWith(value, StringComparison.Ordinal))
            {
                if (match < 0)
                {
                    match = i;
                }
                else if (!same(match, i))
                {
                    return -2;
                }
            }
        }

        return match;
    }

    /// <summary>GNU's argmatch over the quoting styles: an exact word, else an unambiguous prefix.</summary>
    private static string QuotingWord(string value)
    {
        int i = Argmatch(value, Rendering.NameQuoting.Words, static (a, b) => a == b);
        return i >= 0 ? Rendering.NameQuoting.Words[i]
            : throw new ArgReaderException($"{(i == -2 ? "ambiguous" : "invalid")} argument '{value}' for 'quoting style'");
    }

    /// <summary>GNU's backup style words, in its order, and the style each stands for (GNU patch 2.7.6 makes numbered
    /// backups for "none", checked against it).</summary>
    private static readonly string[] s_versionWords = ["none", "off", "simple", "never", "existing", "nil", "numbered", "t"];

    private static readonly BackupStyle[] s_versionStyles =
    [
        BackupStyle.Numbered, BackupStyle.Numbered, BackupStyle.Simple, BackupStyle.Simple,
        BackupStyle.Existing, BackupStyle.Existing, BackupStyle.Numbered, BackupStyle.Numbered,
    ];

    /// <summary>GNU's argmatch over the backup style words (<c>-V</c>, or the environment variable <paramref name="what"/>
    /// names): an exact word, else a prefix of words that all stand for one style; no style at all is simple, an empty
    /// one existing.</summary>
    private static BackupStyle ParseVersionControl(string? value, string what)
    {
        if (value is null or "")
        {
            return value is null ? BackupStyle.Simple : BackupStyle.Existing;
        }

        int i = Argmatch(value, s_versionWords, static (a, b) => s_versionStyles[a] == s_versionStyles[b]);
        return i >= 0 ? s_versionStyles[i]
            : throw new GnuPatchUsageException($"patch: {(i == -2 ? "ambiguous" : "invalid")} argument '{value}' for '{what}'\nValid arguments are:\n  - 'none', 'off'\n  - 'simple', 'never'\n  - 'existing', 'nil'\n  - 'numbered', 't'\n");
    }
}

/// <summary>How the patch input is to be read (<c>-c</c>, <c>-e</c>, <c>-n</c>, <c>-u</c>), or how rejects are written.</summary>
internal enum PatchInputFormat
{
    Guess,
    Context,
    Unified,
    Normal,
    Ed,
}

/// <summary>GNU's backup naming (<c>-V</c>).</summary>
internal enum BackupStyle
{
    Simple,
    None,
    Numbered,
    Existing,
}

/// <summary>GNU patch's options as parsed.</summary>
internal sealed class GnuPatchSettings
{
    public bool Help { get; set; }

    public bool Version { get; set; }

    public bool Backup { get; set; }

    /// <summary>Gets or sets a value indicating whether a file a hunk did not fit exactly is backed up
    /// (<c>--backup-if-mismatch</c>, GNU's default unless <c>POSIXLY_CORRECT</c> is set).</summary>
    public bool BackupIfMismatch { get; set; }

    public BackupStyle VersionControl { get; set; } = BackupStyle.Simple;

    public string? Prefix { get; set; }

    public string? BasenamePrefix { get; set; }

    public string Suffix { get; set; } = ".orig";

    /// <summary>Gets or sets a value indicating whether <c>-z</c> was given: GNU then names every backup
    /// PREFIX + NAME + SUFFIX, whatever <c>-V</c> says.</summary>
    public bool SuffixGiven { get; set; }

    public PatchInputFormat Format { get; set; }

    public string? Directory { get; set; }

    public string? IfDef { get; set; }

    public bool RemoveEmpty { get; set; }

    public bool Force { get; set; }

    public int Fuzz { get; set; } = 2;

    public string? Input { get; set; }

    public bool IgnoreWhitespace { get; set; }

    public bool Forward { get; set; }

    public string? Output { get; set; }

    public int? Strip { get; set; }

    public string? RejectFile { get; set; }

    public bool Reverse { get; set; }

    public bool Silent { get; set; }

    public bool Batch { get; set; }

    public bool SetTime { get; set; }

    public bool SetUtc { get; set; }

    public bool DryRun { get; set; }

    public bool Posix { get; set; }

    /// <summary>Gets or sets <c>-g</c>: positive, get missing files from RCS; negative, ask first; 0, never
    /// (GNU's default, or the <c>PATCH_GET</c> environment variable).</summary>
    public int Get { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("PATCH_GET"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int g) ? g : 0;

    /// <summary>Gets or sets a value indicating whether <c>--binary</c> was given: the patch's CRs are kept.</summary>
    public bool Binary { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>--follow-symlinks</c> was given.</summary>
    public bool FollowSymlinks { get; set; }

    public string? Merge { get; set; }

    public bool Verbose { get; set; }

    /// <summary>Gets or sets a value indicating whether failed hunks are explained (a PatchKit extension: the GNU
    /// output stays as it is without it).</summary>
    public bool ExplainFailures { get; set; }

    public PatchInputFormat RejectFormat { get; set; }

    public string ReadOnly { get; set; } = "warn";

    public string? QuotingStyle { get; set; }
}

/// <summary>A GNU patch fatal error (<c>patch: **** ...</c>, exit 2).</summary>
internal sealed class GnuPatchFatalException : Exception
{
    public GnuPatchFatalException(string message)
        : base(message)
    {
    }
}

/// <summary>A bad option value GNU reports through argmatch (its message and the valid values, exit 2, no "Try" line).</summary>
internal sealed class GnuPatchUsageException : Exception
{
    public GnuPatchUsageException(string message)
        : base(message)
    {
    }
}
