using System.Text.Json;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Intake;
using Zhiwang.Geo;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Valid reports as a grid worker's app or a department system sends them: a class of the built-in catalogue that
/// dispatch sends on at once (not of an "other" group, which waits for a dispatcher), its required attributes, and a
/// random point inside a random grid of Shenzhen. Report <c>i</c> is the same on every run (seeded by <c>i</c>).
/// </summary>
public sealed class ReportMaker
{
    public static IReadOnlyList<string> Descriptions { get; } =
    [
        "楼上装修噪声持续到深夜，影响休息。",
        "小区消防通道被私家车长期占用。",
        "路边井盖缺失，行人夜间容易跌落。",
        "商铺占道经营，堵塞人行道。",
        "租户拖欠物业费引发纠纷，双方争执不下。",
        "河道有生活垃圾漂浮，气味明显。",
    ];

    private readonly Dictionary<string, JsonElement>[] _attributes;

    private ReportMaker(EventCatalogue catalogue, IReadOnlyList<EventClass> classes, IReadOnlyList<Spot> spots)
    {
        Catalogue = catalogue;
        Classes = classes;
        Spots = spots;
        _attributes = classes.Select(SampleAttributes.Required).ToArray();
    }

    /// <summary>A point and the grid it lies in.</summary>
    public sealed record Spot(double Lat, double Lon, Grid Grid);

    public EventCatalogue Catalogue { get; }

    /// <summary>The classes reports are drawn from: every one is dispatched on intake.</summary>
    public IReadOnlyList<EventClass> Classes { get; }

    public IReadOnlyList<Spot> Spots { get; }

    /// <summary>Draws <paramref name="spots"/> points, each inside a random grid (a random point of its envelope that the city map places in it).</summary>
    public static ReportMaker Create(int spots = 20_000, int seed = 20_261_124)
    {
        var catalogue = EventCatalogue.Default;
        var classes = catalogue.Classes.Where(c => !c.Group.StartsWith("other", StringComparison.Ordinal)).ToList();
        var map = CityMap.Shenzhen;
        var random = new Random(seed);
        var drawn = new List<Spot>(spots);
        while (drawn.Count < spots)
        {
            var grid = map.Grids[random.Next(map.Grids.Count)];
            var envelope = grid.Boundary.EnvelopeInternal;
            Spot? spot = null;
            for (var attempt = 0; attempt < 20 && spot is null; attempt++)
            {
                var lon = envelope.MinX + (random.NextDouble() * envelope.Width);
                var lat = envelope.MinY + (random.NextDouble() * envelope.Height);
                if (map.GridAt(lon, lat)?.Code == grid.Code)
                {
                    spot = new Spot(lat, lon, grid);
                }
            }

            var interior = grid.Boundary.InteriorPoint;
            drawn.Add(spot ?? new Spot(interior.Y, interior.X, grid));
        }

        return new ReportMaker(catalogue, classes, drawn);
    }

    /// <summary>Report <paramref name="index"/> as the JSON body of <c>POST /api/events</c>.</summary>
    public byte[] Body(long index)
    {
        var random = new Random(unchecked((int)(index * 2_654_435_761L)));
        var c = random.Next(Classes.Count);
        var spot = Spots[random.Next(Spots.Count)];
        var request = new EventReportRequest(
            Classes[c].Code,
            Descriptions[random.Next(Descriptions.Count)],
            new PlaceRequest(spot.Lat, spot.Lon, "深圳市某小区" + random.Next(1, 40) + "栋"),
            _attributes[c],
            random.Next(3) == 0 ? new ReporterRequest("张三", "13800138000") : null);
        return JsonSerializer.SerializeToUtf8Bytes(request, JsonSerializerOptions.Web);
    }
}
