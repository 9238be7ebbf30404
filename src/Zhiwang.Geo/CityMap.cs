using NetTopologySuite.Geometries;
using Zhiwang.Geo.Building;

namespace Zhiwang.Geo;

/// <summary>
/// The city's administrative hierarchy, city > district > street > community > grid, with a boundary for every
/// division and the grids that tile it. Streets, communities and grids are synthetic (see docs/GEO.md): the codes
/// of districts and streets are real, their boundaries approximate, everything below is generated.
/// </summary>
public sealed class CityMap
{
    private static readonly Lazy<CityMap> LazyShenzhen = new(CityMapBuilder.BuildShenzhen, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, Division> _byCode;
    private readonly Dictionary<string, List<Division>> _children;
    private readonly Dictionary<string, Geometry> _boundaries;
    private readonly Dictionary<string, int> _gridIndex;

    internal CityMap(IReadOnlyList<Division> divisions, IReadOnlyDictionary<string, Geometry> boundaries, IReadOnlyList<Grid> grids, GridLocator locator)
    {
        Divisions = divisions;
        Grids = grids;
        _byCode = divisions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        City = divisions.Single(d => d.Level == DivisionLevel.City);
        _children = new Dictionary<string, List<Division>>(StringComparer.Ordinal);
        foreach (var division in divisions)
        {
            if (division.ParentCode is { } parent)
            {
                if (!_children.TryGetValue(parent, out var list))
                {
                    _children[parent] = list = [];
                }

                list.Add(division);
            }
        }

        _boundaries = new Dictionary<string, Geometry>(boundaries, StringComparer.Ordinal);
        _gridIndex = new Dictionary<string, int>(grids.Count, StringComparer.Ordinal);
        for (var i = 0; i < grids.Count; i++)
        {
            _gridIndex[grids[i].Code] = i;
            _boundaries[grids[i].Code] = grids[i].Boundary;
        }

        Locator = locator;
    }

    /// <summary>Shenzhen (深圳市), built on first use and then shared; the same on every run.</summary>
    public static CityMap Shenzhen => LazyShenzhen.Value;

    public Division City { get; }

    /// <summary>Every division, city to grid, ordered by level then code.</summary>
    public IReadOnlyList<Division> Divisions { get; }

    /// <summary>All grids, ordered by code; <see cref="GridLocator.Locate"/> returns indexes into this list.</summary>
    public IReadOnlyList<Grid> Grids { get; }

    public GridLocator Locator { get; }

    public Division? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The divisions one level below <paramref name="code"/>, ordered by code; empty for a grid or an unknown code.</summary>
    public IReadOnlyList<Division> ChildrenOf(string code) =>
        _children.TryGetValue(code, out var children) ? children : [];

    /// <summary>The boundary of a division at any level (lon/lat, SRID 4326).</summary>
    /// <exception cref="KeyNotFoundException">The code is not a division of this map.</exception>
    public Geometry BoundaryOf(string code) =>
        _boundaries.TryGetValue(code, out var boundary)
            ? boundary
            : throw new KeyNotFoundException($"No division with code '{code}'.");

    /// <summary>The grid with this code, or null.</summary>
    public Grid? FindGrid(string code) => _gridIndex.TryGetValue(code, out var i) ? Grids[i] : null;

    /// <summary>The grid containing the point, or null outside the city.</summary>
    public Grid? GridAt(double longitude, double latitude)
    {
        var i = Locator.Locate(longitude, latitude);
        return i < 0 ? null : Grids[i];
    }
}
