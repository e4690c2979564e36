using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Tests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace ArtifactGraph.Tests.Http.Ide;

/// <summary>
/// A person's path through the IDE, in Debian's headless Chromium driven by chromedriver: open <c>/graphql</c> of the
/// real server over the seed, wait for Banana Cake Pop, add the Authorization header, run a nested query and read
/// the answer from the page. The screenshot is kept in the test output (its path is printed).
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class BananaCakePopBrowserTests(SeededServer server, ITestOutputHelper output) : IDisposable
{
    // Chromium's profile for this test, removed afterwards (Chromium has quit by then: the driver is disposed first).
    private readonly DirectoryInfo profile = Directory.CreateTempSubdirectory("ag-chromium-");

    private const string Query = """{ tasks(filter: { title: { _eq: "Write spec" } }) { title project_id { name context_version } artifacts(sort: ["sort"], limit: 1) { artifact_version_id { schema_key version } } } }""";
    private const string Subscription = "subscription { artifact_versions_mutated { key event data { id status } } }";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Browser_opensGraphqlRunsNestedQuery_readsSeedAnswerFromPage()
    {
        using var driver = StartChromium();
        try
        {
            OpenDocument(driver, server.BaseUrl, Query, "Query");
            string? text = null;
            Stopwatch? sinceRun = null;
            WaitFor(driver, "the response", d =>
            {
                text = ResponseText(d);
                if (text?.Contains("\"tasks\"", StringComparison.Ordinal) == true)
                {
                    return true;
                }

                // Any other page 3 s after a run is run again: no answer yet, "Must provide query string" (run before the
                // IDE took the document), or refused as a visitor ("tasks" is not in the public schema: the header was
                // not sent as one value, or not yet part of the document; OneAuthorizationHeader removes a second row).
                if (sinceRun is null || (sinceRun.Elapsed > TimeSpan.FromSeconds(3) && OneAuthorizationHeader(d)))
                {
                    d.FindElement(By.CssSelector("button[aria-label^='Run Operation']")).Click();
                    sinceRun = Stopwatch.StartNew();
                }

                return false;
            }, () => $"the page shows {text ?? "no response pane"}");
            var shown = JsonNode.Parse(text!.Replace('\u00a0', ' '));
            var expected = await ApiAnswerAsync();

            Assert.True(JsonNode.DeepEquals(expected, shown), $"The page shows {shown}, the API answers {expected}");
            Assert.Equal("Apollo", shown!["data"]!["tasks"]![0]!["project_id"]!["name"]!.GetValue<string>());
        }
        finally
        {
            Screenshot(driver);
        }
    }

    /// <summary>
    /// With WEBSOCKETS_ENABLED, a subscription run in the IDE (which sends its HTTP headers as connection_init's payload,
    /// over graphql-transport-ws) shows the event of a version updated over HTTP in its response pane.
    /// </summary>
    [Fact]
    public async Task Browser_runsSubscription_showsEventOfHttpWriteOnPage()
    {
        const string version = "bbbbbbbb-0000-4000-8000-000000000003";
        await using var live = await LiveServer.StartAsync(ArtifactGraph.Data.DatabaseClient.Sqlite, new Dictionary<string, string> { ["WEBSOCKETS_ENABLED"] = "true" });
        using var http = live.Client();
        using var driver = StartChromium();
        try
        {
            OpenDocument(driver, live.Process.BaseUrl, Subscription, "Subscription");
            driver.FindElement(By.CssSelector("button[aria-label^='Run Operation']")).Click();

            // The subscription is live a moment after the run: write until the page shows an event (a write made before
            // the socket is up tells nobody), each with a status of its own.
            string? text = null;
            Stopwatch? sinceWrite = null;
            var sinceRun = Stopwatch.StartNew();
            var statuses = new[] { "in_review", "draft" };
            var writes = 0;
            WaitFor(driver, "the event on the page", d =>
            {
                text = ResponseText(d);
                if (text?.Contains("artifact_versions_mutated", StringComparison.Ordinal) == true)
                {
                    return true;
                }

                if (text?.Contains("\"errors\"", StringComparison.Ordinal) == true && sinceRun.Elapsed > TimeSpan.FromSeconds(3))
                {
                    // Run before the IDE took the document (no query sent): run again.
                    d.FindElement(By.CssSelector("button[aria-label^='Run Operation']")).Click();
                    sinceRun.Restart();
                }

                if (sinceWrite is null || sinceWrite.Elapsed > TimeSpan.FromSeconds(2))
                {
                    var status = statuses[writes++ % 2];
                    using var update = http.PostAsJsonAsync("/graphql", new { query = $"mutation {{ update_artifact_versions_item(id: \"{version}\", data: {{ status: \"{status}\" }}) {{ id }} }}" })
                        .GetAwaiter().GetResult();
                    Assert.True(update.IsSuccessStatusCode);
                    sinceWrite = Stopwatch.StartNew();
                }

                return false;
            }, () => $"the page shows {text ?? "no response pane"} after {writes} writes");
            var shown = JsonNode.Parse(text!.Replace('\u00a0', ' '))!["data"]!["artifact_versions_mutated"]!;
            Assert.Equal(version, shown["key"]!.GetValue<string>());
            Assert.Equal("update", shown["event"]!.GetValue<string>());
            Assert.Contains(shown["data"]!["status"]!.GetValue<string>(), statuses);
        }
        finally
        {
            Screenshot(driver, "banana-cake-pop-subscription.png");
        }
    }

    /// <summary>Opens the IDE at <c>/graphql</c>, creates a document with the admin's Authorization header, and types <paramref name="document"/>.</summary>
    private static void OpenDocument(ChromeDriver driver, string baseUrl, string document, string operationType)
    {
        var files = Path.Combine(AppContext.BaseDirectory, "ide", "bananacakepop", "index.html");
        Assert.True(File.Exists(files), $"The Banana Cake Pop files are missing ({files}): the build installs them with npm; install Node.js and npm and build again.");
        driver.Navigate().GoToUrl(baseUrl + "/graphql");
        Assert.EndsWith("/graphql/ui/", driver.Url);

        // The IDE's service worker caches the files on the first visit and then reloads the page once.
        WaitFor(driver, "the service worker", d => d.ExecuteScript("return !!navigator.serviceWorker.controller") is true);
        WaitFor(driver, "the start page", d => d.FindElements(By.XPath("//button[normalize-space()='Create Document']")).Count > 0);
        Assert.Equal("ArtifactGraph", driver.Title);
        driver.FindElement(By.XPath("//button[normalize-space()='Create Document']")).Click();

        WaitFor(driver, "the headers tab", d => d.FindElements(By.XPath("//*[normalize-space()='HTTP Headers']")).Count > 0);
        driver.FindElement(By.XPath("//*[normalize-space()='HTTP Headers']")).Click();
        driver.FindElement(By.CssSelector("input[placeholder='Name']")).SendKeys("Authorization");
        driver.FindElement(By.CssSelector("input[placeholder='Value']")).SendKeys("Bearer " + ServerFixture.AdminToken);
        WaitFor(driver, "one Authorization header", OneAuthorizationHeader);

        // Monaco reads its hidden text area's input events; inserting the text avoids its auto-closing brackets.
        driver.FindElement(By.CssSelector(".monaco-editor[data-uri^='file:///operations/']")).Click();
        driver.ExecuteScript("document.execCommand('insertText', false, arguments[0])", document);

        // The IDE takes the editor's text into its document a moment later (its operation builder lists a query or
        // mutation then; for a subscription the editor shows its Run lens); a run before that sends no query.
        if (operationType == "Subscription")
        {
            WaitFor(driver, "the Run lens over the subscription", d => d.FindElements(By.CssSelector(".monaco-editor[data-uri^='file:///operations/'] .codelens-decoration a")).Count > 0);
        }
        else
        {
            WaitFor(driver, "the operation in the builder", d => d.FindElements(By.XPath($"//*[normalize-space()='{operationType}']")).Count > 0);
        }
    }

    /// <summary>
    /// Whether the header grid holds the Authorization row once. On a loaded machine the IDE once showed it twice (two
    /// rows with the same name and value, sent as one header "Bearer …, Bearer …", which is no token: the query ran as a
    /// visitor and failed validation). The extra rows are removed with their own button, as a user would, and false is
    /// returned so that the caller looks again.
    /// </summary>
    private static bool OneAuthorizationHeader(IWebDriver driver) => ((IJavaScriptExecutor)driver).ExecuteScript("""
        const names = [...document.querySelectorAll("input[placeholder='Name']")];
        const values = [...document.querySelectorAll("input[placeholder='Value']")];
        const rows = names.map((n, i) => i).filter(i => names[i].value === 'Authorization');
        for (const i of rows.slice(1).reverse()) {
            // The row's own remove button: the last button of the nearest element holding this row only.
            let row = names[i];
            while (row.parentElement && row.parentElement.querySelectorAll("input[placeholder='Name']").length === 1) row = row.parentElement;
            const buttons = row.querySelectorAll('button');
            if (buttons.length > 0) buttons[buttons.length - 1].click();
        }
        return rows.length === 1 && values[rows[0]] !== undefined && values[rows[0]].value.startsWith('Bearer ');
        """) is true;

    private static string? ResponseText(ChromeDriver driver)
        => driver.ExecuteScript("const e = document.querySelector(\".monaco-editor[data-uri^='inmemory://'] .view-lines\"); return e ? e.innerText : null;") as string;

    private async Task<JsonNode?> ApiAnswerAsync()
    {
        using var response = await server.Client().PostAsJsonAsync("/graphql", new { query = Query });
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    private ChromeDriver StartChromium()
    {
        var chromium = Environment.GetEnvironmentVariable("AG_CHROMIUM") ?? "/usr/bin/chromium";
        var chromedriver = Environment.GetEnvironmentVariable("AG_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
        Assert.True(File.Exists(chromium) && File.Exists(chromedriver),
            $"Chromium ({chromium}) or chromedriver ({chromedriver}) is not installed: apt-get install chromium chromium-driver (.ci/run does), or set AG_CHROMIUM and AG_CHROMEDRIVER.");

        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1200",
            "--user-data-dir=" + profile.FullName);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, Patience);
        driver.Manage().Timeouts().ImplicitWait = TimeSpan.FromSeconds(5);
        return driver;
    }

    public void Dispose()
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file Chromium still held: the temporary folder is the system's to clean.
        }
    }

    private static void WaitFor(ChromeDriver driver, string what, Func<ChromeDriver, bool> ready, Func<string>? seen = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            try
            {
                if (ready(driver))
                {
                    return;
                }
            }
            catch (WebDriverException)
            {
                // The page is reloading; ask again.
            }

            Thread.Sleep(250);
        }

        Assert.Fail($"Timed out after {Patience.TotalSeconds} s waiting for {what} at {driver.Url}{(seen is null ? "" : "; " + seen())}.");
    }

    private void Screenshot(ChromeDriver driver, string name = "banana-cake-pop.png")
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;
        var path = Path.Combine(folder, name);
        driver.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"Screenshot: {path}");
        Console.WriteLine($"Banana Cake Pop screenshot: {path}");
    }
}
