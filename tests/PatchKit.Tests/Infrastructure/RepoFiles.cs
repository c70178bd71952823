namespace PatchKit.Tests.Infrastructure;

/// <summary>Finds files of the repository (examples, built CLI) from the test's output folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>The CLI assembly the test project references (copied beside the tests with its runtimeconfig).</summary>
    public static string CliDll => typeof(PatchKit.Cli.CliApp).Assembly.Location;

    /// <summary>The CLI with the crash tests' kill hooks (tests/PatchKit.TestHost: <c>PATCHKIT_TEST_CRASH_AFTER</c>,
    /// <c>PATCHKIT_SIM_CRASH_AT</c>), copied beside the tests; the shipped CLI has no such hooks.</summary>
    public static string CrashHostDll => Path.Combine(Path.GetDirectoryName(CliDll)!, "PatchKit.TestHost.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PatchKit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PatchKit.sln not found above " + AppContext.BaseDirectory);
    }
}
