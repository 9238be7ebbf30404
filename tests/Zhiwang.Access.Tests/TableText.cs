using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.Access.Tests;

/// <summary>Everything a table holds, as one text, to look for what must never be stored.</summary>
internal static class TableText
{
    public static async Task<string> AllAsync(Database database, string table)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var rows = await connection.QueryAsync($"SELECT * FROM {table}");
        return string.Join("\n", rows.Cast<IDictionary<string, object?>>().SelectMany(r => r.Values).Select(v => v?.ToString() ?? ""));
    }
}
