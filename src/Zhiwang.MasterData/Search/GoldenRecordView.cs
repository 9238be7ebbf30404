using System.Data.Common;
using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>One attribute of a golden record: the value, the department it came from, the record and the reason (一数一源). Department is null where the hub kept no lineage.</summary>
public sealed record RecordAttribute(string Field, string? Value, string? Department, string? RecordId, string? Reason);

/// <summary>A source record linked to the golden record: the department, record id and version, the role it speaks in, how it was linked and with what weight.</summary>
public sealed record LinkedRecord(string Department, string RecordId, long Version, string Role, string Method, double Weight, string? File, long? Row);

/// <summary>Where the record is on the map: its grid, and its building's point and address when it has a house.</summary>
public sealed record RecordLocation(string? GridCode, string? HouseCode, string? BuildingCode, double? Longitude, double? Latitude, string? Address);

/// <summary>
/// A record related to this one: <paramref name="Relation"/> names how ("same-house", "represents", "owns", "resident",
/// "premises", "legal-representative", "owner", "works-at" …, or "co-mention:ROLE" for a role in a shared source record).
/// </summary>
public sealed record RelatedRecord(string Kind, string Id, string? Name, string Relation, string? Department);

/// <summary>The 360° view of one golden record, as stored (not masked).</summary>
public sealed record GoldenRecord360(
    string Kind,
    string Id,
    string? Key,
    string? Name,
    IReadOnlyList<RecordAttribute> Attributes,
    IReadOnlyList<LinkedRecord> Links,
    RecordLocation Location,
    IReadOnlyList<RelatedRecord> Related);

/// <summary>
/// Reads the 360° view of a golden person, legal entity or house, only inside the reader's scope: a record outside it
/// reads as absent, so an id from another district tells nothing about whether it exists.
/// </summary>
public sealed class GoldenRecordView(Database database)
{
    private const int RelatedLimit = 50;

    private static readonly HashSet<string> NotAttributes = new(StringComparer.Ordinal) { "golden_id", "grid_code", "district_code", "provenance" };

    public async Task<GoldenRecord360?> PersonAsync(string goldenId, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await RowAsync(connection, "SELECT * FROM golden_person WHERE golden_id = @id", goldenId, cancellationToken);
        if (row is null || !scope.Contains(Text(row, "grid_code")))
        {
            return null;
        }

        var idNumber = Text(row, "id_number");
        var houseCode = Text(row, "house_code");
        var related = new List<RelatedRecord>();
        if (houseCode is not null)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.House, "SELECT house_code AS Id, address AS Name, grid_code AS Grid FROM golden_house WHERE house_code = @key", houseCode, "lives-in", scope, cancellationToken));
            related.AddRange((await RelatedAsync(connection, SearchKinds.Person, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_person WHERE house_code = @key", houseCode, "same-house", scope, cancellationToken))
                .Where(r => r.Id != goldenId));
        }

        if (idNumber is not null)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.LegalEntity, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_legal_entity WHERE legal_representative_id_number = @key", idNumber, "represents", scope, cancellationToken));
            related.AddRange(await RelatedAsync(connection, SearchKinds.House, "SELECT house_code AS Id, address AS Name, grid_code AS Grid FROM golden_house WHERE owner_id_number = @key", idNumber, "owns", scope, cancellationToken));
        }

        related.AddRange(await CoMentionsAsync(connection, goldenId, scope, cancellationToken));
        return new GoldenRecord360(
            SearchKinds.Person, goldenId, idNumber, Text(row, "name"),
            await AttributesAsync(connection, goldenId, row, cancellationToken),
            await LinksAsync(connection, goldenId, cancellationToken),
            await LocationAsync(connection, Text(row, "grid_code"), houseCode, Text(row, "address"), cancellationToken),
            Distinct(related));
    }

    public async Task<GoldenRecord360?> LegalEntityAsync(string goldenId, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await RowAsync(connection, "SELECT * FROM golden_legal_entity WHERE golden_id = @id", goldenId, cancellationToken);
        if (row is null || !scope.Contains(Text(row, "grid_code")))
        {
            return null;
        }

        var houseCode = Text(row, "house_code");
        var related = new List<RelatedRecord>();
        if (Text(row, "legal_representative_id_number") is { } representative)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.Person, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_person WHERE id_number = @key", representative, "legal-representative", scope, cancellationToken));
        }

        if (houseCode is not null)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.House, "SELECT house_code AS Id, address AS Name, grid_code AS Grid FROM golden_house WHERE house_code = @key", houseCode, "premises", scope, cancellationToken));
        }

        if (Text(row, "credit_code") is { } creditCode)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.House, "SELECT house_code AS Id, address AS Name, grid_code AS Grid FROM golden_house WHERE owner_credit_code = @key", creditCode, "owns", scope, cancellationToken));
        }

        related.AddRange(await CoMentionsAsync(connection, goldenId, scope, cancellationToken));
        return new GoldenRecord360(
            SearchKinds.LegalEntity, goldenId, Text(row, "credit_code"), Text(row, "name"),
            await AttributesAsync(connection, goldenId, row, cancellationToken),
            await LinksAsync(connection, goldenId, cancellationToken),
            await LocationAsync(connection, Text(row, "grid_code"), houseCode, Text(row, "address"), cancellationToken),
            Distinct(related));
    }

    public async Task<GoldenRecord360?> HouseAsync(string houseCode, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await RowAsync(connection, "SELECT * FROM golden_house WHERE house_code = @id", houseCode, cancellationToken);
        if (row is null || !scope.Contains(Text(row, "grid_code")))
        {
            return null;
        }

        var related = new List<RelatedRecord>();
        related.AddRange(await RelatedAsync(connection, SearchKinds.Person, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_person WHERE house_code = @key", houseCode, "resident", scope, cancellationToken));
        related.AddRange(await RelatedAsync(connection, SearchKinds.LegalEntity, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_legal_entity WHERE house_code = @key", houseCode, "based-here", scope, cancellationToken));
        if (Text(row, "owner_id_number") is { } ownerId)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.Person, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_person WHERE id_number = @key", ownerId, "owner", scope, cancellationToken));
        }

        if (Text(row, "owner_credit_code") is { } ownerCode)
        {
            related.AddRange(await RelatedAsync(connection, SearchKinds.LegalEntity, "SELECT golden_id AS Id, name AS Name, grid_code AS Grid FROM golden_legal_entity WHERE credit_code = @key", ownerCode, "owner", scope, cancellationToken));
        }

        // The hub's mentions of a house carry the golden id H + house code.
        var mentionId = "H" + houseCode;
        related.AddRange(await CoMentionsAsync(connection, mentionId, scope, cancellationToken));
        return new GoldenRecord360(
            SearchKinds.House, houseCode, houseCode, Text(row, "address"),
            await AttributesAsync(connection, mentionId, row, cancellationToken),
            await LinksAsync(connection, mentionId, cancellationToken),
            await LocationAsync(connection, Text(row, "grid_code"), houseCode, Text(row, "address"), cancellationToken),
            Distinct(related));
    }

    /// <summary>The record of any kind by its id: P… a person, E… a legal entity, anything else a house code.</summary>
    public Task<GoldenRecord360?> AnyAsync(string id, RecordScope scope, CancellationToken cancellationToken) => id switch
    {
        ['P', ..] => PersonAsync(id, scope, cancellationToken),
        ['E', ..] => LegalEntityAsync(id, scope, cancellationToken),
        ['H', .. var code] => HouseAsync(code, scope, cancellationToken),
        _ => HouseAsync(id, scope, cancellationToken),
    };

    private static async Task<IDictionary<string, object?>?> RowAsync(DbConnection connection, string sql, string id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)) as IDictionary<string, object?>;

    private static string? Text(IDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var value) && value is not null and not DBNull ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The golden attributes with their sources, from the record's <c>provenance</c> (一数一源: field → value, department,
    /// record id, reason); a column with no provenance (a registry house, a seeded record) is shown with its value and no source.
    /// </summary>
    private static Task<IReadOnlyList<RecordAttribute>> AttributesAsync(DbConnection connection, string goldenId, IDictionary<string, object?> row, CancellationToken cancellationToken)
    {
        _ = (connection, goldenId, cancellationToken);
        var provenance = Provenance.Read(Text(row, "provenance"));
        var attributes = new List<RecordAttribute>();
        foreach (var column in row.Keys.Where(c => !NotAttributes.Contains(c)))
        {
            attributes.Add(provenance.Remove(column, out var source)
                ? new RecordAttribute(column, source.Value, source.Department, source.RecordId, source.Reason)
                : new RecordAttribute(column, Text(row, column), null, null, null));
        }

        attributes.AddRange(provenance.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new RecordAttribute(p.Key, p.Value.Value, p.Value.Department, p.Value.RecordId, p.Value.Reason)));
        return Task.FromResult<IReadOnlyList<RecordAttribute>>(attributes);
    }

    private static async Task<IReadOnlyList<LinkedRecord>> LinksAsync(DbConnection connection, string goldenId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<LinkedRecord>(new CommandDefinition(
            """
            SELECT m.department AS Department, m.record_id AS RecordId, m.version AS Version, m.role AS Role,
                   m.link_method AS Method, m.link_weight AS Weight, s.file AS File, s.row_number AS Row
            FROM record_mention m
            LEFT JOIN source_record s ON s.department = m.department AND s.record_id = m.record_id AND s.version = m.version
            WHERE m.golden_id = @goldenId
            ORDER BY m.department, m.record_id, m.version, m.mention_index
            """,
            new { goldenId },
            cancellationToken: cancellationToken))).ToList();

    private static async Task<RecordLocation> LocationAsync(DbConnection connection, string? grid, string? houseCode, string? address, CancellationToken cancellationToken)
    {
        if (houseCode is null)
        {
            return new RecordLocation(grid, null, null, null, null, address);
        }

        var building = await connection.QuerySingleOrDefaultAsync<(string? Code, double? Longitude, double? Latitude, string? Address)>(new CommandDefinition(
            """
            SELECT b.building_code, b.longitude, b.latitude, h.address
            FROM golden_house h LEFT JOIN building b ON b.building_code = h.building_code
            WHERE h.house_code = @houseCode
            """,
            new { houseCode },
            cancellationToken: cancellationToken));
        return new RecordLocation(grid, houseCode, building.Code, building.Longitude, building.Latitude, address ?? building.Address);
    }

    private static async Task<IEnumerable<RelatedRecord>> RelatedAsync(
        DbConnection connection, string kind, string sql, string key, string relation, RecordScope scope, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string Id, string? Name, string? Grid)>(new CommandDefinition(
            sql + $" LIMIT {RelatedLimit}", new { key }, cancellationToken: cancellationToken)))
        .Where(r => scope.Contains(r.Grid))
        .Select(r => new RelatedRecord(kind, r.Id, r.Name, relation, null));

    /// <summary>Records named in the same source record (a rental: landlord, tenant and house; a contribution: employee and employer).</summary>
    private static async Task<IEnumerable<RelatedRecord>> CoMentionsAsync(DbConnection connection, string goldenId, RecordScope scope, CancellationToken cancellationToken)
    {
        var others = (await connection.QueryAsync<(string Id, string Kind, string Role, string Department)>(new CommandDefinition(
            $"""
            SELECT DISTINCT o.golden_id, o.kind, o.role, o.department
            FROM record_mention m
            JOIN record_mention o ON o.department = m.department AND o.record_id = m.record_id AND o.version = m.version
                                  AND o.mention_index <> m.mention_index
            WHERE m.golden_id = @goldenId AND o.golden_id IS NOT NULL AND o.golden_id <> @goldenId
            ORDER BY o.department, o.role, o.golden_id
            LIMIT {RelatedLimit}
            """,
            new { goldenId },
            cancellationToken: cancellationToken))).ToList();
        var related = new List<RelatedRecord>();
        foreach (var other in others)
        {
            var (sql, id, kind) = other.Id switch
            {
                ['P', ..] => ("SELECT name, grid_code FROM golden_person WHERE golden_id = @id", other.Id, SearchKinds.Person),
                ['E', ..] => ("SELECT name, grid_code FROM golden_legal_entity WHERE golden_id = @id", other.Id, SearchKinds.LegalEntity),
                ['H', .. var code] => ("SELECT address, grid_code FROM golden_house WHERE house_code = @id", code, SearchKinds.House),
                _ => (null, other.Id, other.Kind),
            };
            if (sql is null)
            {
                continue;
            }

            var found = (await connection.QueryAsync<(string? Name, string? Grid)>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken))).ToList();
            if (found is [var record] && scope.Contains(record.Grid))
            {
                related.Add(new RelatedRecord(kind, id, record.Name, "co-mention:" + other.Role, other.Department));
            }
        }

        return related;
    }

    private static List<RelatedRecord> Distinct(List<RelatedRecord> related) =>
        related.DistinctBy(r => (r.Kind, r.Id, r.Relation)).ToList();
}
