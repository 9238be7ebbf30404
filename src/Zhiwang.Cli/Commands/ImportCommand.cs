using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Zhiwang.Geo;
using Zhiwang.MasterData;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.Cli.Commands;

/// <summary>
/// <c>zhiwang import --dir D</c>: loads the registry files in D (when present) and every department extract under
/// D/extracts through the master data hub, with a progress bar per file, then prints what each department gave.
/// Running it again changes nothing.
/// </summary>
public static class ImportCommand
{
    public static Command Create(DatabaseOptions database)
    {
        var directory = new Option<DirectoryInfo>("--dir")
        {
            Description = "A city directory: department extracts under extracts/, and the house registry (buildings.csv, houses.csv, city_components.csv) beside them",
            Required = true,
        };
        var command = new Command("import", "Import department extracts into the master data hub: store every record, link it to golden persons, legal entities and houses, build the golden records");
        command.Options.Add(directory);
        command.SetAction((parseResult, cancellationToken) => database.RunAsync(parseResult, cancellationToken, async (db, output) =>
        {
            var dir = parseResult.GetValue(directory)!;
            var error = parseResult.InvocationConfiguration.Error;
            if (!Directory.Exists(Path.Combine(dir.FullName, "extracts")))
            {
                await error.WriteLineAsync($"{dir.FullName} has no extracts folder to import.");
                return DatabaseOptions.Failed;
            }

            await db.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, cancellationToken);
            try
            {
                return await RunAsync(db, dir.FullName, output, cancellationToken);
            }
            catch (Exception e) when (e is DataFileException or FeedFileException or FeedDeclarationException)
            {
                await error.WriteLineAsync(e.Message.ReplaceLineEndings(" "));
                return DatabaseOptions.Failed;
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(Database database, string directory, TextWriter output, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var tallies = new CityTallies(database, CityMap.Shenzhen);
        var import = new ExtractImport(database, tallies, TimeProvider.System);
        ExtractImportSummary? summary = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var registry = new ImmediateProgress<CityLoadProgress>(p => Task(context, tasks, p.File, 1).Description = $"{Markup.Escape(p.File)}: {p.Rows:N0} rows");
                var extracts = new ImmediateProgress<ExtractProgress>(p =>
                {
                    var task = Task(context, tasks, p.File, Math.Max(1, p.TotalBytes ?? 1));
                    task.Description = $"{Markup.Escape(p.File)} ({p.Department}): {p.Rows:N0} rows";
                    task.Value = p.Done ? task.MaxValue : Math.Min(p.Bytes, task.MaxValue - 1);
                });
                summary = await import.RunAsync(directory, extracts, registry, cancellationToken);
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });

        var seconds = stopwatch.Elapsed.TotalSeconds;
        await output.WriteLineAsync("department        rows  accepted  rejected  duplicates       key  repaired    engine       new  unlinked");
        foreach (var department in summary!.Batches.GroupBy(b => b.Department))
        {
            var b = department.ToList();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{department.Key,-16}{b.Sum(x => x.Rows),7}{b.Sum(x => x.Accepted),10}{b.Sum(x => x.Rejected),10}{b.Sum(x => x.Duplicates),12}{b.Sum(x => x.LinkedByKey),10}{b.Sum(x => x.LinkedByRepairedKey),10}{b.Sum(x => x.LinkedByEngine),10}{b.Sum(x => x.New),10}{b.Sum(x => x.Unlinked),10}"));
        }

        foreach (var file in summary.UnmatchedFiles)
        {
            await output.WriteLineAsync($"skipped {file}: no feed declaration covers it");
        }

        var rows = summary.Batches.Sum(b => b.Rows);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Golden records rebuilt: {summary.Golden.Persons:N0} persons, {summary.Golden.LegalEntities:N0} legal entities; {summary.Golden.Conflicts:N0} conflicts, {summary.Golden.VerificationTasks:N0} verification tasks."));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Imported {rows:N0} rows in {seconds:F1} s ({rows / Math.Max(seconds, 0.001):N0} rows/s) into {database.Description}."));
        return 0;
    }

    private static ProgressTask Task(ProgressContext context, Dictionary<string, ProgressTask> tasks, string file, double maxValue)
    {
        if (!tasks.TryGetValue(file, out var task))
        {
            tasks[file] = task = context.AddTask(Markup.Escape(file), maxValue: maxValue);
        }

        return task;
    }
}
