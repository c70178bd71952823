using System.Globalization;
using PatchKit.Advisories.Catalogs;
using PatchKit.Cli.Rendering;

namespace PatchKit.Cli.Commands;

/// <summary>`patchkit advisories fetch URL`: mirrors a CSAF provider (its provider-metadata.json) into a folder and checks every document's
/// hash and OpenPGP signature. Exit 0 when every document was fetched and verified, 1 when some were not (each named), 2 when the
/// provider metadata or a feed cannot be fetched or read.</summary>
internal static class AdvisoriesCommand
{
    private static readonly ArgOption s_into = new('o', "into", true, "the mirror folder (default: $XDG_CACHE_HOME/patchkit/csaf/HOST, the folder 'scan -a URL' reads)");
    private static readonly ArgOption s_key = new('k', "key", true, "an OpenPGP public key file to trust besides the provider's own (repeatable)");
    private static readonly ArgOption s_timeout = new('\0', "timeout", true, "seconds one request may take (default 30)");
    private static readonly ArgOption s_help = new('h', "help", false, "show this help");
    private static readonly ArgOption[] s_options = [s_into, s_key, s_timeout, s_help];

    public static int Run(CliContext context, string[] args)
    {
        if (args.Length == 0 || args[0] is not ("fetch" or "-h" or "--help"))
        {
            throw new ArgReaderException(args.Length == 0 ? "missing sub-command (fetch)" : $"unknown sub-command '{args[0]}' (fetch)");
        }

        var (options, operands) = ArgReader.Parse(args[0] == "fetch" ? args[1..] : args, s_options);
        if (options.Exists(o => o.Option == s_help))
        {
            ArgReader.PrintHelp(context.Output, "patchkit advisories fetch PROVIDER-METADATA-URL [--into DIR] [--key FILE]... [--timeout SECONDS]", s_options);
            context.Output.WriteLine();
            context.Output.WriteLine("Exit codes: 0 every document fetched and verified; 1 some were not (each is named); 2 bad input or the provider cannot be read.");
            return ExitCodes.Success;
        }

        if (operands.Count != 1)
        {
            throw new ArgReaderException(operands.Count == 0 ? "missing the provider's metadata URL (…/provider-metadata.json)" : $"unexpected operand '{operands[1]}'");
        }

        if (!CsafProviderSource.IsUrl(operands[0], out Uri url))
        {
            throw new ArgReaderException($"'{operands[0]}' is not an http(s) URL");
        }

        string folder = RunCommand.Value(options, s_into) is { } into ? context.Resolve(into) : CsafProviderSource.DefaultFolder(url);
        List<string> keys = [.. options.Where(o => o.Option == s_key).Select(o => context.Resolve(o.Value!))];
        TimeSpan timeout = TimeSpan.FromSeconds(RunCommand.Value(options, s_timeout) is { } t ? ArgReader.ParseInt(s_timeout, t) : 30);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgReaderException("'--timeout' must be at least 1 second");
        }

        CsafDownloadResult download = CsafProviderSource.Download(url, folder, timeout, context.CancellationToken);
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{download.Downloaded} file(s) fetched, {download.NotModified} unchanged, into {folder}"));
        foreach (string problem in download.Problems)
        {
            context.Output.WriteLine(TerminalText.Message("problem: " + problem));
        }

        CsafProviderSource.Checked result = CsafProviderSource.Check(folder, keys, context.CancellationToken);
        CsafProviderSource.Print(context.Output, result);
        return download.Problems.Count == 0 && result.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Partial;
    }
}
