using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Deadlines;

public sealed class SweepOptions
{
    public const string Section = "Zhiwang:Events:Sweep";

    /// <summary>How often the sweep looks for what is due. No deadline is noticed later than one interval after it passed.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timers handled per transaction.</summary>
    public int Chunk { get; set; } = 500;
}

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Warnings, int LateAcceptances, int Overdue, int Escalated, int LateSupervisionAnswers)
{
    public int Total => Warnings + LateAcceptances + Overdue + LateSupervisionAnswers;
}

/// <summary>
/// Finds what is due (电子监察): every pending warning and deadline whose time has come, from <c>event_timer</c>, which
/// holds only pending ones, so a sweep costs what is due, not what is stored. A warning goes on the timeline; a missed
/// acceptance or supervision answer is a checkpoint breach; a missed handling deadline is a breach, marks the event
/// overdue and escalates it to the next level. Each timer is removed in the same transaction as its effect, so a crash
/// repeats nothing and skips nothing: the next sweep picks up where this one stopped.
/// </summary>
public sealed class DeadlineSweep(
    Database database, EventWorkflow workflow, CatalogueStore catalogues, TimeProvider time, IOptions<SweepOptions> options, ILogger<DeadlineSweep> logger)
    : BackgroundService
{
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var total = new SweepResult(0, 0, 0, 0, 0);
        while (true)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // SKIP LOCKED: two servers sweeping together share the due timers instead of waiting on each other.
            var due = (await connection.QueryAsync<DueTimer>(new CommandDefinition(
                """
                SELECT event_id AS EventId, timer AS Timer, ref_id AS RefId, fire_at AS FireAt FROM event_timer
                WHERE fire_at <= @now ORDER BY fire_at LIMIT @chunk
                """ + (database.Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE SKIP LOCKED" : ""),
                new { now = Instant.Format(now), chunk = options.Value.Chunk }, transaction, cancellationToken: cancellationToken))).ToList();
            if (due.Count == 0)
            {
                return total;
            }

            // Warnings are most of what comes due and need nothing but a line and the next timer: fired together, in
            // three statements. Deadlines (breaches, escalation) go one by one.
            var warnings = due.Where(t => Timers.IsWarning(t.Timer)).ToList();
            var (warned, removed) = await WarnAsync(connection, transaction, warnings, now, cancellationToken);
            total = Add(total, warned);
            foreach (var timer in due.Where(t => !Timers.IsWarning(t.Timer)))
            {
                var (fired, gone) = await FireAsync(connection, transaction, timer, now, cancellationToken);
                total = Add(total, fired);
                removed += gone ? 1 : 0;
            }

            await transaction.CommitAsync(cancellationToken);
            // Round again until nothing is due: a warning that fired late may have set a deadline that has passed too.
            // A round that could remove nothing would only find the same rows again: stop, and the next sweep retries.
            if (removed == 0)
            {
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticker = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await catalogues.RefreshAsync(stoppingToken);
                var result = await SweepAsync(stoppingToken);
                if (result.Total > 0)
                {
                    logger.LogInformation(
                        "Deadline sweep: {Warnings} warnings, {LateAcceptances} late acceptances, {Overdue} overdue ({Escalated} escalated), {LateAnswers} late supervision answers",
                        result.Warnings, result.LateAcceptances, result.Overdue, result.Escalated, result.LateSupervisionAnswers);
                }
            }
            catch (Exception e) when (e is DbException or DatabaseException)
            {
                // The database may be restarting; the timers wait in it, so the next sweep catches up.
                logger.LogWarning(e, "Deadline sweep failed; retrying at the next interval");
            }
        }
        while (await ticker.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Fires one deadline: what it did, and whether its row was still there to remove.</summary>
    private async Task<(SweepResult Fired, bool Removed)> FireAsync(
        DbConnection connection, DbTransaction transaction, DueTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM event_timer WHERE event_id = @EventId AND timer = @Timer AND ref_id = @RefId",
            timer, transaction, cancellationToken: cancellationToken));
        // Gone already (an action in this sweep removed it, or another server fired it): nothing to do.
        return removed == 0 ? (new SweepResult(0, 0, 0, 0, 0), false) : (await EffectAsync(connection, transaction, timer, now, cancellationToken), true);
    }

    private async Task<SweepResult> EffectAsync(DbConnection connection, DbTransaction transaction, DueTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unit = await connection.QuerySingleOrDefaultAsync<(string State, string? Department, string? UnitDivision)?>(new CommandDefinition(
            "SELECT state, department, unit_division FROM event WHERE event_id = @EventId", timer, transaction, cancellationToken: cancellationToken));
        if (unit is not { } current)
        {
            return new SweepResult(0, 0, 0, 0, 0);
        }

        var state = EventStates.Parse(current.State);
        var dueAt = Instant.Parse(timer.FireAt);
        switch (timer.Timer)
        {
            case Timers.AcceptDue or Timers.HandleDue when !await StillOwedAsync(connection, transaction, timer, cancellationToken):
                return new SweepResult(0, 0, 0, 0, 0);
            case Timers.AcceptDue:
                await EventRows.BreachAsync(connection, transaction, timer.EventId, "late_acceptance", timer.RefId, current.Department, current.UnitDivision, now,
                    $"not accepted by {timer.FireAt}", cancellationToken);
                await EventRows.AppendTimelineAsync(connection, transaction, timer.EventId, now, Actor.System.Name, "late_acceptance", state, state,
                    "the unit did not accept the event in time", null, cancellationToken);
                return new SweepResult(0, 1, 0, 0, 0);
            case Timers.HandleDue:
                return await OverdueAsync(connection, transaction, timer, current.Department, current.UnitDivision, state, now, cancellationToken);
            case Timers.SupervisionDue:
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE supervision_order SET overdue = 1 WHERE order_id = @RefId", timer, transaction, cancellationToken: cancellationToken));
                await EventRows.BreachAsync(connection, transaction, timer.EventId, "late_supervision_answer", timer.RefId, current.Department, current.UnitDivision, now,
                    $"supervision order {timer.RefId} not answered by {timer.FireAt}", cancellationToken);
                await EventRows.AppendTimelineAsync(connection, transaction, timer.EventId, now, Actor.System.Name, "late_supervision_answer", state, state,
                    $"supervision order {timer.RefId} was not answered in time", null, cancellationToken);
                return new SweepResult(0, 0, 0, 0, 1);
            default:
                logger.LogWarning("Unknown timer {Timer} on event {EventId} (due {DueAt}) removed", timer.Timer, timer.EventId, dueAt);
                return new SweepResult(0, 0, 0, 0, 0);
        }
    }

    /// <summary>
    /// Fires <paramref name="warnings"/> (due timers of this chunk, locked by it): removes them, puts a warning line on
    /// each event's timeline, and sets the timer of the deadline each warned of, at the time the assignment holds, unless
    /// that step was done meanwhile. A deadline already passed (the sweep ran late) is found by this sweep's next round.
    /// </summary>
    private static async Task<(SweepResult Warned, int Removed)> WarnAsync(
        DbConnection connection, DbTransaction transaction, List<DueTimer> warnings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (warnings.Count == 0)
        {
            return (new SweepResult(0, 0, 0, 0, 0), 0);
        }

        // The chunk's warnings as a table w, on both providers: a VALUES list with a parameter per field.
        var parameters = new DynamicParameters(new
        {
            at = Instant.Format(now),
            actor = Actor.System.Name,
            acceptWarning = Timers.AcceptWarning,
            acceptDue = Timers.AcceptDue,
            handleDue = Timers.HandleDue,
        });
        var rows = new List<string>(warnings.Count);
        for (var i = 0; i < warnings.Count; i++)
        {
            rows.Add($"(@e{i}, @t{i}, @r{i}, @f{i})");
            parameters.Add($"e{i}", warnings[i].EventId);
            parameters.Add($"t{i}", warnings[i].Timer);
            parameters.Add($"r{i}", warnings[i].RefId);
            parameters.Add($"f{i}", warnings[i].FireAt);
        }

        var w = $"WITH w (event_id, timer, ref_id, fire_at) AS (VALUES {string.Join(", ", rows)})";
        // Numbered after the event's last line; two warnings of one event in one chunk in the order they fell due.
        var lines = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {w}
            INSERT INTO event_timeline (event_id, seq, at, actor, action, from_state, to_state, reason, detail)
            SELECT w.event_id,
                   COALESCE((SELECT MAX(l.seq) FROM event_timeline l WHERE l.event_id = w.event_id), 0)
                     + ROW_NUMBER() OVER (PARTITION BY w.event_id ORDER BY w.fire_at, w.timer),
                   @at, @actor, 'warning', e.state, e.state,
                   CASE WHEN w.timer = @acceptWarning THEN 'acceptance is due soon' ELSE 'handling is due soon' END, NULL
            FROM w JOIN event e ON e.event_id = w.event_id
            """,
            parameters, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {w}
            INSERT INTO event_timer (event_id, timer, ref_id, fire_at)
            SELECT a.event_id,
                   CASE WHEN w.timer = @acceptWarning THEN @acceptDue ELSE @handleDue END,
                   a.assignment_id,
                   CASE WHEN w.timer = @acceptWarning THEN a.accept_due ELSE a.handle_due END
            FROM w JOIN event_assignment a ON a.assignment_id = w.ref_id AND a.event_id = w.event_id
            WHERE a.ended_at IS NULL AND (CASE WHEN w.timer = @acceptWarning THEN a.accepted_at ELSE a.handled_at END) IS NULL
            ON CONFLICT DO NOTHING
            """,
            parameters, transaction, cancellationToken: cancellationToken));
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            $"{w} DELETE FROM event_timer WHERE (event_id, timer, ref_id) IN (SELECT event_id, timer, ref_id FROM w)",
            parameters, transaction, cancellationToken: cancellationToken));
        return (new SweepResult(lines, 0, 0, 0, 0), removed);
    }

    /// <summary>
    /// Whether the step a deadline stands for is still owed. Accepting or handling removes the deadline's timer, but one
    /// set by a warning while that action was committing can outlive it, and must not count as missed.
    /// </summary>
    private static async Task<bool> StillOwedAsync(DbConnection connection, DbTransaction transaction, DueTimer timer, CancellationToken cancellationToken)
    {
        var doneColumn = timer.Timer == Timers.AcceptDue ? "accepted_at" : "handled_at";
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM event_assignment WHERE assignment_id = @RefId AND {doneColumn} IS NULL AND ended_at IS NULL",
            timer, transaction, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>限时办结 missed: a breach, the overdue mark, and escalation to the next level with fresh deadlines.</summary>
    private async Task<SweepResult> OverdueAsync(
        DbConnection connection, DbTransaction transaction, DueTimer timer, string? department, string? division, EventState state, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await EventRows.BreachAsync(connection, transaction, timer.EventId, "late_handling", timer.RefId, department, division, now,
            $"not handled by {timer.FireAt}", cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE event_assignment SET overdue = 1 WHERE assignment_id = @RefId", timer, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE event SET overdue = 1 WHERE event_id = @EventId", timer, transaction, cancellationToken: cancellationToken));
        await EventRows.AppendTimelineAsync(connection, transaction, timer.EventId, now, Actor.System.Name, "overdue", state, state,
            "the handling deadline passed", null, cancellationToken);
        if (!state.IsWithUnit())
        {
            return new SweepResult(0, 0, 1, 0, 0);
        }

        var escalation = await workflow.ActAsync(connection, transaction, timer.EventId, EventAction.Escalate,
            new ActionRequest(Reason: "unresolved at this level by its deadline"), Actor.System, cancellationToken);
        return new SweepResult(0, 0, 1, escalation.Status == ActionStatus.Done ? 1 : 0, 0);
    }

    private static SweepResult Add(SweepResult a, SweepResult b) => new(
        a.Warnings + b.Warnings, a.LateAcceptances + b.LateAcceptances, a.Overdue + b.Overdue, a.Escalated + b.Escalated,
        a.LateSupervisionAnswers + b.LateSupervisionAnswers);

    private sealed record DueTimer(long EventId, string Timer, long RefId, string FireAt);
}
