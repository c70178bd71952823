using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "winrm-loop")
{
    return await PatchKit.Benchmarks.WinRmLoop.RunAsync(args);
}

if (args.Length > 0 && args[0] == "queue-scale-out")
{
    return await PatchKit.Benchmarks.QueueScaleOut.RunAsync(args);
}

if (args.Length > 0 && args[0] == "kvm-live-update")
{
    return await PatchKit.Benchmarks.KvmLiveUpdateRounds.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "kvm-migrate-disk")
{
    return await PatchKit.Benchmarks.KvmMigrateDiskRounds.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "esx-inventory")
{
    return await PatchKit.Benchmarks.EsxInventoryRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "advisory-match")
{
    return await PatchKit.Benchmarks.AdvisoryMatchRun.RunAsync(args[1..]);
}

var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
