using Zhiwang.MasterData.Hub;

namespace Zhiwang.Server.MasterData;

/// <summary>
/// Loads the hub's key indexes and engine tables into memory in the background once the server has started, so the
/// first department record submitted is linked as fast as the thousandth rather than waiting for the load.
/// </summary>
internal sealed class HubWarmUp(LiveHub hub, ILogger<HubWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await hub.WarmUpAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server stopped first; the first write warms the hub instead.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never stop the server for it: a database not yet migrated or unreachable is reported by the health check.
            logger.LogWarning(e, "The hub could not be warmed at start; the first write will load it.");
        }
    }
}
