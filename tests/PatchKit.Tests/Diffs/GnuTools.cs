using System.Diagnostics;

namespace PatchKit.Tests.Diffs;

/// <summary>Runs GNU diff, GNU patch and git for real, with bytes in and out (LC_ALL=C, TZ=UTC).</summary>
internal static class GnuTools
{
    public static (int ExitCode, byte[] Output, string Error) Run(string fileName, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C";
        psi.Environment["TZ"] = "UTC";
        using Process p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        return (p.ExitCode, ms.ToArray(), stderr.Result);
    }

    /// <summary>Copies a tree (files with their exec bit, symlinks as links).</summary>
    public static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string entry in Directory.EnumerateFileSystemEntries(from))
        {
            string dest = Path.Combine(to, Path.GetFileName(entry));
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(dest, target);
            }
            else if (Directory.Exists(entry))
            {
                CopyTree(entry, dest);
            }
            else
            {
                File.Copy(entry, dest);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(dest, File.GetUnixFileMode(entry));
                }
            }
        }
    }

    /// <summary>Lists a tree as "kind path -> content hash" lines (directories left out, as the corpus listing).</summary>
    public static string Listing(string root)
    {
        var lines = new List<string>();
        void Walk(string dir)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
            {
                string rel = Path.GetRelativePath(root, entry);
                var info = new FileInfo(entry);
                if (info.LinkTarget is { } target)
                {
                    lines.Add("120000 " + rel + " -> " + target);
                }
                else if (Directory.Exists(entry))
                {
                    Walk(entry);
                }
                else
                {
                    bool exec = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(entry) & UnixFileMode.UserExecute) != 0;
                    lines.Add((exec ? "100755 " : "100644 ") + rel + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(entry))));
                }
            }
        }

        if (Directory.Exists(root))
        {
            Walk(root);
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }
}
