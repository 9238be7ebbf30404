namespace Zhiwang.Geo;

/// <summary>The levels of the city's administrative hierarchy, from the city down to the grid.</summary>
public enum DivisionLevel
{
    City = 0,
    District = 1,
    Street = 2,
    Community = 3,
    Grid = 4,
}

/// <summary>One node of the hierarchy (区, 街道, 社区, 网格). Codes: district 6 digits, street 12, community 15, grid 18.</summary>
public sealed record Division(string Code, string Name, DivisionLevel Level, string? ParentCode);
