namespace Zhiwang.Cli.Tests;

public sealed class DatabaseErrorTests
{
    [Fact]
    public async Task An_unreachable_postgresql_exits_2_with_one_line_naming_it()
    {
        var run = await CliRun.RunAsync("--db", "Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2", "db", "migrate");

        run.ExitCode.ShouldBe(2);
        run.ErrorLines.Count.ShouldBe(1);
        run.Error.ShouldContain("PostgreSQL");
        run.Error.ShouldContain("127.0.0.1:1");
        run.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_bad_keyword_in_the_connection_string_exits_2_naming_it()
    {
        var run = await CliRun.RunAsync("--db", "Hots=x", "db", "migrate");

        run.ExitCode.ShouldBe(2);
        run.ErrorLines.Count.ShouldBe(1);
        run.Error.ShouldContain("hots", Case.Insensitive);
        run.Error.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("users", "add", "--name", "wang.fang", "--role", "grid_worker", "--scope", "440304")]
    [InlineData("clients", "add", "--name", "hotline", "--grant", "open311")]
    public async Task Every_database_command_reports_an_unreachable_database_the_same_way(params string[] args)
    {
        var run = await CliRun.RunAsync(["--db", "Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2", .. args]);

        run.ExitCode.ShouldBe(2);
        run.ErrorLines.Count.ShouldBe(1);
        run.Error.ShouldContain("PostgreSQL");
    }
}
