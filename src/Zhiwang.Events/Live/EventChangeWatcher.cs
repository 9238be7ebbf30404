using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zhiwang.Storage;

namespace Zhiwang.Events.Live;

public sealed class LiveOptions
{
    public const string Section = "Zhiwang:Events:Live";

    /// <summary>How often the watcher looks for new timeline lines while a page listens: a change shows within about this.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back each look reaches before the last one: a line is stamped when its transaction starts, so one that
    /// commits later than the look after it would be missed without this overlap.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A timeline line just written: the event it is about and the grid the event lies in (what scopes are matched on).</summary>
public sealed record EventChange(long EventId, long Seq, string GridCode);

/// <summary>
/// Notices changes to events for the pages that show them live. Every change to an event, by any server (actions, notes,
/// photos, supervision orders and answers, warnings, breaches and overdue marks of the sweep, intake itself), appends a
/// line to <c>event_timeline</c>, so one indexed query on its <c>at</c> column about once a second finds them all, on
/// either provider, with nothing added to intake or any other write. One watcher per server, however many pages
/// listen; it does not query at all while none does.
/// </summary>
public sealed class EventChangeWatcher(Database database, TimeProvider time, IOptions<LiveOptions> options, ILogger<EventChangeWatcher> logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly List<EventChangeListener> _listeners = [];
    private TaskCompletionSource _someoneListens = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The lines already told, by (event, seq), with when they were written, kept as long as the overlap can return them.
    private readonly Dictionary<(long EventId, long Seq), DateTimeOffset> _told = [];
    private DateTimeOffset? _lastLook;

    /// <summary>
    /// Starts listening for changes <paramref name="concerns"/> picks out; dispose the listener when the page goes.
    /// </summary>
    public EventChangeListener Listen(Func<EventChange, bool> concerns)
    {
        var listener = new EventChangeListener(this, concerns);
        lock (_gate)
        {
            _listeners.Add(listener);
            _someoneListens.TrySetResult();
        }

        return listener;
    }

    internal void Remove(EventChangeListener listener)
    {
        lock (_gate)
        {
            _listeners.Remove(listener);
            if (_listeners.Count == 0)
            {
                _someoneListens = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>One look: reads the timeline lines written since shortly before the last look and tells the listeners the new ones.</summary>
    public async Task<int> LookAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = (_lastLook ?? now) - options.Value.Overlap;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var lines = await connection.QueryAsync<(long EventId, long Seq, string At, string GridCode)>(new CommandDefinition(
            """
            SELECT t.event_id, t.seq, t.at, e.grid_code
            FROM event_timeline t JOIN event e ON e.event_id = t.event_id
            WHERE t.at > @since
            """,
            new { since = Instant.Format(since) }, cancellationToken: cancellationToken));
        var changes = new List<EventChange>();
        foreach (var line in lines)
        {
            if (_told.TryAdd((line.EventId, line.Seq), Instant.Parse(line.At)))
            {
                changes.Add(new EventChange(line.EventId, line.Seq, line.GridCode));
            }
        }

        foreach (var (key, at) in _told.Where(t => t.Value <= since).ToList())
        {
            _told.Remove(key);
        }

        _lastLook = now;
        EventChangeListener[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Tell(changes);
        }

        return changes.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Task someoneListens;
            lock (_gate)
            {
                someoneListens = _someoneListens.Task;
            }

            if (!someoneListens.IsCompleted)
            {
                // Nobody listening: no query at all, and no memory of old lines, since nobody waits for them.
                _lastLook = null;
                _told.Clear();
                await someoneListens.WaitAsync(stoppingToken);
            }

            try
            {
                await LookAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database away for a moment: the pages keep their streams and the next look catches up.
                logger.LogWarning(e, "Looking for changed events failed");
            }

            await Task.Delay(options.Value.Interval, time, stoppingToken);
        }
    }
}

/// <summary>One page listening: it waits for changes it is concerned with, several at once told as one.</summary>
public sealed class EventChangeListener : IDisposable
{
    private readonly EventChangeWatcher _watcher;
    private readonly Func<EventChange, bool> _concerns;

    // One slot: a page only needs to know that something changed since it last looked, not each change.
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    internal EventChangeListener(EventChangeWatcher watcher, Func<EventChange, bool> concerns)
    {
        _watcher = watcher;
        _concerns = concerns;
    }

    /// <summary>Waits until a change this listener is concerned with was noticed; false when <paramref name="within"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            return await _changed.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    internal void Tell(IReadOnlyList<EventChange> changes)
    {
        if (changes.Any(_concerns))
        {
            _changed.Writer.TryWrite(true);
        }
    }

    public void Dispose() => _watcher.Remove(this);
}
