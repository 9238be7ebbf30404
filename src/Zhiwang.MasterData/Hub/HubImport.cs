using System.Data.Common;
using Dapper;
using Zhiwang.Linkage.Model;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>What one file's import did.</summary>
public sealed record ImportBatchSummary(
    long BatchId,
    string Department,
    string File,
    long Rows,
    long Accepted,
    long Rejected,
    long Duplicates,
    long LinkedByKey,
    long LinkedByRepairedKey,
    long LinkedByEngine,
    long New,
    long Unlinked);

/// <summary>What completing an import did: golden records rebuilt, conflicts and tasks raised, and each batch's final counts.</summary>
public sealed record GoldenSummary(long Persons, long LegalEntities, long Conflicts, long VerificationTasks, IReadOnlyList<ImportBatchSummary> Batches)
{
    /// <summary>How long each stage of completing the import took, in order (for the operator and the benchmarks).</summary>
    public IReadOnlyList<CompletionStage> Stages { get; init; } = [];
}

/// <summary>One stage of <see cref="HubImport.CompleteAsync"/> and its wall time.</summary>
public sealed record CompletionStage(string Name, TimeSpan Elapsed);

/// <summary>
/// One import into the master data hub: every record stored as received (idempotent by department and record id;
/// a changed record is a new version and the old one is kept), each mention linked with the key indexes held in
/// memory, rows written in bulk; <see cref="CompleteAsync"/> then rebuilds the golden records the import touched,
/// with the source and reason of every attribute, the conflicts and the verification tasks.
/// One import at a time writes to a database: ids for batches, conflicts and tasks are handed out in memory.
/// A batch writes as it reads (each flush its own transaction); <see cref="ImportInOneTransactionAsync"/> writes a few
/// records, their links and golden records in one commit. An instance can serve one import after another (the
/// warm hub of <see cref="LiveHub"/>); after a failed write its memory is ahead of the database and it must be dropped.
/// </summary>
public sealed class HubImport
{
    private const int FlushEvery = 20_000;

    /// <summary>Up to this many rebuilt golden records have their search rows rewritten; more rebuild the search index.</summary>
    private const int SearchRefreshLimit = 20_000;
    private const string SubjectRole = "subject";
    private const string LandlordRole = "landlord";

    private readonly Database _database;
    private readonly TimeProvider _timeProvider;
    private readonly CityTallies? _tallies;
    private readonly HubLinker _linker;
    private readonly Dictionary<string, string> _houseGrid;
    // The latest version of every stored record and the first 128 bits of its content hash: 16 bytes a record where
    // the hex text took 150 (a whole city's 42 million records are held in memory).
    private readonly Dictionary<(string Department, string RecordId), (long Version, UInt128 Hash)> _latest;
    private readonly Dictionary<string, List<Contribution>> _contributions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly List<(string Department, string RecordId, long Version)> _superseded = [];
    private readonly HashSet<long> _batches = [];
    private readonly Dictionary<string, string> _residence = new(StringComparer.Ordinal);
    private readonly List<PendingRecord> _pending = [];
    private readonly Dictionary<long, long[]> _methods = [];
    private readonly Dictionary<long, ImportBatchSummary> _summaries = [];
    private readonly HashSet<string> _storedModels = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, LinkageModel>? _storedModelsRead;
    private long _firstNewPerson;
    private long _firstNewEntity;
    private (DbConnection Connection, DbTransaction Transaction)? _unit;
    private Task _writing = Task.CompletedTask;
    private long _lastBatch;
    private long _lastConflict;
    private long _lastTask;

    private HubImport(Database database, TimeProvider timeProvider, CityTallies? tallies, State state)
    {
        _database = database;
        _timeProvider = timeProvider;
        _tallies = tallies;
        _houseGrid = state.HouseGrid;
        _latest = state.Latest;
        _lastBatch = state.LastBatch;
        _lastConflict = state.LastConflict;
        _lastTask = state.LastTask;
        _firstNewPerson = state.LastPerson + 1;
        _firstNewEntity = state.LastEntity + 1;
        _linker = new HubLinker(state.HouseGrid.Keys, state.HouseOwners, state.LastPerson, state.LastEntity);
        foreach (var person in state.Persons)
        {
            _linker.KnowPerson(person.GoldenId, person.IdNumber, person.Name, person.BirthDate, person.Sex, person.HouseCode ?? person.Address, person.Phone);
            _linker.ObserveGoldenPerson(person.GoldenId, person.IdNumber, person.Name, person.BirthDate, person.Sex, person.HouseCode ?? person.Address, person.Phone);
        }

        foreach (var entity in state.Entities)
        {
            _linker.KnowEntity(entity.GoldenId, entity.CreditCode, entity.Name);
            _linker.ObserveGoldenEntity(entity.GoldenId, entity.Name);
        }
    }

    /// <summary>The last import batch id handed out: another writer's batch after it means this instance's memory is stale.</summary>
    public long LastBatch => _lastBatch;

    /// <summary>Conflicts and tasks may be opened outside the hub (a steward sends a conflict to the grid worker): ids go on from the highest.</summary>
    public void CatchUp(long lastConflict, long lastTask)
    {
        _lastConflict = Math.Max(_lastConflict, lastConflict);
        _lastTask = Math.Max(_lastTask, lastTask);
    }

    /// <summary>Loads the key indexes, the house registry and the latest version of every stored record into memory.</summary>
    public static async Task<HubImport> StartAsync(Database database, TimeProvider timeProvider, CityTallies? tallies, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var houseGrid = new Dictionary<string, string>(StringComparer.Ordinal);
        var houseOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (houseCode, gridCode, owner, ownerFirm) in await connection.QueryAsync<(string, string, string?, string?)>(new CommandDefinition(
            "SELECT house_code, grid_code, owner_id_number, owner_credit_code FROM golden_house", cancellationToken: cancellationToken)))
        {
            houseGrid[houseCode] = gridCode;
            if ((owner ?? ownerFirm) is { } key)
            {
                houseOwners[houseCode] = key;
            }
        }

        var latest = new Dictionary<(string, string), (long, UInt128)>();
        var departments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (read, recordId, version, hexHash) in await connection.QueryAsync<(string, string, long, string)>(new CommandDefinition(
            "SELECT department, record_id, version, content_hash FROM source_record", cancellationToken: cancellationToken)))
        {
            // A handful of departments named on millions of rows: one string each.
            if (!departments.TryGetValue(read, out var department))
            {
                departments[read] = department = read;
            }

            if (!latest.TryGetValue((department, recordId), out var seen) || seen.Item1 < version)
            {
                latest[(department, recordId)] = (version, HubJson.HashPrefix(hexHash));
            }
        }

        var persons = (await connection.QueryAsync<KnownPerson>(new CommandDefinition(
            "SELECT golden_id AS GoldenId, id_number AS IdNumber, name AS Name, birth_date AS BirthDate, sex AS Sex, house_code AS HouseCode, address AS Address, phone AS Phone FROM golden_person",
            cancellationToken: cancellationToken))).ToList();
        var entities = (await connection.QueryAsync<KnownEntity>(new CommandDefinition(
            "SELECT golden_id AS GoldenId, credit_code AS CreditCode, name AS Name FROM golden_legal_entity", cancellationToken: cancellationToken))).ToList();

        // Golden ids of records whose golden record is not built yet live only in record_mention.
        var lastPerson = Math.Max(
            persons.Select(p => GoldenId.SerialOf(p.GoldenId)).DefaultIfEmpty().Max(),
            GoldenId.SerialOf(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT MAX(golden_id) FROM record_mention WHERE kind = 'person'", cancellationToken: cancellationToken))));
        var lastEntity = Math.Max(
            entities.Select(e => GoldenId.SerialOf(e.GoldenId)).DefaultIfEmpty().Max(),
            GoldenId.SerialOf(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT MAX(golden_id) FROM record_mention WHERE kind = 'legal_entity'", cancellationToken: cancellationToken))));
        var lastBatch = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(batch_id) FROM import_batch", cancellationToken: cancellationToken)) ?? 0;
        var lastConflict = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(conflict_id) FROM data_conflict", cancellationToken: cancellationToken)) ?? 0;
        var lastTask = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(task_id) FROM verification_task", cancellationToken: cancellationToken)) ?? 0;
        return new HubImport(database, timeProvider, tallies,
            new State(houseGrid, houseOwners, latest, persons, entities, lastPerson, lastEntity, lastBatch, lastConflict, lastTask));
    }

    /// <summary>
    /// Stores and links every row of one department file. A refused row is stored as a row error and never stops the
    /// rows after it; an unchanged record counts as a duplicate and changes nothing.
    /// </summary>
    public async Task<ImportBatchSummary> ImportFileAsync(
        string department, string file, IAsyncEnumerable<SourceRow> rows, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var batchId = ++_lastBatch;
        _batches.Add(batchId);
        var started = _timeProvider.GetUtcNow();
        await WriteAsync(async () =>
        {
            await using var session = await WriteSessionAsync(cancellationToken);
            await session.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO import_batch (batch_id, department, file, started_at) VALUES (@batchId, @department, @file, @started)",
                new { batchId, department, file, started },
                session.Transaction,
                cancellationToken: cancellationToken));
            await session.CommitAsync(cancellationToken);
        });

        var buffers = new Buffers();
        long read = 0, accepted = 0, rejected = 0, duplicates = 0;
        await foreach (var row in ReadAhead(rows, cancellationToken).WithCancellation(cancellationToken))
        {
            read++;
            if (row.Record is null)
            {
                rejected++;
                var error = row.Error ?? new RowError(file, read, null, "the row was neither accepted nor refused with a reason");
                buffers.Errors.Add([batchId, error.File, error.Row, error.Field, error.Reason]);
            }
            else if (Store(row, batchId, started, buffers))
            {
                accepted++;
            }
            else
            {
                duplicates++;
            }

            if (read % 1_000 == 0)
            {
                progress?.Report(read);
            }

            if (buffers.Count >= FlushEvery)
            {
                buffers = await WriteBehindAsync(buffers, cancellationToken);
            }
        }

        progress?.Report(read);
        _summaries[batchId] = new ImportBatchSummary(batchId, department, file, read, accepted, rejected, duplicates, 0, 0, 0, 0, 0);
        var last = buffers;
        await WriteAsync(() => FlushAsync(last, cancellationToken));
        var summary = Summary(batchId);
        await WriteAsync(() => SaveBatchAsync(summary, cancellationToken));
        return summary;
    }

    /// <summary>
    /// Runs a write after the one in flight. A batch does not wait for it: the next file is read and linked while the
    /// last rows of this one are written (SQLite takes one writer at a time, so writes queue rather than overlap);
    /// <see cref="CompleteAsync"/> waits for them all. In one transaction every write is done before the next step.
    /// </summary>
    private async Task WriteAsync(Func<Task> write)
    {
        var previous = _writing;
        _writing = After(previous, write);
        if (_unit is not null)
        {
            await _writing;
        }

        static async Task After(Task previous, Func<Task> write)
        {
            await previous;
            await write();
        }
    }

    /// <summary>
    /// Queues <paramref name="full"/> behind the write in flight and hands back empty buffers to fill meanwhile: one
    /// write in flight while the next rows are linked, so the two cores share the work and the rows waiting in memory
    /// stay bounded.
    /// </summary>
    private async Task<Buffers> WriteBehindAsync(Buffers full, CancellationToken cancellationToken)
    {
        await _writing;
        await WriteAsync(() => FlushAsync(full, cancellationToken));
        return new Buffers();
    }

    /// <summary>
    /// Reads, validates and cleanses rows on another thread, a few thousand ahead of the one that stores and links
    /// them, and there also hashes them and writes their JSON (<see cref="PreparedRow"/>): the linking thread is the
    /// one every row waits for. One transaction's few rows are prepared where they are.
    /// </summary>
    private async IAsyncEnumerable<PreparedRow> ReadAhead(
        IAsyncEnumerable<SourceRow> rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_unit is not null)
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                yield return PreparedRow.Of(row);
            }

            yield break;
        }

        var channel = System.Threading.Channels.Channel.CreateBounded<PreparedRow>(new System.Threading.Channels.BoundedChannelOptions(ReadAheadRows)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    await channel.Writer.WriteAsync(PreparedRow.Of(row), cancellationToken);
                }

                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                // The reader's failure (a damaged file, cancellation) surfaces where the rows are consumed.
                channel.Writer.Complete(e);
            }
        }, cancellationToken);
        await foreach (var row in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return row;
        }
    }

    private const int ReadAheadRows = 4_096;

    private ImportBatchSummary Summary(long batchId)
    {
        var methods = Methods(batchId);
        var summary = _summaries[batchId] with
        {
            LinkedByKey = methods[(int)LinkMethod.Key],
            LinkedByRepairedKey = methods[(int)LinkMethod.RepairedKey],
            LinkedByEngine = methods[(int)LinkMethod.Engine],
            New = methods[(int)LinkMethod.New],
            Unlinked = methods[(int)LinkMethod.Unlinked],
        };
        _summaries[batchId] = summary;
        return summary;
    }

    /// <summary>The batch's counts into its row; link counts are final once <see cref="CompleteAsync"/> has linked the waiting mentions.</summary>
    private async Task SaveBatchAsync(ImportBatchSummary summary, CancellationToken cancellationToken)
    {
        await using var session = await WriteSessionAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE import_batch SET finished_at = @finished, rows_read = @Rows, accepted = @Accepted, rejected = @Rejected,
                duplicates = @Duplicates, linked_key = @LinkedByKey, linked_repaired_key = @LinkedByRepairedKey,
                linked_engine = @LinkedByEngine, linked_new = @New
            WHERE batch_id = @BatchId
            """,
            new { finished = _timeProvider.GetUtcNow(), summary.Rows, summary.Accepted, summary.Rejected, summary.Duplicates, summary.LinkedByKey, summary.LinkedByRepairedKey, summary.LinkedByEngine, summary.New, summary.BatchId },
            session.Transaction,
            cancellationToken: cancellationToken));
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Stores, links and completes a few records (a department system's submission) in one transaction: one commit,
    /// so a record is acknowledged only once it, its links and its golden records are durable, and all or nothing of
    /// it is. After an exception the instance must be dropped.
    /// </summary>
    public async Task<(ImportBatchSummary Batch, GoldenSummary Golden)> ImportInOneTransactionAsync(
        string department, string file, IAsyncEnumerable<SourceRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        _unit = (connection, transaction);
        try
        {
            var batch = await ImportFileAsync(department, file, rows, null, cancellationToken);
            var golden = await CompleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _tallies?.Invalidate();
            return (golden.Batches.FirstOrDefault(b => b.BatchId == batch.BatchId) ?? batch, golden);
        }
        finally
        {
            _unit = null;
        }
    }

    /// <summary>The single-record path (a department's API call): store and link one record, rebuild what it touched, in one commit.</summary>
    public async Task<IReadOnlyList<LinkResult>> ImportRecordAsync(ParsedRecord record, CancellationToken cancellationToken)
    {
        await ImportInOneTransactionAsync(record.Department, record.File, One(record), cancellationToken);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var links = await connection.QueryAsync<(string? GoldenId, string Method, double Weight)>(new CommandDefinition(
            """
            SELECT golden_id, link_method, link_weight FROM record_mention
            WHERE department = @Department AND record_id = @RecordId
              AND version = (SELECT MAX(version) FROM source_record WHERE department = @Department AND record_id = @RecordId)
            ORDER BY mention_index
            """,
            new { record.Department, record.RecordId },
            cancellationToken: cancellationToken));
        return links.Select(l => new LinkResult(l.GoldenId, LinkMethodNames.Parse(l.Method), l.Weight)).ToList();

        static async IAsyncEnumerable<SourceRow> One(ParsedRecord record)
        {
            await Task.CompletedTask;
            yield return SourceRow.Accepted(record);
        }
    }

    /// <summary>Rebuilds every golden record this import touched, raises conflicts and tasks, and recounts the grids.</summary>
    public async Task<GoldenSummary> CompleteAsync(CancellationToken cancellationToken)
    {
        var stages = new Stages(_timeProvider);
        var waiting = new Buffers();
        if (_pending.Count > 0)
        {
            // Entities and houses first, so a person's row can be matched by the employer or house it names; the
            // keyed persons of waiting rows join the person engine's table with those in their context.
            var stored = await StoredModelsAsync(cancellationToken);
            StartEngine(MentionKind.LegalEntity, stored);
            _pending.ForEach(pending => LinkPending(pending, persons: false));
            stages.Mark("legal entities: engine trained, keyless mentions linked");
            StartEngine(MentionKind.Person, stored);
            stages.Mark("persons: engine trained and indexed");
            _pending.ForEach(pending => LinkPending(pending, persons: true));
            stages.Mark("persons: keyless mentions linked");
            await StoreTrainedModelsAsync(cancellationToken);
        }

        foreach (var pending in _pending)
        {
            WriteLinks(pending, waiting);
            if (_unit is null && waiting.Mentions.Count >= FlushEvery)
            {
                // In transactions of the usual size: one transaction of every waiting mention grew SQLite's
                // write-ahead log, and each page read must look through it.
                waiting = await WriteBehindAsync(waiting, cancellationToken);
            }
        }

        // The batch's last rows may still be on their way in while the engines ran.
        await _writing;
        await FlushAsync(waiting, cancellationToken);
        stages.Mark("writing the last rows and links");
        var batches = new List<ImportBatchSummary>();
        foreach (var batchId in _summaries.Keys.Where(id => _pending.Any(p => p.BatchId == id)).ToList())
        {
            await SaveBatchAsync(Summary(batchId), cancellationToken);
        }

        batches.AddRange(_summaries.Values.OrderBy(s => s.BatchId));
        _pending.Clear();
        _summaries.Clear();
        _methods.Clear();
        if (_touched.Count == 0 && _superseded.Count == 0)
        {
            EndImport();
            return new GoldenSummary(0, 0, 0, 0, batches);
        }

        await using var session = await WriteSessionAsync(cancellationToken);
        var connection = session.Connection;
        foreach (var (department, recordId, version) in _superseded)
        {
            // A changed record may have moved its mentions elsewhere: the records they left need rebuilding too.
            foreach (var goldenId in await connection.QueryAsync<string?>(new CommandDefinition(
                "SELECT golden_id FROM record_mention WHERE department = @department AND record_id = @recordId AND version = @version",
                new { department, recordId, version },
                session.Transaction,
                cancellationToken: cancellationToken)))
            {
                if (goldenId is not null)
                {
                    _touched.Add(goldenId);
                }
            }
        }

        var earlier = _touched.Where(id => !IsNewInThisImport(id)).ToList();
        await LoadEarlierContributionsAsync(connection, session.Transaction, earlier, cancellationToken);

        // A steward's accepted value stands over the sources until a newer source contradicts it.
        var decisions = await StewardDecisions.LoadAsync(connection, session.Transaction, earlier, cancellationToken);
        var builder = new GoldenBuilder(_houseGrid, _timeProvider.GetUtcNow(), _lastBatch, _lastConflict, _lastTask, decisions);
        var earlierGolden = earlier.Where(id => GoldenId.KindOf(id) != MentionKind.House).ToList();

        // A few records in one transaction change the grid counts by what they moved; a batch recounts them after.
        var gridChanges = _unit is null ? null : await GridsLeftAsync(session, earlierGolden, cancellationToken);

        // Deleted and loaded in one transaction: a reader never sees a golden record missing.
        await DeleteEarlierAsync(session, earlierGolden, cancellationToken);
        // Only records new in this import, in a batch: nothing a reader sees goes missing, so each slice commits on its
        // own (one transaction of a city's golden records grew SQLite's write-ahead log by gigabytes, and every page
        // read looked through it). Otherwise the deletes and all slices commit together.
        var commitEachSlice = _unit is null && earlierGolden.Count == 0;
        var built = await BuildAndWriteAsync(session, builder, _touched.Order(StringComparer.Ordinal).ToList(), gridChanges, commitEachSlice, cancellationToken);
        _lastConflict = builder.LastConflict;
        _lastTask = builder.LastTask;
        stages.Mark("building and writing golden records");
        if (gridChanges is not null)
        {
            await CityTallies.ApplyAsync(connection, session.Transaction, gridChanges, cancellationToken);
        }

        // Search finds what was committed: the rebuilt records' index rows are rewritten with them, or, after a
        // large batch, the whole index is rebuilt (cheaper than a million rewrites).
        var rebuilt = _touched.Where(id => GoldenId.KindOf(id) != MentionKind.House).ToList();
        var refreshSearch = _unit is not null || rebuilt.Count <= SearchRefreshLimit;
        if (refreshSearch)
        {
            await Search.SearchIndex.RefreshAsync(connection, session.Transaction, rebuilt, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        if (_tallies is not null && gridChanges is null)
        {
            // A batch recounts the grids whole (cheaper than a change per record); the one-transaction path applied its changes.
            await _tallies.RefreshAsync(cancellationToken);
        }

        if (!refreshSearch)
        {
            // After a large load, fresh statistics on PostgreSQL (without them it takes the tables for empty and a
            // single-record lookup by (department, record id) filters every row of the department: 36 ms instead of
            // 0.05 ms), gathered on a second connection while the search index is rebuilt. After a small one
            // autovacuum's own statistics are close enough, and sampling six large tables would cost more.
            await Task.WhenAll(new Search.SearchIndex(_database).RebuildAsync(cancellationToken), AnalyzeAsync(cancellationToken));
        }

        stages.Mark("search index and grid counts");
        var summary = new GoldenSummary(built.Persons, built.LegalEntities, built.Conflicts, built.Tasks, batches) { Stages = stages.All };
        EndImport();
        return summary;
    }

    /// <summary>PostgreSQL: fresh planner statistics for the hub's large tables (nothing to do on SQLite).</summary>
    private async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        if (_database.Provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "ANALYZE source_record, record_mention, golden_person, golden_legal_entity, data_conflict, verification_task",
            commandTimeout: 0,
            cancellationToken: cancellationToken));
    }

    /// <summary>Trains (or loads) the kind's model when a mention of that kind is still waiting; the waiting rows' linked mentions join its table first.</summary>
    private void StartEngine(MentionKind kind, IReadOnlyDictionary<string, LinkageModel> stored)
    {
        if (_pending.Exists(pending => Enumerable.Range(0, pending.Mentions.Length).Any(i => pending.Links[i] is null && pending.Mentions[i].Kind == kind)))
        {
            ObservePending(kind);
            _linker.StartEngine(kind, stored);
        }
    }

    private void ObservePending(MentionKind kind)
    {
        foreach (var pending in _pending)
        {
            for (var i = 0; i < pending.Mentions.Length; i++)
            {
                if (pending.Mentions[i].Kind == kind && pending.Links[i]?.GoldenId is { } goldenId)
                {
                    _linker.Observe(RecordName(pending, i), pending.Mentions[i], goldenId, Context(pending, i));
                }
            }
        }
    }

    /// <summary>
    /// The models stored by earlier imports, read once per instance: a warm hub would otherwise parse them for every
    /// record submitted. They change only when an import trains (this one stores its own; another process's batch
    /// makes <see cref="LiveHub"/> load a new instance).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, LinkageModel>> StoredModelsAsync(CancellationToken cancellationToken)
    {
        if (_storedModelsRead is { } read)
        {
            return read;
        }

        var stored = new Dictionary<string, LinkageModel>(StringComparer.Ordinal);
        await using var session = await WriteSessionAsync(cancellationToken);
        foreach (var (kind, json) in await session.Connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT kind, model FROM linkage_model", transaction: session.Transaction, cancellationToken: cancellationToken)))
        {
            stored[kind] = LinkageModel.FromJson(json);
        }

        _storedModelsRead = stored;
        return stored;
    }

    /// <summary>A model trained by this import replaces the stored one, so a later single-record link scores as this batch did.</summary>
    private async Task StoreTrainedModelsAsync(CancellationToken cancellationToken)
    {
        foreach (var engine in _linker.Engines.Where(e => e.Trained && !_storedModels.Contains(e.Kind)))
        {
            await using var session = await WriteSessionAsync(cancellationToken);
            await session.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM linkage_model WHERE kind = @kind", new { kind = engine.Kind }, session.Transaction, cancellationToken: cancellationToken));
            await session.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO linkage_model (kind, model, records, trained_at) VALUES (@kind, @model, @records, @trainedAt)",
                new { kind = engine.Kind, model = engine.Model!.ToJson(), records = engine.Model.Training.Records, trainedAt = _timeProvider.GetUtcNow() },
                session.Transaction,
                cancellationToken: cancellationToken));
            await session.CommitAsync(cancellationToken);
            _storedModels.Add(engine.Kind);
        }
    }

    /// <summary>"IN @ids" for a list: Dapper spreads it into parameters on SQLite, Npgsql takes the array whole.</summary>
    private string InIds() => _database.Provider == DatabaseProvider.PostgreSql ? "= ANY(@ids)" : "IN @ids";

    private bool IsNewInThisImport(string goldenId) => GoldenId.KindOf(goldenId) switch
    {
        MentionKind.Person => GoldenId.SerialOf(goldenId) >= _firstNewPerson,
        MentionKind.LegalEntity => GoldenId.SerialOf(goldenId) >= _firstNewEntity,
        _ => false,
    };

    private async Task LoadEarlierContributionsAsync(DbConnection connection, DbTransaction? transaction, List<string> goldenIds, CancellationToken cancellationToken)
    {
        foreach (var chunk in goldenIds.Where(id => GoldenId.KindOf(id) != MentionKind.House).Chunk(500))
        {
            var rows = await connection.QueryAsync<(string Department, string RecordId, long Version, string Role, string Fields, string GoldenId, long BatchId, long RowNumber)>(new CommandDefinition(
                $"""
                SELECT m.department, m.record_id, m.version, m.role, m.fields, m.golden_id, s.batch_id, s.row_number
                FROM record_mention m
                JOIN source_record s ON s.department = m.department AND s.record_id = m.record_id AND s.version = m.version
                WHERE m.golden_id {InIds()}
                """,
                new { ids = chunk.ToArray() },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var row in rows)
            {
                // Rows stored by this import are in memory already; superseded versions no longer speak.
                if (_batches.Contains(row.BatchId) || _latest.GetValueOrDefault((row.Department, row.RecordId)).Version != row.Version)
                {
                    continue;
                }

                Contribute(Contribution.Of(row.GoldenId, row.Department, row.RecordId, row.Role, HubJson.ReadFields(row.Fields), ContributionOrder.Of(row.BatchId, row.RowNumber)));
            }
        }
    }

    /// <summary>
    /// The import is complete and its writes committed: what it stored is now "earlier" for the next import on this
    /// instance, read back from the database when touched again rather than held in memory.
    /// </summary>
    private void EndImport()
    {
        _touched.Clear();
        _superseded.Clear();
        _contributions.Clear();
        _batches.Clear();
        (_firstNewPerson, _firstNewEntity) = (_linker.LastSerials.Person + 1, _linker.LastSerials.Entity + 1);
        _linker.EndImport();
    }

    /// <summary>
    /// The grids the earlier versions of the rebuilt golden records counted in (read now, in the transaction, before
    /// they are deleted): each loses one there, and gains one where its new version lands (<see cref="CountArrivals"/>).
    /// </summary>
    private async Task<Dictionary<string, (long Persons, long LegalEntities)>> GridsLeftAsync(
        WriteSession session, List<string> earlierGolden, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, (long Persons, long LegalEntities)>(StringComparer.Ordinal);
        foreach (var chunk in earlierGolden.Chunk(500))
        {
            // Both in one round trip: on PostgreSQL each statement of a single record's write is a round trip of its own.
            await using var grids = await session.Connection.QueryMultipleAsync(new CommandDefinition(
                $"SELECT grid_code FROM golden_person WHERE golden_id {InIds()}; SELECT grid_code FROM golden_legal_entity WHERE golden_id {InIds()}",
                new { ids = chunk.ToArray() },
                session.Transaction,
                cancellationToken: cancellationToken));
            foreach (var grid in await grids.ReadAsync<string?>())
            {
                ChangeGrid(changes, grid, -1, 0);
            }

            foreach (var grid in await grids.ReadAsync<string?>())
            {
                ChangeGrid(changes, grid, 0, -1);
            }
        }

        return changes;
    }

    private static void CountArrivals(Dictionary<string, (long Persons, long LegalEntities)> changes, GoldenRows rows)
    {
        rows.Persons.ForEach(row => ChangeGrid(changes, row[PersonGridColumn] as string, 1, 0));
        rows.Entities.ForEach(row => ChangeGrid(changes, row[EntityGridColumn] as string, 0, 1));
    }

    private static readonly int PersonGridColumn = Array.IndexOf(GoldenBuilder.PersonColumns, "grid_code");
    private static readonly int EntityGridColumn = Array.IndexOf(GoldenBuilder.EntityColumns, "grid_code");

    private static void ChangeGrid(Dictionary<string, (long Persons, long LegalEntities)> changes, string? grid, long persons, long entities)
    {
        if (grid is not null)
        {
            var change = changes.GetValueOrDefault(grid);
            changes[grid] = (change.Persons + persons, change.LegalEntities + entities);
        }
    }

    /// <summary>The earlier versions of golden records about to be rebuilt, with their open disagreements and the tasks those sent.</summary>
    private async Task DeleteEarlierAsync(WriteSession session, List<string> earlierGolden, CancellationToken cancellationToken)
    {
        var inIds = InIds();
        foreach (var chunk in earlierGolden.Chunk(500))
        {
            // The four in order, in one command: one round trip on PostgreSQL instead of four. The tasks go before the
            // disagreements they were sent for.
            await session.Connection.ExecuteAsync(new CommandDefinition(
                $"""
                DELETE FROM golden_person WHERE golden_id {inIds};
                DELETE FROM golden_legal_entity WHERE golden_id {inIds};
                DELETE FROM verification_task WHERE golden_id {inIds} AND status = 'open'
                  AND conflict_id IN (SELECT conflict_id FROM data_conflict WHERE golden_id {inIds} AND conflict_kind = 'disagreement' AND status = 'open');
                DELETE FROM data_conflict WHERE golden_id {inIds} AND conflict_kind = 'disagreement' AND status = 'open';
                """,
                new { ids = chunk.ToArray() },
                session.Transaction,
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>
    /// Builds the golden records a slice at a time and writes each slice while the next one is built, dropping the
    /// contributions of each slice once built: a batch never holds a whole city's golden rows at once, and the two
    /// cores build and write side by side. A few records (one transaction's) are built and written in one go.
    /// </summary>
    private async Task<(long Persons, long LegalEntities, long Conflicts, long Tasks)> BuildAndWriteAsync(
        WriteSession session, GoldenBuilder builder, List<string> goldenIds, Dictionary<string, (long Persons, long LegalEntities)>? gridChanges, bool commitEachSlice, CancellationToken cancellationToken)
    {
        long persons = 0, entities = 0, conflicts = 0, tasks = 0;
        var writing = Task.CompletedTask;
        try
        {
            foreach (var slice in goldenIds.Chunk(GoldenSlice))
            {
                builder.BuildAll(slice, _contributions);
                foreach (var goldenId in slice)
                {
                    _contributions.Remove(goldenId);
                }

                var rows = builder.TakeRows();
                if (gridChanges is not null)
                {
                    CountArrivals(gridChanges, rows);
                }

                (persons, entities, conflicts, tasks) = (persons + rows.Persons.Count, entities + rows.Entities.Count, conflicts + rows.Conflicts.Count, tasks + rows.Tasks.Count);
                await writing;
                writing = goldenIds.Count > GoldenSlice
                    ? Task.Run(() => WriteGoldenAsync(session, rows, commitEachSlice, cancellationToken), cancellationToken)
                    : WriteGoldenAsync(session, rows, commitEachSlice, cancellationToken);
            }

            await writing;
        }
        catch
        {
            // The session closes after this: no write may still be using its connection.
            await Task.WhenAny(writing);
            throw;
        }

        return (persons, entities, conflicts, tasks);
    }

    /// <summary>Golden records built and written per slice (about 150 MB of person rows); smaller in tests, to see slices join up.</summary>
    internal int GoldenSlice { get; set; } = 50_000;

    private static async Task WriteGoldenAsync(WriteSession session, GoldenRows rows, bool commit, CancellationToken cancellationToken)
    {
        await session.BulkAsync("golden_person", GoldenBuilder.PersonColumns, rows.Persons, cancellationToken);
        await session.BulkAsync("golden_legal_entity", GoldenBuilder.EntityColumns, rows.Entities, cancellationToken);
        await session.BulkAsync("data_conflict", GoldenBuilder.ConflictColumns, rows.Conflicts, cancellationToken);
        await session.BulkAsync("verification_task", GoldenBuilder.TaskColumns, rows.Tasks, cancellationToken);
        if (commit)
        {
            await session.CommitAndGoOnAsync(cancellationToken);
        }
    }

    /// <summary>The connection and transaction a write goes into: the import's one transaction, or a new one of its own.</summary>
    private async Task<WriteSession> WriteSessionAsync(CancellationToken cancellationToken)
    {
        if (_unit is { } unit)
        {
            return new WriteSession(_database, unit.Connection, unit.Transaction, owned: false);
        }

        var connection = await _database.OpenConnectionAsync(cancellationToken);
        return new WriteSession(_database, connection, await connection.BeginTransactionAsync(cancellationToken), owned: true);
    }

    private bool Store(PreparedRow row, long batchId, DateTimeOffset receivedAt, Buffers buffers)
    {
        var record = row.Record!;
        var key = (record.Department, record.RecordId);
        var hash = row.Hash!;
        var hashPrefix = row.HashPrefix;
        long version = 1;
        if (_latest.TryGetValue(key, out var previous))
        {
            if (previous.Hash == hashPrefix)
            {
                return false;
            }

            version = previous.Version + 1;
            _superseded.Add((record.Department, record.RecordId, previous.Version));
        }

        _latest[key] = (version, hashPrefix);
        buffers.Records.Add([record.Department, record.RecordId, version, batchId, record.File, record.Row, receivedAt, hash, row.RawJson]);
        var pending = new PendingRecord(record, version, batchId, receivedAt, record.Mentions.ToArray(), new LinkResult?[record.Mentions.Count], row.FieldsJson!);
        var waits = false;
        for (var i = 0; i < pending.Mentions.Length; i++)
        {
            if (HubLinker.HasValidKey(pending.Mentions[i]) && !HouseToCheck(pending, i))
            {
                var mention = pending.Mentions[i];
                pending.Links[i] = _linker.Link(mention, null, GivenHouseCode(record, mention));
            }
            else
            {
                waits = true;
            }
        }

        // A mention without a valid key waits for the end of the import, when every key it might be a typo of,
        // and every keyed row that might name the same person, is known.
        if (waits)
        {
            _pending.Add(pending);
        }
        else
        {
            WriteLinks(pending, buffers);
        }

        foreach (var issue in record.Issues)
        {
            buffers.Issues.Add([batchId, record.Department, record.RecordId, record.File, record.Row, issue.Field, issue.Reason, issue.Value]);
        }

        return true;
    }

    private void LinkPending(PendingRecord pending, bool persons)
    {
        for (var i = 0; i < pending.Mentions.Length; i++)
        {
            if (pending.Links[i] is null && (pending.Mentions[i].Kind == MentionKind.Person) == persons)
            {
                pending.Links[i] = pending.Mentions[i].Kind == MentionKind.House
                    ? _linker.LinkHouseByResidence(
                        pending.Mentions[i], SubjectResidence(pending), LandlordKeys(pending), HouseByAddressOnly(pending.Record, pending.Mentions[i]), GivenHouseCode(pending.Record, pending.Mentions[i]))
                    : _linker.Link(pending.Mentions[i], Context(pending, i), null, RecordName(pending, i));
            }
        }
    }

    /// <summary>
    /// A house let in a row whose subject is a keyed person (a tenant) and whose landlord the registry does not name
    /// as the house's owner: the code or address may be a stale one, so it waits for the tenant's registered residence
    /// (公安), known once every file is read.
    /// </summary>
    private bool HouseToCheck(PendingRecord pending, int mention)
    {
        var house = pending.Mentions[mention];
        return house.Kind == MentionKind.House
            && KeyRepairs.Fold(house.Fields.GetValueOrDefault(HubFields.HouseCode)) is { Length: > 0 } code
            && !_linker.OwnerLets(code, LandlordKeys(pending))
            && pending.Mentions.Any(m => m.Kind == MentionKind.Person && m.Role == SubjectRole && HubLinker.HasValidKey(m));
    }

    /// <summary>True when the department left the house code empty and the intake put in the house the address matched.</summary>
    private static bool HouseByAddressOnly(ParsedRecord record, Mention house) =>
        house.Fields.GetValueOrDefault(HubFields.AddressMatch) is not null
        && KeyRepairs.Fold(house.Fields.GetValueOrDefault(HubFields.HouseCode)) is { Length: > 0 } code
        && !record.Raw.Values.Any(v => KeyRepairs.Fold(v) == code)
        && !record.Cleansed.Any(c => c.Field == $"{house.Role}.{HubFields.HouseCode}");

    /// <summary>The house code the department wrote when the intake replaced a broken one by the house its address matched.</summary>
    private static string? GivenHouseCode(ParsedRecord record, Mention mention) =>
        mention.Kind == MentionKind.House ? record.Cleansed.FirstOrDefault(c => c.Field == $"{mention.Role}.{HubFields.HouseCode}")?.From : null;

    /// <summary>The keys the row gives for whoever lets the house (an ID number or a credit code).</summary>
    private static List<string> LandlordKeys(PendingRecord pending) =>
        pending.Mentions
            .Where(m => m.Role == LandlordRole)
            .SelectMany(m => new[] { m.Fields.GetValueOrDefault(HubFields.IdNumber), m.Fields.GetValueOrDefault(HubFields.CreditCode) })
            .Select(KeyRepairs.Fold)
            .Where(k => k.Length > 0)
            .ToList();

    private string? SubjectResidence(PendingRecord pending)
    {
        for (var i = 0; i < pending.Mentions.Length; i++)
        {
            if (pending.Mentions[i].Kind == MentionKind.Person && pending.Mentions[i].Role == SubjectRole && pending.Links[i]?.GoldenId is { } person)
            {
                return _residence.GetValueOrDefault(person);
            }
        }

        return null;
    }

    /// <summary>The golden records the row's other mentions link to (an employer, a house, a tenant).</summary>
    private static List<string> Context(PendingRecord pending, int mention) =>
        pending.Links.Where((link, j) => j != mention && link?.GoldenId is not null).Select(link => link!.GoldenId!).ToList();

    /// <summary>How the mention is named in the engine's table and its waterfalls: department/record#role.</summary>
    private static string RecordName(PendingRecord pending, int mention) =>
        string.Concat(pending.Record.Department, "/", pending.Record.RecordId, "#", pending.Mentions[mention].Role);

    private void WriteLinks(PendingRecord pending, Buffers buffers)
    {
        var record = pending.Record;
        var methods = Methods(pending.BatchId);
        for (var i = 0; i < pending.Mentions.Length; i++)
        {
            var mention = pending.Mentions[i];
            var link = pending.Links[i]!;
            methods[(int)link.Method]++;
            buffers.Mentions.Add([
                record.Department, record.RecordId, pending.Version, (long)i, KindName(mention.Kind), mention.Role, pending.FieldsJson[i],
                link.GoldenId, link.Method.Name(), link.Weight, link.Explanation is null ? null : HubJson.Write(link.Explanation)]);
            if (link.GoldenId is null)
            {
                continue;
            }

            if (mention.Kind is MentionKind.Person or MentionKind.LegalEntity)
            {
                _linker.Observe(RecordName(pending, i), mention, link.GoldenId, Context(pending, i));
            }

            if (mention.Kind == MentionKind.Person && mention.Role == SubjectRole && record.Department == SourceOfTruth.PublicSecurity
                && KeyRepairs.Fold(mention.Fields.GetValueOrDefault(HubFields.HouseCode)) is { Length: > 0 } residence)
            {
                _residence[link.GoldenId] = residence;
            }

            _touched.Add(link.GoldenId);
            if (mention.Kind != MentionKind.House)
            {
                Contribute(Contribution.Of(link.GoldenId, record.Department, record.RecordId, mention.Role, mention.Fields, ContributionOrder.Of(pending.BatchId, record.Row)));
            }
            if (mention.Kind == MentionKind.Person)
            {
                for (var j = 0; j < pending.Links.Length; j++)
                {
                    if (j != i && pending.Links[j]?.GoldenId is { } other)
                    {
                        _linker.KnowContext(link.GoldenId, mention.Fields.GetValueOrDefault(HubFields.Name), other);
                    }
                }
            }

            if (link.MistypedKey is { } mistyped)
            {
                var field = mention.Kind switch
                {
                    MentionKind.Person => HubFields.IdNumber,
                    MentionKind.LegalEntity => HubFields.CreditCode,
                    _ => HubFields.HouseCode,
                };
                buffers.Conflicts.Add(GoldenBuilder.MistypedKeyConflict(++_lastConflict, link.GoldenId, field, mistyped, record, pending.BatchId, pending.ReceivedAt));
            }
        }
    }

    private long[] Methods(long batchId)
    {
        if (!_methods.TryGetValue(batchId, out var methods))
        {
            _methods[batchId] = methods = new long[Enum.GetValues<LinkMethod>().Length];
        }

        return methods;
    }

    private void Contribute(Contribution contribution)
    {
        if (!_contributions.TryGetValue(contribution.GoldenId, out var list))
        {
            _contributions[contribution.GoldenId] = list = [];
        }

        list.Add(contribution);
    }

    private async Task FlushAsync(Buffers buffers, CancellationToken cancellationToken)
    {
        // Off the reading thread, so the loop goes on linking while the rows are written.
        await Task.Yield();
        await using var session = await WriteSessionAsync(cancellationToken);
        await session.BulkAsync("source_record",
            ["department", "record_id", "version", "batch_id", "file", "row_number", "received_at", "content_hash", "raw_values"], buffers.Records, cancellationToken);
        await session.BulkAsync("record_mention",
            ["department", "record_id", "version", "mention_index", "kind", "role", "fields", "golden_id", "link_method", "link_weight", "link_explanation"], buffers.Mentions, cancellationToken);
        await session.BulkAsync("field_issue",
            ["batch_id", "department", "record_id", "file", "row_number", "field", "reason", "value"], buffers.Issues, cancellationToken);
        await session.BulkAsync("row_error", ["batch_id", "file", "row_number", "field", "reason"], buffers.Errors, cancellationToken);
        await session.BulkAsync("data_conflict", GoldenBuilder.ConflictColumns, buffers.Conflicts, cancellationToken);
        await session.CommitAsync(cancellationToken);
        buffers.Clear();
    }

    internal static string KindName(MentionKind kind) => kind switch
    {
        MentionKind.Person => "person",
        MentionKind.LegalEntity => "legal_entity",
        MentionKind.House => "house",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Wall time between marks.</summary>
    private sealed class Stages(TimeProvider timeProvider)
    {
        private readonly List<CompletionStage> _all = [];
        private long _since = timeProvider.GetTimestamp();

        public IReadOnlyList<CompletionStage> All => _all;

        public void Mark(string name)
        {
            var now = timeProvider.GetTimestamp();
            _all.Add(new CompletionStage(name, timeProvider.GetElapsedTime(_since, now)));
            _since = now;
        }
    }

    /// <summary>A connection and transaction for some writes; commits and closes only what it opened itself.</summary>
    private sealed class WriteSession(Database database, DbConnection connection, DbTransaction transaction, bool owned) : IAsyncDisposable
    {
        private DbTransaction _transaction = transaction;

        public DbConnection Connection => connection;

        public DbTransaction Transaction => _transaction;

        public Task BulkAsync(string table, IReadOnlyList<string> columns, List<object?[]> rows, CancellationToken cancellationToken) =>
            database.BulkLoadAsync(connection, _transaction, table, columns, rows, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken) => owned ? _transaction.CommitAsync(cancellationToken) : Task.CompletedTask;

        /// <summary>Commits what is written so far and goes on in a new transaction on the same connection (only a session's own).</summary>
        public async Task CommitAndGoOnAsync(CancellationToken cancellationToken)
        {
            if (!owned)
            {
                return;
            }

            await _transaction.CommitAsync(cancellationToken);
            await _transaction.DisposeAsync();
            _transaction = await connection.BeginTransactionAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (owned)
            {
                await _transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class Buffers
    {
        public List<object?[]> Records { get; } = [];

        public List<object?[]> Mentions { get; } = [];

        public List<object?[]> Issues { get; } = [];

        public List<object?[]> Errors { get; } = [];

        public List<object?[]> Conflicts { get; } = [];

        public int Count => Records.Count + Errors.Count;

        public void Clear()
        {
            Records.Clear();
            Mentions.Clear();
            Issues.Clear();
            Errors.Clear();
            Conflicts.Clear();
        }
    }

    /// <summary>A stored record whose mentions are linked, or wait to be (null links) until the import completes.</summary>
    private sealed record PendingRecord(ParsedRecord Record, long Version, long BatchId, DateTimeOffset ReceivedAt, Mention[] Mentions, LinkResult?[] Links, string[] FieldsJson);

    /// <summary>A row with what can be worked out from it alone: its content hash (and the prefix kept in memory), its raw values and each mention's fields as JSON.</summary>
    private sealed record PreparedRow(ParsedRecord? Record, RowError? Error, string? Hash, UInt128 HashPrefix, string? RawJson, string[]? FieldsJson)
    {
        public static PreparedRow Of(SourceRow row)
        {
            if (row.Record is not { } record)
            {
                return new PreparedRow(null, row.Error, null, 0, null, null);
            }

            var hash = HubJson.ContentHash(record.Raw);
            return new PreparedRow(record, null, hash, HubJson.HashPrefix(hash), HubJson.Write(record.Raw), record.Mentions.Select(m => HubJson.Write(m.Fields)).ToArray());
        }
    }

    private sealed record KnownPerson(string GoldenId, string? IdNumber, string? Name, string? BirthDate, string? Sex, string? HouseCode, string? Address, string? Phone);

    private sealed record KnownEntity(string GoldenId, string? CreditCode, string? Name);

    private sealed record State(
        Dictionary<string, string> HouseGrid,
        Dictionary<string, string> HouseOwners,
        Dictionary<(string, string), (long Version, UInt128 Hash)> Latest,
        List<KnownPerson> Persons,
        List<KnownEntity> Entities,
        long LastPerson,
        long LastEntity,
        long LastBatch,
        long LastConflict,
        long LastTask);
}
