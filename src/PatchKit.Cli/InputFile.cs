namespace PatchKit.Cli;

/// <summary>Reads a file named on the command line; every failure becomes a <see cref="CliInputException"/> that says
/// which file, in the user's own spelling, and what went wrong.</summary>
internal static class InputFile
{
    /// <summary>Reads a whole file.</summary>
    /// <param name="context">The command's context (working directory).</param>
    /// <param name="path">The path as typed.</param>
    /// <param name="what">What the file is, for the message (<c>patch file</c>, <c>policy file</c>).</param>
    /// <returns>The bytes.</returns>
    public static byte[] ReadAllBytes(CliContext context, string path, string what)
    {
        string full = Check(context, path, what);
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, ex);
        }
    }

    /// <summary>Resolves a path and checks that it names a readable file (not a folder, not missing).</summary>
    /// <param name="context">The command's context (working directory).</param>
    /// <param name="path">The path as typed.</param>
    /// <param name="what">What the file is, for the message.</param>
    /// <returns>The full path.</returns>
    public static string Check(CliContext context, string path, string what)
    {
        string full = context.Resolve(path);
        if (Directory.Exists(full))
        {
            throw new CliInputException($"the {what} '{path}' is a folder, not a file.", $"Give the path of the {what} itself.");
        }

        if (!File.Exists(full))
        {
            string where = Path.GetDirectoryName(full) is { } dir && !Directory.Exists(dir) ? $" (the folder '{dir}' does not exist either)" : string.Empty;
            throw new CliInputException($"the {what} '{path}' does not exist{where}.",
                $"Check the spelling; a relative path is read from the current folder, {context.WorkingDirectory}.");
        }

        return full;
    }

    /// <summary>The error for a file that exists but could not be read.</summary>
    /// <param name="path">The path as typed.</param>
    /// <param name="what">What the file is.</param>
    /// <param name="ex">What reading threw.</param>
    /// <returns>The exception to throw.</returns>
    public static CliInputException Unreadable(string path, string what, Exception ex) => ex switch
    {
        UnauthorizedAccessException => new CliInputException($"the {what} '{path}' cannot be read: permission denied.", "Check the file's permissions, or run as a user who may read it.", ex),
        _ => new CliInputException($"the {what} '{path}' cannot be read: {ErrorText.Describe(ex)}", null, ex),
    };
}
