using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zhiwang.Access.Account;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Clients;
using Zhiwang.Access.Users;
using Zhiwang.Storage;

namespace Zhiwang.Access;

/// <summary>The Access module's entry points: <see cref="AddAccess"/> in services, <see cref="MapAccessApi"/> in endpoints.</summary>
public static class AccessSetup
{
    /// <summary>Chooses per request: the ApiKey scheme when an API key is presented, the cookie otherwise.</summary>
    public const string DefaultScheme = "Zhiwang";

    /// <summary>
    /// Users, clients, the audit log, cookie and API-key authentication, and authorization that denies by default:
    /// every endpoint requires an authenticated user unless it says AllowAnonymous. The host registers the
    /// <see cref="Database"/> (the server's platform set-up chooses it from configuration) and migrates this
    /// module's tables before it starts (the server does, for every module in <c>ModuleCatalog</c>).
    /// </summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<UserAccounts>();
        services.TryAddSingleton<ApiClients>();
        services.TryAddSingleton(_ => new FirstRunConsole(Console.Out));
        services.AddHostedService<AccessStartup>();
        services.AddAntiforgery(); // the login form carries a token: no signing a victim in as someone else

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = DefaultScheme;
                options.DefaultChallengeScheme = DefaultScheme;
                options.DefaultForbidScheme = DefaultScheme;
            })
            .AddPolicyScheme(DefaultScheme, "Cookie or API key", options =>
                options.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.Presents(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "zhiwang.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/login";
                // APIs answer 401/403; only pages are sent to the login page.
                options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorization(options =>
        {
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            foreach (var role in Roles.All)
            {
                options.AddPolicy(AccessPolicies.ForRole(role), policy => policy.RequireAuthenticatedUser().RequireRole(role));
            }

            foreach (var grant in AccessPolicies.KnownGrants)
            {
                options.AddPolicy(AccessPolicies.ForGrant(grant), policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => Grants.Allows(context.User.FindAll(AccessClaims.Grant).Select(c => c.Value), grant)));
            }
        });
        return services;
    }

    /// <summary>
    /// <c>GET /login</c>, <c>POST /account/login</c>, <c>POST /account/logout</c>, <c>GET /api/access/me</c> and the
    /// administrator's <c>GET /api/access/users</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder endpoints)
    {
        AccountApi.Map(endpoints);
        return endpoints;
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        var wantsPage = !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (wantsPage)
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// At start, on first run: creates the first administrator and prints their password this once on standard output
/// (never to the log). The tables are already there: the host migrates every module before it starts.
/// </summary>
internal sealed class AccessStartup(UserAccounts users, FirstRunConsole console, ILogger<AccessStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.EnsureAdministratorAsync(cancellationToken) is { } admin)
        {
            await console.PrintFirstAdministratorAsync(admin, cancellationToken);
            logger.LogWarning(
                "First run: created user '{Name}' (administrator, scope {Scope}); its password was printed once on standard output.",
                admin.User.Name,
                admin.User.Scope);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Where the first administrator's password is printed: the console's standard output by default, never the log,
/// because log lines are kept in files and shipped to aggregators. A test registers its own writer to read it.
/// </summary>
public sealed class FirstRunConsole(TextWriter output)
{
    public TextWriter Output { get; } = output;

    internal async Task PrintFirstAdministratorAsync(CreatedUser admin, CancellationToken cancellationToken)
    {
        var rule = new string('=', 72);
        var block = $"""

            {rule}
            首次运行：已创建管理员 {admin.User.Name}（系统管理员，范围 {admin.User.Scope}），密码只显示这一次，请妥善保管。
            First run: created administrator '{admin.User.Name}' (scope {admin.User.Scope}); the password is shown only this once.

                Password / 密码: {admin.Password}

            {rule}

            """;
        await Output.WriteAsync(block.AsMemory(), cancellationToken);
        await Output.FlushAsync(cancellationToken);
    }
}
