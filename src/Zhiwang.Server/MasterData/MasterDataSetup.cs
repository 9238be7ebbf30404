using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zhiwang.Access;
using Zhiwang.MasterData.Search;

namespace Zhiwang.Server.MasterData;

/// <summary>The master-data pages' policies: who may read golden records (in their scope) and who may steward them.</summary>
public static class MasterDataPolicies
{
    /// <summary>Signed-in staff with a scope: data stewards, administrators and the scoped roles who work with residents.</summary>
    public const string Reader = "masterdata:read";

    /// <summary>Data stewards and administrators, with a scope: the queue, its actions, revealing a masked value, the quality report.</summary>
    public const string Steward = "masterdata:steward";

    /// <summary>Decision makers see statistics, not records; department clients have their own APIs.</summary>
    public static IReadOnlyList<string> ReaderRoles { get; } =
        [Roles.DataSteward, Roles.Administrator, Roles.GridWorker, Roles.CommunityStaff, Roles.EventHandler, Roles.Supervisor];

    public static IReadOnlyList<string> StewardRoles { get; } = [Roles.DataSteward, Roles.Administrator];

    /// <summary>The reader's scope, or null when they have none (then they see nothing).</summary>
    public static RecordScope? ScopeOf(ClaimsPrincipal user) =>
        user.ScopeOf() is { Length: > 0 } scope && scope.All(char.IsAsciiDigit) ? new RecordScope(scope) : null;

    public static string ActorOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}

public static class MasterDataSetup
{
    /// <summary>The search, 360° view, steward queue and quality report services, and the two policies.</summary>
    public static IServiceCollection AddMasterDataViews(this IServiceCollection services)
    {
        services.TryAddSingleton<SearchIndex>();
        services.TryAddSingleton<GoldenSearch>();
        services.TryAddSingleton<GoldenRecordView>();
        services.TryAddSingleton<StewardQueue>();
        services.TryAddSingleton<QualityReport>();
        services.AddHostedService<SearchIndexStartup>();
        services.AddHostedService<HubWarmUp>();
        services.AddHostedService<SearchBacklogIndexing>();
        services.AddAuthorization(options =>
        {
            options.AddPolicy(MasterDataPolicies.Reader, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(AccessClaims.Scope)
                .RequireRole(MasterDataPolicies.ReaderRoles));
            options.AddPolicy(MasterDataPolicies.Steward, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(AccessClaims.Scope)
                .RequireRole(MasterDataPolicies.StewardRoles));
        });
        return services;
    }
}
