using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Zhiwang.Linkage;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;
using Zhiwang.Linkage.Settings;
using Zhiwang.MasterData.Files;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang link --settings S.json --input A.csv [--input B.csv …] --out clusters.csv</c>: trains, scores and clusters.</summary>
public static class LinkCommand
{
    private static readonly JsonSerializerOptions ExplanationJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var settings = new Option<FileInfo>("--settings") { Description = "Linkage settings (JSON, see docs/LINKAGE.md)", Required = true };
        var inputs = new Option<FileInfo[]>("--input")
        {
            Description = "CSV input with a header row, UTF-8 or GBK; repeat for several inputs (its file name is the source)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<FileInfo>("--out") { Description = "Where to write record_id,cluster_id", Required = true };
        var pairs = new Option<FileInfo?>("--pairs") { Description = "Also write the kept scored pairs: left_id,right_id,match_weight,match_probability" };
        var explain = new Option<FileInfo?>("--explain") { Description = "Also write one JSON explanation per line for every pair at or above the threshold" };
        var threads = new Option<int>("--threads") { Description = "Worker threads", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("link", "Link records: train a model without labels, score candidate pairs, cluster them into persons (or entities)");
        command.Options.Add(settings);
        command.Options.Add(inputs);
        command.Options.Add(output);
        command.Options.Add(pairs);
        command.Options.Add(explain);
        command.Options.Add(threads);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var outputWriter = parseResult.InvocationConfiguration.Output;
            try
            {
                return await RunAsync(
                    parseResult.GetValue(settings)!,
                    parseResult.GetValue(inputs)!,
                    parseResult.GetValue(output)!,
                    parseResult.GetValue(pairs),
                    parseResult.GetValue(explain),
                    Math.Max(1, parseResult.GetValue(threads)),
                    outputWriter,
                    error,
                    cancellationToken);
            }
            catch (Exception e) when (e is LinkageSettingsException or LinkageException or FormatException or IOException)
            {
                await error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo settingsFile, FileInfo[] inputs, FileInfo outputFile, FileInfo? pairsFile, FileInfo? explainFile, int threads, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var settings = LinkageSettings.Load(settingsFile.FullName);
        var table = await Task.Run(() => Read(settings, settingsFile.Name, inputs, error), cancellationToken);
        var options = new LinkageOptions
        {
            MaxDegreeOfParallelism = threads,
            CancellationToken = cancellationToken,
            Progress = new StageProgress(error),
        };
        var result = await Task.Run(() => Linker.Run(settings, table, options), cancellationToken);
        var idColumn = table.ColumnIndex(settings.UniqueIdColumn);
        var several = inputs.Length > 1;
        await using (var writer = new StreamWriter(outputFile.FullName, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync(several ? "record_id,cluster_id,source" : "record_id,cluster_id");
            for (var i = 0; i < table.Count; i++)
            {
                var line = $"{Csv(table.Value(i, idColumn))},{Csv(result.Clusters.ClusterId(i))}";
                await writer.WriteLineAsync(several ? $"{line},{Csv(table.Source(i))}" : line);
            }
        }

        if (pairsFile is not null)
        {
            await using var writer = new StreamWriter(pairsFile.FullName, false, new UTF8Encoding(false));
            await writer.WriteLineAsync("left_id,right_id,match_weight,match_probability");
            foreach (var pair in result.Prediction.Pairs)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Csv(table.Value(pair.Left, idColumn))},{Csv(table.Value(pair.Right, idColumn))},{pair.MatchWeight:F4},{pair.MatchProbability:G6}"));
            }
        }

        if (explainFile is not null)
        {
            var scorer = new PairScorer(result.Model, table);
            await using var writer = new StreamWriter(explainFile.FullName, false, new UTF8Encoding(false));
            foreach (var pair in result.Prediction.Pairs.Where(p => p.MatchWeight >= result.Model.ThresholdMatchWeight))
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(scorer.Explain(pair.Left, pair.Right), ExplanationJson));
            }
        }

        var links = result.Prediction.Pairs.Count(p => p.MatchWeight >= result.Model.ThresholdMatchWeight);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Linked {table.Count:N0} records: {result.Prediction.CandidatePairs:N0} candidate pairs, {links:N0} links, {result.Clusters.Count:N0} clusters, " +
            $"prior {result.Model.Prior:G3}, threshold weight {result.Model.ThresholdMatchWeight:F2}, {stopwatch.Elapsed.TotalSeconds:F1} s; wrote {outputFile.FullName}"));
        return 0;
    }

    private static RecordTable Read(LinkageSettings settings, string settingsName, FileInfo[] inputs, TextWriter error)
    {
        RecordTable? table = null;
        int[]? map = null;
        foreach (var input in inputs)
        {
            var encoding = DetectEncoding(input.FullName);
            using var reader = new CsvRecordReader(new StreamReader(input.FullName, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
            if (!reader.ReadHeader())
            {
                throw new FormatException($"{input.FullName}: the file is empty (a header row is needed)");
            }

            var header = reader.Header.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
            foreach (var column in settings.Columns)
            {
                if (!header.Contains(column, StringComparer.Ordinal))
                {
                    throw new LinkageException($"{settingsName}: column '{column}' is not in {input.FullName} (its columns: {string.Join(", ", header)})");
                }
            }

            // Only the columns the settings use are kept: the rest would cost memory for nothing.
            table ??= new RecordTable(settings.Columns);
            map = table.Columns.Select(c => Array.IndexOf(header, c)).ToArray();
            var source = Path.GetFileNameWithoutExtension(input.Name);
            var values = new string?[map.Length];
            while (reader.Read())
            {
                for (var c = 0; c < map.Length; c++)
                {
                    values[c] = reader.Field(map[c]);
                }

                if (string.IsNullOrWhiteSpace(values[0]))
                {
                    throw new FormatException($"{input.FullName}: record {reader.Record}: the unique id column '{settings.UniqueIdColumn}' is empty");
                }

                table.Add(source, values);
            }

            error.WriteLine($"read {reader.Record:N0} records from {input.Name} ({encoding.WebName})");
        }

        return table!;
    }

    /// <summary>UTF-8 when the start of the file decodes strictly as UTF-8, else GBK (code page 936).</summary>
    internal static Encoding DetectEncoding(string path)
    {
        var buffer = new byte[1 << 20];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        try
        {
            // flush: false, so a character cut at the buffer's end is not taken for bad UTF-8.
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder().GetCharCount(buffer, 0, read, flush: false);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(936);
        }
    }

    private static string Csv(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    /// <summary>One stderr line per stage change, not per report: progress stays readable in logs.</summary>
    private sealed class StageProgress(TextWriter error) : IProgress<LinkageProgress>
    {
        private string? _stage;

        public void Report(LinkageProgress value)
        {
            if (value.Stage != _stage)
            {
                _stage = value.Stage;
                error.WriteLine(value.Stage);
            }
        }
    }
}
