using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Zhiwang.Events.Api;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Reports sent at a fixed rate whatever the server does (open loop: a slow server does not slow the offered load, so
/// its slowness shows as latency and backlog instead of hiding as a lower rate). Each report's latency runs from the
/// moment it was due to be sent to its acknowledgement, so time spent queued in the client counts too.
/// With <c>retryUntilAcknowledged</c>, a report that gets no answer (connection refused or reset, a timeout, a 5xx)
/// is sent again with the same Idempotency-Key until it is acknowledged, as a client must when the server dies.
/// </summary>
public sealed class OpenLoopLoad(HttpClient http, string apiKey, ReportMaker maker, string keyPrefix, bool retryUntilAcknowledged)
{
    private static readonly Uri EventsPath = new("/api/events", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private long _inFlight;

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>The Idempotency-Key of report <paramref name="index"/>.</summary>
    public string Key(long index) => keyPrefix + index.ToString("D9", CultureInfo.InvariantCulture);

    /// <summary>
    /// Offers reports <paramref name="firstIndex"/>, … at <paramref name="rate"/> per second for <paramref name="duration"/>,
    /// printing a line every 10 s (when <paramref name="label"/> is set), then waits up to <paramref name="drain"/> for
    /// those still in flight.
    /// </summary>
    public async Task RunAsync(
        double rate, TimeSpan duration, long firstIndex, LoadStats stats, string? label, TimeSpan drain, CancellationToken cancellationToken)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        stats.Begin(start);
        long sent = 0;
        var nextLine = TimeSpan.FromSeconds(10);
        while (sent < total)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            var due = Math.Min(total, (long)(elapsed.TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                var scheduled = start + (long)(sent / rate * Stopwatch.Frequency);
                stats.Offer();
                Interlocked.Increment(ref _inFlight);
                _ = SendAsync(firstIndex + sent, scheduled, stats, cancellationToken);
            }

            if (label is not null && elapsed >= nextLine)
            {
                Console.WriteLine(stats.WindowLine(label, nextLine, InFlight));
                nextLine += TimeSpan.FromSeconds(10);
            }

            await Task.Delay(1, cancellationToken);
        }

        var draining = Stopwatch.StartNew();
        while (InFlight > 0 && draining.Elapsed < drain)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (label is not null && elapsed >= nextLine)
            {
                Console.WriteLine(stats.WindowLine(label, nextLine, InFlight) + " (offered all; draining)");
                nextLine += TimeSpan.FromSeconds(10);
            }

            await Task.Delay(20, cancellationToken);
        }

        stats.End(InFlight);
    }

    private async Task SendAsync(long index, long scheduled, LoadStats stats, CancellationToken cancellationToken)
    {
        try
        {
            var key = Key(index);
            var body = maker.Body(index);
            var backoff = TimeSpan.FromMilliseconds(50);
            while (true)
            {
                string failure;
                using (var request = new HttpRequestMessage(HttpMethod.Post, EventsPath))
                {
                    request.Content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
                    request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
                    request.Headers.Add(EventsApi.IdempotencyHeader, key);
                    try
                    {
                        using var response = await http.SendAsync(request, cancellationToken);
                        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                        {
                            var receipt = await response.Content.ReadFromJsonAsync<Receipt>(JsonSerializerOptions.Web, cancellationToken)
                                ?? throw new InvalidOperationException("an empty receipt");
                            stats.Acknowledge(key, receipt.EventId, receipt.AlreadyReported, Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds);
                            return;
                        }

                        failure = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                        if (!retryUntilAcknowledged || (int)response.StatusCode < 500)
                        {
                            stats.Fail(failure);
                            return;
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        failure = "connection " + e.HttpRequestError;
                    }
                    catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        failure = "timeout";
                    }
                    catch (IOException)
                    {
                        // The response body cut off mid-read: the server died while answering.
                        failure = "connection reset";
                    }
                }

                if (!retryUntilAcknowledged)
                {
                    stats.Fail(failure);
                    return;
                }

                stats.Retry(failure);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run was cut short.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The part of <c>IntakeReceipt</c> the load checks.</summary>
    private sealed record Receipt(long EventId, bool AlreadyReported);
}

/// <summary>What a load saw: counts, latencies (all of them; sorted at the end) and the keys acknowledged, with their event ids.</summary>
public sealed class LoadStats
{
    private readonly Lock _lock = new();
    private readonly List<double> _latencies = [];
    private readonly List<double> _window = [];
    private readonly SortedDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _retries = new(StringComparer.Ordinal);
    private long _start;
    private long _lastAcknowledged;
    private long _windowOffered;
    private long _windowAcknowledged;
    private long _windowErrors;

    public ConcurrentDictionary<string, long> Acknowledged { get; } = new(StringComparer.Ordinal);

    public long Offered { get; private set; }

    public long AlreadyReported { get; private set; }

    public long Errors { get; private set; }

    public long RetriesTotal { get; private set; }

    /// <summary>Keys acknowledged again with another event id than the first time.</summary>
    public long Conflicts { get; private set; }

    /// <summary>Reports still unanswered when the load stopped waiting.</summary>
    public long Unfinished { get; private set; }

    public IReadOnlyDictionary<string, long> ErrorsByStatus => _errors;

    public IReadOnlyDictionary<string, long> RetriesByCause => _retries;

    public void Begin(long start) => _start = start;

    public void End(long unfinished) => Unfinished = unfinished;

    public void Offer()
    {
        lock (_lock)
        {
            Offered++;
            _windowOffered++;
        }
    }

    public void Acknowledge(string key, long eventId, bool alreadyReported, double latencyMs)
    {
        lock (_lock)
        {
            if (!Acknowledged.TryAdd(key, eventId) && Acknowledged[key] != eventId)
            {
                // The same key answered with two events: the idempotency the crash bench checks has failed.
                Conflicts++;
            }

            AlreadyReported += alreadyReported ? 1 : 0;
            _latencies.Add(latencyMs);
            _window.Add(latencyMs);
            _windowAcknowledged++;
            _lastAcknowledged = Stopwatch.GetTimestamp();
        }
    }

    public void Fail(string status)
    {
        lock (_lock)
        {
            Errors++;
            _windowErrors++;
            _errors[status] = _errors.GetValueOrDefault(status) + 1;
        }
    }

    public void Retry(string cause)
    {
        lock (_lock)
        {
            RetriesTotal++;
            _retries[cause] = _retries.GetValueOrDefault(cause) + 1;
        }
    }

    /// <summary>The last window's line: offered, acknowledged, errors, p50/p99; the window starts afresh.</summary>
    public string WindowLine(string label, TimeSpan at, long inFlight)
    {
        lock (_lock)
        {
            _window.Sort();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{label} {at.TotalSeconds,5:F0} s: offered {_windowOffered,6:N0}, acknowledged {_windowAcknowledged,6:N0}, errors {_windowErrors:N0}, in flight {inFlight:N0}, p50 {Percentile(_window, 0.50),7:F1} ms, p99 {Percentile(_window, 0.99),7:F1} ms");
            _window.Clear();
            _windowOffered = _windowAcknowledged = _windowErrors = 0;
            return line;
        }
    }

    /// <summary>The summary: totals, the achieved rate (acknowledged per second until the last acknowledgement), percentiles.</summary>
    public string Summary(string label)
    {
        lock (_lock)
        {
            _latencies.Sort();
            var seconds = _lastAcknowledged > _start ? Stopwatch.GetElapsedTime(_start, _lastAcknowledged).TotalSeconds : 0;
            var errors = _errors.Count == 0 ? "none" : string.Join(", ", _errors.Select(e => $"{e.Key}: {e.Value:N0}"));
            var retries = _retries.Count == 0 ? "" : $"; retries {RetriesTotal:N0} ({string.Join(", ", _retries.Select(e => $"{e.Key}: {e.Value:N0}"))})";
            return string.Create(CultureInfo.InvariantCulture,
                $"""
                {label}: offered {Offered:N0}, acknowledged {Acknowledged.Count:N0} ({AlreadyReported:N0} as already reported), errors {Errors:N0} ({errors}), unfinished {Unfinished:N0}{retries}
                {label}: achieved {(seconds > 0 ? Acknowledged.Count / seconds : 0):N0} acknowledged/s over {seconds:F1} s
                {label}: latency due → acknowledged: p50 {Percentile(_latencies, 0.50):F1} ms, p95 {Percentile(_latencies, 0.95):F1} ms, p99 {Percentile(_latencies, 0.99):F1} ms, p99.9 {Percentile(_latencies, 0.999):F1} ms, max {(_latencies.Count > 0 ? _latencies[^1] : 0):F1} ms
                """);
        }
    }

    public double Percentile(double p)
    {
        lock (_lock)
        {
            _latencies.Sort();
            return Percentile(_latencies, p);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
