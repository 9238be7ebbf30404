using System.Text.Json.Serialization;

namespace Zhiwang.Server.Map;

/// <summary>
/// A GeoJSON FeatureCollection of a division's children (or, for a grid, of the grid itself), with the
/// division's own totals and its breadcrumb from the city down as foreign members (RFC 7946 §6.1).
/// </summary>
public sealed record DivisionMap(DivisionSummary Division, IReadOnlyList<DivisionLink> Breadcrumb, IReadOnlyList<DivisionFeature> Features)
{
    [JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

/// <summary>A division and what it holds: persons (实有人口), legal entities (法人), houses (房屋).</summary>
public sealed record DivisionSummary(string Code, string Name, string Level, string? ParentCode, long Persons, long LegalEntities, long Houses);

/// <summary>One step of the breadcrumb, city first.</summary>
public sealed record DivisionLink(string Code, string Name, string Level);

public sealed record DivisionFeature(string Id, DivisionProperties Properties, MultiPolygonGeometry Geometry)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Feature";
}

/// <param name="HasChildren">Whether the map can drill into this division.</param>
/// <param name="Center">A point inside the division, [lon, lat], where its label goes.</param>
public sealed record DivisionProperties(
    string Code,
    string Name,
    string Level,
    long Persons,
    long LegalEntities,
    long Houses,
    bool HasChildren,
    double[] Center);

/// <summary>GeoJSON MultiPolygon: polygons of rings of [lon, lat] positions.</summary>
public sealed record MultiPolygonGeometry(double[][][][] Coordinates)
{
    [JsonPropertyOrder(-1)]
    public string Type => "MultiPolygon";
}
