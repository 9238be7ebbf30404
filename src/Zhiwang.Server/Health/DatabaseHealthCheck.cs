using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Zhiwang.Server.Health;

/// <summary>
/// Healthy only when the registered <see cref="DatabasePing"/> answers true. With no ping registered
/// the host reports itself unhealthy rather than pretend the database is there.
/// </summary>
public sealed class DatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var ping = services.GetService<DatabasePing>();
        if (ping is null)
        {
            return HealthCheckResult.Unhealthy("No database check is registered (DatabasePing).");
        }

        try
        {
            return await ping(cancellationToken)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database check failed.", ex);
        }
    }
}
