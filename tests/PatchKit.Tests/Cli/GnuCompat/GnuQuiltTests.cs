using System.Diagnostics;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Real Debian tooling driving <c>patch</c> and <c>diff</c> from the PATH: dpkg-source extracting a real
/// 3.0 (quilt) source package (cowsay, 22 patches, from tests/fixtures/debian-source/setup.sh), then quilt popping,
/// pushing and refreshing its series, once with GNU patch/diff and once with PatchKit's drop-in links. Both runs must
/// print the same and leave the same tree.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class GnuQuiltTests
{
    private static string Cache => Path.Combine(
        Environment.GetEnvironmentVariable("PATCHKIT_FIXTURE_CACHE") is { Length: > 0 } c ? c : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "patchkit-fixtures"),
        "debian-source");

    [Fact]
    public void DpkgSourceAndQuilt_GiveTheSameTreesWithPatchKitAsWithGnu()
    {
        string? dsc = Directory.Exists(Cache) ? Directory.EnumerateFiles(Cache, "*.dsc").FirstOrDefault() : null;
        if (OperatingSystem.IsWindows() || dsc is null || !File.Exists("/usr/bin/quilt") || !File.Exists("/usr/bin/dpkg-source") || !GnuCompatHarness.Available)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "quilt, dpkg-source or the source package is missing (run tests/fixtures/debian-source/setup.sh); CI must run this test");
            return;
        }

        var gnu = Run(dsc, GnuCompatHarness.GnuBin);
        var patchKit = Run(dsc, GnuCompatHarness.PatchKitBin);
        Assert.Equal(gnu.Log, patchKit.Log);
        Assert.Equal(gnu.Extracted, patchKit.Extracted);
        Assert.Equal(gnu.AfterQuilt, patchKit.AfterQuilt);
        Assert.Contains("applying", gnu.Log, StringComparison.Ordinal);
        Assert.Contains("Refreshed patch", gnu.Log, StringComparison.Ordinal);
    }

    private static (string Log, string Extracted, string AfterQuilt) Run(string dsc, string bin)
    {
        string root = Directory.CreateTempSubdirectory("patchkit-quilt-").FullName;
        try
        {
            var log = new System.Text.StringBuilder();
            Shell(root, bin, log, "dpkg-source -x \"$DSC\" src");
            string src = Path.Combine(root, "src");
            string extracted = GnuCompatHarness.Listing(src, times: false);

            // pop everything, push everything, go back three, add a file to the top patch, refresh it, push the rest.
            Shell(src, bin, log, "quilt pop -a && quilt push -a && quilt pop 3 && quilt add cows/default.cow && echo 'extra line' >> cows/default.cow && quilt refresh && quilt push -a && quilt pop -a");
            return (log.ToString(), extracted, GnuCompatHarness.Listing(src, times: false));

            void Shell(string dir, string path, System.Text.StringBuilder sink, string script)
            {
                var psi = new ProcessStartInfo("/bin/sh")
                {
                    WorkingDirectory = dir,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add("PATH=\"$BIN:/usr/bin:/bin\"; export PATH; exec 2>&1; " + script);
                psi.Environment["BIN"] = path;
                psi.Environment["DSC"] = dsc;
                psi.Environment["HOME"] = root;
                psi.Environment["QUILT_PATCHES"] = "debian/patches";
                psi.Environment["LC_ALL"] = "C";
                psi.Environment["TZ"] = "UTC";
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
                {
                    psi.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(host);
                }

                using var p = Process.Start(psi)!;
                string output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                sink.Append(output).Append("exit ").Append(p.ExitCode).Append('\n');
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
