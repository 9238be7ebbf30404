using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Zhiwang.Geo.Building;

namespace Zhiwang.Bench.Geo;

/// <summary>
/// Building Shenzhen's map from the shipped data: districts, 79 streets, ~650 communities, ~16,400 grids and the
/// locator. A build happens once per process, so a few monitored runs, the first one cold, say what it costs.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class CityMapBuildBenchmarks
{
    [Benchmark]
    public int BuildShenzhen() => CityMapBuilder.BuildShenzhen().Grids.Count;
}
