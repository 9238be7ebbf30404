using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Triangulate;

namespace Zhiwang.Geo.Building;

/// <summary>
/// Splits a parent area into children that tile it: Voronoi cells of seed points, clipped to the parent.
/// The cells of one diagram share their edges vertex for vertex, and every clip is against the same parent,
/// so the children meet without gaps or overlaps (up to floating-point noise far below a square metre).
/// </summary>
internal static class Tiling
{
    /// <summary>One sample of the house-density field: a lattice point inside an area and the house mass it stands for.</summary>
    public readonly record struct Sample(double X, double Y, double Density, double Mass);

    /// <summary>Clips each seed's Voronoi cell to <paramref name="parent"/>; the result is aligned with the seeds.</summary>
    public static Geometry[] VoronoiCells(Geometry parent, IReadOnlyList<Coordinate> seeds, GeometryFactory factory)
    {
        if (seeds.Count == 1)
        {
            return [parent];
        }

        var envelope = parent.EnvelopeInternal;
        var size = Math.Max(envelope.Width, envelope.Height);
        var centre = envelope.Centre;
        var sites = new List<Coordinate>(seeds.Count + 4);
        sites.AddRange(seeds);
        // Four far-away sites make two seeds, and collinear seeds, work like any other case. Seeds lie in the parent's
        // envelope, so every point of the parent is within 1.5·size of each seed and at least 13·size from these:
        // their cells never reach the parent. (Much farther sites make the triangulation fail to converge.)
        sites.Add(new Coordinate(centre.X - (10 * size), centre.Y - (10 * size)));
        sites.Add(new Coordinate(centre.X + (10 * size), centre.Y - (10 * size)));
        sites.Add(new Coordinate(centre.X - (10 * size), centre.Y + (10 * size)));
        sites.Add(new Coordinate(centre.X + (10 * size), centre.Y + (10 * size)));

        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(sites);
        // The far-away sites enclose every seed's cell, so the cells are bounded and need no clip to an envelope
        // (GetDiagram's clip uses the slow legacy overlay and took as long as the triangulation).
        var diagram = builder.GetSubdivision().GetVoronoiCellPolygons(factory);

        var indexOf = new Dictionary<(double, double), int>(seeds.Count);
        for (var i = 0; i < seeds.Count; i++)
        {
            indexOf[(seeds[i].X, seeds[i].Y)] = i;
        }

        var prepared = PreparedGeometryFactory.Prepare(parent);
        var cells = new Geometry[seeds.Count];
        foreach (var cell in diagram)
        {
            if (cell.UserData is not Coordinate site || !indexOf.TryGetValue((site.X, site.Y), out var i))
            {
                continue; // one of the far-away sites
            }

            cell.UserData = null;
            cells[i] = prepared.Contains(cell) ? cell
                : !prepared.Intersects(cell) ? factory.CreatePolygon()
                : Polygonal(OverlayNGRobust.Overlay(cell, parent, SpatialFunction.Intersection), factory);
        }

        for (var i = 0; i < cells.Length; i++)
        {
            // Only a seed equal to another seed has no cell of its own; callers pass distinct seeds.
            cells[i] ??= factory.CreatePolygon();
        }

        return cells;
    }

    /// <summary>
    /// Voronoi cells clipped to a concave parent can fall apart into pieces. Each piece but a cell's largest is
    /// given to the neighbouring cell it shares the longest edge with, so children stay in one piece where the
    /// parent allows it. A piece with no neighbour (an island) stays with its cell, or, when
    /// <paramref name="singlePolygons"/> is set, becomes a child of its own. The first children stay aligned with
    /// <paramref name="cells"/> (an empty cell gives an empty child); children of their own follow.
    /// </summary>
    public static List<Geometry> Consolidate(IReadOnlyList<Geometry> cells, bool singlePolygons, GeometryFactory factory)
    {
        var children = new List<Geometry>(cells.Count);
        var orphans = new List<(Polygon Piece, int Owner)>();
        foreach (var cell in cells)
        {
            var pieces = PolygonExtracter.GetPolygons(cell).Cast<Polygon>().OrderByDescending(p => p.Area).ToList();
            if (pieces.Count == 0)
            {
                children.Add(factory.CreatePolygon()); // keeps children aligned with cells; callers drop empty ones
                continue;
            }

            children.Add(pieces[0]);
            orphans.AddRange(pieces.Skip(1).Select(p => (p, children.Count - 1)));
        }

        foreach (var (piece, owner) in orphans.OrderByDescending(o => o.Piece.Area))
        {
            var adopted = false;
            var candidates = Enumerable.Range(0, children.Count)
                .Where(j => j != owner && !children[j].IsEmpty && children[j].EnvelopeInternal.Intersects(piece.EnvelopeInternal))
                .Select(j => (Index: j, Shared: SharedEdgeLength(piece, children[j])))
                .Where(c => c.Shared > 0)
                .OrderByDescending(c => c.Shared)
                .ThenBy(c => c.Index);
            foreach (var (j, _) in candidates)
            {
                var merged = Polygonal(OverlayNGRobust.Overlay(children[j], piece, SpatialFunction.Union), factory);
                if (merged is Polygon || !singlePolygons)
                {
                    children[j] = merged;
                    adopted = true;
                    break;
                }
            }

            if (adopted)
            {
                continue;
            }

            if (singlePolygons)
            {
                children.Add(piece);
            }
            else
            {
                children[owner] = Polygonal(OverlayNGRobust.Overlay(children[owner], piece, SpatialFunction.Union), factory);
            }
        }

        return children;
    }

    /// <summary>
    /// Regular lattice points inside <paramref name="area"/>, about <paramref name="wanted"/> of them, each carrying
    /// the house mass of its lattice cell. Deterministic: the lattice starts at the area's envelope corner.
    /// </summary>
    public static Sample[] Lattice(Geometry area, int wanted)
    {
        var envelope = area.EnvelopeInternal;
        var spacing = Math.Sqrt(area.Area / Math.Max(wanted, 1));
        var locator = new IndexedPointInAreaLocator(area);
        for (var attempt = 0; ; attempt++)
        {
            var samples = new List<Sample>(wanted * 2);
            for (var y = envelope.MinY + (spacing / 2); y < envelope.MaxY; y += spacing)
            {
                for (var x = envelope.MinX + (spacing / 2); x < envelope.MaxX; x += spacing)
                {
                    if (locator.Locate(new Coordinate(x, y)) == Location.Interior)
                    {
                        var density = HouseDensity.At(x, y);
                        samples.Add(new Sample(x, y, density, density * spacing * spacing));
                    }
                }
            }

            // Thin or tiny areas can fall between lattice points: refine until at least half the wanted points land.
            if (samples.Count * 2 >= wanted || attempt == 6)
            {
                if (samples.Count == 0)
                {
                    var p = area.InteriorPoint;
                    var density = HouseDensity.At(p.X, p.Y);
                    samples.Add(new Sample(p.X, p.Y, density, density * area.Area));
                }

                return samples.ToArray();
            }

            spacing /= 2;
        }
    }

    /// <summary>
    /// Seeds for <paramref name="count"/> children of about equal house mass: weighted k-means (Lloyd) on the
    /// samples. k-means places centres with a density proportional to the square root of the sample weight, so
    /// weighting each sample by density² gives centres proportional to density, hence cells of about equal mass.
    /// k-means++ initialisation from a seeded generator keeps it deterministic.
    /// </summary>
    public static List<Coordinate> EqualMassSeeds(Sample[] samples, int count, int randomSeed)
    {
        var n = samples.Length;
        count = Math.Min(count, n);
        var weight = new double[n];
        for (var i = 0; i < n; i++)
        {
            weight[i] = samples[i].Density * samples[i].Density;
        }

        var random = new Random(randomSeed);
        var cx = new double[count];
        var cy = new double[count];
        var nearest = new double[n];
        Array.Fill(nearest, double.MaxValue);
        var first = PickWeighted(random, weight, n);
        cx[0] = samples[first].X;
        cy[0] = samples[first].Y;
        var score = new double[n];
        for (var c = 1; c < count; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var dx = samples[i].X - cx[c - 1];
                var dy = samples[i].Y - cy[c - 1];
                nearest[i] = Math.Min(nearest[i], (dx * dx) + (dy * dy));
                score[i] = weight[i] * nearest[i];
            }

            var pick = PickWeighted(random, score, n);
            cx[c] = samples[pick].X;
            cy[c] = samples[pick].Y;
        }

        var assigned = new int[n];
        var sumX = new double[count];
        var sumY = new double[count];
        var sumW = new double[count];
        for (var iteration = 0; iteration < 12; iteration++)
        {
            Array.Clear(sumX);
            Array.Clear(sumY);
            Array.Clear(sumW);
            for (var i = 0; i < n; i++)
            {
                var best = 0;
                var bestD = double.MaxValue;
                for (var c = 0; c < count; c++)
                {
                    var dx = samples[i].X - cx[c];
                    var dy = samples[i].Y - cy[c];
                    var d = (dx * dx) + (dy * dy);
                    if (d < bestD)
                    {
                        bestD = d;
                        best = c;
                    }
                }

                assigned[i] = best;
                nearest[i] = bestD;
                sumX[best] += weight[i] * samples[i].X;
                sumY[best] += weight[i] * samples[i].Y;
                sumW[best] += weight[i];
            }

            for (var c = 0; c < count; c++)
            {
                if (sumW[c] > 0)
                {
                    cx[c] = sumX[c] / sumW[c];
                    cy[c] = sumY[c] / sumW[c];
                }
                else
                {
                    // An empty cluster restarts at the sample worst served by its centre.
                    var worst = 0;
                    for (var i = 1; i < n; i++)
                    {
                        if (weight[i] * nearest[i] > weight[worst] * nearest[worst])
                        {
                            worst = i;
                        }
                    }

                    cx[c] = samples[worst].X;
                    cy[c] = samples[worst].Y;
                    nearest[worst] = 0;
                }
            }
        }

        // Distinct seeds only (Voronoi merges equal sites); numbering runs north to south, then west to east.
        return Enumerable.Range(0, count)
            .Select(c => new Coordinate(cx[c], cy[c]))
            .DistinctBy(c => (c.X, c.Y))
            .OrderByDescending(c => Math.Round(c.Y, 3))
            .ThenBy(c => c.X)
            .ToList();
    }

    /// <summary>Keeps the areal part of an overlay result (touching inputs can add lines or points).</summary>
    public static Geometry Polygonal(Geometry geometry, GeometryFactory factory)
    {
        if (geometry is Polygon polygon)
        {
            return polygon;
        }

        var polygons = PolygonExtracter.GetPolygons(geometry).Cast<Polygon>().Where(p => p.Area > 0).ToArray();
        return polygons.Length switch
        {
            0 => factory.CreatePolygon(),
            1 => polygons[0],
            _ => factory.CreateMultiPolygon(polygons),
        };
    }

    private static double SharedEdgeLength(Geometry a, Geometry b) =>
        OverlayNGRobust.Overlay(a.Boundary, b.Boundary, SpatialFunction.Intersection).Length;

    private static int PickWeighted(Random random, double[] weights, int n)
    {
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            total += weights[i];
        }

        if (total <= 0)
        {
            return random.Next(n);
        }

        var target = random.NextDouble() * total;
        for (var i = 0; i < n; i++)
        {
            target -= weights[i];
            if (target <= 0)
            {
                return i;
            }
        }

        return n - 1;
    }
}
