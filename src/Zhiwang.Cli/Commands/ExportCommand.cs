using System.CommandLine;
using System.Text;
using Zhiwang.MasterData.Hub;
using Zhiwang.Storage;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang export links --out L.csv</c>: which golden record every source record was linked to (see docs/HUB.md).</summary>
public static class ExportCommand
{
    public static Command Create(DatabaseOptions database)
    {
        var output = new Option<FileInfo>("--out")
        {
            Description = "The CSV file to write: department,record_id,golden_id (record_id#role for mentions other than the subject)",
            Required = true,
        };
        var links = new Command("links", "Write department,record_id,golden_id for every source record the hub holds");
        links.Options.Add(output);
        links.SetAction((parseResult, cancellationToken) => database.RunAsync(parseResult, cancellationToken, async (db, writer) =>
        {
            await db.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, cancellationToken);
            var file = parseResult.GetValue(output)!;
            if (file.DirectoryName is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            long lines;
            await using (var stream = new StreamWriter(file.FullName, false, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                lines = await new LinkExport(db).WriteAsync(stream, cancellationToken);
            }

            await writer.WriteLineAsync($"Wrote {lines:N0} links to {file.FullName}.");
            return 0;
        }));

        var export = new Command("export", "Export from the master data hub.");
        export.Subcommands.Add(links);
        return export;
    }
}
