using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Users;

namespace Zhiwang.Access.Account;

/// <summary>The login form's fields.</summary>
public sealed record LoginForm(string? Name, string? Password, string? ReturnUrl);

/// <summary>Who the caller is: a user (roles and scope) or a department client (grants).</summary>
public sealed record Me(string Name, string Kind, IReadOnlyList<string> Roles, string? Scope, IReadOnlyList<string> Grants);

/// <summary>Signing in and out with a password, the login page, and who-am-I.</summary>
internal static class AccountApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", LoginPage)
            .AllowAnonymous()
            .ExcludeFromDescription()
            .WithDisplayName("Login page");

        var account = endpoints.MapGroup("/account").WithTags("Access");
        account.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .WithName("Login")
            .WithSummary("Signs in with name and password (form post from /login); sets the session cookie");
        account.MapPost("/logout", LogoutAsync)
            .AllowAnonymous()
            .WithMetadata(new RequireAntiforgeryTokenAttribute()) // binds no form, so nothing else would check the token
            .WithName("Logout")
            .WithSummary("Signs out and returns to the login page");

        var api = endpoints.MapGroup("/api/access").WithTags("Access");
        api.MapGet("/me", GetMe)
            .RequireAuthorization()
            .WithName("GetMe")
            .WithSummary("Who the caller is: name, roles and scope for a user; grants for a department client");
        api.MapGet("/users", ListUsersAsync)
            .RequireAuthorization(AccessPolicies.Administrator)
            .WithName("ListUsers")
            .WithSummary("Every user with roles, scope and lockout (administrators only)");
    }

    internal static async Task<Results<RedirectHttpResult, BadRequest<string>>> LoginAsync(
        [FromForm] LoginForm form, HttpContext context, UserAccounts users, CancellationToken cancellationToken)
    {
        var returnUrl = LocalOrRoot(form.ReturnUrl);
        if (string.IsNullOrEmpty(form.Name) || string.IsNullOrEmpty(form.Password))
        {
            return TypedResults.Redirect(LoginUrl(returnUrl, "missing"));
        }

        var result = await users.SignInAsync(form.Name, form.Password, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded when result.User is { } user:
                var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(AccessClaims.Scope, user.Scope) };
                claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
                if (user.Department is { } department)
                {
                    claims.Add(new Claim(AccessClaims.Department, department));
                }

                await context.SignInAsync(
                    CookieAuthenticationDefaults.AuthenticationScheme,
                    new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
                return TypedResults.Redirect(returnUrl);
            case SignInOutcome.LockedOut:
                return TypedResults.Redirect(LoginUrl(returnUrl, "locked"));
            default:
                return TypedResults.Redirect(LoginUrl(returnUrl, "failed"));
        }
    }

    internal static async Task<Results<RedirectHttpResult, BadRequest<string>>> LogoutAsync(
        HttpContext context, IAntiforgery antiforgery, AuditLog auditLog, CancellationToken cancellationToken)
    {
        // Another site must not be able to sign a user out. The antiforgery middleware has checked the token when it
        // runs; a host without it still gets the check here.
        var valid = context.Features.Get<IAntiforgeryValidationFeature>() is { } validation
            ? validation.IsValid
            : await antiforgery.IsRequestValidAsync(context);
        if (!valid)
        {
            return TypedResults.BadRequest("Missing or invalid antiforgery token.");
        }

        if (context.User.Identity?.IsAuthenticated == true && context.User.Identity.Name is { } name)
        {
            await auditLog.AppendAsync(new AuditRecord(name, "logout", "user:" + name), cancellationToken);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect("/login");
    }

    internal static Ok<Me> GetMe(ClaimsPrincipal user)
    {
        var isClient = user.FindFirst(AccessClaims.ClientKeyId) is not null;
        return TypedResults.Ok(new Me(
            user.Identity?.Name ?? "",
            isClient ? "client" : "user",
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
            user.ScopeOf(),
            user.GrantsOf()));
    }

    internal static async Task<Ok<IReadOnlyList<UserSummary>>> ListUsersAsync(
        ClaimsPrincipal caller, UserAccounts users, AuditLog auditLog, CancellationToken cancellationToken)
    {
        var list = await users.ListAsync(cancellationToken);
        await auditLog.AppendAsync(new AuditRecord(caller.Identity?.Name ?? "", "user.list", "users", Detail: $"{list.Count} users"), cancellationToken);
        return TypedResults.Ok(list);
    }

    internal static ContentHttpResult LoginPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers.CacheControl = "no-store";
        var html = HtmlEncoder.Default;
        var message = error switch
        {
            "failed" => "用户名或密码不正确 · Wrong name or password.",
            "locked" => "登录失败次数过多，账户已锁定 15 分钟 · Too many failed sign-ins: the account is locked for 15 minutes.",
            "missing" => "请输入用户名和密码 · Enter your name and password.",
            _ => null,
        };
        var page = $$"""
            <!DOCTYPE html>
            <html lang="zh-Hans">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>登录 · Sign in — 织网 Zhiwang</title>
            <style>
              body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f3f5f8; margin: 0; display: grid; place-items: center; min-height: 100vh; color: #1d2733; }
              main { background: #fff; padding: 2rem 2.25rem; border-radius: 10px; box-shadow: 0 2px 14px rgba(0,0,0,.08); width: min(22rem, 90vw); }
              h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
              p.sub { margin: 0 0 1.5rem; color: #5b6776; font-size: .9rem; }
              label { display: block; font-size: .9rem; margin: 1rem 0 .3rem; }
              input { width: 100%; box-sizing: border-box; padding: .55rem .65rem; border: 1px solid #c5ccd6; border-radius: 6px; font-size: 1rem; }
              button { margin-top: 1.5rem; width: 100%; padding: .65rem; border: 0; border-radius: 6px; background: #c8161d; color: #fff; font-size: 1rem; cursor: pointer; }
              .error { background: #fdecec; color: #8a1116; padding: .6rem .75rem; border-radius: 6px; font-size: .9rem; }
            </style>
            </head>
            <body>
            <main>
              <h1>登录 · Sign in</h1>
              <p class="sub">织网 Zhiwang</p>
              {{(message is null ? "" : $"<p class=\"error\" role=\"alert\">{html.Encode(message)}</p>")}}
              <form method="post" action="/account/login">
                <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? "")}}">
                <input type="hidden" name="returnUrl" value="{{html.Encode(LocalOrRoot(returnUrl))}}">
                <label for="name">用户名 · Name</label>
                <input id="name" name="name" autocomplete="username" required autofocus>
                <label for="password">密码 · Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit">登录 · Sign in</button>
              </form>
            </main>
            </body>
            </html>
            """;
        return TypedResults.Content(page, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Only a path on this site, by ASP.NET Core's IsLocalUrl rule: <c>/</c> not followed by <c>/</c> or <c>\</c>, or
    /// <c>~/</c> (the app root) likewise, and no control character anywhere, because browsers strip tabs and newlines
    /// and would turn <c>/&#9;/evil.example</c> into <c>//evil.example</c>. Anything else goes to the root.
    /// </summary>
    internal static string LocalOrRoot(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(char.IsControl))
        {
            return "/";
        }

        var path = url.StartsWith("~/", StringComparison.Ordinal) ? url[1..] : url;
        return path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\')) ? path : "/";
    }

    private static string LoginUrl(string returnUrl, string error) =>
        $"/login?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";
}
