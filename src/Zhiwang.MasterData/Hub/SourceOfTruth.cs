using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// How one golden attribute is chosen (一数一源): the departments whose word counts, in order, then the most recent
/// value from anyone else; which roles may speak for it (a landlord's row does not say where the landlord lives);
/// whether disagreement between sources is a conflict for the stewards, and whether settling it needs a visit.
/// </summary>
public sealed record AttributeRule(
    MentionKind Kind,
    string Field,
    IReadOnlyList<string> Authorities,
    IReadOnlySet<string>? ExcludedRoles,
    bool ConflictOnDisagreement,
    bool NeedsSiteVisit);

/// <summary>The one table of which department is the source of each golden attribute.</summary>
public static class SourceOfTruth
{
    public const string PublicSecurity = "public_security";
    public const string HousingRental = "housing_rental";
    public const string MarketRegulation = "market_regulation";
    public const string Tax = "tax";

    // A row speaks for where a person lives only when it is about that person's own home.
    private static readonly HashSet<string> NotTheirAddress = ["landlord", "legal-representative", "employer", "premises", "owner"];

    public static readonly IReadOnlyList<AttributeRule> Rules =
    [
        new(MentionKind.Person, HubFields.IdNumber, [PublicSecurity], null, true, false),
        new(MentionKind.Person, HubFields.Name, [PublicSecurity], null, true, false),
        new(MentionKind.Person, HubFields.Sex, [PublicSecurity], null, true, false),
        new(MentionKind.Person, HubFields.BirthDate, [PublicSecurity], null, true, false),
        new(MentionKind.Person, HubFields.Ethnicity, [PublicSecurity], null, false, false),
        new(MentionKind.Person, HubFields.Hukou, [PublicSecurity], null, false, false),
        new(MentionKind.Person, HubFields.Phone, [], null, false, false),
        new(MentionKind.Person, HubFields.HouseCode, [HousingRental, PublicSecurity], NotTheirAddress, true, true),
        new(MentionKind.Person, HubFields.Address, [HousingRental, PublicSecurity], NotTheirAddress, false, false),

        new(MentionKind.LegalEntity, HubFields.CreditCode, [MarketRegulation, Tax], null, true, false),
        new(MentionKind.LegalEntity, HubFields.Name, [MarketRegulation, Tax], null, true, false),
        new(MentionKind.LegalEntity, HubFields.Status, [MarketRegulation], null, true, false),
        new(MentionKind.LegalEntity, HubFields.RegisteredDate, [MarketRegulation, Tax], null, true, false),
        new(MentionKind.LegalEntity, HubFields.Industry, [MarketRegulation, Tax], null, false, false),
        new(MentionKind.LegalEntity, HubFields.LegalRepresentativeName, [MarketRegulation, Tax], null, false, false),
        new(MentionKind.LegalEntity, HubFields.LegalRepresentativeIdNumber, [MarketRegulation, Tax], null, true, false),
        new(MentionKind.LegalEntity, HubFields.HouseCode, [MarketRegulation, Tax], null, true, true),
        new(MentionKind.LegalEntity, HubFields.Address, [MarketRegulation, Tax], null, false, false),
    ];

    public static IEnumerable<AttributeRule> For(MentionKind kind) => Rules.Where(rule => rule.Kind == kind);
}
