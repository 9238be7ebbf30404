using Zhiwang.Access.Audit;
using Zhiwang.Access.Clients;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Access.Tests.Clients;

public sealed class ApiClientTests
{
    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_key_is_accepted_and_carries_its_grants(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Clients.CreateAsync("市公安局 Public Security", [Grants.VerifyAll, Grants.Open311], "test", CancellationToken.None);

        var client = await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None);

        client.ShouldNotBeNull();
        client.Name.ShouldBe("市公安局 Public Security");
        client.KeyId.ShouldBe(created.Client.KeyId);
        client.Grants.ShouldBe([Grants.VerifyAll, Grants.Open311]);
        Grants.Allows(client.Grants, "verify:person").ShouldBeTrue();
        Grants.Allows(client.Grants, "lookup:person").ShouldBeFalse();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_wrong_secret_an_unknown_key_or_a_malformed_key_is_refused(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);
        var other = await access.Clients.CreateAsync("housing", [Grants.Open311], "test", CancellationToken.None);

        (await access.Clients.AuthenticateAsync(created.Client.KeyId + "." + other.Secret, CancellationToken.None)).ShouldBeNull();
        (await access.Clients.AuthenticateAsync(created.ApiKey + "x", CancellationToken.None)).ShouldBeNull();
        (await access.Clients.AuthenticateAsync("zw_0000000000000000." + created.Secret, CancellationToken.None)).ShouldBeNull();
        (await access.Clients.AuthenticateAsync(created.Secret, CancellationToken.None)).ShouldBeNull();
        (await access.Clients.AuthenticateAsync(created.Client.KeyId + ".", CancellationToken.None)).ShouldBeNull();
        (await access.Clients.AuthenticateAsync("", CancellationToken.None)).ShouldBeNull();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_revoked_client_is_refused(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);

        (await access.Clients.RevokeAsync(created.Client.KeyId, "test", CancellationToken.None)).ShouldBeTrue();

        (await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldBeNull();
        (await access.Clients.ListAsync(CancellationToken.None)).Single().Revoked.ShouldBeTrue();
        (await access.Clients.RevokeAsync(created.Client.KeyId, "test", CancellationToken.None)).ShouldBeFalse();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_revocation_while_a_request_reads_the_key_is_not_undone_by_that_read(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);
        var rowRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var revoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        access.Clients.AfterKeyRowRead = async _ =>
        {
            rowRead.SetResult();
            await revoked.Task;
        };

        // A request reads the key's row (not yet revoked) and is held before it remembers the row.
        var inFlight = access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None);
        await rowRead.Task.WaitAsync(TimeSpan.FromSeconds(30));
        (await access.Clients.RevokeAsync(created.Client.KeyId, "test", CancellationToken.None)).ShouldBeTrue();
        access.Clients.AfterKeyRowRead = null;
        revoked.SetResult();
        // It began before the revocation, so it may still pass; what it read must not outlive the revocation.
        await inFlight;

        (await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldBeNull();
        access.Clock.Advance(ApiClients.RecheckAfter);
        (await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldBeNull();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_key_revoked_elsewhere_is_refused_once_it_is_reread(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);
        (await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldNotBeNull();

        // Another node (or the CLI) revokes the key in the database; this one still holds the row it read.
        var otherNode = new ApiClients(access.Database, new AuditLog(access.Database, access.Clock), access.Clock);
        (await otherNode.RevokeAsync(created.Client.KeyId, "test", CancellationToken.None)).ShouldBeTrue();
        (await otherNode.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldBeNull();

        access.Clock.Advance(ApiClients.RecheckAfter - TimeSpan.FromSeconds(1));
        (await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldNotBeNull();
        access.Clock.Advance(TimeSpan.FromSeconds(1));
        (await access.Clients.AuthenticateAsync(created.ApiKey, CancellationToken.None)).ShouldBeNull();

        // A wrong secret for a known key is refused from the remembered row too.
        (await access.Clients.AuthenticateAsync(created.Client.KeyId + ".wrong", CancellationToken.None)).ShouldBeNull();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Client_secrets_are_stored_only_as_sha256(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);
        var created = await access.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);

        var stored = await TableText.AllAsync(access.Database, "api_client");
        var audit = await TableText.AllAsync(access.Database, "audit_entry");

        stored.ShouldNotContain(created.Secret);
        audit.ShouldNotContain(created.Secret);
        stored.ShouldContain(ApiClients.HashSecret(created.Secret));
        Convert.FromBase64String(created.Secret.Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_needs_well_formed_grants(DatabaseProvider provider)
    {
        await using var access = await AccessFixture.CreateAsync(provider);

        await Should.ThrowAsync<ArgumentException>(() => access.Clients.CreateAsync("x", [], "test", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => access.Clients.CreateAsync("x", ["Verify Person"], "test", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => access.Clients.CreateAsync("x", ["*"], "test", CancellationToken.None));
    }

    [Theory]
    [InlineData("verify:*", "verify:person", true)]
    [InlineData("verify:*", "verify", false)]
    [InlineData("verify:*", "verifyx:person", false)]
    [InlineData("verify:person", "verify:person", true)]
    [InlineData("verify:person", "verify:house", false)]
    [InlineData("open311", "open311", true)]
    public void A_wildcard_grant_covers_what_lies_under_its_prefix(string held, string needed, bool allowed)
    {
        Grants.Allows([held], needed).ShouldBe(allowed);
    }
}
