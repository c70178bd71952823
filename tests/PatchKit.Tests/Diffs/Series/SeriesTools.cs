using System.Diagnostics;

namespace PatchKit.Tests.Diffs.Series;

/// <summary>Real quilt and dpkg-source for the series tests, and where the Debian source packages are: the corpus
/// builder's downloads (every package of real/) and the debian-source fixture (cowsay).</summary>
internal static class SeriesTools
{
    public static bool HasQuilt => File.Exists("/usr/bin/quilt") && File.Exists("/usr/bin/dpkg-source") && !OperatingSystem.IsWindows();

    /// <summary>The folder of the corpus's Debian downloads (one folder per package, with its .dsc), or null.</summary>
    public static string? CorpusDownloads
    {
        get
        {
            string? big = Corpus.Find("real/big");
            if (big is null)
            {
                return null;
            }

            string target = new DirectoryInfo(big).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? big;
            string downloads = Path.Combine(Path.GetDirectoryName(target)!, "downloads", "debian");
            return Directory.Exists(downloads) ? downloads : null;
        }
    }

    public static string? CowsayDsc
    {
        get
        {
            string cache = Path.Combine(
                Environment.GetEnvironmentVariable("PATCHKIT_FIXTURE_CACHE") is { Length: > 0 } c ? c : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "patchkit-fixtures"),
                "debian-source");
            return Directory.Exists(cache) ? Directory.EnumerateFiles(cache, "*.dsc").FirstOrDefault() : null;
        }
    }

    /// <summary>Fails under CI=true (CI must run the test), else tells the caller to return.</summary>
    public static void SkipUnlessCi(string what) =>
        Assert.True(Environment.GetEnvironmentVariable("CI") != "true", what + " is missing (run tests/fixtures/debian-source/setup.sh and ../shared/corpus/real/make-corpus.sh --link); CI must run this test");

    /// <summary>Unpacks a source package without applying its patches.</summary>
    public static void Extract(string dsc, string target)
    {
        var (code, output, error) = Sh(Path.GetDirectoryName(target)!, "dpkg-source -q -x --skip-patches \"$1\" \"$2\"", dsc, target);
        Assert.True(code == 0, $"dpkg-source -x {dsc}: {output}{error}");
    }

    /// <summary>Runs a shell script with quilt's environment (QUILT_PATCHES=debian/patches, no user quiltrc).</summary>
    public static (int Code, string Output, string Error) Sh(string directory, string script, params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("sh");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["QUILT_PATCHES"] = "debian/patches";
        psi.Environment["HOME"] = directory;
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["TZ"] = "UTC";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    public static (int Code, string Output, string Error) Cli(string directory, int crashAt, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["QUILT_PATCHES"] = "debian/patches",
            ["PATCHKIT_TEST_CRASH_AFTER"] = crashAt > 0 ? crashAt.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
        };
        using var p = CliRunner.StartProcess(directory, environment, args, crashHooks: crashAt > 0);
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}
