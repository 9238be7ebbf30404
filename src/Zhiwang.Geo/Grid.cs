using NetTopologySuite.Geometries;

namespace Zhiwang.Geo;

/// <summary>
/// A grid (网格): the smallest management area, about 1,000 houses, covered by one grid worker.
/// </summary>
/// <param name="HouseShare">Expected share of the city's houses in this grid; all grids sum to 1.</param>
public sealed record Grid(
    string Code,
    string CommunityCode,
    string StreetCode,
    string DistrictCode,
    Polygon Boundary,
    double HouseShare);
