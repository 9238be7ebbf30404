using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Deadlines;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Intake;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Queries;
using Zhiwang.Events.Supervision;
using Zhiwang.Events.Tests.Intake;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests;

/// <summary>A fresh database with the Access and Events tables, and the Events services over it, on a clock the test moves.</summary>
public sealed class EventsFixture : IAsyncDisposable
{
    // Tuesday 24 November 2026, 09:30 in Shenzhen: an ordinary working morning.
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 1, 30, 0, TimeSpan.Zero);

    private EventsFixture(TestDatabase test, ManualClock clock, CatalogueStore catalogues)
    {
        Test = test;
        Clock = clock;
        Catalogues = catalogues;
        Planner = new DispatchPlanner(BusinessCalendar.China);
        Intake = new EventIntake(test.Database, Planner, GoldenRecords, clock, Options.Create(new IntakeOptions()), NullLogger<EventIntake>.Instance);
        Workflow = new EventWorkflow(test.Database, catalogues, Planner, clock, Options.Create(new HandlingOptions()));
        Supervision = new SupervisionOrders(test.Database, BusinessCalendar.China, clock);
        Queries = new EventQueries(test.Database, clock);
        Sweep = new DeadlineSweep(test.Database, Workflow, catalogues, clock, Options.Create(new SweepOptions()), NullLogger<DeadlineSweep>.Instance);
    }

    public TestDatabase Test { get; }

    /// <summary>The golden records intake checks links against; a test adds the ones it links to.</summary>
    public FakeGoldenRecords GoldenRecords { get; } = new();

    public Database Database => Test.Database;

    public ManualClock Clock { get; }

    public CatalogueStore Catalogues { get; }

    public DispatchPlanner Planner { get; }

    public EventIntake Intake { get; }

    public EventWorkflow Workflow { get; }

    public SupervisionOrders Supervision { get; }

    public EventQueries Queries { get; }

    public DeadlineSweep Sweep { get; }

    public EventCatalogue Catalogue => Catalogues.Current;

    public static async Task<EventsFixture> CreateAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        var clock = new ManualClock(Start);
        await test.Database.MigrateAsync([typeof(AccessSetup).Assembly, typeof(EventIntake).Assembly], clock, CancellationToken.None);
        var catalogues = new CatalogueStore(test.Database, new AuditLog(test.Database, clock), clock);
        await catalogues.LoadAsync(CancellationToken.None);
        return new EventsFixture(test, clock, catalogues);
    }

    /// <summary>The first normal-urgency class of <paramref name="kind"/> that dispatch sends to a community, not of an "other" group.</summary>
    public EventClass CommunityClass(EventKind kind = EventKind.Dispute) =>
        Catalogue.Classes.First(c => c.Kind == kind && c.Urgency == Urgency.Normal && c.StartLevel == Level.Community
            && !c.Group.StartsWith("other", StringComparison.Ordinal) && !Catalogue.Rules.Any(r => r.Class == c.Code || r.Group == c.Group));

    /// <summary>A grid of Futian and a point inside it.</summary>
    public static (Grid Grid, Point Point) Place(int index = 0)
    {
        var grid = CityMap.Shenzhen.Grids.Where(g => g.DistrictCode == "440304").ElementAt(index);
        return (grid, grid.Boundary.InteriorPoint);
    }

    /// <summary>A valid report of <paramref name="eventClass"/> at a grid's interior point, its required attributes filled in.</summary>
    public static EventReportRequest Report(EventClass eventClass, int placeIndex = 0, string? description = null)
    {
        var (_, point) = Place(placeIndex);
        return new EventReportRequest(
            eventClass.Code,
            description ?? "楼上装修噪声持续到深夜，影响休息。",
            new PlaceRequest(point.Y, point.X, "福田区某小区3栋"),
            SampleAttributes.Required(eventClass),
            new ReporterRequest("张三", "13800138000"));
    }

    /// <summary>Checks and submits a report as <paramref name="submitter"/> (a grid worker by default).</summary>
    public async Task<IntakeReceipt> ReportAsync(EventReportRequest request, string submitter = "worker1", string? clientKey = null, string channel = Channels.GridWorker)
    {
        var (report, problems) = ReportCheck.Check(request, Catalogue, CityMap.Shenzhen, channel, submitter, submitter, clientKey);
        problems.ShouldBeEmpty();
        return await Intake.SubmitAsync(report!, CancellationToken.None);
    }

    public static Actor Handler(string department, string scope, string name = "handler1") =>
        new(name, ActorKind.User, [Roles.EventHandler], scope, department);

    public static Actor GridWorker(string scope, string name = "worker2") => new(name, ActorKind.User, [Roles.GridWorker], scope, null);

    public static Actor Dispatcher(string scope = "440304", string name = "dispatcher1") => new(name, ActorKind.User, [Roles.Dispatcher], scope, null);

    public static Actor Supervisor(string scope = "440304", string name = "supervisor1") => new(name, ActorKind.User, [Roles.Supervisor], scope, null);

    public Task<ActionOutcome> ActAsync(long eventId, EventAction action, Actor actor, ActionRequest? request = null) =>
        Workflow.ActAsync(eventId, action, request ?? new ActionRequest(), actor, CancellationToken.None);

    public async Task<EventView> ViewAsync(long eventId) =>
        (await Queries.GetAsync(eventId, Actor.System, revealContact: true, CancellationToken.None))!;

    public async ValueTask DisposeAsync()
    {
        await Intake.DisposeAsync();
        await Test.DisposeAsync();
    }
}
