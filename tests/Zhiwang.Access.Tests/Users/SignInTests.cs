using Zhiwang.Access.Users;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Access.Tests.Users;

public sealed class SignInTests
{
    private const string Futian = "440304";

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_user_signs_in_with_the_generated_password(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        var result = await access.Users.SignInAsync("wang.fang", created.Password, CancellationToken.None);

        result.Outcome.ShouldBe(SignInOutcome.Succeeded);
        result.User.ShouldBe(created.User, new UserComparer());
        result.User!.Roles.ShouldBe([Roles.GridWorker]);
        result.User.Scope.ShouldBe(Futian);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_wrong_password_or_unknown_name_fails(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        (await access.Users.SignInAsync("wang.fang", created.Password + "x", CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
        (await access.Users.SignInAsync("li.lei", created.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
        (await access.Users.SignInAsync("WANG.FANG", created.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Five_failed_sign_ins_lock_the_account_for_fifteen_minutes(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        for (var i = 1; i <= 4; i++)
        {
            (await access.Users.SignInAsync("wang.fang", "guess" + i, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
        }

        var fifth = await access.Users.SignInAsync("wang.fang", "guess5", CancellationToken.None);
        fifth.Outcome.ShouldBe(SignInOutcome.LockedOut);
        fifth.LockedUntil.ShouldBe(access.Clock.Now + TimeSpan.FromMinutes(15));

        // Locked: even the right password is refused.
        access.Clock.Advance(TimeSpan.FromMinutes(14));
        (await access.Users.SignInAsync("wang.fang", created.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.LockedOut);
        (await access.Users.ListAsync(CancellationToken.None)).Single().LockedOut.ShouldBeTrue();

        access.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await access.Users.SignInAsync("wang.fang", created.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Succeeded);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_successful_sign_in_resets_the_failure_count(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        for (var i = 0; i < 4; i++)
        {
            await access.Users.SignInAsync("wang.fang", "guess", CancellationToken.None);
        }

        (await access.Users.SignInAsync("wang.fang", created.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Succeeded);
        (await access.Users.SignInAsync("wang.fang", "guess", CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Passwords_are_stored_only_as_hashes(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        var stored = await TableText.AllAsync(access.Database, "app_user");

        stored.ShouldNotContain(created.Password);
        created.Password.Length.ShouldBeGreaterThanOrEqualTo(20);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task First_run_creates_one_administrator_with_a_random_password_and_only_once(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);

        var admin = await access.Users.EnsureAdministratorAsync(CancellationToken.None);
        var again = await access.Users.EnsureAdministratorAsync(CancellationToken.None);

        admin.ShouldNotBeNull();
        admin.User.Name.ShouldBe("admin");
        admin.User.Roles.ShouldBe([Roles.Administrator]);
        admin.User.Scope.ShouldBe("440300");
        again.ShouldBeNull();
        (await access.Users.SignInAsync("admin", admin.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Succeeded);
        (await access.Users.SignInAsync("admin", "admin", CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_user_needs_known_roles_an_existing_scope_and_a_free_name(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        await Should.ThrowAsync<ArgumentException>(() => access.Users.CreateAsync("li.lei", ["janitor"], Futian, "test", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => access.Users.CreateAsync("li.lei", [], Futian, "test", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => access.Users.CreateAsync("li.lei", [Roles.Supervisor], "440399", "test", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => access.Users.CreateAsync("li lei", [Roles.Supervisor], Futian, "test", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => access.Users.CreateAsync("wang.fang", [Roles.Supervisor], Futian, "test", CancellationToken.None));
        (await access.Users.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_name_no_user_could_have_fails_without_writing_anything(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);
        var before = await access.Audit.VerifyAsync(CancellationToken.None);

        string[] names = [new string('x', 65), new string('x', 1_000_000), "wang fang", "wang.fang\n", "   ", "wang\u0000fang"];
        foreach (var name in names)
        {
            (await access.Users.SignInAsync(name, "secret", CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);
        }

        (await access.Audit.VerifyAsync(CancellationToken.None)).Entries.ShouldBe(before.Entries);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unknown_name_is_audited_only_as_a_digest(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        // Someone typed their password into the name field: it must not be kept forever in the audit log.
        const string typedName = "Tr0ub4dor&3";
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(typedName)))[..16];

        (await access.Users.SignInAsync(typedName, "secret", CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.Failed);

        var entry = (await access.Audit.LatestAsync(1, CancellationToken.None)).Single();
        entry.Action.ShouldBe("login.failed");
        entry.Target.ShouldBe("unknown-user:" + digest);
        (await TableText.AllAsync(access.Database, "audit_entry")).ShouldNotContain(typedName);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failed_sign_in_of_an_existing_user_is_audited_by_name(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        await access.Users.SignInAsync("wang.fang", "guess", CancellationToken.None);

        var entry = (await access.Audit.LatestAsync(1, CancellationToken.None)).Single();
        entry.ShouldSatisfyAllConditions(
            e => e.Actor.ShouldBe("wang.fang"),
            e => e.Action.ShouldBe("login.failed"),
            e => e.Target.ShouldBe("user:wang.fang"),
            e => e.Detail.ShouldBe("wrong password (1 in a row)"));
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_failed_sign_ins_all_count_towards_the_lockout(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], Futian, "test", CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, UserAccounts.MaxFailedSignIns).Select(i =>
            Task.Run(() => access.Users.SignInAsync("wang.fang", "guess" + i, CancellationToken.None))));

        outcomes.Count(o => o.Outcome == SignInOutcome.LockedOut).ShouldBe(1);
        (await access.Users.SignInAsync("wang.fang", created.Password, CancellationToken.None)).Outcome.ShouldBe(SignInOutcome.LockedOut);
        (await access.Audit.VerifyAsync(CancellationToken.None)).IsIntact.ShouldBeTrue();
    }

    private sealed class UserComparer : IEqualityComparer<User?>
    {
        public bool Equals(User? x, User? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Scope == y.Scope && x.Roles.SequenceEqual(y.Roles);

        public int GetHashCode(User? obj) => obj?.Name.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
