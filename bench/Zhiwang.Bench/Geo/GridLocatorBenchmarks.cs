using BenchmarkDotNet.Attributes;
using Zhiwang.Geo;

namespace Zhiwang.Bench.Geo;

/// <summary>
/// Point-in-grid lookups against Shenzhen's ~16,400 grids on one thread. Each invocation locates a million
/// points, so the reported time per operation is the time per lookup (lookups/s = 1e9 / ns).
/// </summary>
[MemoryDiagnoser]
public class GridLocatorBenchmarks
{
    private const int Points = 1_000_000;

    private GridLocator _locator = null!;
    private double[] _uniformX = null!;
    private double[] _uniformY = null!;
    private double[] _housesX = null!;
    private double[] _housesY = null!;

    [GlobalSetup]
    public void Setup()
    {
        var map = CityMap.Shenzhen;
        _locator = map.Locator;
        var random = new Random(42);

        // Uniform over the city's bounding box: about half the points fall in the sea or Hong Kong.
        var box = map.BoundaryOf(map.City.Code).EnvelopeInternal;
        _uniformX = new double[Points];
        _uniformY = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            _uniformX[i] = box.MinX + (random.NextDouble() * box.Width);
            _uniformY[i] = box.MinY + (random.NextDouble() * box.Height);
        }

        // Where houses are: pick a grid by house share, then a uniform point of its envelope (mostly inside it).
        // This is what geocoding houses and events looks like: dense, small grids dominate.
        var cumulative = new double[map.Grids.Count];
        var sum = 0.0;
        for (var g = 0; g < map.Grids.Count; g++)
        {
            sum += map.Grids[g].HouseShare;
            cumulative[g] = sum;
        }

        _housesX = new double[Points];
        _housesY = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            var g = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            var e = map.Grids[g < 0 ? Math.Min(~g, cumulative.Length - 1) : g].Boundary.EnvelopeInternal;
            _housesX[i] = e.MinX + (random.NextDouble() * e.Width);
            _housesY[i] = e.MinY + (random.NextDouble() * e.Height);
        }
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public int LocateUniformInCityBox() => LocateAll(_uniformX, _uniformY);

    [Benchmark(OperationsPerInvoke = Points)]
    public int LocateWhereHousesAre() => LocateAll(_housesX, _housesY);

    private int LocateAll(double[] xs, double[] ys)
    {
        var checksum = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            checksum += _locator.Locate(xs[i], ys[i]);
        }

        return checksum;
    }
}
