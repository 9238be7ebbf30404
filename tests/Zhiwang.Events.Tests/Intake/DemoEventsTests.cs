using Dapper;
using Zhiwang.Events.Demo;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Intake;

public sealed class DemoEventsTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_demo_reports_events_through_the_real_intake_moves_some_along_and_seeding_again_adds_nothing(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var demo = new DemoEvents(fixture.Intake, fixture.Workflow, fixture.Catalogues, CityMap.Shenzhen);

        var first = await demo.SeedAsync(60, seed: 7, CancellationToken.None);
        var again = await demo.SeedAsync(60, seed: 7, CancellationToken.None);

        first.ShouldBe(60);
        again.ShouldBe(0);
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        var states = (await connection.QueryAsync<string>("SELECT state FROM event")).ToList();
        states.Count.ShouldBe(60);
        states.ShouldContain("dispatched");
        states.ShouldContain("in_handling");
        states.ShouldContain("closed");
    }
}
