using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Events.Open311;

// Beside MapEventsApi in the module's entry-point namespace, so the host maps it with one line.
namespace Zhiwang.Events.Api;

/// <summary>
/// Open311 GeoReport v2 under <c>/open311/v2/</c>, so civic tools built for it can report to the city and follow what
/// happens: discovery, services (the catalogue's classes), service definitions, requests (events) and their tokens,
/// and the servicerequestupdates extension. Reading is public, as the spec intends, and so shows hazards only: a
/// dispute may be reported (and its token resolved) but is never published; reporting needs a client holding the grant
/// <c>open311</c>.
/// </summary>
public static class Open311Api
{
    public const string BasePath = "/open311/v2";

    public static RouteGroupBuilder MapOpen311Api(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(Open311Options.Section).Get<Open311Options>()
            ?? new Open311Options();
        var resources = new Open311Endpoints(options);
        var group = endpoints.MapGroup(BasePath).WithTags("Open311");
        group.MapGet("/discovery.{format}", resources.Discovery).AllowAnonymous()
            .WithSummary("Open311 service discovery: where the GeoReport v2 endpoint is and the formats it speaks (json, xml)");
        group.MapGet("/services.{format}", resources.Services).AllowAnonymous()
            .WithSummary("Every event class of the current catalogue as an Open311 service (?locale=en for English names)");
        group.MapGet("/services/{code}.{format}", resources.Definition).AllowAnonymous()
            .WithSummary("An Open311 service definition: the attributes a report of the class must or may give");
        // The spec lets a client send its key in the body (api_key), where authorization cannot see it, and wants
        // 401/403 as Open311 errors: the handler authenticates and checks the grant itself. A key, not a cookie,
        // says who reports, so there is no cross-site form to guard against.
        group.MapPost("/requests.{format}", resources.SubmitAsync).AllowAnonymous().DisableAntiforgery()
            .WithSummary("Report an event the Open311 way (form-encoded or JSON; needs a client with the grant open311; idempotent by Idempotency-Key or client_key)");
        group.MapGet("/requests.{format}", resources.RequestsAsync).AllowAnonymous()
            .WithSummary("Hazards (never disputes) as Open311 service requests: by service_request_ids, or by service_code, status and start_date/end_date (90 days, 1000 at most)");
        group.MapGet("/requests/{id}.{format}", resources.RequestAsync).AllowAnonymous()
            .WithSummary("One hazard as an Open311 service request (a dispute is 404, as if unknown)");
        group.MapGet("/tokens/{token}.{format}", resources.TokenAsync).AllowAnonymous()
            .WithSummary("The service request a token stands for");
        group.MapGet("/servicerequestupdates.{format}", resources.UpdatesAsync).AllowAnonymous()
            .WithSummary("Every step on every hazard's timeline between start_date and end_date (the last 24 hours by default), as Open311 updates");
        return group;
    }
}
