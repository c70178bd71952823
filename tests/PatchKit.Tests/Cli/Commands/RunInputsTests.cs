using System.Text;
using System.Text.Json;
using PatchKit.Cli.Commands;
using Xunit.Abstractions;

namespace PatchKit.Tests.Cli.Commands;

/// <summary>The fingerprint of a run's inputs (journaled when the run starts): its size at 10,000 hosts and what it
/// still explains there.</summary>
public sealed class RunInputsTests(ITestOutputHelper output)
{
    private const int Hosts = 10_000;

    private static byte[] Fleet(Func<int, string?> build)
    {
        var text = new StringBuilder("{ \"startTime\": \"2026-01-05T00:00:00+00:00\", \"hosts\": [\n");
        bool first = true;
        for (int i = 0; i < Hosts; i++)
        {
            if (build(i) is not { } b)
            {
                continue;
            }

            text.Append(first ? string.Empty : ",\n").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"  {{ \"id\": \"esx{i:D5}\", \"kind\": \"Esx\", \"version\": \"8.0.2\", \"build\": \"{b}\", \"cluster\": \"c{i % 40}\", \"tags\": [\"prod\"] }}");
            first = false;
        }

        return Encoding.UTF8.GetBytes(text.Append("\n] }").ToString());
    }

    private static RunInputs Of(byte[] fleet, string maxConcurrency = "2") => RunInputs.Of(
    [
        ("fleet file", "fleet.json", fleet),
        ("policy file", "policy.json", Encoding.UTF8.GetBytes("{ \"maxConcurrency\": " + maxConcurrency + ", \"approval\": { \"minimumSeverity\": \"Moderate\" } }")),
    ]);

    [Fact]
    public void Fingerprint_TenThousandHosts_RecordIsSmall_AndStillNamesTheHostThatChanged()
    {
        byte[] fleet = Fleet(_ => "22380479");
        var started = Of(fleet);
        string record = started.ToJson();

        // The journal keeps it as the Data string of a record: the size on disk is that string JSON-escaped.
        int journaled = JsonSerializer.Serialize(record).Length;
        output.WriteLine($"fleet file {fleet.Length} bytes, {Hosts} hosts: fingerprint {record.Length} bytes, {journaled} bytes in the journal record");
        // Under 10 bytes a host (a 32-bit hash each, names compressed); the first format took 59 bytes a host (590 KB).
        Assert.True(journaled < Hosts * 10, "the fingerprint of " + Hosts + " hosts takes " + journaled + " bytes in the journal");

        var read = RunInputs.FromJson(record)!;
        Assert.Empty(Of(fleet).ChangesSince(read));

        // One host's build changed, one host gone, the policy changed: each is named.
        byte[] changed = Fleet(i => i == 4711 ? null : i == 1234 ? "24585383" : "22380479");
        var changes = Of(changed, "3").ChangesSince(read);
        Assert.Equal(
        [
            "fleet file fleet.json: host esx01234 changed",
            "fleet file fleet.json: host esx04711 removed",
            "policy file policy.json: maxConcurrency 2 → 3",
        ], changes);
    }

    [Fact]
    public void Fingerprint_JournaledInTheFirstFormat_IsStillCompared()
    {
        // Format 1 listed every host as a part with a 64-bit hash.
        const string Format1 = """
            {"format":1,"hash":"x","files":[{"role":"fleet file","path":"fleet.json","hash":"y","parts":[
            {"name":"startTime","hash":"0000000000000000","value":"2026-01-05T00:00:00+00:00"},
            {"name":"host esx00000","hash":"ffffffffffffffff"}]}]}
            """;
        var now = RunInputs.Of([("fleet file", "fleet.json", Fleet(i => i < 2 ? "22380479" : null))]);
        var changes = now.ChangesSince(RunInputs.FromJson(Format1)!);
        Assert.Contains("fleet file fleet.json: host esx00000 changed", changes);
        Assert.Contains("fleet file fleet.json: host esx00001 added", changes);
    }
}
