namespace Zhiwang.MasterData.Intake;

/// <summary>What a source record speaks of. A department row can speak of several (a rental registration: a house, its landlord, its tenant).</summary>
public enum MentionKind
{
    Person,
    LegalEntity,
    House,
}

/// <summary>
/// One person, legal entity or house that a source row speaks of, in the hub's fields after validation and
/// cleansing (see <see cref="HubFields"/>). <paramref name="Role"/> says how the row speaks of it:
/// "subject" for the one the record is about, else e.g. "guardian", "mother", "landlord", "legal-representative", "employer", "premises".
/// </summary>
public sealed record Mention(MentionKind Kind, string Role, IReadOnlyDictionary<string, string?> Fields);

/// <summary>A problem with one field of an accepted row: the row is kept, the field is not trusted (e.g. an ID number whose check character is wrong).</summary>
public sealed record FieldIssue(string Field, string Reason, string? Value);

/// <summary>A row that could not be accepted at all, with where and why. It never stops the rows around it.</summary>
public sealed record RowError(string File, long Row, string? Field, string Reason);

/// <summary>
/// One department row after reading, validation and cleansing: its record id in the department, the raw values as
/// received (column name → text), the mentions it yields, and the issues found in its fields.
/// </summary>
public sealed record ParsedRecord(
    string Department,
    string RecordId,
    string File,
    long Row,
    IReadOnlyDictionary<string, string?> Raw,
    IReadOnlyList<Mention> Mentions,
    IReadOnlyList<FieldIssue> Issues)
{
    /// <summary>What cleansing changed in the row's values (full-width digits folded, a date in another format …): not errors, but worth a lineage line.</summary>
    public IReadOnlyList<FieldCleansing> Cleansed { get; init; } = [];
}

/// <summary>A value cleansing changed: <paramref name="Field"/> as in <see cref="FieldIssue"/> ("role.hub_field"), what was done, and the value before.</summary>
public sealed record FieldCleansing(string Field, string Change, string? From);

/// <summary>The hub's field names, shared by every feed mapping, the linker and the golden records.</summary>
public static class HubFields
{
    // persons
    public const string IdNumber = "id_number";
    public const string Name = "name";
    public const string Sex = "sex";                 // male / female
    public const string BirthDate = "birth_date";    // yyyy-MM-dd
    public const string Ethnicity = "ethnicity";
    public const string Phone = "phone";             // 11 ASCII digits
    public const string Address = "address";         // folded, as given
    public const string HouseCode = "house_code";    // the standard house the address or code matched, if any
    public const string Hukou = "hukou";             // registered / floating
    public const string AddressMatch = "address_match"; // exact / tolerant: how the address found house_code (absent: no match)
    public const string RecordedOn = "recorded_on";  // yyyy-MM-dd (yyyy-MM for month-only sources): when the department recorded the fact

    // legal entities
    public const string CreditCode = "credit_code";
    public const string RegisteredDate = "registered_date";
    public const string Status = "status";           // active / revoked / deregistered
    public const string Industry = "industry";
    public const string LegalRepresentativeName = "legal_representative_name";
    public const string LegalRepresentativeIdNumber = "legal_representative_id_number";
}
