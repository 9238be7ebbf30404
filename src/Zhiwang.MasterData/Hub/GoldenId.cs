using System.Globalization;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// Golden ids: surrogate, kind-prefixed and stable once given. Persons P + 11 digits, legal entities E + 11 digits
/// (handed out in order of creation), houses H + the house code (a house's identity is its registry code).
/// </summary>
public static class GoldenId
{
    public const char PersonPrefix = 'P';
    public const char LegalEntityPrefix = 'E';
    public const char HousePrefix = 'H';

    public static string Person(long serial) => PersonPrefix + serial.ToString("D11", CultureInfo.InvariantCulture);

    public static string LegalEntity(long serial) => LegalEntityPrefix + serial.ToString("D11", CultureInfo.InvariantCulture);

    public static string House(string houseCode) => HousePrefix + houseCode;

    public static MentionKind KindOf(string goldenId) => goldenId[0] switch
    {
        PersonPrefix => MentionKind.Person,
        LegalEntityPrefix => MentionKind.LegalEntity,
        HousePrefix => MentionKind.House,
        _ => throw new ArgumentException($"'{goldenId}' is not a golden id (P…, E… or H…).", nameof(goldenId)),
    };

    /// <summary>The serial of a P… or E… id, 0 for anything else (so the largest serial in a table is easy to find).</summary>
    internal static long SerialOf(string? goldenId) =>
        goldenId is { Length: > 1 } && long.TryParse(goldenId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var serial) ? serial : 0;
}
