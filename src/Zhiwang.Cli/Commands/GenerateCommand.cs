using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Zhiwang.Geo;
using Zhiwang.Synthetic;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang generate --out DIR [--seed S] [--persons N]</c>: writes a synthetic Shenzhen.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory to write the city files, extracts and truth into",
            Required = true,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Random seed; the same seed and person count give byte-identical files",
            DefaultValueFactory = _ => 42,
        };
        var persons = new Option<int>("--persons")
        {
            Description = "Number of persons (the whole city is about 18,000,000)",
            DefaultValueFactory = _ => 100_000,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Worker threads; the output does not depend on it",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };

        var command = new Command("generate", "Generate a synthetic Shenzhen: persons, legal entities, houses, city components and department extracts");
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(persons);
        command.Options.Add(threads);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new SyntheticCityOptions
            {
                OutputDirectory = parseResult.GetValue(output)!.FullName,
                Seed = parseResult.GetValue(seed),
                Persons = parseResult.GetValue(persons),
                MaxDegreeOfParallelism = Math.Max(1, parseResult.GetValue(threads)),
            };
            if (options.Persons <= 0)
            {
                AnsiConsole.MarkupLine("[red]--persons must be positive.[/]");
                return 1;
            }

            return await RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(SyntheticCityOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = new Stopwatch();
        GenerationSummary? summary = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var mapTask = context.AddTask("Loading the map of Shenzhen", maxValue: 1);
                var map = CityMap.Shenzhen;
                mapTask.Increment(1);
                var task = context.AddTask($"Generating {options.Persons:N0} persons", maxValue: options.Persons);
                // Timed without the map, which is built once per process and is Geo's cost, not the generator's.
                stopwatch.Start();
                var progress = new SynchronousProgress(p => task.Value = p.PersonsWritten);
                summary = await CityGenerator.ForCity(map).GenerateAsync(options with { Progress = progress }, cancellationToken);
                task.Value = task.MaxValue;
            });

        stopwatch.Stop();
        var table = new Table().AddColumn("file").AddColumn(new TableColumn("rows").RightAligned());
        foreach (var (file, rows) in summary!.RowsByFile)
        {
            table.AddRow(Markup.Escape(file), rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        AnsiConsole.MarkupLine(
            $"Wrote {summary.Persons:N0} persons, {summary.LegalEntities:N0} legal entities, {summary.Houses:N0} houses in {summary.Buildings:N0} buildings " +
            $"and {summary.CityComponents:N0} city components on {summary.Grids:N0} grids to [green]{Markup.Escape(options.OutputDirectory)}[/] " +
            $"in {seconds:F1} s ({summary.Persons / Math.Max(seconds, 0.001):N0} persons/s, map loading not counted).");
        return 0;
    }

    /// <summary>Reports on the generator's writer thread; Progress&lt;T&gt; would post to the thread pool out of order.</summary>
    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
