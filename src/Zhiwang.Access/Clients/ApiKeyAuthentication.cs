using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Zhiwang.Access.Clients;

/// <summary>
/// The <c>ApiKey</c> scheme for department systems: <c>Authorization: ApiKey &lt;keyId&gt;.&lt;secret&gt;</c>.
/// A request without that header is not this scheme's business (NoResult), so cookies can still apply.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiClients clients)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string Prefix = SchemeName + " ";

    /// <summary>True when the request presents an API key (so the ApiKey scheme, not the cookie, should judge it).</summary>
    public static bool Presents(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers[HeaderNames.Authorization];
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var client = await clients.AuthenticateAsync(header[Prefix.Length..].Trim(), Context.RequestAborted);
        if (client is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or wrong.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, client.Name),
            new(AccessClaims.ClientKeyId, client.KeyId),
        };
        claims.AddRange(client.Grants.Select(g => new Claim(AccessClaims.Grant, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = SchemeName;
        return Task.CompletedTask;
    }
}
