using Zhiwang.Access.Audit;
using Zhiwang.Access.Clients;
using Zhiwang.Access.Users;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Access.Tests;

/// <summary>A fresh database with the Access tables, and the module's services over it.</summary>
public sealed class AccessFixture : IAsyncDisposable
{
    private AccessFixture(TestDatabase test, ManualClock clock)
    {
        Test = test;
        Clock = clock;
        Audit = new AuditLog(test.Database, clock);
        Users = new UserAccounts(test.Database, Audit, clock);
        Clients = new ApiClients(test.Database, Audit, clock);
    }

    public TestDatabase Test { get; }

    public Database Database => Test.Database;

    public ManualClock Clock { get; }

    public AuditLog Audit { get; }

    public UserAccounts Users { get; }

    public ApiClients Clients { get; }

    public static async Task<AccessFixture> CreateAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
        await test.Database.MigrateAsync([typeof(AccessSetup).Assembly], clock, CancellationToken.None);
        return new AccessFixture(test, clock);
    }

    public ValueTask DisposeAsync() => Test.DisposeAsync();
}
