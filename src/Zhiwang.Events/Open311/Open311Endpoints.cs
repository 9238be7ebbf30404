using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Zhiwang.Access;
using Zhiwang.Access.Clients;
using Zhiwang.Events.Api;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Intake;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Queries;
using Zhiwang.Geo;
using Zhiwang.Storage;
using static Zhiwang.Events.Open311.Open311Words;

namespace Zhiwang.Events.Open311;

/// <summary>
/// The GeoReport v2 resources (mapped by <see cref="Open311Api.MapOpen311Api"/>). Each answers in the format its
/// extension names, errors included: a list of {code, description}, the code being the HTTP status.
/// </summary>
internal sealed class Open311Endpoints(Open311Options options)
{
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>When the documents below last changed shape: discovery's changeset. Change it with them.</summary>
    public const string Changeset = "2026-11-21T00:00:00+08:00";

    /// <summary>The most requests or updates one answer holds (the spec's 1,000).</summary>
    public const int MaxResults = 1_000;

    /// <summary>The longest window one may ask for, and the default one of requests (the spec's 90 days).</summary>
    public static readonly TimeSpan RequestWindow = TimeSpan.FromDays(90);

    /// <summary>The default window of updates: a tool polling daily or more often misses nothing.</summary>
    public static readonly TimeSpan UpdateWindow = TimeSpan.FromHours(24);

    private const int MaxToken = 64;

    public IResult Discovery(string format, HttpRequest request)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        var url = string.IsNullOrWhiteSpace(options.BaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}{Open311Api.BasePath}"
            : options.BaseUrl.TrimEnd('/');
        var discovery = new Open311Discovery(
            Changeset, options.Contact, options.KeyService,
            [new Open311Endpoint(Specification, url, Changeset, "production", [Open311Writer.XmlType, Open311Writer.JsonType])]);
        return Open311Writer.Write(discovery, "discovery", output);
    }

    public IResult Services(string format, HttpRequest request, CatalogueStore catalogues)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        if (OtherJurisdiction(request.Query["jurisdiction_id"], output) is { } refused)
        {
            return refused;
        }

        var locale = LocaleOf(request);
        var catalogue = catalogues.Current;
        var services = catalogue.Classes.Select(eventClass => Service(eventClass, catalogue, locale)).ToList();
        return Open311Writer.Write(services, "services", output);
    }

    public IResult Definition(string code, string format, HttpRequest request, CatalogueStore catalogues)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        if (OtherJurisdiction(request.Query["jurisdiction_id"], output) is { } refused)
        {
            return refused;
        }

        var catalogue = catalogues.Current;
        if (catalogue.Find(code) is not { } eventClass)
        {
            return Open311Writer.Error(output, StatusCodes.Status404NotFound,
                $"service_code: '{Brief(code)}' is not a service of catalogue version {catalogue.Version}; services.{format} lists them");
        }

        var locale = LocaleOf(request);
        var attributes = eventClass.Attributes.Select((attribute, index) => new Open311Attribute(
            Variable: true,
            attribute.Name,
            Datatype(attribute.Type),
            attribute.Required,
            DatatypeDescription(attribute.Type, locale),
            index + 1,
            Name(locale, attribute.Zh, attribute.En),
            Values(attribute, locale))).ToList();
        return Open311Writer.Write(new Open311ServiceDefinition(eventClass.Code, attributes), "service_definition", output);
    }

    public async Task<IResult> SubmitAsync(
        string format, HttpContext context, CatalogueStore catalogues, CityMap map, IAddressBase addresses, EventIntake intake, ApiClients clients,
        CancellationToken cancellationToken)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        var (submission, unreadable) = await Open311Submission.ReadAsync(context.Request, cancellationToken);
        var (submitter, refusal) = await SubmitterAsync(context, submission?.Field("api_key"), clients, output, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (submission is null)
        {
            return Open311Writer.Error(output, StatusCodes.Status400BadRequest, unreadable!);
        }

        if (OtherJurisdiction(submission.Field("jurisdiction_id"), output) is { } refused)
        {
            return refused;
        }

        var catalogue = catalogues.Current;
        var (request, problems) = submission.ToReport(catalogue);
        var clientKey = context.Request.Headers[EventsApi.IdempotencyHeader].FirstOrDefault() ?? submission.Field("client_key");
        var (report, checkedProblems) = await ReportCheck.CheckAsync(
            request, catalogue, map, addresses, Channels.Open311, submitter!, null, clientKey, cancellationToken);
        // A lat Open311 already called unreadable need not be called missing as well.
        var placeSaid = problems.Any(p => p.Field is "lat" or "long");
        problems.AddRange(checkedProblems
            .Where(p => !(placeSaid && p.Field == "place"))
            .Select(p => p with { Field = Open311Submission.FieldName(p.Field) }));
        if (report is null || problems.Count > 0)
        {
            return Open311Writer.Errors(output, StatusCodes.Status400BadRequest, problems.Select(p => p.ToString()));
        }

        var receipt = await intake.SubmitAsync(report, cancellationToken);
        var locale = LocaleOf(context.Request);
        var agency = Agency(receipt.Department, receipt.UnitDivision, catalogue, map, locale);
        var notice = Notice(receipt.State, agency, receipt.HandleDue, receipt.PossibleDuplicateOf, locale);
        if (report.Class.Kind == EventKind.Dispute)
        {
            notice += Name(locale, "。", ". ") + NotPublished(locale);
        }

        var answer = new Open311Receipt(Id(receipt.EventId), receipt.Token, notice, submission.Field("account_id"));
        return Open311Writer.Write(new[] { answer }, "service_requests", output);
    }

    public async Task<IResult> RequestsAsync(
        string format, HttpRequest request, Database database, CatalogueStore catalogues, CityMap map, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        var query = request.Query;
        if (OtherJurisdiction(query["jurisdiction_id"], output) is { } refused)
        {
            return refused;
        }

        var (filter, problems) = Filter(query, time.GetUtcNow());
        if (problems.Count > 0)
        {
            return Open311Writer.Errors(output, StatusCodes.Status400BadRequest, problems);
        }

        var rows = await Open311Queries.RequestsAsync(database, filter!, cancellationToken);
        var requests = await PublicAsync(rows, catalogues, map, LocaleOf(request), cancellationToken);
        return Open311Writer.Write(requests, "service_requests", output);
    }

    public async Task<IResult> RequestAsync(
        string id, string format, HttpRequest request, Database database, CatalogueStore catalogues, CityMap map,
        CancellationToken cancellationToken)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        if (OtherJurisdiction(request.Query["jurisdiction_id"], output) is { } refused)
        {
            return refused;
        }

        var rows = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId)
            ? await Open311Queries.RequestsAsync(database, new RequestFilter([eventId], null, null, default, default, 1), cancellationToken)
            : [];
        if (rows.Count == 0)
        {
            // A dispute is not read, so it is as unknown as an id never given: the answer does not confirm it exists.
            return Open311Writer.Error(output, StatusCodes.Status404NotFound, $"service_request_id: there is no request '{Brief(id)}'");
        }

        return Open311Writer.Write(await PublicAsync(rows, catalogues, map, LocaleOf(request), cancellationToken), "service_requests", output);
    }

    public async Task<IResult> TokenAsync(string token, string format, HttpRequest request, EventQueries queries, CancellationToken cancellationToken)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        if (OtherJurisdiction(request.Query["jurisdiction_id"], output) is { } refused)
        {
            return refused;
        }

        if (token.Length > MaxToken || await queries.FindByTokenAsync(token, cancellationToken) is not { } eventId)
        {
            return Open311Writer.Error(output, StatusCodes.Status404NotFound, $"token: '{Brief(token)}' is not the token of a request");
        }

        return Open311Writer.Write(new[] { new Open311Token(Id(eventId), token) }, "service_requests", output);
    }

    public async Task<IResult> UpdatesAsync(string format, HttpRequest request, Database database, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Open311Writer.ParseFormat(format) is not { } output)
        {
            return UnknownFormat(format);
        }

        var query = request.Query;
        if (OtherJurisdiction(query["jurisdiction_id"], output) is { } refused)
        {
            return refused;
        }

        var problems = new List<string>();
        var start = QueryTime(query, "start_date", problems);
        var end = QueryTime(query, "end_date", problems);
        var now = time.GetUtcNow();
        var to = end ?? (start is { } given && given + UpdateWindow < now ? given + UpdateWindow : now);
        var from = start ?? to - UpdateWindow;
        CheckWindow(from, to, RequestWindow, problems);
        if (problems.Count > 0)
        {
            return Open311Writer.Errors(output, StatusCodes.Status400BadRequest, problems);
        }

        var locale = LocaleOf(request);
        var steps = await Open311Queries.StepsAsync(database, from, to, MaxResults, cancellationToken);
        var updates = steps.Select(step => new Open311Update(
            string.Create(CultureInfo.InvariantCulture, $"{step.EventId}-{step.Seq}"),
            Id(step.EventId),
            Status(step.ToState),
            Open311Words.Time(Instant.Parse(step.At)),
            string.IsNullOrWhiteSpace(step.Reason) ? Step(step.Action, locale) : step.Reason,
            "")).ToList();
        return Open311Writer.Write(updates, "service_request_updates", output);
    }

    /// <summary>
    /// Who reports: a client presenting its key in the Authorization header (the platform's way) or in the api_key
    /// field (the spec's), and holding the grant open311.
    /// </summary>
    private static async Task<(string? Submitter, IResult? Refusal)> SubmitterAsync(
        HttpContext context, string? apiKey, ApiClients clients, Open311Format format, CancellationToken cancellationToken)
    {
        string name;
        IReadOnlyList<string> grants;
        if (context.User.FindFirst(AccessClaims.ClientKeyId) is not null)
        {
            name = Actor.From(context.User).Name;
            grants = context.User.GrantsOf();
        }
        else if (ApiKeyAuthenticationHandler.Presents(context.Request))
        {
            return (null, Unauthorized(context, format, "Authorization: the API key is unknown, revoked or wrong"));
        }
        else if (apiKey is null)
        {
            return (null, Unauthorized(context, format,
                "api_key: required: the key of a client holding the grant open311, as api_key or in the header Authorization: ApiKey <key>"));
        }
        else if (await clients.AuthenticateAsync(apiKey, cancellationToken) is { } client)
        {
            name = "client:" + client.Name; // as Actor.From names a client that sent its key in the header
            grants = client.Grants;
        }
        else
        {
            return (null, Unauthorized(context, format, "api_key: the API key is unknown, revoked or wrong"));
        }

        return Grants.Allows(grants, Grants.Open311)
            ? (name, null)
            : (null, Open311Writer.Error(format, StatusCodes.Status403Forbidden, $"api_key: this client does not hold the grant {Grants.Open311}"));
    }

    private static IResult Unauthorized(HttpContext context, Open311Format format, string description)
    {
        context.Response.Headers.WWWAuthenticate = ApiKeyAuthenticationHandler.SchemeName;
        return Open311Writer.Error(format, StatusCodes.Status401Unauthorized, description);
    }

    /// <summary>GET requests' parameters as a filter, or every problem with them.</summary>
    private static (RequestFilter? Filter, List<string> Problems) Filter(IQueryCollection query, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (Single(query["service_request_ids"]) is { } idList)
        {
            // The spec: given ids, every other parameter is ignored.
            var ids = new List<long>();
            foreach (var part in idList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    ids.Add(id);
                }
                else
                {
                    problems.Add($"service_request_ids: '{Brief(part)}' is not a request id");
                }
            }

            if (ids.Count > MaxResults)
            {
                problems.Add($"service_request_ids: {ids.Count:N0} ids; at most {MaxResults:N0}");
            }

            return (problems.Count > 0 ? null : new RequestFilter(ids.Distinct().ToList(), null, null, default, default, MaxResults), problems);
        }

        var codes = Single(query["service_code"])?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        bool? closed = null;
        if (Single(query["status"]) is { } statusList)
        {
            var statuses = statusList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => s.ToLowerInvariant()).Distinct().ToList();
            foreach (var unknown in statuses.Where(s => s is not ("open" or "closed")))
            {
                problems.Add($"status: '{Brief(unknown)}' is not open or closed");
            }

            closed = statuses.Contains("open") == statuses.Contains("closed") ? null : statuses.Contains("closed");
        }

        var start = QueryTime(query, "start_date", problems);
        var end = QueryTime(query, "end_date", problems);
        var to = end ?? (start is { } given && given + RequestWindow < now ? given + RequestWindow : now);
        var from = start ?? to - RequestWindow;
        CheckWindow(from, to, RequestWindow, problems);
        return (problems.Count > 0 ? null : new RequestFilter(null, codes is { Count: > 0 } ? codes : null, closed, from, to, MaxResults), problems);
    }

    private static void CheckWindow(DateTimeOffset from, DateTimeOffset to, TimeSpan longest, List<string> problems)
    {
        if (from > to)
        {
            problems.Add($"start_date: {Open311Words.Time(from)} is after end_date {Open311Words.Time(to)}");
        }
        else if (to - from > longest)
        {
            problems.Add($"start_date/end_date: may not span more than {longest.TotalDays:0} days");
        }
    }

    private static DateTimeOffset? QueryTime(IQueryCollection query, string name, List<string> problems)
    {
        if (Single(query[name]) is not { } text)
        {
            return null;
        }

        var time = ParseTime(text);
        if (time is null)
        {
            problems.Add($"{name}: '{Brief(text)}' is not a W3C date-time, e.g. 2026-11-24T09:30:00+08:00");
        }

        return time;
    }

    /// <summary>Events as the public sees them; names come from the catalogue version each event was filed under.</summary>
    private static async Task<List<Open311Request>> PublicAsync(
        IReadOnlyList<PublicEventRow> rows, CatalogueStore catalogues, CityMap map, Open311Locale locale, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<long, EventCatalogue>();
        var requests = new List<Open311Request>(rows.Count);
        foreach (var row in rows)
        {
            if (!versions.TryGetValue(row.CatalogueVersion, out var catalogue))
            {
                versions[row.CatalogueVersion] = catalogue = await catalogues.VersionAsync((int)row.CatalogueVersion, cancellationToken);
            }

            var serviceName = catalogue.Find(row.ClassCode) is { } eventClass ? Name(locale, eventClass.Zh, eventClass.En) : row.ClassCode;
            var agency = Agency(row.Department, row.UnitDivision, catalogue, map, locale);
            var handleDue = Instant.ParseOrNull(row.HandleDue);
            var (description, mediaUrl) = Open311Submission.SplitMedia(row.Description);
            requests.Add(new Open311Request(
                Id(row.EventId),
                Status(row.State),
                row.StatusNotes,
                serviceName,
                row.ClassCode,
                description,
                agency,
                Notice(row.State, agency, handleDue, null, locale),
                Open311Words.Time(Instant.Parse(row.ReportedAt)),
                Open311Words.Time(Instant.Parse(row.UpdatedAt)),
                handleDue is { } due ? Open311Words.Time(due) : null,
                row.Address,
                row.Lat,
                row.Lon,
                mediaUrl));
        }

        return requests;
    }

    private static Open311Service Service(EventClass eventClass, EventCatalogue catalogue, Open311Locale locale)
    {
        var group = catalogue.FindGroup(eventClass.Group);
        var groupName = group is null ? eventClass.Group : Name(locale, group.Zh, group.En);
        var kind = eventClass.Kind == EventKind.Dispute ? Name(locale, "矛盾纠纷", "dispute") : Name(locale, "问题隐患", "hazard");
        var level = eventClass.StartLevel switch
        {
            Level.Community => Name(locale, "社区", "community"),
            Level.Street => Name(locale, "街道", "street"),
            Level.District => Name(locale, "区", "district"),
            _ => Name(locale, "市", "city"),
        };
        var clock = eventClass.Urgency == Urgency.Emergency;
        var accept = Within(eventClass.AcceptWithin.Amount, eventClass.AcceptWithin.Unit == DurationUnit.Hours, clock, locale);
        var handle = Within(eventClass.HandleWithin.Amount, eventClass.HandleWithin.Unit == DurationUnit.Hours, clock, locale);
        var description = Name(
            locale,
            $"{kind}·{groupName}：{eventClass.Zh}。由{level}级首办，{accept}内受理，{handle}内办结。",
            $"{eventClass.En}: a {kind} ({groupName}), first handled at {level} level; accepted within {accept}, handled within {handle}.");
        if (eventClass.Kind == EventKind.Dispute)
        {
            description += Name(locale, "", " ") + NotPublished(locale);
        }

        var keywords = string.Join(", ",
            CatalogueWords.Word(CatalogueWords.Kinds, eventClass.Kind), eventClass.Group, CatalogueWords.Word(CatalogueWords.Urgencies, eventClass.Urgency));
        return new Open311Service(
            eventClass.Code, Name(locale, eventClass.Zh, eventClass.En), description, eventClass.Attributes.Count > 0, "realtime", keywords, groupName);
    }

    // Emergencies run around the clock; the rest on working hours and days.
    private static string Within(int amount, bool hours, bool clock, Open311Locale locale) => (hours, clock) switch
    {
        (true, true) => Name(locale, $"{amount}小时", $"{amount} hours"),
        (true, false) => Name(locale, $"{amount}个工作小时", $"{amount} working hours"),
        (false, true) => Name(locale, $"{amount}天", $"{amount} days"),
        (false, false) => Name(locale, $"{amount}个工作日", $"{amount} working days"),
    };

    private static string Datatype(AttributeType type) => type switch
    {
        AttributeType.Integer or AttributeType.Number => "number",
        AttributeType.Date => "datetime",
        AttributeType.Boolean or AttributeType.Choice => "singlevaluelist",
        _ => "string",
    };

    private static string DatatypeDescription(AttributeType type, Open311Locale locale) => type switch
    {
        AttributeType.Integer => Name(locale, "整数", "a whole number"),
        AttributeType.Number => Name(locale, "数字，可带小数", "a number, decimals allowed"),
        AttributeType.Date => Name(locale, "日期，如 2026-11-24", "a date, e.g. 2026-11-24"),
        AttributeType.Boolean => Name(locale, "是或否", "yes or no"),
        AttributeType.Choice => Name(locale, "选择一项", "one of the values"),
        _ => Name(
            locale,
            string.Create(CultureInfo.InvariantCulture, $"文字，至多{EventCatalogue.MaxTextLength}字"),
            string.Create(CultureInfo.InvariantCulture, $"text of at most {EventCatalogue.MaxTextLength:N0} characters")),
    };

    private static List<Open311Value> Values(ClassAttribute attribute, Open311Locale locale) => attribute.Type switch
    {
        AttributeType.Boolean => [new("true", Name(locale, "是", "yes")), new("false", Name(locale, "否", "no"))],
        AttributeType.Choice => attribute.Options.Select(option => new Open311Value(option, option)).ToList(),
        _ => [],
    };

    private IResult? OtherJurisdiction(StringValues given, Open311Format format) => OtherJurisdiction(Single(given), format);

    private IResult? OtherJurisdiction(string? given, Open311Format format) =>
        given is null || string.Equals(given, options.JurisdictionId, StringComparison.OrdinalIgnoreCase)
            ? null
            : Open311Writer.Error(format, StatusCodes.Status404NotFound,
                $"jurisdiction_id: '{Brief(given)}' is not served here; this endpoint serves {options.JurisdictionId}");

    // An unknown extension is a resource that does not exist; say so in JSON, the one format every client reads.
    private static IResult UnknownFormat(string format) =>
        Open311Writer.Error(Open311Format.Json, StatusCodes.Status404NotFound, $"format: '{Brief(format)}' is not json or xml");

    private static string? Single(StringValues values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static string Id(long eventId) => eventId.ToString(CultureInfo.InvariantCulture);

    // Enough of what the caller sent to find the mistake, not a whole text echoed back.
    private static string Brief(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
