using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access;
using Zhiwang.Access.Users;

namespace Zhiwang.Server.Tests.Access;

/// <summary>
/// Deny by default, checked on the real app: every endpoint states whether it needs authorization (an authorize or
/// allow-anonymous marker), so none is open by accident, and the administrator's API refuses everyone else.
/// </summary>
public sealed partial class DenyByDefaultTests(AccessAppFactory factory) : IClassFixture<AccessAppFactory>
{
    [Fact]
    public void Every_endpoint_says_whether_it_needs_authorization()
    {
        _ = factory.Server; // builds the app and its endpoints
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var unmarked = endpoints
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => $"{e.RoutePattern.RawText} ({e.DisplayName})")
            .ToList();

        endpoints.ShouldNotBeEmpty();
        unmarked.ShouldBeEmpty(
            "each endpoint must say RequireAuthorization(...) or AllowAnonymous(); these say neither:\n  " + string.Join("\n  ", unmarked));
    }

    [Fact]
    public async Task An_anonymous_caller_cannot_list_users()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/api/access/users", UriKind.Relative));

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Redirect, HttpStatusCode.Found);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            response.Headers.Location!.AbsolutePath.ShouldBe("/login");
        }
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_an_administrator_gets_403_from_the_user_list()
    {
        var users = factory.Services.GetRequiredService<UserAccounts>();
        var worker = await users.CreateAsync("grid.worker." + Guid.NewGuid().ToString("N")[..8], [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var loginPage = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = TokenField().Match(loginPage);
        token.Success.ShouldBeTrue("the login page carries an antiforgery token");
        using var login = await client.PostAsync(
            new Uri("/account/login", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = worker.User.Name,
                ["password"] = worker.Password,
                ["returnUrl"] = "/",
                [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            }));
        using var response = await client.GetAsync(new Uri("/api/access/users", UriKind.Relative));

        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        login.Headers.Location!.OriginalString.ShouldBe("/");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
