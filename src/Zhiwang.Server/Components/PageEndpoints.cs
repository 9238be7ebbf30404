using Microsoft.AspNetCore.Authorization;

namespace Zhiwang.Server.Components;

public static class PageEndpoints
{
    /// <summary>
    /// The Razor component pages, statically rendered. Each page says for itself whether it needs a signed-in
    /// user ([Authorize] / [AllowAnonymous]); the framework's own redirect endpoint, which carries only a
    /// protected target URL, is marked anonymous here since no page attribute reaches it.
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder MapPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapRazorComponents<App>();
        pages.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: var route } && route?.StartsWith("/_framework/", StringComparison.Ordinal) == true)
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        return pages;
    }
}
