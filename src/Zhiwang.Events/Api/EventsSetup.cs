using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Zhiwang.Access;
using Zhiwang.Events.Assessment;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Deadlines;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Intake;
using Zhiwang.Events.Live;
using Zhiwang.Events.Photos;
using Zhiwang.Events.Queries;
using Zhiwang.Events.Supervision;
using Zhiwang.Geo;

namespace Zhiwang.Events.Api;

/// <summary>The Events module's entry point in services: <c>AddEvents</c>; its endpoints: <see cref="EventsApi.MapEventsApi"/>.</summary>
public static class EventsSetup
{
    /// <summary>A department system may report events with this grant; grid workers and dispatchers report as users.</summary>
    public const string ReportGrant = "events:report";

    public const string ReportPolicy = "events:report";

    /// <summary>
    /// The catalogue store, business calendar (China's holidays plus any years in <c>Zhiwang:Events:Calendar</c>),
    /// intake, workflow, supervision, queries, the deadline sweep and the change watcher the live pages listen to. The
    /// host registers the <c>Database</c>, the Access module and what intake asks of the master data hub
    /// (<see cref="IAddressBase"/>, <see cref="IGoldenRecords"/>),
    /// migrates this module's tables and calls <see cref="CatalogueStore.LoadAsync"/> before it starts.
    /// </summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CityMap.Shenzhen);
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section);
        services.AddOptions<HandlingOptions>().BindConfiguration(HandlingOptions.Section);
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section);
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section);
        services.TryAddSingleton(_ => BusinessCalendar.FromOptions(configuration.GetSection(CalendarOptions.Section).Get<CalendarOptions>()));
        services.TryAddSingleton<CatalogueStore>();
        services.TryAddSingleton<DispatchPlanner>();
        services.TryAddSingleton<EventIntake>();
        services.TryAddSingleton<EventWorkflow>();
        services.TryAddSingleton<SupervisionOrders>();
        services.TryAddSingleton<EventQueries>();
        services.TryAddSingleton<DeadlineSweep>();
        services.TryAddSingleton<EventChangeWatcher>();
        services.TryAddSingleton<EventPhotos>();
        services.TryAddSingleton<OpinionImport>();
        services.TryAddSingleton<Demo.DemoEvents>();
        services.TryAddSingleton<AssessmentQuery>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Residents following their events need no account; per address, a few requests a second is plenty.
            options.AddPolicy(ReporterApi.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) }));
        });
        services.AddHostedService<EventsStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<DeadlineSweep>());
        services.AddHostedService(provider => provider.GetRequiredService<EventChangeWatcher>());
        services.AddAuthorizationBuilder().AddPolicy(ReportPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context =>
                context.User.IsInRole(Roles.GridWorker) || context.User.IsInRole(Roles.Dispatcher)
                || Grants.Allows(context.User.GrantsOf(), ReportGrant)));
        services.AddAuthorizationBuilder().AddPolicy(EventsApi.AssessmentPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.ScopeOf() is not null
                && (context.User.IsInRole(Roles.Supervisor) || context.User.IsInRole(Roles.DecisionMaker) || context.User.IsInRole(Roles.Administrator))));
        return services;
    }
}
