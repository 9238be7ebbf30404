using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zhiwang.Geo;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.Server.Tests.Home;

/// <summary>
/// Counts for the map when the host has not registered <see cref="CityTallies"/> itself: a SQLite file
/// with a made-up, deterministic <c>grid_tally</c> row for every grid, read by the real CityTallies.
/// Once the host registers its own (over the seeded demo city), that one wins.
/// </summary>
internal static class TestTallies
{
    public static void Register(IServiceCollection services, string dataDirectory) =>
        services.TryAddSingleton(_ => new CityTallies(Create(Path.Combine(dataDirectory, "test-tallies.db")), CityMap.Shenzhen));

    private static Database Create(string path)
    {
        var database = Database.Sqlite(path);
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText =
                "CREATE TABLE IF NOT EXISTS grid_tally (grid_code TEXT PRIMARY KEY, persons INTEGER NOT NULL, legal_entities INTEGER NOT NULL, houses INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO grid_tally VALUES ($code, $persons, $legal_entities, $houses)";
        var code = insert.Parameters.Add("$code", SqliteType.Text);
        var persons = insert.Parameters.Add("$persons", SqliteType.Integer);
        var legalEntities = insert.Parameters.Add("$legal_entities", SqliteType.Integer);
        var houses = insert.Parameters.Add("$houses", SqliteType.Integer);
        foreach (var grid in CityMap.Shenzhen.Grids)
        {
            var seed = (long)(uint)StableHash(grid.Code);
            code.Value = grid.Code;
            persons.Value = 200 + (seed % 2_800);
            legalEntities.Value = 10 + (seed % 170);
            houses.Value = 80 + (seed % 1_000);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return database;
    }

    private static int StableHash(string value)
    {
        var hash = 17;
        foreach (var c in value)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
