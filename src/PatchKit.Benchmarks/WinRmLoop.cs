using System.Diagnostics;
using System.Globalization;
using PatchKit.Hosts;
using PatchKit.Hosts.Windows;
using PatchKit.Hosts.Windows.WinRm;

namespace PatchKit.Benchmarks;

/// <summary>benchmarks/winrm.sh's PatchKit side: N commands through the adapter's WinRM transport (one kept shell:
/// Command, Receive, Signal each), sealed with NTLM over HTTP; prints the seconds. Not a BenchmarkDotNet benchmark: the competing tool (pywinrm)
/// is timed by the script in the same run, against the same fixture.</summary>
internal static class WinRmLoop
{
    public static async Task<int> RunAsync(string[] args)
    {
        // args: winrm-loop URL USER N ; the password comes from PATCHKIT_WINRM_PASSWORD
        var options = new WinRmConnectionOptions
        {
            Endpoint = new Uri(args[1]),
            Authentication = WinRmAuthentication.Ntlm,
            UserName = args[2],
            Password = Secret.FromEnvironment("PATCHKIT_WINRM_PASSWORD"),
        };
        int n = int.Parse(args[3], CultureInfo.InvariantCulture);
        // args[4] = "per-command": a shell per command (Create, Command, Receive, Signal, Delete), like pywinrm's run_cmd
        bool perCommand = args.Length > 4 && args[4] == "per-command";
        await using var shell = new WinRmShell(options);
        Func<Task<WindowsCommandResult>> run = perCommand
            ? () => shell.Client.RunAsync("hostname", [], CancellationToken.None)
            : () => shell.RunCommandAsync("hostname", [], CancellationToken.None);
        _ = await run(); // warm-up: handshake, shell, JIT
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            var r = await run();
            if (r.ExitCode != 0 || r.StandardOutput.Length == 0)
            {
                await Console.Error.WriteLineAsync("unexpected result: exit " + r.ExitCode);
                return 1;
            }
        }

        sw.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"patchkit{(perCommand ? "-per-command" : string.Empty)} {n} {sw.Elapsed.TotalSeconds:F3} {shell.TransportDescription}"));
        return 0;
    }
}
