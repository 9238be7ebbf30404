using Xunit;

namespace Zhiwang.Testing;

/// <summary>What the test run has: CI must have everything, a developer's machine may lack PostgreSQL or Chromium.</summary>
public static class TestEnvironment
{
    /// <summary>CI sets CI=true; there no database or browser test may skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>An administrator connection string for a PostgreSQL server the tests may create databases on.</summary>
    public static string? PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("ZHIWANG_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>Skips the calling test when <paramref name="available"/> is false, except on CI where that is a failure.</summary>
    public static void Require(bool available, string what)
    {
        if (available)
        {
            return;
        }

        if (IsCi)
        {
            throw new InvalidOperationException($"CI=true but {what} is not available; CI must run every database and browser test.");
        }

        Skip.If(true, $"{what} is not available on this machine.");
    }
}
