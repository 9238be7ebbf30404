using System.Text.Json;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Intake;

/// <summary>Where the event is: a point (WGS-84), with the address as the reporter gave it.</summary>
public sealed record PlaceRequest(double? Lat, double? Lon, string? Address);

/// <summary>Who reported it, when not a signed-in user: a hotline caller, a resident. Personal data.</summary>
public sealed record ReporterRequest(string? Name, string? Phone);

/// <summary>A person, legal entity or house concerned, by its golden id in the master data hub.</summary>
public sealed record LinkRequest(string? Kind, string? GoldenId);

/// <summary>An event as any channel hands it in. <see cref="ClientKey"/> makes resubmission safe.</summary>
public sealed record EventReportRequest(
    string? Class,
    string? Description,
    PlaceRequest? Place,
    Dictionary<string, JsonElement>? Attributes,
    ReporterRequest? Reporter = null,
    List<LinkRequest>? Links = null,
    string? ClientKey = null);

/// <summary>The channels events arrive by (1+N): the grid's own worker plus the others.</summary>
public static class Channels
{
    public const string GridWorker = "grid_worker";
    public const string Hotline = "hotline";
    public const string Department = "department";
    public const string Resident = "resident";
    public const string OnlineOpinion = "online_opinion";
    public const string Open311 = "open311";

    public static IReadOnlyList<string> All { get; } = [GridWorker, Hotline, Department, Resident, OnlineOpinion, Open311];
}

/// <summary>One thing wrong with a report: the field (JSON path) and why.</summary>
public sealed record ReportProblem(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>A link of a report, with its index in the request so a refusal can name the field.</summary>
public sealed record ReportLink(string Kind, string GoldenId, int Index)
{
    public string Field => $"links[{Index}].goldenId";
}

/// <summary>
/// A report that passed every check, placed in its grid, ready to store and dispatch. <see cref="PlacedBy"/> is the
/// standard address it was placed by when it came with an address and no point.
/// </summary>
public sealed record EventReport(
    EventClass Class,
    EventCatalogue Catalogue,
    string Channel,
    string Submitter,
    string? ClientKey,
    string Description,
    double Lat,
    double Lon,
    string? Address,
    string GridCode,
    string CommunityCode,
    string DistrictCode,
    string? AttributesJson,
    string? ReporterName,
    string? ReporterPhone,
    string? ReporterUser,
    IReadOnlyList<ReportLink> Links,
    AddressPlace? PlacedBy = null);
