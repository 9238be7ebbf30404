using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Zhiwang.Access;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Deadlines;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Intake;
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
    /// intake, workflow, supervision, queries and the deadline sweep. The host registers the <c>Database</c> and the
    /// Access module, migrates this module's tables and calls <see cref="CatalogueStore.LoadAsync"/> before it starts.
    /// </summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CityMap.Shenzhen);
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section);
        services.AddOptions<HandlingOptions>().BindConfiguration(HandlingOptions.Section);
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section);
        services.TryAddSingleton(_ => BusinessCalendar.FromOptions(configuration.GetSection(CalendarOptions.Section).Get<CalendarOptions>()));
        services.TryAddSingleton<CatalogueStore>();
        services.TryAddSingleton<DispatchPlanner>();
        services.TryAddSingleton<EventIntake>();
        services.TryAddSingleton<EventWorkflow>();
        services.TryAddSingleton<SupervisionOrders>();
        services.TryAddSingleton<EventQueries>();
        services.TryAddSingleton<DeadlineSweep>();
        services.AddHostedService<EventsStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<DeadlineSweep>());
        services.AddAuthorizationBuilder().AddPolicy(ReportPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context =>
                context.User.IsInRole(Roles.GridWorker) || context.User.IsInRole(Roles.Dispatcher)
                || Grants.Allows(context.User.GrantsOf(), ReportGrant)));
        return services;
    }
}
