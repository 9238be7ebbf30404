using System.Globalization;
using Zhiwang.MasterData.Files;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Seeding;

/// <summary>Progress of a load: which file, and how many of its rows are through.</summary>
public sealed record CityLoadProgress(string File, long Rows);

/// <summary>
/// Seeds the city's registries straight from the files <c>zhiwang generate</c> writes: buildings and houses
/// (the standard-address and house-code registry, source <c>house_registry</c>) and city components (the
/// component census, source <c>component_census</c>). Persons and legal entities come only from department
/// records, through the hub (<see cref="Hub.HubImport"/>). Each file loads in one
/// transaction, and loading the same files again adds nothing.
/// </summary>
public sealed class CityFileLoader(Database database, CityTallies tallies)
{
    private const string GridCodeColumn = "grid_code";

    /// <summary>Loads every city file found in <paramref name="directory"/>; returns rows added per table.</summary>
    public async Task<IReadOnlyDictionary<string, long>> LoadAsync(
        string directory, IProgress<CityLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var added = new Dictionary<string, long>();
        foreach (var table in CityFileTable.All)
        {
            var path = Path.Combine(directory, table.FileName);
            if (!File.Exists(path))
            {
                throw new DataFileException(path, 0, null, "the file is missing");
            }

            var columns = table.Columns.Select(c => c.TableColumn).Append("district_code").ToArray();
            var fileProgress = progress is null ? null : new FileProgress(progress, table.FileName);
            added[table.Table] = await database.BulkLoadAsync(table.Table, columns, ReadRows(path, table), cancellationToken, fileProgress);
        }

        await tallies.RefreshAsync(cancellationToken);
        return added;
    }

    private static IEnumerable<object?[]> ReadRows(string path, CityFileTable table)
    {
        using var csv = new CsvRecordReader(path, System.Text.Encoding.UTF8);
        if (!csv.ReadHeader())
        {
            throw new DataFileException(path, 0, null, "the file has no header row");
        }

        var indexes = new int[table.Columns.Count];
        var gridIndex = -1;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            indexes[i] = csv.IndexOf(column.FileColumn);
            if (indexes[i] < 0)
            {
                throw new DataFileException(path, 0, column.FileColumn, "the header lacks this column");
            }

            if (column.FileColumn == GridCodeColumn)
            {
                gridIndex = i;
            }
        }

        while (csv.Read())
        {
            var row = csv.Record;
            var values = new object?[table.Columns.Count + 1];
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var raw = csv.Field(indexes[i]);
                values[i] = Convert(path, row, table.Columns[i], raw);
            }

            var grid = (string)values[gridIndex]!;
            if (grid.Length < 6)
            {
                throw new DataFileException(path, row, GridCodeColumn, $"'{grid}' is not a grid code");
            }

            values[^1] = grid[..6];
            yield return values;
        }
    }

    private static object? Convert(string path, long row, CityFileColumn column, string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return column.Kind is ColumnKind.RequiredText or ColumnKind.Real
                ? throw new DataFileException(path, row, column.FileColumn, "a value is required")
                : null;
        }

        return column.Kind switch
        {
            ColumnKind.Text or ColumnKind.RequiredText => raw,
            ColumnKind.Date => DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new DataFileException(path, row, column.FileColumn, $"'{raw}' is not a date (yyyy-MM-dd)"),
            ColumnKind.Integer => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new DataFileException(path, row, column.FileColumn, $"'{raw}' is not a whole number"),
            ColumnKind.Real => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                ? real
                : throw new DataFileException(path, row, column.FileColumn, $"'{raw}' is not a number"),
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
    }

    /// <summary>
    /// Passes row counts on as they come, on the loading thread: <see cref="Progress{T}"/> would post them to
    /// the thread pool, where they can arrive out of order or after the load has finished.
    /// </summary>
    private sealed class FileProgress(IProgress<CityLoadProgress> progress, string file) : IProgress<long>
    {
        public void Report(long value) => progress.Report(new CityLoadProgress(file, value));
    }
}
