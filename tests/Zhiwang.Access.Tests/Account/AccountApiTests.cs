using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access.Audit;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Access.Tests.Account;

public sealed partial class AccountApiTests
{
    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_user_signs_in_with_the_form_and_the_cookie_says_who_they_are(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();

        using var login = await browser.SignInAsync("wang.fang", created.Password);
        using var me = await browser.GetAsync("/api/access/me", "application/json");
        using var page = await browser.GetAsync("/dashboard");

        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        login.Headers.Location!.OriginalString.ShouldBe("/dashboard");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("name").GetString().ShouldBe("wang.fang");
        body.RootElement.GetProperty("kind").GetString().ShouldBe("user");
        body.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe([Roles.GridWorker]);
        body.RootElement.GetProperty("scope").GetString().ShouldBe("440304");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_wrong_password_returns_to_the_login_page_without_a_session(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();

        using var login = await browser.SignInAsync("wang.fang", "not-the-password");
        using var me = await browser.GetAsync("/api/access/me", "application/json");

        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        login.Headers.Location!.OriginalString.ShouldStartWith("/login?error=failed");
        me.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Login_never_redirects_to_another_site(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();

        using var login = await browser.SignInAsync("wang.fang", created.Password, returnUrl: "//evil.example/steal");

        login.Headers.Location!.OriginalString.ShouldBe("/");
    }

    // Each would leave the site once a browser has its way with it: a tab or newline is stripped (so "/\t/evil" becomes
    // "//evil"), a backslash counts as a slash, and "//" or a scheme names another host.
    public static TheoryData<DatabaseProvider, string> ForeignReturnUrls()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql })
        {
            foreach (var url in new[] { "/\t/evil.example", "/\n/evil.example", "/\\/evil", "//evil", "https://evil", "\t//evil", "~//evil", "/ok\r\n/x" })
            {
                data.Add(provider, url);
            }
        }

        return data;
    }

    [SkippableTheory, MemberData(nameof(ForeignReturnUrls))]
    public async Task Login_sends_a_foreign_return_url_to_the_site_root(DatabaseProvider provider, string returnUrl)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();

        using var wrong = await browser.SignInAsync("wang.fang", "not-the-password", returnUrl);
        using var right = await browser.SignInAsync("wang.fang", created.Password, returnUrl);

        wrong.Headers.Location!.OriginalString.ShouldBe("/login?error=failed&returnUrl=%2F");
        right.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Theory]
    [InlineData("%2F%09%2Fevil.example")]
    [InlineData("/%5C/evil")]
    [InlineData("//evil")]
    [InlineData("https://evil")]
    [InlineData("%2F%0A%2Fevil.example")]
    public async Task The_login_page_never_carries_a_foreign_return_url(string encodedReturnUrl)
    {
        await using var host = await AccessHost.StartAsync(DatabaseProvider.Sqlite);
        using var browser = host.NewBrowser();

        using var page = await browser.GetAsync("/login?returnUrl=" + encodedReturnUrl);

        ReturnUrlField().Match(await page.Content.ReadAsStringAsync()).Groups["value"].Value.ShouldBe("/");
    }

    [Theory]
    [InlineData("/dashboard?tab=events#top", "/dashboard?tab=events#top")]
    [InlineData("/", "/")]
    [InlineData("~/dashboard", "/dashboard")]
    [InlineData("~/", "/")]
    public void A_path_on_this_site_is_kept(string returnUrl, string expected) =>
        Zhiwang.Access.Account.AccountApi.LocalOrRoot(returnUrl).ShouldBe(expected);

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_login_post_without_the_antiforgery_token_is_refused(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();

        using var login = await browser.PostFormAsync("/account/login", new() { ["name"] = "wang.fang", ["password"] = created.Password });

        login.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Anonymous_callers_get_401_from_apis_and_the_login_page_for_pages(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        using var browser = host.NewBrowser();

        using var api = await browser.GetAsync("/api/access/users", "application/json");
        using var page = await browser.GetAsync("/dashboard");
        using var login = await browser.GetAsync("/login");

        api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.AbsolutePath.ShouldBe("/login");
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await login.Content.ReadAsStringAsync();
        html.ShouldContain("登录");
        html.ShouldContain("Sign in");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_administrators_list_users(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var worker = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        var admin = await host.Users.CreateAsync("li.admin", [Roles.Administrator], "440300", "test", CancellationToken.None);
        using var workerBrowser = host.NewBrowser();
        using var adminBrowser = host.NewBrowser();
        (await workerBrowser.SignInAsync("wang.fang", worker.Password)).Dispose();
        (await adminBrowser.SignInAsync("li.admin", admin.Password)).Dispose();

        using var refused = await workerBrowser.GetAsync("/api/access/users", "application/json");
        using var allowed = await adminBrowser.GetAsync("/api/access/users", "application/json");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var users = await allowed.Content.ReadAsStringAsync();
        users.ShouldContain("wang.fang");
        users.ShouldNotContain("AQAAAA", Case.Sensitive, "no password hash leaves the server");
        var audit = host.Services.GetRequiredService<AuditLog>();
        (await audit.LatestAsync(1, CancellationToken.None)).Single().ShouldSatisfyAllConditions(
            e => e.Actor.ShouldBe("li.admin"),
            e => e.Action.ShouldBe("user.list"));
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Signing_out_ends_the_session(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();
        (await browser.SignInAsync("wang.fang", created.Password)).Dispose();

        using var logout = await browser.PostFormAsync("/account/logout", await browser.AntiforgeryFieldsAsync());
        using var me = await browser.GetAsync("/api/access/me", "application/json");

        logout.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        logout.Headers.Location!.OriginalString.ShouldBe("/login");
        me.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_logout_post_without_the_antiforgery_token_is_refused(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Users.CreateAsync("wang.fang", [Roles.GridWorker], "440304", "test", CancellationToken.None);
        using var browser = host.NewBrowser();
        (await browser.SignInAsync("wang.fang", created.Password)).Dispose();

        // What another site's hidden form could send: the cookie rides along, the token cannot.
        using var forged = await browser.PostFormAsync("/account/logout", []);
        using var me = await browser.GetAsync("/api/access/me", "application/json");

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_department_client_is_accepted_by_api_key_for_what_it_was_granted(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);
        using var client = host.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", created.ApiKey);

        using var me = await client.GetAsync(new Uri("/api/access/me", UriKind.Relative));
        using var granted = await client.GetAsync(new Uri("/api/open311/ping", UriKind.Relative));
        using var notGranted = await client.GetAsync(new Uri("/api/verify/person", UriKind.Relative));
        using var adminOnly = await client.GetAsync(new Uri("/api/access/users", UriKind.Relative));

        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("kind").GetString().ShouldBe("client");
        body.RootElement.GetProperty("grants").EnumerateArray().Select(g => g.GetString()).ShouldBe([Grants.Open311]);
        granted.StatusCode.ShouldBe(HttpStatusCode.OK);
        notGranted.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        adminOnly.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_wrong_or_revoked_api_key_gets_401(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var created = await host.Clients.CreateAsync("hotline", [Grants.Open311], "test", CancellationToken.None);
        using var wrong = host.NewClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", created.Client.KeyId + ".wrong-secret");
        using var right = host.NewClient();
        right.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", created.ApiKey);

        using var refused = await wrong.GetAsync(new Uri("/api/open311/ping", UriKind.Relative));
        await host.Clients.RevokeAsync(created.Client.KeyId, "test", CancellationToken.None);
        using var revoked = await right.GetAsync(new Uri("/api/open311/ping", UriKind.Relative));

        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        revoked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        revoked.Headers.WwwAuthenticate.ToString().ShouldContain("ApiKey");
    }

    [Fact]
    public async Task Every_access_endpoint_says_whether_it_needs_authorization()
    {
        await using var host = await AccessHost.StartAsync(DatabaseProvider.Sqlite);

        var endpoints = host.Endpoints;
        var unmarked = endpoints
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        endpoints.Select(e => e.RoutePattern.RawText).ShouldContain("/api/access/users");
        unmarked.ShouldBeEmpty();
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_host_creates_the_first_administrator_at_start(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);

        var users = await host.Users.ListAsync(CancellationToken.None);

        users.Single().Name.ShouldBe("admin");
        users.Single().Roles.ShouldBe([Roles.Administrator]);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_first_administrators_password_is_printed_once_and_never_logged(DatabaseProvider provider)
    {
        await using var host = await AccessHost.StartAsync(provider);
        var printed = host.ConsoleText;
        var password = PrintedPassword().Match(printed);
        using var browser = host.NewBrowser();

        password.Success.ShouldBeTrue("the password is printed on standard output:\n" + printed);
        printed.ShouldContain("首次运行");
        printed.ShouldContain("First run");
        printed.ShouldContain("admin");
        host.LogText.ShouldContain("admin", Case.Sensitive, "the log says the administrator was created");
        host.LogText.ShouldNotContain(password.Groups["password"].Value, Case.Sensitive, "log files and aggregators never see it");
        using var login = await browser.SignInAsync("admin", password.Groups["password"].Value);
        login.Headers.Location!.OriginalString.ShouldBe("/dashboard");
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("Password / 密码: (?<password>\\S+)")]
    private static partial Regex PrintedPassword();
}
