namespace Zhiwang.Server.Tests.Browser;

/// <summary>
/// A browser test, run with Debian's Chromium. Without /usr/bin/chromium it is skipped on a developer's
/// machine; on CI (CI=true) it runs anyway and fails, saying what to install.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && !IsCi)
        {
            Skip = $"{ChromiumPath} is missing (apt-get install -y chromium fonts-noto-cjk); CI=true makes this a failure.";
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
