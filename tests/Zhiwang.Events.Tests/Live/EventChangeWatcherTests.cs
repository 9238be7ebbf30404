using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Live;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Live;

public sealed class EventChangeWatcherTests
{
    private static readonly TimeSpan Briefly = TimeSpan.FromMilliseconds(200);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_written_by_another_node_is_told_to_the_listeners_concerned_once(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var watched = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var other = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass(), placeIndex: 1));
        // The watcher shares nothing with the writers but the database, as on another server.
        var watcher = Watcher(fixture);
        using var listener = watcher.Listen(change => change.EventId == watched.EventId);
        await watcher.LookAsync(CancellationToken.None);
        await listener.WaitAsync(Briefly, CancellationToken.None);

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await fixture.ActAsync(other.EventId, EventAction.Take, EventsFixture.Handler(other.Department!, EventsFixture.Place(1).Grid.CommunityCode));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        (await watcher.LookAsync(CancellationToken.None)).ShouldBe(1, "the other event's take");
        (await listener.WaitAsync(Briefly, CancellationToken.None)).ShouldBeFalse("another event's change is not this listener's");

        await fixture.ActAsync(watched.EventId, EventAction.Take, EventsFixture.Handler(watched.Department!, EventsFixture.Place().Grid.CommunityCode));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        (await watcher.LookAsync(CancellationToken.None)).ShouldBe(1);
        (await listener.WaitAsync(Briefly, CancellationToken.None)).ShouldBeTrue();

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        (await watcher.LookAsync(CancellationToken.None)).ShouldBe(0, "the overlap reads the line again, and it is not told twice");
        (await listener.WaitAsync(Briefly, CancellationToken.None)).ShouldBeFalse();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_line_stamped_before_the_last_look_but_committed_after_it_is_still_told(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var watcher = Watcher(fixture);
        using var listener = watcher.Listen(change => change.EventId == receipt.EventId);
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await watcher.LookAsync(CancellationToken.None);

        // A transaction that started two seconds before that look and committed only now.
        fixture.Clock.Advance(TimeSpan.FromSeconds(-2));
        await fixture.ActAsync(receipt.EventId, EventAction.Take, EventsFixture.Handler(receipt.Department!, EventsFixture.Place().Grid.CommunityCode));
        fixture.Clock.Advance(TimeSpan.FromSeconds(3));

        (await watcher.LookAsync(CancellationToken.None)).ShouldBe(1);
        (await listener.WaitAsync(Briefly, CancellationToken.None)).ShouldBeTrue();
    }

    private static EventChangeWatcher Watcher(EventsFixture fixture) =>
        new(fixture.Database, fixture.Clock, Options.Create(new LiveOptions()), NullLogger<EventChangeWatcher>.Instance);
}
