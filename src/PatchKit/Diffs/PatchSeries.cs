using System.Globalization;

namespace PatchKit.Diffs;

/// <summary>A quilt <c>series</c> file: the patches of a stack in the order they apply, each with its strip level.</summary>
/// <remarks>The format is quilt's: one patch name a line, optionally followed by <c>-pN</c> (or <c>-p N</c>); a <c>#</c>
/// at the start of a line or after white space starts a comment; blank lines are ignored. A name is a relative path
/// below the patches folder: an absolute name, a <c>..</c> component or a control character is refused, as are options
/// other than <c>-p</c> (quilt hands them to GNU patch; PatchKit does not guess what they mean).</remarks>
public sealed class PatchSeries
{
    private PatchSeries(IReadOnlyList<SeriesPatch> patches)
    {
        Patches = patches;
    }

    /// <summary>Gets the patches, in series order.</summary>
    public IReadOnlyList<SeriesPatch> Patches { get; }

    /// <summary>Reads a series file's text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="source">What to call the file in messages (its path); <see langword="null"/> for "the series".</param>
    /// <returns>The series.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="PatchFormatException">A line names an unsafe path, repeats a name or has an option PatchKit does
    /// not support; the message names the file and line.</exception>
    public static PatchSeries Parse(string text, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string where = source ?? "the series";
        var patches = new List<SeriesPatch>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = StripComment(rawLine.TrimEnd('\r'));
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            string name = fields[0];
            CheckName(name, where, lineNumber);
            int strip = 1;
            for (int i = 1; i < fields.Length; i++)
            {
                string option = fields[i];
                string? value = option == "-p" && i + 1 < fields.Length ? fields[++i] : option.StartsWith("-p", StringComparison.Ordinal) ? option[2..] : null;
                value = value is not null && value.StartsWith('=') ? value[1..] : value;
                if (option.StartsWith("--strip=", StringComparison.Ordinal))
                {
                    value = option["--strip=".Length..];
                }

                if (value is null || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out strip) || strip > 64)
                {
                    throw Bad(where, lineNumber, $"patch '{name}' has the option '{option}'; only -pN (the strip level) is supported");
                }
            }

            if (!names.Add(name))
            {
                throw Bad(where, lineNumber, $"patch '{name}' is listed twice");
            }

            patches.Add(new SeriesPatch(name, strip, lineNumber));
        }

        return new PatchSeries(patches);
    }

    /// <summary>Finds a patch by name (also with the patches folder in front, as quilt accepts it).</summary>
    internal int IndexOf(string name, string patchesFolder)
    {
        string trimmed = name.StartsWith(patchesFolder.TrimEnd('/') + "/", StringComparison.Ordinal) ? name[(patchesFolder.TrimEnd('/').Length + 1)..] : name;
        for (int i = 0; i < Patches.Count; i++)
        {
            if (Patches[i].Name == trimmed)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Refuses a patch name that is not a plain relative path (it names a file below the patches folder and a
    /// folder below <c>.pc</c>).</summary>
    internal static void CheckName(string name, string where, int lineNumber)
    {
        string? problem = null;
        if (name.Length == 0)
        {
            problem = "an empty patch name";
        }
        else if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || (name.Length > 1 && name[1] == ':'))
        {
            problem = $"the patch name '{name}' is not a relative path";
        }
        else if (name.Split('/').Any(part => part is ".." or "." or ""))
        {
            problem = $"the patch name '{name}' has an empty, '.' or '..' component (it would leave the patches folder)";
        }
        else if (name.Any(char.IsControl))
        {
            problem = $"the patch name '{PathGuard.Printable(System.Text.Encoding.UTF8.GetBytes(name))}' holds a control character";
        }
        else if (name.Split('/')[0] is ".pc" or ".git" || name.EndsWith("~refresh", StringComparison.Ordinal) || name == ".timestamp")
        {
            problem = $"the patch name '{name}' is reserved";
        }

        if (problem is not null)
        {
            throw Bad(where, lineNumber, problem);
        }
    }

    private static string StripComment(string line)
    {
        // quilt: sub(/(^|[ \t]+)#.*/, "")
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static PatchFormatException Bad(string where, int lineNumber, string reason) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{where}, line {lineNumber}: {reason}."), reason, lineNumber, -1);
}
