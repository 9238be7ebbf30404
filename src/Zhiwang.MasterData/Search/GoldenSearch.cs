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

/// <summary>
/// Searches <c>golden_search</c> inside a reader's scope: by key, name with ID tail, pinyin, name or address fragment.
/// Every kind of query is answered from an index: keys and names by btree, fragments of 3 or more characters through
/// the trigram index (SQLite FTS5, PostgreSQL pg_trgm). Chinese text of 1 or 2 characters is a name prefix search: a
/// trigram index cannot answer it, and such a text is nearly always a surname or a whole two-character name.
/// </summary>
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

        var sql = Sql(query, scope, database.Provider);
        var parameters = Parameters(query, scope);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var hits = await connection.QueryAsync<SearchHit>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return new SearchResults(query, hits.ToList());
    }

    /// <summary>The statement answering <paramref name="query"/> (not <see cref="SearchQueryKind.Invalid"/>) on a provider.</summary>
    internal static string Sql(SearchQuery query, RecordScope scope, DatabaseProvider provider)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        var (where, rank) = query.Kind switch
        {
            SearchQueryKind.Key => ("record_key = @text", "name"),
            SearchQueryKind.NameAndIdTail => ("kind = 'person' AND name = @name AND record_key LIKE @tailLike ESCAPE '\\'", "name"),
            SearchQueryKind.Pinyin => (
                $"({Prefix("name_pinyin", sqlite)} OR name_initials = @text)",
                "CASE WHEN name_pinyin = @text OR name_initials = @text THEN 0 ELSE 1 END"),
            _ when query.IsFragment => (
                // Fewer candidates than rows: the trigram index narrows, LIKE decides (and keeps SQLite's LIKE semantics).
                // SQLite also reads the few rows still waiting for the fragment index (SearchIndex's backlog).
                sqlite
                    ? """
                      (search_id IN (SELECT rowid FROM golden_search_fragment WHERE golden_search_fragment MATCH @trigrams)
                       OR search_id IN (SELECT search_id FROM golden_search_fragment_backlog WHERE action = 'add'))
                      AND (name LIKE @containsLike ESCAPE '\' OR address LIKE @containsLike ESCAPE '\')
                      """
                    : "(name LIKE @containsLike ESCAPE '\\' OR address LIKE @containsLike ESCAPE '\\')",
                TextRank),
            // Two characters are often a place ("沙湾", "福田"): the start of a name by index, or inside an address by a
            // scan no trigram index can spare (it has to read every address, so it is the slow query of the lot).
            _ when query.Text.EnumerateRunes().Count() == 2 => ($"({Prefix("name", sqlite)} OR address LIKE @containsLike ESCAPE '\\')", TextRank),
            _ => (Prefix("name", sqlite), TextRank),
        };
        return $"""
            SELECT kind AS Kind, golden_id AS GoldenId, record_key AS Key, name AS Name, address AS Address, grid_code AS GridCode
            FROM golden_search
            WHERE {where} AND {scope.Condition("grid_code")}
            ORDER BY CASE kind WHEN 'person' THEN 0 WHEN 'legal_entity' THEN 1 ELSE 2 END, {rank}, name, address, golden_id
            LIMIT {Limit}
            """;
    }

    /// <summary>The parameters of <see cref="Sql"/>.</summary>
    internal static object Parameters(SearchQuery query, RecordScope scope) => new
    {
        text = query.Text,
        name = query.Name,
        tailLike = "%" + EscapeLike(query.Tail ?? ""),
        prefixLike = EscapeLike(query.Text) + "%",
        prefixEnd = query.Text + PrefixEnd,
        containsLike = "%" + EscapeLike(query.Text) + "%",
        trigrams = Trigrams(query.Text),
        scopeCode = scope.Code,
        scopeLength = scope.Length,
    };

    private const string TextRank = "CASE WHEN name = @text THEN 0 WHEN name LIKE @prefixLike ESCAPE '\\' THEN 1 ELSE 2 END";

    // Above every character: in UTF-8 byte order (SQLite's BINARY), a text starting with the prefix sorts before prefix + U+10FFFF.
    private const string PrefixEnd = "\U0010FFFF";

    /// <summary>
    /// A column starting with <c>@prefixLike</c>, answered by the column's index. SQLite's LIKE is case-insensitive, so it
    /// uses no index on a BINARY column: the range on the index narrows and LIKE decides. PostgreSQL's indexes on these
    /// columns are text_pattern_ops, which serve LIKE 'prefix%' directly.
    /// </summary>
    private static string Prefix(string column, bool sqlite) => sqlite
        ? $"({column} >= @text AND {column} < @prefixEnd AND {column} LIKE @prefixLike ESCAPE '\\')"
        : $"{column} LIKE @prefixLike ESCAPE '\\'";

    /// <summary>
    /// An FTS5 query for rows holding every trigram of <paramref name="text"/>, each quoted so it is only characters. The
    /// fragment index stores no positions (detail=none), so it cannot match a phrase; the LIKE beside it checks the order.
    /// </summary>
    internal static string Trigrams(string text)
    {
        var runes = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        var trigrams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= runes.Length; i++)
        {
            trigrams.Add("\"" + string.Concat(runes[i..(i + 3)]).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
        }

        return string.Join(" AND ", trigrams);
    }

    /// <summary>The searcher's % and _ are literal characters, not wildcards.</summary>
    internal static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
