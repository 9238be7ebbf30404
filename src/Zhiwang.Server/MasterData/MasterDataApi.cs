using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Privacy;
using Zhiwang.MasterData.Search;

namespace Zhiwang.Server.MasterData;

/// <summary>A masked value revealed, for one field of one record.</summary>
public sealed record RevealedValue(string Id, string Field, string? Value);

/// <summary>The lineage of a golden record: its attributes with their sources and the source records linked to it.</summary>
public sealed record LineageView(string Kind, string Id, IReadOnlyList<AttributeView> Attributes, IReadOnlyList<LinkedRecord> Links);

/// <summary>
/// The JSON API under <c>/api/masterdata</c> and the steward's form posts under <c>/masterdata/steward</c>. Every
/// endpoint names its policy; a record outside the caller's scope answers exactly as a record that does not exist.
/// </summary>
public static class MasterDataApi
{
    public static IEndpointRouteBuilder MapMasterDataApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/masterdata").WithTags("MasterData");
        api.MapGet("/search", SearchAsync).RequireAuthorization(MasterDataPolicies.Reader);
        api.MapGet("/persons/{id}", (string id, string? purpose, ClaimsPrincipal user, GoldenRecordView view, AuditLog audit, CancellationToken ct) =>
            RecordAsync(view.PersonAsync, id, purpose, user, audit, ct)).RequireAuthorization(MasterDataPolicies.Reader);
        api.MapGet("/entities/{id}", (string id, string? purpose, ClaimsPrincipal user, GoldenRecordView view, AuditLog audit, CancellationToken ct) =>
            RecordAsync(view.LegalEntityAsync, id, purpose, user, audit, ct)).RequireAuthorization(MasterDataPolicies.Reader);
        api.MapGet("/houses/{id}", (string id, string? purpose, ClaimsPrincipal user, GoldenRecordView view, AuditLog audit, CancellationToken ct) =>
            RecordAsync(view.HouseAsync, id, purpose, user, audit, ct)).RequireAuthorization(MasterDataPolicies.Reader);
        api.MapGet("/records/{id}/lineage", LineageAsync).RequireAuthorization(MasterDataPolicies.Reader);
        api.MapPost("/reveal", RevealAsync).RequireAuthorization(MasterDataPolicies.Steward)
            .WithMetadata(new RequireAntiforgeryTokenAttribute()); // the form is read by hand, after the token is known to be good
        api.MapGet("/steward/conflicts", ConflictsAsync).RequireAuthorization(MasterDataPolicies.Steward);
        api.MapGet("/steward/conflicts/{conflictId:long}", ConflictAsync).RequireAuthorization(MasterDataPolicies.Steward);
        api.MapGet("/quality", async (QualityReport report, CancellationToken ct) => TypedResults.Ok(await report.ByDepartmentAsync(ct)))
            .RequireAuthorization(MasterDataPolicies.Steward);

        // The steward's buttons are plain HTML forms: each posts here with its antiforgery token and comes back to the queue.
        var actions = endpoints.MapGroup("/masterdata/steward/conflicts/{conflictId:long}").WithTags("MasterData")
            .RequireAuthorization(MasterDataPolicies.Steward)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        actions.MapPost("/accept", AcceptAsync);
        actions.MapPost("/resolve", ResolveAsync);
        actions.MapPost("/send", SendAsync);
        return endpoints;
    }

    internal static async Task<Results<Ok<SearchView>, ProblemHttpResult>> SearchAsync(
        string? q, string? purpose, ClaimsPrincipal user, GoldenSearch search, AuditLog audit, CancellationToken cancellationToken)
    {
        if (MasterDataPolicies.ScopeOf(user) is not { } scope)
        {
            return Forbidden();
        }

        var results = await search.SearchAsync(q, scope, cancellationToken);
        if (results.Query.Kind == SearchQueryKind.Invalid)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Search not understood",
                detail: $"q: {results.Query.Problem} (give a name, pinyin, an 18-character ID number, credit code or house code, a name with the last 4-6 ID digits, or part of an address)");
        }

        await RecordViews.AuditSearchAsync(audit, user, results, purpose, "api", cancellationToken);
        return TypedResults.Ok(RecordViews.Mask(results));
    }

    private static async Task<Results<Ok<RecordView>, ProblemHttpResult>> RecordAsync(
        Func<string, RecordScope, CancellationToken, Task<GoldenRecord360?>> read, string id, string? purpose, ClaimsPrincipal user, AuditLog audit, CancellationToken cancellationToken)
    {
        if (MasterDataPolicies.ScopeOf(user) is not { } scope)
        {
            return Forbidden();
        }

        if (await read(id, scope, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        var view = RecordViews.Mask(record, user);
        await RecordViews.AuditViewAsync(audit, user, view, purpose, "api", cancellationToken);
        return TypedResults.Ok(view);
    }

    internal static async Task<Results<Ok<LineageView>, ProblemHttpResult>> LineageAsync(
        string id, string? purpose, ClaimsPrincipal user, GoldenRecordView records, AuditLog audit, CancellationToken cancellationToken)
    {
        if (MasterDataPolicies.ScopeOf(user) is not { } scope)
        {
            return Forbidden();
        }

        if (await records.AnyAsync(id, scope, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        var view = RecordViews.Mask(record, user);
        await RecordViews.AuditViewAsync(audit, user, view, purpose, "api-lineage", cancellationToken);
        return TypedResults.Ok(new LineageView(view.Kind, view.Id, view.Attributes, view.Links));
    }

    /// <summary>One field of one record, whole: only for stewards and administrators, only with a reason, always audited.</summary>
    internal static async Task<Results<Ok<RevealedValue>, ProblemHttpResult>> RevealAsync(
        HttpContext context, GoldenRecordView records, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = context.User;
        if (MasterDataPolicies.ScopeOf(user) is not { } scope || !Masking.CanReveal(user))
        {
            return Forbidden();
        }

        if (!TokenValid(context) || !context.Request.HasFormContentType)
        {
            return BadToken();
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var (id, field, reason) = (form["id"].ToString(), form["field"].ToString(), form["reason"].ToString());

        if (RecordViews.Purpose(reason) is not { } why)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A reason is required", detail: "reason: say why this value must be seen whole (a case number or a task).");
        }

        if (!Masking.IsPersonal(field))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a masked field", detail: $"field: '{field}' is shown whole already or is not a field.");
        }

        if (await records.AnyAsync(id, scope, cancellationToken) is not { } record || record.Attributes.FirstOrDefault(a => a.Field == field) is not { } attribute)
        {
            return NotFound();
        }

        await audit.AppendAsync(
            new AuditRecord(MasterDataPolicies.ActorOf(user), "masterdata.reveal", RecordViews.Target(record.Kind, record.Id), why, $"field={field}"),
            cancellationToken);
        return TypedResults.Ok(new RevealedValue(record.Id, field, attribute.Value));
    }

    internal static async Task<Results<Ok<IReadOnlyList<ConflictSummary>>, ProblemHttpResult>> ConflictsAsync(
        int? limit, ClaimsPrincipal user, StewardQueue queue, AuditLog audit, CancellationToken cancellationToken)
    {
        if (MasterDataPolicies.ScopeOf(user) is not { } scope)
        {
            return Forbidden();
        }

        var conflicts = await queue.OpenConflictsAsync(scope, Math.Clamp(limit ?? 100, 1, 500), cancellationToken);
        await audit.AppendAsync(
            new AuditRecord(MasterDataPolicies.ActorOf(user), "masterdata.conflicts", "conflicts", null, $"via=api; count={conflicts.Count}"), cancellationToken);
        return TypedResults.Ok(conflicts);
    }

    internal static async Task<Results<Ok<ConflictDetail>, ProblemHttpResult>> ConflictAsync(
        long conflictId, ClaimsPrincipal user, StewardQueue queue, AuditLog audit, CancellationToken cancellationToken)
    {
        if (MasterDataPolicies.ScopeOf(user) is not { } scope)
        {
            return Forbidden();
        }

        if (await queue.ConflictAsync(conflictId, scope, cancellationToken) is not { } detail)
        {
            return NotFound();
        }

        await AuditConflictViewAsync(audit, user, detail, "api", cancellationToken);
        return TypedResults.Ok(detail);
    }

    public static Task AuditConflictViewAsync(AuditLog audit, ClaimsPrincipal user, ConflictDetail detail, string channel, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            new AuditRecord(
                MasterDataPolicies.ActorOf(user), "masterdata.conflict.view", $"conflict:{detail.Conflict.ConflictId}", null,
                $"via={channel}; golden={detail.Conflict.GoldenId}; field={detail.Conflict.Field}; sources={string.Join(',', detail.Sources.Select(s => s.Department + "/" + s.RecordId))}"),
            cancellationToken);

    internal static async Task<IResult> AcceptAsync(long conflictId, HttpContext context, StewardQueue queue, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || !context.Request.HasFormContentType || MasterDataPolicies.ScopeOf(context.User) is not { } scope)
        {
            return BadToken();
        }

        var value = (await context.Request.ReadFormAsync(cancellationToken))["value"].ToString();

        var actor = MasterDataPolicies.ActorOf(context.User);
        var outcome = await queue.AcceptValueAsync(conflictId, value, actor, scope, cancellationToken);
        return await AfterActionAsync(outcome, conflictId, "accept", $"value={value}", context, audit, cancellationToken);
    }

    internal static async Task<IResult> ResolveAsync(long conflictId, HttpContext context, StewardQueue queue, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || MasterDataPolicies.ScopeOf(context.User) is not { } scope)
        {
            return BadToken();
        }

        var outcome = await queue.ResolveAsync(conflictId, scope, cancellationToken);
        return await AfterActionAsync(outcome, conflictId, "resolve", null, context, audit, cancellationToken);
    }

    internal static async Task<IResult> SendAsync(long conflictId, HttpContext context, StewardQueue queue, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || MasterDataPolicies.ScopeOf(context.User) is not { } scope)
        {
            return BadToken();
        }

        var (outcome, taskId) = await queue.SendToGridWorkerAsync(conflictId, scope, cancellationToken);
        return await AfterActionAsync(outcome, conflictId, "send", $"task={taskId}", context, audit, cancellationToken);
    }

    // TODO(access): the audit entry is appended just after the change commits, not inside its transaction:
    // AuditLog's transactional append is internal to the Access module.
    private static async Task<IResult> AfterActionAsync(
        StewardOutcome outcome, long conflictId, string action, string? detail, HttpContext context, AuditLog audit, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case StewardOutcome.NotFound:
                return NotFound();
            case StewardOutcome.NotACandidate:
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not one of the values", detail: "value: accept one of the values the sources gave.");
        }

        await audit.AppendAsync(
            new AuditRecord(MasterDataPolicies.ActorOf(context.User), "masterdata.conflict." + action, $"conflict:{conflictId}", null, detail),
            cancellationToken);
        return TypedResults.Redirect($"/masterdata/steward?conflict={conflictId}&done={action}");
    }

    private static bool TokenValid(HttpContext context) =>
        context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true };

    private static ProblemHttpResult BadToken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token");

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No golden record or conflict with this id in your scope.");

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Your account has no scope to read master data in.");
}
