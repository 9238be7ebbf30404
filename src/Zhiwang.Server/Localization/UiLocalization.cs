using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;

namespace Zhiwang.Server.Localization;

/// <summary>
/// Chinese by default; <c>?lang=en</c> (or <c>?lang=zh-CN</c>) switches the language and remembers it
/// in the culture cookie. The browser's Accept-Language is deliberately not consulted: the city's UI is Chinese first.
/// </summary>
public static class UiLocalization
{
    public static IServiceCollection AddUiLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Chinese text goes out as characters, not as &#x...; entities: a third of the size, and readable in the source.
        services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = UiCultures.All.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture(UiCultures.Chinese);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new LangQueryCultureProvider(), new CookieRequestCultureProvider()];
        });
        return services;
    }

    public static IApplicationBuilder UseUiLocalization(this IApplicationBuilder app)
    {
        app.UseRequestLocalization();
        app.Use(static (context, next) =>
        {
            if (UiCultures.Match(context.Request.Query[UiCultures.QueryKey]) is { } culture)
            {
                context.Response.Cookies.Append(
                    UiCultures.CookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax });
            }

            return next(context);
        });
        return app;
    }

    private sealed class LangQueryCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
            UiCultures.Match(httpContext.Request.Query[UiCultures.QueryKey]) is { } culture
                ? Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(culture))
                : NullProviderCultureResult;
    }
}
