using System.Diagnostics;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.Server.Events;

/// <summary>
/// Builds the standard address base's index in the background once the server has started, so the first report given
/// only as an address is placed as fast as the next one instead of waiting for a million houses to be read. Start-up and
/// /health do not wait for it; a report arriving meanwhile waits for this build rather than starting its own.
/// </summary>
internal sealed class AddressBaseWarmUp(StandardAddressBase addresses, ILogger<AddressBaseWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = Stopwatch.StartNew();
            var index = await addresses.IndexAsync(stoppingToken);
            logger.LogInformation(
                "Standard address base ready: {Addresses:N0} house addresses indexed in {Seconds:F1} s", index.Count, started.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server stopped first; the first address-only report builds the index instead.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never stop the server for it: a database not yet migrated or unreachable is reported by the health check.
            logger.LogWarning(e, "The standard address base could not be built at start; the first address-only report will build it.");
        }
    }
}
