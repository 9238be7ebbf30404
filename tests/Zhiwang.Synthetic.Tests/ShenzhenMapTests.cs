using System.Globalization;
using Zhiwang.Geo;

namespace Zhiwang.Synthetic.Tests;

/// <summary>The generator on the real map: slower (the map takes seconds to build), so one small city.</summary>
public sealed class ShenzhenMapTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "zhiwang-shenzhen-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task On_the_Shenzhen_map_the_grid_locator_finds_every_building_and_component_in_its_own_grid()
    {
        var map = CityMap.Shenzhen;
        var summary = await CityGenerator.ForCity(map).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = _directory, Persons = 4_000, Seed = 3 }, CancellationToken.None);
        summary.Grids.ShouldBe(map.Grids.Count);

        var checkedPoints = 0;
        foreach (var (file, codeColumn) in new[] { ("buildings.csv", "building_code"), ("city_components.csv", "component_code") })
        {
            foreach (var row in GeneratedCity.ReadCsv(Path.Combine(_directory, file), System.Text.Encoding.UTF8, ','))
            {
                var index = map.Locator.Locate(
                    double.Parse(row["longitude"], CultureInfo.InvariantCulture),
                    double.Parse(row["latitude"], CultureInfo.InvariantCulture));
                index.ShouldBeGreaterThanOrEqualTo(0, row[codeColumn]);
                map.Grids[index].Code.ShouldBe(row["grid_code"], row[codeColumn]);
                checkedPoints++;
            }
        }

        checkedPoints.ShouldBeGreaterThan(1_000);
        var persons = GeneratedCity.ReadCsv(Path.Combine(_directory, "persons.csv"), System.Text.Encoding.UTF8, ',');
        persons.ShouldAllBe(p => map.FindGrid(p["grid_code"]) != null);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
