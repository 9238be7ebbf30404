using Microsoft.Playwright;

namespace Zhiwang.Server.Tests.Browser;

/// <summary>Debian's Chromium for the browser tests, launched the same way by each, and a page's errors watched.</summary>
public static class Chromium
{
    /// <summary>Headless Chromium, without the sandbox (CI runs as root) and without anything that reaches the network.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        File.Exists(ChromiumFactAttribute.ChromiumPath).ShouldBeTrue(
            $"CI=true but {ChromiumFactAttribute.ChromiumPath} is missing: install Debian's chromium and fonts-noto-cjk (apt-get install -y chromium fonts-noto-cjk).");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// What goes wrong on <paramref name="page"/> from now on: script errors, console errors and answers of 400 or more,
    /// for the test to assert empty at its end.
    /// </summary>
    public static List<string> WatchErrors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            // The sign-in page names no icon, so Chromium asks for /favicon.ico, which is not public: not this page's fault.
            if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        return errors;
    }
}
