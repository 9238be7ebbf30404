using System.Diagnostics;
using Xunit.Abstractions;
using Zhiwang.Geo.Building;

namespace Zhiwang.Geo.Tests;

public sealed class ScratchProfile(ITestOutputHelper output)
{
    [Fact]
    public void Profile()
    {
        var map = CityMap.Shenzhen;
        var f = map.Grids[0].Boundary.Factory;
        var t = new double[5];
        var sw = new Stopwatch();
        var orphans = 0;
        foreach (var c in map.Divisions.Where(d => d.Level == DivisionLevel.Community))
        {
            var area = map.BoundaryOf(c.Code);
            var k = map.ChildrenOf(c.Code).Count;
            sw.Restart();
            var samples = Tiling.Lattice(area, Math.Max(30 * k, 60));
            t[0] += sw.Elapsed.TotalMilliseconds; sw.Restart();
            var seeds = Tiling.EqualMassSeeds(samples, k, 1);
            t[1] += sw.Elapsed.TotalMilliseconds; sw.Restart();
            var cells = Tiling.VoronoiCells(area, seeds, f);
            t[2] += sw.Elapsed.TotalMilliseconds; sw.Restart();
            orphans += cells.Sum(x => Math.Max(0, x.NumGeometries - 1));
            var result = Tiling.Consolidate(cells, true, f);
            t[3] += sw.Elapsed.TotalMilliseconds;
        }
        output.WriteLine($"lattice {t[0]:F0} kmeans {t[1]:F0} voronoi+clip {t[2]:F0} consolidate {t[3]:F0} ms; orphans {orphans}");
        var tv = 0.0; var tp = 0.0; var to = 0.0; var nOverlay = 0; var nContained = 0; long parentVertices = 0;
        foreach (var c in map.Divisions.Where(d => d.Level == DivisionLevel.Community))
        {
            var area = map.BoundaryOf(c.Code);
            var seeds = map.ChildrenOf(c.Code).Select(g => map.BoundaryOf(g.Code).Centroid.Coordinate).ToList();
            if (seeds.Count < 2) continue;
            sw.Restart();
            var b = new NetTopologySuite.Triangulate.VoronoiDiagramBuilder();
            var env = area.EnvelopeInternal; var clip = new NetTopologySuite.Geometries.Envelope(env); clip.ExpandBy(Math.Max(env.Width, env.Height));
            b.ClipEnvelope = clip; b.SetSites(seeds);
            var d = b.GetDiagram(f);
            tv += sw.Elapsed.TotalMilliseconds; sw.Restart();
            var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(area);
            var needs = new List<NetTopologySuite.Geometries.Geometry>();
            for (var i = 0; i < d.NumGeometries; i++) { var cell = d.GetGeometryN(i); if (prepared.Contains(cell)) nContained++; else needs.Add(cell); }
            tp += sw.Elapsed.TotalMilliseconds; sw.Restart();
            foreach (var cell in needs) { NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Overlay(cell, area, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection); nOverlay++; parentVertices += area.NumPoints; }
            to += sw.Elapsed.TotalMilliseconds;
        }
        output.WriteLine($"voronoi {tv:F0} prepared {tp:F0} overlay {to:F0} ms; overlays {nOverlay} contained {nContained} avg parent vertices {parentVertices / Math.Max(1, nOverlay)}");
        sw.Restart();
        for (var i = 0; i < 500_000; i++) HouseDensity.At(114 + i * 1e-7, 22.6);
        output.WriteLine($"density 500k: {sw.Elapsed.TotalMilliseconds:F0} ms");
    }
}
