using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Api;

/// <summary>
/// At start, after the host has migrated every module: loads the event catalogue (saving the built-in one on an empty
/// database), and warns when this year or the next has no published holiday schedule, so deadlines there count weekends only.
/// </summary>
internal sealed class EventsStartup(CatalogueStore catalogues, BusinessCalendar calendar, TimeProvider time, ILogger<EventsStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var catalogue = await catalogues.LoadAsync(cancellationToken);
        logger.LogInformation("Event catalogue version {Version}: {Classes} classes, {Rules} dispatch rules", catalogue.Version, catalogue.Classes.Count, catalogue.Rules.Count);
        var year = time.GetUtcNow().ToOffset(BusinessCalendar.ChinaOffset).Year;
        foreach (var unknown in new[] { year, year + 1 }.Where(y => !calendar.Knows(y)))
        {
            logger.LogWarning(
                "The business calendar has no holiday schedule for {Year}: deadlines in {Year} count weekends only. Add it under {Section}:Years:{Year} once the State Council publishes it.",
                unknown, unknown, CalendarOptions.Section, unknown);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
