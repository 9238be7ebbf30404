using System.Text;

namespace Zhiwang.Synthetic.Tests;

/// <summary>A city generated once per test class into a temporary directory, with simple CSV reading.</summary>
public sealed class GeneratedCity : IDisposable
{
    public const int Persons = 12_000;
    public const long Seed = 7;

    public GeneratedCity()
    {
        Directory = Path.Combine(Path.GetTempPath(), "zhiwang-synthetic-" + Guid.NewGuid().ToString("N"));
        Summary = Generate(Directory, Seed, Persons);
    }

    public string Directory { get; }

    public GenerationSummary Summary { get; }

    public static GenerationSummary Generate(string directory, long seed, int persons, int threads = 2, NoiseRates? noise = null, int? rowsPerSheet = null)
    {
        var (divisions, grids) = TestCity.Build();
        var options = new SyntheticCityOptions
        {
            OutputDirectory = directory,
            Seed = seed,
            Persons = persons,
            MaxDegreeOfParallelism = threads,
            Noise = noise ?? NoiseRates.Documented,
            MaxRowsPerSheet = rowsPerSheet ?? 1_048_575,
        };
        return new CityGenerator(divisions, grids).GenerateAsync(options, CancellationToken.None).GetAwaiter().GetResult();
    }

    public List<Dictionary<string, string>> Read(string relativePath, Encoding? encoding = null, char separator = ',') =>
        ReadCsv(Path.Combine(Directory, relativePath), encoding ?? Encoding.UTF8, separator);

    /// <summary>RFC 4180 reading: quoted fields may hold separators, quotes doubled.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path, Encoding encoding, char separator)
    {
        var lines = File.ReadAllLines(path, encoding);
        var header = Split(lines[0].TrimStart('\uFEFF'), separator);
        var rows = new List<Dictionary<string, string>>(lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var fields = Split(line, separator);
            fields.Count.ShouldBe(header.Count, line);
            var row = new Dictionary<string, string>(header.Count);
            for (var i = 0; i < header.Count; i++)
            {
                row[header[i]] = fields[i];
            }

            rows.Add(row);
        }

        return rows;
    }

    public static List<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
