using System.Text.Json.Serialization;

namespace Zhiwang.MasterData.Intake;

/// <summary>How a department's file is laid out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeedFormat>))]
public enum FeedFormat
{
    /// <summary>RFC 4180 comma-separated values with a header row.</summary>
    [JsonStringEnumMemberName("csv")]
    Csv,

    /// <summary>Lines of fields split by <see cref="FeedDeclaration.Separator"/>, with a header row, no quoting.</summary>
    [JsonStringEnumMemberName("delimited")]
    Delimited,

    /// <summary>One JSON object a line; its properties are the columns.</summary>
    [JsonStringEnumMemberName("jsonl")]
    JsonLines,

    /// <summary>An Excel workbook: every sheet whose name starts with <see cref="FeedDeclaration.Sheet"/>, header row on each.</summary>
    [JsonStringEnumMemberName("xlsx")]
    Xlsx,
}

/// <summary>How a mention's kind is decided.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MentionShape>))]
public enum MentionShape
{
    [JsonStringEnumMemberName("person")]
    Person,

    [JsonStringEnumMemberName("legal-entity")]
    LegalEntity,

    [JsonStringEnumMemberName("house")]
    House,

    /// <summary>A person or a legal entity, decided per row by the shape of the "key" column: 17 digits and a check character is an ID number, anything else a credit code.</summary>
    [JsonStringEnumMemberName("person-or-legal-entity")]
    PersonOrLegalEntity,
}

/// <summary>
/// One department feed, declared once as data (多表合一): which files it covers, how they are read, and which
/// persons, legal entities and houses each row mentions, column by column. See docs/FEEDS.md.
/// </summary>
public sealed record FeedDeclaration
{
    /// <summary>The department key, e.g. "education"; also the record's <see cref="ParsedRecord.Department"/>.</summary>
    public required string Department { get; init; }

    /// <summary>The department's Chinese name, for people.</summary>
    public required string Name { get; init; }

    /// <summary>File-name patterns (* and ?, case-insensitive) of the files this feed covers.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    public required FeedFormat Format { get; init; }

    /// <summary>"utf-8", "gbk" or "detect" (strict UTF-8 on the start of the file, else GBK). Not used for xlsx and jsonl (always UTF-8).</summary>
    public string Encoding { get; init; } = "detect";

    /// <summary>The field separator of <see cref="FeedFormat.Delimited"/> files.</summary>
    public string? Separator { get; init; }

    /// <summary>The sheet-name prefix of <see cref="FeedFormat.Xlsx"/> files (a long extract continues on 救助对象2, 救助对象3 …).</summary>
    public string? Sheet { get; init; }

    /// <summary>The column holding the department's own record id.</summary>
    public required string RecordId { get; init; }

    /// <summary>For JSON lines holding several record types: the property whose value selects the mentions (their <see cref="MentionDeclaration.When"/>).</summary>
    public string? Discriminator { get; init; }

    /// <summary>Accepted date formats, the department's usual one first: yyyy, MM/M, dd/d and literal characters; yyyyMM is a month.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = ["yyyy-MM-dd"];

    /// <summary>Value translations per hub field, e.g. "hukou": { "户籍人口": "registered" }. A value not listed is kept as given, with an issue.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    public required IReadOnlyList<MentionDeclaration> Mentions { get; init; }

    /// <summary>Every column the declaration names: the record id, the discriminator and each mention's columns.</summary>
    public IEnumerable<string> Columns()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { RecordId };
        yield return RecordId;
        if (Discriminator is not null && seen.Add(Discriminator))
        {
            yield return Discriminator;
        }

        foreach (var mention in Mentions)
        {
            foreach (var column in mention.Fields.Values)
            {
                if (seen.Add(column))
                {
                    yield return column;
                }
            }
        }
    }

    public override string ToString() => $"feed '{Department}'";
}

/// <summary>One person, legal entity or house each row (of a type) mentions: hub field → column.</summary>
public sealed record MentionDeclaration
{
    public required MentionShape Kind { get; init; }

    /// <summary>"subject", "guardian", "mother", "landlord", "legal-representative", "employer", "premises" ….</summary>
    public required string Role { get; init; }

    /// <summary>Only rows whose discriminator has this value yield the mention; null: every row.</summary>
    public string? When { get; init; }

    /// <summary>Hub field (<see cref="HubFields"/>, or "key" for <see cref="MentionShape.PersonOrLegalEntity"/>) → column.</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>Hub fields with a fixed value for every row (a mother's sex).</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();
}
