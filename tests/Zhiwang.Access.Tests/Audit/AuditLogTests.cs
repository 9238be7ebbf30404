using Dapper;
using Zhiwang.Access.Audit;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Access.Tests.Audit;

public sealed class AuditLogTests
{
    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_untouched_chain_verifies(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await AppendFiveAsync(access);

        var result = await access.Audit.VerifyAsync(CancellationToken.None);

        result.IsIntact.ShouldBeTrue(result.ToString());
        result.Entries.ShouldBe(5);
        result.BrokenAt.ShouldBeNull();
        var latest = await access.Audit.LatestAsync(5, CancellationToken.None);
        result.HeadHash.ShouldBe(latest[0].Hash);
        latest.Select(e => e.Seq).ShouldBe([5L, 4L, 3L, 2L, 1L]);
        latest[^1].PrevHash.ShouldBe(AuditLog.Genesis);
        latest[0].PrevHash.ShouldBe(latest[1].Hash);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_empty_log_verifies(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);

        var result = await access.Audit.VerifyAsync(CancellationToken.None);

        result.IsIntact.ShouldBeTrue();
        result.Entries.ShouldBe(0);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Logins_failed_logins_and_creations_are_audited(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var user = await access.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "admin", CancellationToken.None);
        await access.Users.SignInAsync("wang.fang", user.Password, CancellationToken.None);
        await access.Users.SignInAsync("wang.fang", "wrong", CancellationToken.None);
        await access.Clients.CreateAsync("hotline", [Grants.Open311], "admin", CancellationToken.None);

        var entries = await access.Audit.LatestAsync(10, CancellationToken.None);

        entries.Select(e => e.Action).Reverse().ShouldBe(["user.create", "login", "login.failed", "client.create"]);
        entries[^1].Actor.ShouldBe("admin");
        entries[^1].Target.ShouldBe("user:wang.fang");
        entries.ShouldAllBe(e => e.At == access.Clock.Now);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_database_refuses_to_update_or_delete_an_entry(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await AppendFiveAsync(access);
        await using var connection = await access.Database.OpenConnectionAsync(CancellationToken.None);

        var update = await Should.ThrowAsync<System.Data.Common.DbException>(() =>
            connection.ExecuteAsync("UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = 3"));
        var delete = await Should.ThrowAsync<System.Data.Common.DbException>(() =>
            connection.ExecuteAsync("DELETE FROM audit_entry WHERE seq = 3"));

        update.Message.ShouldContain("append-only");
        delete.Message.ShouldContain("append-only");
        (await access.Audit.VerifyAsync(CancellationToken.None)).IsIntact.ShouldBeTrue();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Altering_one_entry_is_reported_at_exactly_that_entry(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await AppendFiveAsync(access);
        await using (var connection = await access.Database.OpenConnectionAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(DropTrigger(provider, "audit_entry_no_update"));
            await connection.ExecuteAsync("UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = 3");
        }

        var result = await access.Audit.VerifyAsync(CancellationToken.None);

        result.IsIntact.ShouldBeFalse();
        result.BrokenAt.ShouldBe(3);
        result.Reason!.ShouldContain("altered");
        result.Entries.ShouldBe(2);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Altering_an_entry_and_rehashing_it_breaks_the_next_link(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await AppendFiveAsync(access);
        var third = (await access.Audit.LatestAsync(5, CancellationToken.None)).Single(e => e.Seq == 3);
        var forged = AuditLog.ComputeHash(third.PrevHash, 3, Instant.Format(third.At), third.Actor, third.Action, third.Target, third.Purpose, "nothing happened");
        await using (var connection = await access.Database.OpenConnectionAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(DropTrigger(provider, "audit_entry_no_update"));
            await connection.ExecuteAsync("UPDATE audit_entry SET detail = 'nothing happened', hash = @forged WHERE seq = 3", new { forged });
        }

        var result = await access.Audit.VerifyAsync(CancellationToken.None);

        result.BrokenAt.ShouldBe(4);
        result.Reason!.ShouldContain("does not link");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deleting_one_entry_is_reported_at_exactly_that_entry(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        await AppendFiveAsync(access);
        await using (var connection = await access.Database.OpenConnectionAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(DropTrigger(provider, provider == DatabaseProvider.Sqlite ? "audit_entry_no_delete" : "audit_entry_no_update"));
            await connection.ExecuteAsync("DELETE FROM audit_entry WHERE seq = 3");
        }

        var result = await access.Audit.VerifyAsync(CancellationToken.None);

        result.IsIntact.ShouldBeFalse();
        result.BrokenAt.ShouldBe(3);
        result.Reason!.ShouldContain("missing");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_appends_never_fork_the_chain(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);

        await Task.WhenAll(Enumerable.Range(1, 24).Select(i =>
            Task.Run(() => access.Audit.AppendAsync(new AuditRecord("worker" + (i % 4), "person.read", "person:" + i, "case 12345-" + i), CancellationToken.None))));

        var result = await access.Audit.VerifyAsync(CancellationToken.None);
        result.IsIntact.ShouldBeTrue(result.ToString());
        result.Entries.ShouldBe(24);
    }

    [Fact]
    public void The_hash_separates_fields_so_moving_text_between_them_changes_it()
    {
        var a = AuditLog.ComputeHash(AuditLog.Genesis, 1, "t", "ab", "c", null, null, null);
        var b = AuditLog.ComputeHash(AuditLog.Genesis, 1, "t", "a", "bc", null, null, null);
        var c = AuditLog.ComputeHash(AuditLog.Genesis, 1, "t", "ab", "c", "", null, null);

        a.ShouldNotBe(b);
        a.ShouldNotBe(c);
        a.Length.ShouldBe(64);
    }

    private static string DropTrigger(DatabaseProvider provider, string trigger) =>
        provider == DatabaseProvider.Sqlite ? $"DROP TRIGGER {trigger}" : $"DROP TRIGGER {trigger} ON audit_entry";

    private static async Task AppendFiveAsync(AccessFixture access)
    {
        for (var i = 1; i <= 5; i++)
        {
            await access.Audit.AppendAsync(
                new AuditRecord("wang.fang", "person.read", "person:44030419900101" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), "verify address", i % 2 == 0 ? null : "{\"fields\":[\"phone\"]}"),
                CancellationToken.None);
            access.Clock.Advance(TimeSpan.FromSeconds(1.2345678));
        }
    }
}
