using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Zhiwang.Events.Intake;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Intake;

public sealed class FirstStatisticsTests
{
    [SkippableFact]
    public async Task A_new_events_table_is_analyzed_once_its_first_events_are_stored_and_only_then()
    {
        // The migrations analyzed the table while it was empty.
        await using var fixture = await EventsFixture.CreateAsync(DatabaseProvider.PostgreSql);
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        var empty = await LastAnalyzeAsync();
        for (var i = 0; i < 3; i++)
        {
            await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass(), placeIndex: i));
        }

        var statistics = new FirstStatistics(fixture.Database, NullLogger.Instance, after: 3);
        statistics.Stored(2);
        statistics.Analysis.ShouldBeNull();
        statistics.Stored(1);
        await statistics.Analysis.ShouldNotBeNull();
        var analyzed = await LastAnalyzeAsync();

        analyzed.ShouldNotBeNull();
        analyzed.ShouldNotBe(empty);
        // Once per server, and never over statistics that describe the table.
        statistics.Stored(100);
        var again = new FirstStatistics(fixture.Database, NullLogger.Instance, after: 3);
        again.Stored(3);
        await again.Analysis.ShouldNotBeNull();
        (await LastAnalyzeAsync()).ShouldBe(analyzed);

        Task<DateTime?> LastAnalyzeAsync() =>
            connection.ExecuteScalarAsync<DateTime?>("SELECT last_analyze FROM pg_stat_user_tables WHERE relid = 'event'::regclass");
    }
}
