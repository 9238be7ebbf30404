using System.Globalization;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Zhiwang.Geo.Building;

/// <summary>
/// Builds Shenzhen's hierarchy from the shipped districts and street codes (see docs/GEO.md for the method).
/// Everything is deterministic: the only random generators are seeded from division codes.
/// </summary>
internal static class CityMapBuilder
{
    /// <summary>About 650 communities (社区) city-wide.</summary>
    public const int CommunityTarget = 650;

    /// <summary>About 16,400 grids (网格): 16.4 M houses at about 1,000 houses a grid.</summary>
    public const int GridTarget = 16_400;

    /// <summary>Lattice samples per child when placing seeds: enough for k-means, few enough to stay fast.</summary>
    private const int SamplesPerChild = 30;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static CityMap BuildShenzhen() => BuildShenzhen(null);

    /// <param name="progress">Told each finished step with the time since the start (diagnostics).</param>
    public static CityMap BuildShenzhen(Action<string>? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Step(string step) => progress?.Invoke($"{clock.Elapsed.TotalMilliseconds,8:F0} ms {step}");

        var reference = ReferenceData.ReadDivisions();
        var city = reference.Single(d => d.Level == DivisionLevel.City);
        var districts = reference.Where(d => d.Level == DivisionLevel.District).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        var streets = reference.Where(d => d.Level == DivisionLevel.Street).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();

        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        var districtBoundaries = DistrictBoundaries.Prepare(Factory);
        foreach (var district in districts)
        {
            boundaries[district.Code] = districtBoundaries[district.Code];
            foreach (var (code, street) in TileStreets(district.Code, streets.Where(s => s.ParentCode == district.Code).ToList(), districtBoundaries[district.Code]))
            {
                boundaries[code] = street;
            }
        }

        Step("districts and streets");
        boundaries[city.Code] = OverlayNGRobust.Union((Geometry)Factory.CreateGeometryCollection(districts.Select(d => boundaries[d.Code]).ToArray()));

        Step("city");
        var communities = TileCommunities(streets, boundaries);
        Step("communities");
        var (gridShapes, gridDivisions, samples) = TileGrids(communities, boundaries);
        Step("grids");
        var locator = new GridLocator(gridShapes.Select(g => g.Boundary).ToList());
        Step("locator");
        var shares = HouseShares(locator, gridShapes.Select(g => g.Boundary).ToList(), samples);
        var grids = gridShapes.Select((g, i) => new Grid(g.Code, g.CommunityCode, g.StreetCode, g.DistrictCode, g.Boundary, shares[i])).ToList();

        var divisions = new List<Division> { city };
        divisions.AddRange(districts);
        divisions.AddRange(streets);
        divisions.AddRange(communities.Select(c => c.Division));
        divisions.AddRange(gridDivisions);
        Step("house shares");
        var map = new CityMap(divisions, boundaries, grids, locator);
        Step("map");
        return map;
    }

    /// <summary>Communities: counts by street house mass, seeds of equal mass, Voronoi cells clipped to the street.</summary>
    private static List<(Division Division, string StreetCode, string DistrictCode)> TileCommunities(
        IReadOnlyList<Division> streets, Dictionary<string, Geometry> boundaries)
    {
        var streetMass = streets.AsParallel().AsOrdered().Select(s => Tiling.Lattice(boundaries[s.Code], 400).Sum(x => x.Mass)).ToArray();
        var communityCounts = Apportion(streetMass, CommunityTarget);
        var streetCells = new List<Geometry>[streets.Count];
        Parallel.For(0, streets.Count, s =>
        {
            var area = boundaries[streets[s].Code];
            var samples = Tiling.Lattice(area, Math.Max(SamplesPerChild * communityCounts[s], 60));
            var seeds = Tiling.EqualMassSeeds(samples, communityCounts[s], SeedOf(streets[s].Code));
            streetCells[s] = Tiling.Consolidate(Tiling.VoronoiCells(area, seeds, Factory), singlePolygons: false, Factory)
                .Where(c => !c.IsEmpty).ToList();
        });

        var communities = new List<(Division Division, string StreetCode, string DistrictCode)>();
        for (var s = 0; s < streets.Count; s++)
        {
            var street = streets[s];
            var cells = streetCells[s];
            var names = CommunityNames.For(street.Code, cells.Count);
            for (var i = 0; i < cells.Count; i++)
            {
                var code = street.Code + (i + 1).ToString("D3", CultureInfo.InvariantCulture);
                boundaries[code] = cells[i];
                communities.Add((new Division(code, names[i], DivisionLevel.Community, street.Code), street.Code, street.ParentCode!));
            }
        }

        return communities;
    }

    /// <summary>Grids: counts by community house mass (city-wide), then seeds of equal mass within each community.</summary>
    private static (List<(string Code, string CommunityCode, string StreetCode, string DistrictCode, Polygon Boundary)> Shapes,
        List<Division> Divisions, List<Tiling.Sample[]> Samples) TileGrids(
        IReadOnlyList<(Division Division, string StreetCode, string DistrictCode)> communities, IReadOnlyDictionary<string, Geometry> boundaries)
    {
        var communityMass = communities.AsParallel().AsOrdered()
            .Select(c => Tiling.Lattice(boundaries[c.Division.Code], 200).Sum(x => x.Mass)).ToArray();
        var gridCounts = Apportion(communityMass, GridTarget);
        // Communities are independent of each other: tile them in parallel, assemble in order (deterministic).
        var tiled = new (Tiling.Sample[] Samples, List<Polygon> Cells)[communities.Count];
        Parallel.For(0, communities.Count, c =>
        {
            var area = boundaries[communities[c].Division.Code];
            var samples = Tiling.Lattice(area, Math.Max(SamplesPerChild * gridCounts[c], 60));
            var seeds = Tiling.EqualMassSeeds(samples, gridCounts[c], SeedOf(communities[c].Division.Code));
            var cells = Tiling.Consolidate(Tiling.VoronoiCells(area, seeds, Factory), singlePolygons: true, Factory)
                .Where(g => !g.IsEmpty).Cast<Polygon>().ToList();
            tiled[c] = (samples, cells);
        });

        var gridDivisions = new List<Division>();
        var gridShapes = new List<(string Code, string CommunityCode, string StreetCode, string DistrictCode, Polygon Boundary)>();
        for (var c = 0; c < communities.Count; c++)
        {
            var (community, streetCode, districtCode) = communities[c];
            var cells = tiled[c].Cells;
            for (var i = 0; i < cells.Count; i++)
            {
                var code = community.Code + (i + 1).ToString("D3", CultureInfo.InvariantCulture);
                gridDivisions.Add(new Division(code, $"{community.Name}第{i + 1}网格", DivisionLevel.Grid, community.Code));
                gridShapes.Add((code, community.Code, streetCode, districtCode, cells[i]));
            }
        }

        return (gridShapes, gridDivisions, tiled.Select(t => t.Samples).ToList());
    }

    /// <summary>
    /// Ordinary streets: Voronoi cells of their approximate real centres, clipped to the district. Special zones:
    /// a small octagon around their real location, clipped to the district and cut out of the ordinary streets.
    /// </summary>
    private static List<(string Code, Geometry Boundary)> TileStreets(string districtCode, IReadOnlyList<Division> streets, Geometry district)
    {
        var locator = new IndexedPointInAreaLocator(district);
        var ordinary = streets.Where(s => StreetSeeds.Centres.ContainsKey(s.Code)).ToList();
        var special = streets.Where(s => StreetSeeds.SpecialZones.ContainsKey(s.Code)).ToList();
        if (ordinary.Count + special.Count != streets.Count)
        {
            var missing = streets.First(s => !StreetSeeds.Centres.ContainsKey(s.Code) && !StreetSeeds.SpecialZones.ContainsKey(s.Code));
            throw new InvalidOperationException($"Street {missing.Code} {missing.Name} of district {districtCode} has no seed.");
        }

        var seeds = ordinary.Select(s => Inside(StreetSeeds.Centres[s.Code].Longitude, StreetSeeds.Centres[s.Code].Latitude, locator)).ToList();
        var cells = Tiling.Consolidate(Tiling.VoronoiCells(district, seeds, Factory), singlePolygons: false, Factory);
        var result = new List<(string Code, Geometry Boundary)>();
        foreach (var zone in special)
        {
            var (longitude, latitude, radius) = StreetSeeds.SpecialZones[zone.Code];
            var centre = Inside(longitude, latitude, locator);
            var disc = Factory.CreatePoint(centre).Buffer(radius, 2); // 2 segments a quadrant: an octagon
            var boundary = Tiling.Polygonal(OverlayNGRobust.Overlay(disc, district, SpatialFunction.Intersection), Factory);
            for (var i = 0; i < cells.Count; i++)
            {
                if (cells[i].EnvelopeInternal.Intersects(boundary.EnvelopeInternal))
                {
                    cells[i] = Tiling.Polygonal(OverlayNGRobust.Overlay(cells[i], boundary, SpatialFunction.Difference), Factory);
                }
            }

            result.Add((zone.Code, boundary));
        }

        result.AddRange(ordinary.Select((s, i) => (s.Code, cells[i])));
        if (result.FirstOrDefault(r => r.Boundary.IsEmpty) is { Code: not null } empty)
        {
            throw new InvalidOperationException($"Street {empty.Code} ended up with no area; move its seed.");
        }

        return result.OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>The point itself if it lies in the district, else the nearest point of a spiral search that does.</summary>
    private static Coordinate Inside(double longitude, double latitude, IPointOnGeometryLocator district)
    {
        const double Step = 0.001; // about 100 m, the resolution of the shipped polygons
        for (var ring = 0; ring < 200; ring++)
        {
            Coordinate? best = null;
            var bestDistance = double.MaxValue;
            for (var dx = -ring; dx <= ring; dx++)
            {
                for (var dy = -ring; dy <= ring; dy++)
                {
                    if (Math.Max(Math.Abs(dx), Math.Abs(dy)) != ring)
                    {
                        continue;
                    }

                    var candidate = new Coordinate(longitude + (dx * Step), latitude + (dy * Step));
                    var distance = (dx * dx) + (dy * dy);
                    if (distance < bestDistance && district.Locate(candidate) == Location.Interior)
                    {
                        best = candidate;
                        bestDistance = distance;
                    }
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        throw new InvalidOperationException($"No point of the district within 20 km of ({longitude}, {latitude}).");
    }

    /// <summary>
    /// Each grid's share of the city's houses: the density mass of the lattice samples it contains (found with the
    /// locator itself), normalised. A grid too small to hold a sample gets its area times the density at its interior point.
    /// </summary>
    private static double[] HouseShares(GridLocator locator, IReadOnlyList<Polygon> grids, IReadOnlyList<Tiling.Sample[]> samples)
    {
        var mass = new double[grids.Count];
        foreach (var sample in samples.SelectMany(s => s))
        {
            var i = locator.Locate(sample.X, sample.Y);
            if (i >= 0)
            {
                mass[i] += sample.Mass;
            }
        }

        for (var i = 0; i < mass.Length; i++)
        {
            if (mass[i] == 0)
            {
                var p = grids[i].InteriorPoint;
                mass[i] = grids[i].Area * HouseDensity.At(p.X, p.Y);
            }
        }

        var total = mass.Sum();
        return mass.Select(m => m / total).ToArray();
    }

    /// <summary>Splits <paramref name="total"/> in proportion to the masses, at least 1 each (largest remainders).</summary>
    internal static int[] Apportion(IReadOnlyList<double> masses, int total)
    {
        var sum = masses.Sum();
        var quotas = masses.Select(m => m / sum * total).ToArray();
        var counts = quotas.Select(q => Math.Max(1, (int)Math.Floor(q))).ToArray();
        var remaining = total - counts.Sum();
        foreach (var i in Enumerable.Range(0, quotas.Length).OrderByDescending(i => quotas[i] - Math.Floor(quotas[i])).ThenBy(i => i))
        {
            if (remaining <= 0)
            {
                break;
            }

            if (quotas[i] >= 1)
            {
                counts[i]++;
                remaining--;
            }
        }

        return counts;
    }

    /// <summary>A generator seed from a division code: string hashes differ between runs, codes do not.</summary>
    private static int SeedOf(string code) => (int)(long.Parse(code, CultureInfo.InvariantCulture) % int.MaxValue);
}
