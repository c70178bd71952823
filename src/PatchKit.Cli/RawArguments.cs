using System.Text;
using PatchKit.Cli.Native;
using PatchKit.Diffs;

namespace PatchKit.Cli;

/// <summary>The arguments as the process got them. .NET decodes them as UTF-8, each invalid byte as U+FFFD, so an
/// argument naming a file that is not UTF-8 names no file: on Linux <c>/proc/self/cmdline</c> holds the bytes.</summary>
internal static class RawArguments
{
    /// <summary>The entries of <c>/proc/self/cmdline</c> (each without its NUL), or null where there is none.</summary>
    public static List<byte[]>? Read()
    {
        byte[] cmdline;
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            cmdline = File.ReadAllBytes("/proc/self/cmdline");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var raw = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < cmdline.Length; i++)
        {
            if (cmdline[i] == 0)
            {
                raw.Add(cmdline[start..i]);
                start = i + 1;
            }
        }

        return raw;
    }

    /// <summary>The last arguments of the process (<paramref name="args"/>, what .NET decoded of them), each argument
    /// that is not UTF-8 with its exact bytes as <see cref="FileNames"/> escapes. Without <c>/proc</c>, or when its
    /// entries do not decode to <paramref name="args"/>, the arguments as .NET decoded them (such a name then names no
    /// file, and the command says so).</summary>
    public static string[] Exact(string[] args)
    {
        if (!Array.Exists(args, static a => a.Contains('\uFFFD', StringComparison.Ordinal)) || Read() is not { } raw || raw.Count < args.Length)
        {
            return args;
        }

        string[] exact = new string[args.Length];
        int offset = raw.Count - args.Length;
        for (int i = 0; i < args.Length; i++)
        {
            byte[] bytes = raw[offset + i];
            if (Encoding.UTF8.GetString(bytes) != args[i])
            {
                return args;
            }

            exact[i] = FileNames.Decode(bytes);
        }

        return exact;
    }
}
