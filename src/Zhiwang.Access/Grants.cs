using System.Text.RegularExpressions;

namespace Zhiwang.Access;

/// <summary>
/// What a department client may ask for: a dataset or service, optionally narrowed by a colon
/// (<c>verify:person</c>). A grant ending in <c>:*</c> covers everything under its prefix.
/// </summary>
public static partial class Grants
{
    public const string Open311 = "open311";
    public const string VerifyAll = "verify:*";

    [GeneratedRegex("^[a-z0-9_]+(:[a-z0-9_]+)*(:\\*)?$")]
    private static partial Regex Shape();

    public static bool IsWellFormed(string grant) => Shape().IsMatch(grant);

    /// <summary>True when one of <paramref name="held"/> covers <paramref name="needed"/>.</summary>
    public static bool Allows(IEnumerable<string> held, string needed) =>
        held.Any(grant => grant == needed
            || (grant.EndsWith(":*", StringComparison.Ordinal) && needed.StartsWith(grant[..^1], StringComparison.Ordinal)));
}
