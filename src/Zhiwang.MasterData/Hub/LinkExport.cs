using System.Data.Common;
using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// <c>department,record_id,golden_id</c> for the latest version of every source record: one line per mention, the
/// record id alone for a subject and <c>record_id#role</c> for any other role (JY000000000003#guardian). A mention
/// the hub could not link has an empty golden id. See docs/HUB.md.
/// </summary>
public sealed class LinkExport(Database database)
{
    public const string Header = "department,record_id,golden_id";
    public const string SubjectRole = "subject";

    /// <summary>Writes the links; returns how many lines (without the header).</summary>
    public async Task<long> WriteAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await writer.WriteLineAsync(Header);
        long lines = 0;
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT m.department, m.record_id, m.role, m.golden_id
            FROM record_mention m
            JOIN (SELECT department, record_id, MAX(version) AS version FROM source_record GROUP BY department, record_id) latest
              ON latest.department = m.department AND latest.record_id = m.record_id AND latest.version = m.version
            ORDER BY m.department, m.record_id, m.mention_index
            """;
        command.CommandTimeout = 0;
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var role = reader.GetString(2);
            var recordId = role == SubjectRole ? reader.GetString(1) : reader.GetString(1) + "#" + role;
            var goldenId = reader.IsDBNull(3) ? "" : reader.GetString(3);
            await writer.WriteLineAsync($"{reader.GetString(0)},{recordId},{goldenId}");
            lines++;
        }

        return lines;
    }
}
