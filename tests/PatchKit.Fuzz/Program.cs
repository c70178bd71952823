using PatchKit.Fuzz;
using SharpFuzz;

// Usage: PatchKit.Fuzz <target> [file]
//   with a file: runs the target once on it (reproduce a crash, or replay a corpus);
//   without: runs under afl-fuzz (SharpFuzz's fork server), reading inputs from stdin.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine("usage: PatchKit.Fuzz <" + string.Join('|', FuzzTargets.All.Keys) + "> [input-file]");
    return 2;
}

if (args.Length > 1)
{
    target(File.ReadAllBytes(args[1]));
    return 0;
}

Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
