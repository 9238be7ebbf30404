namespace Zhiwang.MasterData.Tallies;

/// <summary>How many persons, legal entities and houses a division (any level, city to grid) holds.</summary>
public sealed record DivisionTally(string Code, long Persons, long LegalEntities, long Houses)
{
    public static DivisionTally Empty(string code) => new(code, 0, 0, 0);
}
