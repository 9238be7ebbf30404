using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zhiwang.Geo;
using Zhiwang.MasterData.Tallies;

namespace Zhiwang.Server.Map;

/// <summary>The city's map for the home page and dashboards: boundaries with counts, one division at a time.</summary>
public static class CityMapApi
{
    public static IServiceCollection AddCityMap(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => CityMap.Shenzhen);
        services.TryAddSingleton<DivisionShapes>();
        return services;
    }

    public static RouteGroupBuilder MapCityMapApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/map").WithTags("Map").AllowAnonymous();
        group.MapGet("/{code}", GetDivisionMapAsync)
            .WithName("GetDivisionMap")
            .WithSummary("A division's children as GeoJSON, with persons, legal entities and houses for each")
            .WithDescription("Use 440300 for the city. A grid, which has no children, comes back as its own single feature.");
        return group;
    }

    internal static async Task<Results<Ok<DivisionMap>, ProblemHttpResult>> GetDivisionMapAsync(
        string code,
        [FromServices] CityMap cityMap,
        [FromServices] DivisionShapes shapes,
        [FromServices] CityTallies tallies,
        CancellationToken cancellationToken)
    {
        if (cityMap.Find(code) is not { } division)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Division not found",
                detail: $"No division has the code '{code}'.",
                extensions: new Dictionary<string, object?> { ["code"] = code });
        }

        var total = await tallies.ForAsync(code, cancellationToken);
        var children = cityMap.ChildrenOf(code);
        IReadOnlyList<Division> shown = children.Count > 0 ? children : [division];
        var counts = children.Count > 0
            ? await tallies.ForChildrenOfAsync(code, cancellationToken)
            : new Dictionary<string, DivisionTally> { [code] = total };

        var features = shown.Select(d =>
        {
            var shape = shapes.Of(d);
            var tally = counts.GetValueOrDefault(d.Code) ?? DivisionTally.Empty(d.Code);
            var properties = new DivisionProperties(
                d.Code, d.Name, LevelName(d.Level), tally.Persons, tally.LegalEntities, tally.Houses,
                HasChildren: d.Code != code && cityMap.ChildrenOf(d.Code).Count > 0,
                shape.Center);
            return new DivisionFeature(d.Code, properties, shape.Geometry);
        }).ToList();

        var summary = new DivisionSummary(
            division.Code, division.Name, LevelName(division.Level), division.ParentCode, total.Persons, total.LegalEntities, total.Houses);
        return TypedResults.Ok(new DivisionMap(summary, Breadcrumb(cityMap, division), features));
    }

    internal static string LevelName(DivisionLevel level) => level.ToString().ToLowerInvariant();

    private static List<DivisionLink> Breadcrumb(CityMap cityMap, Division division)
    {
        var trail = new List<DivisionLink>();
        for (Division? step = division; step is not null; step = step.ParentCode is { } parent ? cityMap.Find(parent) : null)
        {
            trail.Add(new DivisionLink(step.Code, step.Name, LevelName(step.Level)));
        }

        trail.Reverse();
        return trail;
    }
}
