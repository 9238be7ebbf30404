using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>One golden record found: its kind, golden id (a house: its house code), key, name, address and grid. Values are as stored, not masked.</summary>
public sealed record SearchHit(string Kind, string GoldenId, string? Key, string? Name, string? Address, string? GridCode);

/// <summary>What a search found, at most <see cref="GoldenSearch.Limit"/> hits, best first within each kind.</summary>
public sealed record SearchResults(SearchQuery Query, IReadOnlyList<SearchHit> Hits)
{
    public IEnumerable<IGrouping<string, SearchHit>> ByKind =>
        Hits.GroupBy(h => h.Kind).OrderBy(g => g.Key switch { SearchKinds.Person => 0, SearchKinds.LegalEntity => 1, _ => 2 });
}

/// <summary>Searches <c>golden_search</c> inside a reader's scope: by key, name with ID tail, pinyin, name or address fragment.</summary>
public sealed class GoldenSearch(Database database)
{
    public const int Limit = 60;

    public async Task<SearchResults> SearchAsync(string? text, RecordScope scope, CancellationToken cancellationToken)
    {
        var query = SearchQuery.Parse(text);
        if (query.Kind == SearchQueryKind.Invalid)
        {
            return new SearchResults(query, []);
        }

        var (where, rank) = query.Kind switch
        {
            SearchQueryKind.Key => ("record_key = @text", "name"),
            SearchQueryKind.NameAndIdTail => ("kind = 'person' AND name = @name AND record_key LIKE @tailLike ESCAPE '\\'", "name"),
            SearchQueryKind.Pinyin => (
                "(name_pinyin LIKE @prefixLike ESCAPE '\\' OR name_initials = @text)",
                "CASE WHEN name_pinyin = @text OR name_initials = @text THEN 0 ELSE 1 END"),
            _ => (
                "(name LIKE @prefixLike ESCAPE '\\' OR address LIKE @containsLike ESCAPE '\\')",
                "CASE WHEN name = @text THEN 0 WHEN name LIKE @prefixLike ESCAPE '\\' THEN 1 ELSE 2 END"),
        };
        var sql = $"""
            SELECT kind AS Kind, golden_id AS GoldenId, record_key AS Key, name AS Name, address AS Address, grid_code AS GridCode
            FROM golden_search
            WHERE {where} AND {scope.Condition("grid_code")}
            ORDER BY CASE kind WHEN 'person' THEN 0 WHEN 'legal_entity' THEN 1 ELSE 2 END, {rank}, name, address, golden_id
            LIMIT {Limit}
            """;
        var parameters = new
        {
            text = query.Text,
            name = query.Name,
            tailLike = "%" + EscapeLike(query.Tail ?? ""),
            prefixLike = EscapeLike(query.Text) + "%",
            containsLike = "%" + EscapeLike(query.Text) + "%",
            scopeCode = scope.Code,
            scopeLength = scope.Length,
        };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var hits = await connection.QueryAsync<SearchHit>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return new SearchResults(query, hits.ToList());
    }

    /// <summary>The searcher's % and _ are literal characters, not wildcards.</summary>
    internal static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
