using Dapper;
using Zhiwang.Linkage.Text;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>
/// Keeps <c>golden_search</c>: one row per golden person, legal entity and house with its key, name, the name's
/// pinyin and initials, its address and grid. Rebuilt whole from the golden tables; the hub calls
/// <see cref="RebuildAsync"/> after an import completes. Running it again gives the same rows.
/// </summary>
public sealed class SearchIndex(Database database)
{
    private static readonly string[] Columns = ["golden_id", "kind", "record_key", "name", "name_pinyin", "name_initials", "address", "grid_code"];

    /// <summary>Replaces the index with what the golden tables hold now; returns the rows written.</summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            foreach (var p in await connection.QueryAsync<(string Id, string? Key, string? Name, string? Address, string? Grid)>(new CommandDefinition(
                "SELECT golden_id, id_number, name, address, grid_code FROM golden_person", cancellationToken: cancellationToken)))
            {
                rows.Add(Row(p.Id, SearchKinds.Person, p.Key, p.Name, p.Address, p.Grid, personName: true));
            }

            foreach (var e in await connection.QueryAsync<(string Id, string? Key, string? Name, string? Address, string? Grid)>(new CommandDefinition(
                "SELECT golden_id, credit_code, name, address, grid_code FROM golden_legal_entity", cancellationToken: cancellationToken)))
            {
                rows.Add(Row(e.Id, SearchKinds.LegalEntity, e.Key, e.Name, e.Address, e.Grid, personName: false));
            }

            foreach (var h in await connection.QueryAsync<(string Code, string? Address, string? Grid)>(new CommandDefinition(
                "SELECT house_code, address, grid_code FROM golden_house", cancellationToken: cancellationToken)))
            {
                // A house's name is its address; its golden id is its house code.
                rows.Add(Row(h.Code, SearchKinds.House, h.Code, null, h.Address, h.Grid, personName: false));
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM golden_search", cancellationToken: cancellationToken));
        }

        return await database.BulkLoadAsync("golden_search", Columns, rows, cancellationToken);
    }

    private static object?[] Row(string id, string kind, string? key, string? name, string? address, string? grid, bool personName)
    {
        var pinyin = string.IsNullOrWhiteSpace(name) ? null : personName ? ChineseText.NamePinyin(name) : ChineseText.ToPinyin(name);
        var initials = string.IsNullOrWhiteSpace(name) ? null : personName ? ChineseText.NamePinyinInitials(name) : ChineseText.PinyinInitials(name);
        return [id, kind, key, name, NullIfEmpty(pinyin), NullIfEmpty(initials), address, grid];
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>The kinds of golden record, as stored in <c>golden_search.kind</c> and <c>record_mention.kind</c>.</summary>
public static class SearchKinds
{
    public const string Person = "person";
    public const string LegalEntity = "legal_entity";
    public const string House = "house";
}
