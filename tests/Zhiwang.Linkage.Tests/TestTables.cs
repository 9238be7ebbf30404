using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage.Tests;

internal static class TestTables
{
    /// <summary>A table from rows of "column=value" cells; every row is in source "a" unless it has a source= cell.</summary>
    public static RecordTable Build(string[] columns, params string[][] rows)
    {
        var table = new RecordTable(columns);
        foreach (var row in rows)
        {
            table.Add("a", row);
        }

        return table;
    }

    public static LinkageSettings Settings(string json) => LinkageSettings.Parse(json, "test.json");

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zhiwang.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Zhiwang.slnx not found above " + AppContext.BaseDirectory);
    }
}
