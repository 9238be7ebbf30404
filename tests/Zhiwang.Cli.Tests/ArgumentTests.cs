namespace Zhiwang.Cli.Tests;

public sealed class ArgumentTests
{
    [Fact]
    public async Task Help_lists_the_commands_and_the_global_options()
    {
        var run = await CliRun.RunAsync("--help");

        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("Usage:");
        run.Output.ShouldContain("--db");
        run.Output.ShouldContain("--data-dir");
        foreach (var command in new[] { "db", "audit", "users", "clients", "generate" })
        {
            run.Output.ShouldContain(command);
        }
    }

    [Theory]
    [InlineData("users", "add", "--help")]
    [InlineData("clients", "add", "--help")]
    [InlineData("db", "migrate", "--help")]
    [InlineData("audit", "verify", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("Usage:");
        run.Output.ShouldContain("--db");
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("frobnicate")]
    [InlineData("users", "add", "--name", "wang.fang")]
    [InlineData("users", "add", "--name", "wang.fang", "--role", "janitor", "--scope", "440304")]
    [InlineData("clients", "add", "--name", "hotline")]
    [InlineData("clients", "revoke")]
    public async Task Bad_arguments_print_usage_and_exit_non_zero(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        run.ExitCode.ShouldNotBe(0);
        run.Output.ShouldContain("Usage:");
        run.Error.ShouldNotBeEmpty();
        run.Error.ShouldNotContain("   at ");
    }
}
