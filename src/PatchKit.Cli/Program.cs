using PatchKit.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var stderr = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { AutoFlush = true };
int code;
try
{
    code = CliApp.Run(args, new CliContext(stdout, stderr, Console.OpenStandardInput, Environment.CurrentDirectory, cts.Token));
}
finally
{
    stdout.Flush();
}

return code;
