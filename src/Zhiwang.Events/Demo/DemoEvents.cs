using System.Text.Json;
using Zhiwang.Access;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Intake;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Geo;

namespace Zhiwang.Events.Demo;

/// <summary>
/// Synthetic events for the demo city: reports from grid workers across the city, some taken up, handled, verified and
/// closed, so every queue and page has something in it on first run. Deterministic by seed; each report carries a
/// client key, so seeding again stores nothing twice. All of it goes through the real intake and workflow.
/// </summary>
public sealed class DemoEvents(EventIntake intake, EventWorkflow workflow, CatalogueStore catalogues, CityMap map)
{
    public const string Submitter = "demo.grid_worker";

    public async Task<int> SeedAsync(int count, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var catalogue = catalogues.Current;
        var classes = catalogue.Classes.Where(c => !c.Group.StartsWith("other", StringComparison.Ordinal)).ToList();
        var reports = new List<Task<IntakeReceipt>>(count);
        for (var i = 0; i < count; i++)
        {
            var eventClass = classes[random.Next(classes.Count)];
            var grid = map.Grids[random.Next(map.Grids.Count)];
            var point = grid.Boundary.InteriorPoint;
            var request = new EventReportRequest(
                eventClass.Code,
                $"{eventClass.Zh}（演示数据 {i + 1}）",
                new PlaceRequest(point.Y, point.X, map.Find(grid.CommunityCode)?.Name),
                Attributes(eventClass, random),
                new ReporterRequest("演示居民", "13800000000"));
            var (report, problems) = ReportCheck.Check(request, catalogue, map, Channels.GridWorker, Submitter, Submitter, $"demo-{seed}-{i}");
            if (report is null)
            {
                throw new InvalidOperationException($"Demo event {i} is invalid: {string.Join("; ", problems)}");
            }

            reports.Add(intake.SubmitAsync(report, cancellationToken));
        }

        var receipts = await Task.WhenAll(reports);
        foreach (var receipt in receipts.Where(r => !r.AlreadyReported && r.Department is not null))
        {
            await ProgressAsync(receipt, random.NextDouble(), cancellationToken);
        }

        return receipts.Count(r => !r.AlreadyReported);
    }

    /// <summary>About half are taken up, a third handled, a fifth verified and closed with a rating.</summary>
    private async Task ProgressAsync(IntakeReceipt receipt, double stage, CancellationToken cancellationToken)
    {
        var handler = new Actor("demo.handler", ActorKind.User, [Roles.EventHandler], receipt.UnitDivision, receipt.Department);
        var verifier = new Actor("demo.verifier", ActorKind.User, [Roles.GridWorker], Scopes.City, null);
        var steps = new List<(EventAction Action, Actor Actor, ActionRequest Request)>();
        if (stage < 0.5)
        {
            steps.Add((EventAction.Take, handler, new ActionRequest()));
        }

        if (stage < 0.33)
        {
            steps.Add((EventAction.Handle, handler, new ActionRequest(Result: "已到现场处置完毕（演示）")));
        }

        if (stage < 0.2)
        {
            steps.Add((EventAction.Verify, verifier, new ActionRequest(Reason: "现场核实问题已解决（演示）")));
            steps.Add((EventAction.Close, Actor.Reporter, new ActionRequest(Satisfaction: 3 + (int)(stage * 10))));
        }

        foreach (var (action, actor, request) in steps)
        {
            await workflow.ActAsync(receipt.EventId, action, request, actor, cancellationToken);
        }
    }

    // The required attributes and about half of the optional ones, so the pages show both.
    private static Dictionary<string, JsonElement> Attributes(EventClass eventClass, Random random) =>
        eventClass.Attributes.Where(a => a.Required || random.NextDouble() < 0.5).ToDictionary(a => a.Name, a => SampleAttributes.Value(a, random));
}
