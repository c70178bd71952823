using PatchKit.Advisories;
using PatchKit.Advisories.Csaf;
using PatchKit.Advisories.Osv;

namespace PatchKit.Tests.Advisories;

/// <summary>Damaged documents (seeded byte flips, cuts, splices and invalid UTF-8 in real records) make the readers throw
/// <see cref="AdvisoryFormatException"/> or nothing else; the validator and linter never throw on what the readers accept.</summary>
public sealed class AdvisoryHostileInputTests
{
    private const int Seed = 2026_12_05;

    [CorpusFact("advisories/osv/go/GO-2020-0028.json")]
    public void OsvParse_DamagedRecords_ThrowOnlyFormatErrors()
    {
        byte[] original = File.ReadAllBytes(Corpus.Require("advisories/osv/go/GO-2020-0028.json"));
        Run(original, static bytes =>
        {
            OsvRecord r = OsvReader.Parse(bytes, "damaged");
            _ = OsvLinter.Lint(r, "damaged");
        });
    }

    [CorpusFact("advisories/csaf/examples/standard")]
    public void CsafParse_DamagedDocuments_ThrowOnlyFormatErrors()
    {
        string file = Directory.EnumerateFiles(Corpus.Require("advisories/csaf/examples/standard"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        byte[] original = File.ReadAllBytes(file);
        Run(original, static bytes =>
        {
            CsafDocument d = CsafReader.Parse(bytes, "damaged");
            _ = CsafValidator.Validate(d, "damaged");
        });
    }

    private static void Run(byte[] original, Action<byte[]> parse)
    {
        var rnd = new Random(Seed);
        byte[] specials = [(byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)':', (byte)',', 0xFF, 0xC3, 0x80, (byte)'\\', 0, (byte)'1', (byte)'n'];
        for (int i = 0; i < 600; i++)
        {
            byte[] bytes = (byte[])original.Clone();
            switch (i % 4)
            {
                case 0:
                    for (int k = 0; k < 1 + rnd.Next(4); k++)
                    {
                        bytes[rnd.Next(bytes.Length)] = specials[rnd.Next(specials.Length)];
                    }

                    break;
                case 1:
                    bytes = bytes[..rnd.Next(bytes.Length)];
                    break;
                case 2:
                    int from = rnd.Next(bytes.Length);
                    int to = rnd.Next(from, bytes.Length);
                    bytes = [.. bytes[..from], .. bytes[to..]];
                    break;
                default:
                    bytes = new byte[rnd.Next(64)];
                    rnd.NextBytes(bytes);
                    break;
            }

            try
            {
                parse(bytes);
            }
            catch (AdvisoryFormatException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Message));
                Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\ninput: {Convert.ToBase64String(bytes)}");
            }
        }
    }
}
