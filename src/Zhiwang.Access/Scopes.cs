using Zhiwang.Geo;

namespace Zhiwang.Access;

/// <summary>A scope is a division code: the city 440300, a district (6 digits), street (12), community (15) or grid (18).</summary>
public static class Scopes
{
    public const string City = "440300";

    /// <summary>True when <paramref name="code"/> names a division of Shenzhen.</summary>
    public static bool Exists(string code) => code == City || CityMap.Shenzhen.Find(code) is not null;

    /// <summary>The city contains everything; otherwise a code contains the codes that start with it.</summary>
    public static bool Contains(string scope, string code) =>
        code.StartsWith(Prefix(scope), StringComparison.Ordinal);

    /// <summary>The same rule for SQL: a <c>LIKE</c> pattern matching the codes <paramref name="scope"/> contains.</summary>
    public static string LikePattern(string scope) => Prefix(scope) + "%";

    private static string Prefix(string scope) => scope == City ? "4403" : scope;
}
