using Zhiwang.Access.Audit;
using Zhiwang.Access.Clients;
using Zhiwang.Access.Users;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Cli.Tests;

public sealed class DatabaseCommandTests
{
    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Db_migrate_applies_every_module_once_and_says_what_it_applied(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        var first = await CliRun.RunAsync("--db", test.Database.ConnectionString, "db", "migrate");
        var second = await CliRun.RunAsync("--db", test.Database.ConnectionString, "db", "migrate");

        first.ExitCode.ShouldBe(0, first.Error);
        first.Output.ShouldContain("applied access 0001_access");
        second.ExitCode.ShouldBe(0, second.Error);
        second.Output.ShouldContain("Up to date");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Users_add_prints_the_password_last_and_the_user_can_sign_in_with_it(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        var run = await CliRun.RunAsync(
            "--db", test.Database.ConnectionString, "users", "add", "--name", "wang.fang", "--role", "grid_worker", "--role", "supervisor", "--scope", "440304");

        run.ExitCode.ShouldBe(0, run.Error);
        var password = run.OutputLines[^1];
        var users = new UserAccounts(test.Database, new AuditLog(test.Database, TimeProvider.System), TimeProvider.System);
        var signIn = await users.SignInAsync("wang.fang", password, CancellationToken.None);
        signIn.Outcome.ShouldBe(SignInOutcome.Succeeded);
        signIn.User!.Roles.ShouldBe(["grid_worker", "supervisor"]);
        signIn.User.Scope.ShouldBe("440304");
        run.Output.Split(password).Length.ShouldBe(2, "the password is printed exactly once");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Users_add_refuses_a_scope_that_is_not_a_division(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        var run = await CliRun.RunAsync("--db", test.Database.ConnectionString, "users", "add", "--name", "x", "--role", "grid_worker", "--scope", "999999");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("999999");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Clients_add_prints_the_api_key_last_and_it_is_accepted_until_revoked(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        var run = await CliRun.RunAsync("--db", test.Database.ConnectionString, "clients", "add", "--name", "hotline", "--grant", "open311", "--grant", "verify:*");

        run.ExitCode.ShouldBe(0, run.Error);
        var apiKey = run.OutputLines[^1];
        // The server's view of the keys, on a clock the test moves: it rereads a key at most every RecheckAfter.
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var clients = new ApiClients(test.Database, new AuditLog(test.Database, clock), clock);
        var client = await clients.AuthenticateAsync(apiKey, CancellationToken.None);
        client.ShouldNotBeNull();
        client.Grants.ShouldBe(["open311", "verify:*"]);

        var revoke = await CliRun.RunAsync("--db", test.Database.ConnectionString, "clients", "revoke", client.KeyId);
        revoke.ExitCode.ShouldBe(0, revoke.Error);
        clock.Advance(ApiClients.RecheckAfter);
        (await clients.AuthenticateAsync(apiKey, CancellationToken.None)).ShouldBeNull();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Audit_verify_prints_ok_with_the_entry_count(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await CliRun.RunAsync("--db", test.Database.ConnectionString, "users", "add", "--name", "a", "--role", "grid_worker", "--scope", "440304");
        await CliRun.RunAsync("--db", test.Database.ConnectionString, "clients", "add", "--name", "b", "--grant", "open311");

        var run = await CliRun.RunAsync("--db", test.Database.ConnectionString, "audit", "verify");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldStartWith("OK: 2 audit entries");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Audit_verify_exits_1_naming_the_first_broken_link(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        for (var i = 0; i < 3; i++)
        {
            await CliRun.RunAsync("--db", test.Database.ConnectionString, "clients", "add", "--name", "client" + i, "--grant", "open311");
        }

        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = provider == DatabaseProvider.Sqlite
                ? "DROP TRIGGER audit_entry_no_update; UPDATE audit_entry SET actor = 'nobody' WHERE seq = 2"
                : "DROP TRIGGER audit_entry_no_update ON audit_entry; UPDATE audit_entry SET actor = 'nobody' WHERE seq = 2";
            await command.ExecuteNonQueryAsync();
        }

        var run = await CliRun.RunAsync("--db", test.Database.ConnectionString, "audit", "verify");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("seq 2");
    }
}
