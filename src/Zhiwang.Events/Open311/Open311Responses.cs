namespace Zhiwang.Events.Open311;

// The GeoReport v2 documents, one record each. Property names become the spec's snake_case names in JSON and XML
// alike (Open311Writer), so a record here is the whole definition of what a civic tool receives.

/// <summary>discovery: where the endpoint is and what it speaks.</summary>
public sealed record Open311Discovery(string Changeset, string Contact, string KeyService, IReadOnlyList<Open311Endpoint> Endpoints);

public sealed record Open311Endpoint(string Specification, string Url, string Changeset, string Type, IReadOnlyList<string> Formats);

/// <summary>One event class as a service.</summary>
public sealed record Open311Service(
    string ServiceCode, string ServiceName, string Description, bool Metadata, string Type, string Keywords, string Group);

/// <summary>What a report of one service must or may tell.</summary>
public sealed record Open311ServiceDefinition(string ServiceCode, IReadOnlyList<Open311Attribute> Attributes);

public sealed record Open311Attribute(
    bool Variable,
    string Code,
    string Datatype,
    bool Required,
    string DatatypeDescription,
    int Order,
    string Description,
    IReadOnlyList<Open311Value> Values);

public sealed record Open311Value(string Key, string Name);

/// <summary>The answer to a POST: the event's id and the token its reporter follows it by.</summary>
public sealed record Open311Receipt(string ServiceRequestId, string Token, string ServiceNotice, string? AccountId);

/// <summary>
/// An event as the public sees it: what, where, who handles it and by when. Never the reporter, the submitter or the
/// class's attributes (they may name people).
/// </summary>
public sealed record Open311Request(
    string ServiceRequestId,
    string Status,
    string? StatusNotes,
    string ServiceName,
    string ServiceCode,
    string Description,
    string? AgencyResponsible,
    string ServiceNotice,
    string RequestedDatetime,
    string UpdatedDatetime,
    string? ExpectedDatetime,
    string? Address,
    double Lat,
    double Long,
    string? MediaUrl);

public sealed record Open311Token(string ServiceRequestId, string Token);

/// <summary>One timeline entry as a servicerequestupdates update: what happened, never who did it.</summary>
public sealed record Open311Update(string UpdateId, string ServiceRequestId, string Status, string UpdatedDatetime, string Description, string MediaUrl);

/// <summary>One thing wrong, as the spec reports it: the HTTP status and a description naming the field.</summary>
public sealed record Open311Error(int Code, string Description);
