using System.Diagnostics;

namespace Zhiwang.Server.Tests.Platform;

/// <summary>The real server process, started with a database it cannot use, says why in one line and exits 2.</summary>
public sealed class DatabaseStartupErrorTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunServerAsync(string connectionString)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Zhiwang.Server.dll");
        var start = new ProcessStartInfo("dotnet", [server, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("zhiwang-startup-").FullName,
        };
        start.Environment["ConnectionStrings__Zhiwang"] = connectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Theory]
    [InlineData("Hots=localhost;Username=x", "Bad PostgreSQL connection string: unknown keyword 'hots'")]
    [InlineData("Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=3", "Cannot open the database (PostgreSQL at 127.0.0.1:1/x)")]
    public async Task A_bad_or_unreachable_database_stops_the_server_with_one_line_and_exit_code_2(string connectionString, string expected)
    {
        var (exitCode, output, error) = await RunServerAsync(connectionString);

        exitCode.ShouldBe(2);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, $"stderr was: {error}");
        lines[0].ShouldStartWith("zhiwang: " + expected);
        (output + error).ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
    }
}
