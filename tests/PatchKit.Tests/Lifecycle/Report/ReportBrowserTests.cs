using System.Text.Json;
using Microsoft.Playwright;
using PatchKit.Tests.Infrastructure;

namespace PatchKit.Tests.Lifecycle.Report;

/// <summary>The HTML report in a real browser: Debian's chromium (tests/fixtures/chromium/setup.sh) driven by
/// Microsoft.Playwright through <c>ExecutablePath</c> (no browser download). Three reports of the real CLI — the demo
/// fleet, a run with failures, held patches and a pending reboot, and a run killed and resumed — each at a desktop and a
/// narrow width: no two text boxes overlap, every table and chart is there, the page logs no error. A full-page
/// screenshot of each is kept under the test results folder (TestResults/report-screenshots).</summary>
public sealed class ReportBrowserTests(ReportBrowserFixture fx) : IClassFixture<ReportBrowserFixture>
{
    public static TheoryData<string, int> Cases => new()
    {
        { "demo", 1280 }, { "demo", 390 },
        { "trouble", 1280 }, { "trouble", 390 },
        { "resumed", 1280 }, { "resumed", 390 },
    };

    [ChromiumTheory]
    [MemberData(nameof(Cases))]
    public async Task Report_InChromium_NoOverlappingText_EveryTableAndChart_NoErrors(string report, int width)
    {
        var browser = await fx.BrowserAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                errors.Add(m.Type + ": " + m.Text);
            }
        };
        page.PageError += (_, e) => errors.Add("page error: " + e);
        try
        {
            var response = await page.GotoAsync(new Uri(fx.Html(report)).AbsoluteUri);
            Assert.NotNull(response);
            Assert.True(response.Ok, "loading the report answered " + response.Status);

            string shots = Path.Combine(RepoFiles.Root, "tests", "PatchKit.Tests", "TestResults", "report-screenshots");
            Directory.CreateDirectory(shots);
            string shot = Path.Combine(shots, report + "-" + width + ".png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            Assert.True(new FileInfo(shot).Length > 1000, "the screenshot is empty");

            var overlaps = await page.EvaluateAsync<JsonElement>(OverlapScript);
            Assert.True(overlaps.GetArrayLength() == 0, "overlapping text boxes at " + width + " px: " + overlaps);

            var layout = await page.EvaluateAsync<JsonElement>(LayoutScript);
            // Wide charts and tables scroll in their own box: the page itself never scrolls sideways, even on a phone.
            Assert.True(layout.GetProperty("pageWidth").GetDouble() <= layout.GetProperty("viewport").GetDouble() + 1,
                "the page is wider than the window: " + layout.GetProperty("pageWidth") + " > " + layout.GetProperty("viewport"));
            var headings = layout.GetProperty("headings").EnumerateArray().Select(h => h.GetString()!).ToList();
            foreach (string h in fx.ExpectedSections(report))
            {
                Assert.Contains(h, headings);
            }

            foreach (var chart in layout.GetProperty("charts").EnumerateArray())
            {
                Assert.True(chart.GetProperty("width").GetDouble() > 50 && chart.GetProperty("height").GetDouble() > 10, "a chart has no size: " + chart);
                Assert.True(chart.GetProperty("shapes").GetInt32() > 0, "a chart draws nothing: " + chart);
            }

            var labels = layout.GetProperty("charts").EnumerateArray().Select(c => c.GetProperty("label").GetString()).ToList();
            Assert.Equal(["waves over time", "outcome per host", "days between patches"], labels);
            foreach (var table in layout.GetProperty("tables").EnumerateArray())
            {
                Assert.True(table.GetProperty("rows").GetInt32() >= 2, "a table has no rows: " + table);
                Assert.True(table.GetProperty("width").GetDouble() > 50, "a table has no width: " + table);
            }

            Assert.Equal(headings.Count(h => fx.TableSections.Contains(h)), layout.GetProperty("tables").GetArrayLength());
            Assert.Empty(errors);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task OverlapScript_TwoLabelsOnTopOfEachOther_AreFound()
    {
        // The check itself can fail: two wave labels drawn at one place, as the timeline drew "canary" and "rest" once.
        var browser = await fx.BrowserAsync();
        var page = await browser.NewPageAsync();
        try
        {
            await page.SetContentAsync("""
                <!DOCTYPE html><html><body><svg width="300" height="40"><text x="10" y="20" font-size="11">canary (2)</text>
                <text x="30" y="22" font-size="11">rest (5)</text><text x="200" y="20" font-size="11">apart</text></svg></body></html>
                """);
            var overlaps = await page.EvaluateAsync<JsonElement>(OverlapScript);
            Assert.Equal(1, overlaps.GetArrayLength());
            Assert.Equal("svg: canary (2)", overlaps[0].GetProperty("a").GetString());
            Assert.Equal("svg: rest (5)", overlaps[0].GetProperty("b").GetString());
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Every rendered text box (each line of each text node; each SVG text element), and the pairs of boxes
    /// that cover each other by more than a pixel each way.</summary>
    private const string OverlapScript = """
        () => {
          const boxes = [];
          const add = (r, text) => { if (r.width > 0.5 && r.height > 0.5) boxes.push({ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, text }); };
          for (const t of document.querySelectorAll('svg text')) add(t.getBoundingClientRect(), 'svg: ' + t.textContent.trim());
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!n.textContent.trim() || n.parentElement.closest('svg')) continue;
            range.selectNodeContents(n);
            for (const r of range.getClientRects()) add(r, n.textContent.trim().slice(0, 60));
          }
          const found = [];
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
            const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
            if (ox > 1 && oy > 1) found.push({ a: a.text, b: b.text, ax: Math.round(a.x), ay: Math.round(a.y), bx: Math.round(b.x), by: Math.round(b.y) });
          }
          return found.slice(0, 20);
        }
        """;

    private const string LayoutScript = """
        () => ({
          pageWidth: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          headings: [...document.querySelectorAll('h2')].map(h => h.textContent.trim()),
          charts: [...document.querySelectorAll('svg')].map(s => ({ label: s.getAttribute('aria-label'), width: s.getBoundingClientRect().width,
            height: s.getBoundingClientRect().height, shapes: s.querySelectorAll('rect, line, circle, path').length })),
          tables: [...document.querySelectorAll('table')].map(t => ({ rows: t.rows.length, width: t.getBoundingClientRect().width,
            heading: t.previousElementSibling ? t.previousElementSibling.textContent.trim() : '' })),
        })
        """;
}

/// <summary>Makes the three reports once (real CLI processes) and starts chromium once for the class.</summary>
public sealed class ReportBrowserFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _html = new(StringComparer.Ordinal);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IReadOnlySet<string> TableSections { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Needs attention", "Lab gate", "Advisories fixed", "Held by the approval policy", "History", "Hosts",
    };

    public string Html(string report) => _html[report];

    public IEnumerable<string> ExpectedSections(string report)
    {
        string[] always = ["Waves over time", "Outcome per host", "Cadence: days between patches per host", "Lab gate", "Hosts"];
        return report switch
        {
            "trouble" => [.. always, "Needs attention", "Held by the approval policy", "History"],
            "resumed" => [.. always, "Held by the approval policy"],
            _ => [.. always, "Needs attention"],
        };
    }

    public async Task<IBrowser> BrowserAsync()
    {
        if (_browser is not null)
        {
            return _browser;
        }

        string executable = ChromiumTheoryAttribute.Executable;
        Assert.True(File.Exists(executable), ChromiumTheoryAttribute.Missing ?? executable);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return _browser;
    }

    public Task InitializeAsync()
    {
        if (ChromiumTheoryAttribute.Missing is not null && !CiEnvironment.InCi)
        {
            return Task.CompletedTask; // every test is skipped
        }

        _html["demo"] = ReportRuns.Demo(_dir.Path);
        ReportRuns.Trouble(_dir.Path, "trouble-earlier"); // a second run in the folder: the report gets its history table
        _html["trouble"] = ReportRuns.Trouble(_dir.Path, "trouble") + ".html";
        _html["resumed"] = ReportRuns.KilledAndResumed(_dir.Path, "resumed", crashAt: 20).Stem + ".html";
        Assert.Contains("resumed after an interruption", File.ReadAllText(_html["resumed"]), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _dir.Dispose();
    }
}

/// <summary>Whether CI=true.</summary>
internal static class CiEnvironment
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A fact that needs chromium: skipped with the reason when it is missing, except under CI=true.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!CiEnvironment.InCi && ChromiumTheoryAttribute.Missing is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A theory that needs chromium (tests/fixtures/chromium/setup.sh): skipped with the reason when it is missing,
/// except under CI=true, where the test runs and fails.</summary>
internal sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        if (!CiEnvironment.InCi && Missing is { } why)
        {
            Skip = why;
        }
    }

    /// <summary>Gets the browser: PATCHKIT_CHROMIUM, or Debian's /usr/bin/chromium.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("PATCHKIT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>Gets why the browser cannot run, or <see langword="null"/>.</summary>
    public static string? Missing => File.Exists(Executable) ? null : Executable + " is not installed (run tests/fixtures/chromium/setup.sh)";
}
