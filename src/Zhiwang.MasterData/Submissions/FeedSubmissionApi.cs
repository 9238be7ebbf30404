using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Submissions;

/// <summary>
/// The API department systems submit their records through: <c>POST /api/masterdata/feeds/{department}/records</c>
/// (a batch) and <c>PUT /api/masterdata/feeds/{department}/records/{recordId}</c> (one record), each allowed only
/// to a client holding the grant <c>feed:{department}</c> (see <see cref="FeedGrant"/>).
/// </summary>
public static class FeedSubmissionApi
{
    /// <summary>The submission service, its limits (<c>Zhiwang:Submissions</c>) and the feed-grant policy.</summary>
    public static IServiceCollection AddFeedSubmissions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LiveHub>();
        services.TryAddSingleton<StandardAddressBase>();
        services.TryAddSingleton<FeedSubmissions>();
        services.AddOptions<SubmissionOptions>().BindConfiguration(SubmissionOptions.Section);
        services.AddSingleton<IAuthorizationHandler, FeedGrant.Handler>();
        services.AddAuthorizationBuilder().AddPolicy(FeedGrant.Policy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new FeedGrant.Requirement()));
        return services;
    }

    public static RouteGroupBuilder MapFeedSubmissionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/masterdata/feeds/{department}/records")
            .WithTags("MasterData")
            .RequireAuthorization(FeedGrant.Policy);
        group.MapPost("/", SubmitBatchAsync)
            .Accepts<IReadOnlyList<Dictionary<string, JsonElement>>>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Submit a batch of a department's records (idempotent by record id)");
        group.MapPut("/{recordId}", SubmitOneAsync)
            .Accepts<Dictionary<string, JsonElement>>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Submit one record of a department (idempotent by record id)");
        return group;
    }

    internal static async Task<Results<Ok<FeedSubmissionResponse>, ProblemHttpResult>> SubmitBatchAsync(
        string department, HttpContext context, FeedSubmissions submissions, IOptions<SubmissionOptions> options, CancellationToken cancellationToken)
    {
        if (FeedCatalog.Default.Find(department) is not { } feed)
        {
            return UnknownFeed(department);
        }

        var limits = options.Value;
        var (body, problem) = await ReadBodyAsync(context, limits, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var document = body!;
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a batch",
                $"The body is a JSON {Kind(document.RootElement)}; a batch is a JSON array of records (objects of column → value). One record goes to PUT …/records/{{recordId}}.");
        }

        var count = document.RootElement.GetArrayLength();
        if (count == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "Empty batch", "The batch holds no record.");
        }

        if (count > limits.MaxRecords)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large",
                $"The batch holds {count:N0} records; a batch holds at most {limits.MaxRecords:N0}. Send the rest in further batches: resending a record already stored changes nothing.");
        }

        var records = document.RootElement.EnumerateArray().ToList();
        return TypedResults.Ok(await submissions.SubmitAsync(feed, records, cancellationToken));
    }

    internal static async Task<Results<Ok<SubmittedRecord>, UnprocessableEntity<SubmittedRecord>, ProblemHttpResult>> SubmitOneAsync(
        string department, string recordId, HttpContext context, FeedSubmissions submissions, IOptions<SubmissionOptions> options, CancellationToken cancellationToken)
    {
        if (FeedCatalog.Default.Find(department) is not { } feed)
        {
            return UnknownFeed(department);
        }

        var (body, problem) = await ReadBodyAsync(context, options.Value, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var document = body!;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a record",
                $"The body is a JSON {Kind(document.RootElement)}; a record is a JSON object of column → value. A batch goes to POST …/records.");
        }

        // The path names the record; the body may repeat its id, but must not name another.
        var record = JsonObject.Create(document.RootElement.Clone())!;
        if (record[feed.RecordId] is { } given && given.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
        {
            var bodyId = given.GetValueKind() == JsonValueKind.String ? given.GetValue<string>() : given.ToJsonString();
            if (!string.Equals(bodyId.Trim(), recordId.Trim(), StringComparison.Ordinal))
            {
                return Problem(StatusCodes.Status400BadRequest, "Record id mismatch",
                    $"The path names record '{recordId}' but the body's {feed.RecordId} is '{bodyId}'.");
            }
        }
        else
        {
            record[feed.RecordId] = recordId;
        }

        var response = await submissions.SubmitAsync(feed, [JsonSerializer.SerializeToElement(record)], cancellationToken);
        var result = response.Results[0];
        return result.Outcome == SubmissionOutcome.Rejected ? TypedResults.UnprocessableEntity(result) : TypedResults.Ok(result);
    }

    /// <summary>
    /// Reads the body within the byte limit: a declared length over it is refused before reading, a chunked body as
    /// soon as it passes it. Malformed JSON is refused with the line and byte where it breaks.
    /// </summary>
    private static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadBodyAsync(
        HttpContext context, SubmissionOptions limits, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return (null, TooLarge(request.ContentLength.Value, limits));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size && (size.MaxRequestBodySize ?? long.MaxValue) <= limits.MaxBodyBytes)
        {
            // Kestrel's own limit would cut the body off with a bare 413: let ours, with its reason, speak first.
            size.MaxRequestBodySize = limits.MaxBodyBytes + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limits.MaxBodyBytes)
            {
                return (null, TooLarge(null, limits));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Empty body", "The request has no body; send the records as JSON."));
        }

        try
        {
            return (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)), null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The body is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}"));
        }
    }

    private static ProblemHttpResult TooLarge(long? length, SubmissionOptions limits) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Body too large",
            (length is { } bytes ? $"The body is {bytes:N0} bytes" : "The body passed the limit") +
            $"; a request body holds at most {limits.MaxBodyBytes:N0} bytes ({limits.MaxBodyBytes / (1024.0 * 1024):0.#} MB). Split the records into smaller batches.");

    private static ProblemHttpResult UnknownFeed(string department) =>
        Problem(StatusCodes.Status404NotFound, "Unknown feed",
            $"No feed is declared for department '{department}'; the declared ones are {string.Join(", ", FeedCatalog.Default.Feeds.Select(f => f.Department))}.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
