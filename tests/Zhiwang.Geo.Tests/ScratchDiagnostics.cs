using System.Diagnostics;
using Xunit.Abstractions;
using Zhiwang.Geo.Building;

namespace Zhiwang.Geo.Tests;

public sealed class ScratchDiagnostics(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        var map = CityMapBuilder.BuildShenzhen(output.WriteLine);
        var sw = Stopwatch.StartNew();
        map = CityMapBuilder.BuildShenzhen(output.WriteLine);
        output.WriteLine($"second build {sw.Elapsed.TotalSeconds:F2}s");
        foreach (var l in Enum.GetValues<DivisionLevel>())
            output.WriteLine($"{l}: {map.Divisions.Count(d => d.Level == l)}");
        var shares = map.Grids.Select(g => g.HouseShare).OrderBy(x => x).ToArray();
        output.WriteLine($"share min {shares[0] * 16.4e6:F0} p1 {shares[shares.Length / 100] * 16.4e6:F0} p10 {shares[shares.Length / 10] * 16.4e6:F0} med {shares[shares.Length / 2] * 16.4e6:F0} p90 {shares[shares.Length * 9 / 10] * 16.4e6:F0} max {shares[^1] * 16.4e6:F0} houses");
        var box = map.BoundaryOf("440300").EnvelopeInternal;
        var r = new Random(1);
        var n = 2_000_000;
        var xs = new double[n]; var ys = new double[n];
        for (var i = 0; i < n; i++) { xs[i] = box.MinX + r.NextDouble() * box.Width; ys[i] = box.MinY + r.NextDouble() * box.Height; }
        var cum = new double[map.Grids.Count]; var tot = 0.0;
        for (var g = 0; g < cum.Length; g++) { tot += map.Grids[g].HouseShare; cum[g] = tot; }
        var hx = new double[n]; var hy = new double[n];
        for (var i = 0; i < n; i++) { var g = Array.BinarySearch(cum, r.NextDouble() * tot); var e = map.Grids[g < 0 ? Math.Min(~g, cum.Length - 1) : g].Boundary.EnvelopeInternal; hx[i] = e.MinX + r.NextDouble() * e.Width; hy[i] = e.MinY + r.NextDouble() * e.Height; }
        var loc = map.Locator; var sum = 0;
        output.WriteLine($"direct cells {loc.DirectCellShare:P1}");
        for (var rep = 0; rep < 3; rep++)
        {
            sw.Restart();
            for (var i = 0; i < n; i++) sum += loc.Locate(hx[i], hy[i]);
            output.WriteLine($"houses: {n / sw.Elapsed.TotalSeconds / 1e6:F2} M lookups/s");
        }
        for (var rep = 0; rep < 3; rep++)
        {
            sw.Restart();
            for (var i = 0; i < n; i++) sum += loc.Locate(xs[i], ys[i]);
            output.WriteLine($"uniform: {n / sw.Elapsed.TotalSeconds / 1e6:F2} M lookups/s");
        }
        foreach (var d in map.Divisions.Where(d => d.Level == DivisionLevel.District))
            output.WriteLine($"{d.Code} {d.Name} communities={map.Divisions.Count(c => c.Level == DivisionLevel.Community && c.Code.StartsWith(d.Code))} grids={map.Grids.Count(g => g.DistrictCode == d.Code)}");
        foreach (var s in map.Divisions.Where(d => d.Level == DivisionLevel.Street))
            output.WriteLine($"{s.Code} {s.Name} communities={map.ChildrenOf(s.Code).Count} grids={map.Grids.Count(g => g.StreetCode == s.Code)}");
    }
}
