using Zhiwang.Geo;
using Zhiwang.MasterData.Keys;
using Zhiwang.Synthetic.Extracts;
using Zhiwang.Synthetic.Output;

namespace Zhiwang.Synthetic;

/// <summary>
/// Generates synthetic Shenzhen on the given grids: persons, legal entities, buildings, houses, city
/// components, the grids' GeoJSON, and department extracts with their truth.
/// </summary>
/// <remarks>
/// Pipeline per batch of chunks: build the chunks in parallel (each grid from its own random stream),
/// make ID numbers unique in chunk order on one thread, format every file's rows in parallel into
/// per-chunk byte buffers, then append them in chunk order on a writer task that overlaps the next
/// batch. Two sets of chunk workspaces are reused, so memory stays flat whatever the city's size.
/// </remarks>
public sealed class CityGenerator(IReadOnlyList<Division> divisions, IReadOnlyList<Grid> grids)
{
    private readonly CityMap? _map;

    private CityGenerator(CityMap map)
        : this(map.Divisions, map.Grids) => _map = map;

    /// <summary>A generator for a whole map (Shenzhen: <c>CityGenerator.ForCity(CityMap.Shenzhen)</c>).</summary>
    public static CityGenerator ForCity(CityMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new CityGenerator(map);
    }

    /// <summary>Department extract files written, relative to the output directory.</summary>
    public static IReadOnlyList<string> ExtractFiles { get; } = Departments.All.Select(d => d.File.RelativePath).ToArray();

    /// <summary>Truth files, one per extract, relative to the output directory.</summary>
    public static IReadOnlyList<string> TruthFiles { get; } = Departments.All.Select(d => d.TruthFile.RelativePath).ToArray();

    /// <summary>The five city files the server bulk-loads.</summary>
    public static IReadOnlyList<string> CityFileNames { get; } = CityFiles.All.Select(f => f.RelativePath).ToArray();

    public async Task<GenerationSummary> GenerateAsync(SyntheticCityOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = new CityPlan(options.Seed, options.Persons, grids, divisions);
        Directory.CreateDirectory(options.OutputDirectory);
        var geoJsonPath = Path.Combine(options.OutputDirectory, "grids.geojson");
        if (_map is not null)
        {
            await using var stream = new FileStream(geoJsonPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            GeoJsonWriter.Write(stream, _map, _map.Divisions.Where(d => d.Level == DivisionLevel.Grid));
        }
        else
        {
            // Grids given without a map (tests, a demo district): the same properties, written here.
            var names = divisions.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);
            GridGeoJson.Write(geoJsonPath, plan.Grids, names);
        }

        var files = new List<OutputFile>(CityFiles.All);
        foreach (var department in Departments.All)
        {
            files.Add(department.File);
            files.Add(department.TruthFile);
        }

        var writers = files.Select(f => new OutputFileWriter(options.OutputDirectory, f, options.MaxRowsPerSheet)).ToArray();
        try
        {
            var degree = Math.Max(1, options.MaxDegreeOfParallelism);
            var batchSize = Math.Max(2, degree * 2);
            var sets = new[] { CreateWorkspaces(batchSize, files), CreateWorkspaces(batchSize, files) };
            var registry = new IdRegistry(plan.PersonCount);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken };
            var pending = Task.CompletedTask;
            long personsWritten = 0;
            for (var (first, batch) = (0, 0); first < plan.ChunkCount; first += batchSize, batch++)
            {
                var set = sets[batch % 2];
                var count = Math.Min(batchSize, plan.ChunkCount - first);
                var firstChunk = first;
                Parallel.For(0, count, parallel, i => set[i].Build(plan, firstChunk + i));
                for (var i = 0; i < count; i++)
                {
                    set[i].ClaimIds(registry);
                }

                Parallel.For(0, count, parallel, i => set[i].Format(plan, files, options.Noise));
                await pending;
                var persons = set.Take(count).Sum(w => w.Model.Persons.Count);
                pending = Task.Run(() =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        for (var f = 0; f < writers.Length; f++)
                        {
                            writers[f].Write(set[i].Sinks[f]);
                        }
                    }

                    personsWritten += persons;
                    options.Progress?.Report(new GenerationProgress(personsWritten, plan.PersonCount));
                }, cancellationToken);
            }

            await pending;
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }
        }

        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var f = 0; f < files.Count; f++)
        {
            rows[files[f].RelativePath] = writers[f].Rows;
        }

        return new GenerationSummary(plan.PersonCount, plan.EntityCount, plan.BuildingCount, plan.HouseCount,
            plan.ComponentCount, plan.Grids.Length, rows);
    }

    private static Workspace[] CreateWorkspaces(int count, List<OutputFile> files) =>
        Enumerable.Range(0, count).Select(_ => new Workspace(files)).ToArray();

    /// <summary>One chunk's model and its rows for every file, reused from batch to batch.</summary>
    private sealed class Workspace(List<OutputFile> files)
    {
        private readonly Dictionary<int, EntityProfile> _profiles = [];
        private ChunkBuilder? _builder;

        public ChunkModel Model { get; } = new();

        public TextSink[] Sinks { get; } = files.Select(f => f.CreateSink()).ToArray();

        public void Build(CityPlan plan, int chunkIndex)
        {
            _builder ??= new ChunkBuilder(plan);
            _builder.Build(Model, chunkIndex);
        }

        public void ClaimIds(IdRegistry registry)
        {
            var persons = Model.Persons;
            for (var p = 0; p < persons.Count; p++)
            {
                persons[p].IdBody = registry.Claim(persons[p].IdBody);
            }
        }

        public void Format(CityPlan plan, List<OutputFile> files, NoiseRates noise)
        {
            _profiles.Clear();
            var persons = Model.Persons;
            for (var p = 0; p < persons.Count; p++)
            {
                ref var person = ref persons[p];
                person.IdNumber = FormatId(person.IdBody);
                person.EmployerProfile = person.Employer < 0 ? null : Profile(plan, person.Employer);
            }

            foreach (var sink in Sinks)
            {
                sink.Clear();
            }

            CityFiles.WritePersons(plan, Model, Sinks[0]);
            CityFiles.WriteLegalEntities(plan, Model, Sinks[1]);
            CityFiles.WriteBuildings(plan, Model, Sinks[2]);
            CityFiles.WriteHouses(plan, Model, Sinks[3]);
            CityFiles.WriteComponents(plan, Model, Sinks[4]);
            for (var d = 0; d < Departments.All.Count; d++)
            {
                var department = Departments.All[d];
                department.Write(new ExtractContext(plan, Model, department, Sinks[5 + (2 * d)], Sinks[6 + (2 * d)], noise));
            }

            for (var f = 0; f < Sinks.Length; f++)
            {
                Sinks[f].Encode(files[f].Encoding);
            }
        }

        private EntityProfile Profile(CityPlan plan, int entity)
        {
            if (!_profiles.TryGetValue(entity, out var profile))
            {
                profile = plan.ProfileOf(entity);
                _profiles[entity] = profile;
            }

            return profile;
        }

        private static string FormatId(long body) =>
            string.Create(IdNumber.Length, body, static (span, b) =>
            {
                span[17] = IdNumber.CheckCharacter(b);
                for (var i = 16; i >= 0; i--)
                {
                    span[i] = (char)('0' + (b % 10));
                    b /= 10;
                }
            });
    }
}
