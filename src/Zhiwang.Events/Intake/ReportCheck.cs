using System.Text.Json;
using Zhiwang.Events.Catalogue;
using Zhiwang.Geo;

namespace Zhiwang.Events.Intake;

/// <summary>
/// Checks a report before anything is stored: a known class, a description, a place inside the city (a point, or an
/// address the standard address base places), the class's attributes, a plausible reporter and links (their shape: that
/// their golden records exist is asked once per intake batch, see <see cref="EventIntake"/>). Every problem is listed with its field, so one answer tells the caller all
/// that is wrong.
/// </summary>
public static class ReportCheck
{
    public const int MaxDescription = 4_000;
    public const int MaxAddress = 300;
    public const int MaxClientKey = 100;
    public const int MaxLinks = 50;

    public static IReadOnlyList<string> LinkKinds { get; } = ["person", "legal_entity", "house"];

    /// <summary>
    /// The checked report, or the problems that refuse it. A place given only as an address is looked up in the standard
    /// address base; a report with a point asks nothing of it.
    /// </summary>
    public static async Task<(EventReport? Report, IReadOnlyList<ReportProblem> Problems)> CheckAsync(
        EventReportRequest request, EventCatalogue catalogue, CityMap map, IAddressBase addresses, string channel, string submitter,
        string? reporterUser, string? clientKey, CancellationToken cancellationToken)
    {
        AddressLookup? located = null;
        if (request.Place is { Lat: null, Lon: null, Address: { } given } && given.Trim() is { Length: > 0 and <= MaxAddress } address)
        {
            located = await addresses.LocateAsync(address, cancellationToken);
        }

        return Check(request, catalogue, map, channel, submitter, reporterUser, clientKey, located);
    }

    /// <summary>
    /// The checked report, or the problems that refuse it. <paramref name="located"/> is what the address base said of the
    /// place's address when the report has no point (see <see cref="CheckAsync"/>); without it such a report is refused.
    /// </summary>
    public static (EventReport? Report, IReadOnlyList<ReportProblem> Problems) Check(
        EventReportRequest request, EventCatalogue catalogue, CityMap map, string channel, string submitter, string? reporterUser, string? clientKey,
        AddressLookup? located = null)
    {
        var problems = new List<ReportProblem>();
        EventClass? eventClass = null;
        if (string.IsNullOrWhiteSpace(request.Class))
        {
            problems.Add(new("class", "required: a class code of the catalogue, e.g. D0101 or H0101"));
        }
        else if (catalogue.Find(request.Class.Trim()) is not { } found)
        {
            problems.Add(new("class", $"'{request.Class}' is not a class of catalogue version {catalogue.Version}"));
        }
        else
        {
            eventClass = found;
        }

        var description = request.Description?.Trim();
        if (string.IsNullOrEmpty(description))
        {
            problems.Add(new("description", "required: what is wrong, in a sentence or more"));
        }
        else if (description.Length > MaxDescription)
        {
            problems.Add(new("description", $"{description.Length:N0} characters; at most {MaxDescription:N0}"));
        }

        var place = request.Place;
        var address = place?.Address?.Trim();
        var (grid, lat, lon, placedBy) = place is { Lat: null, Lon: null } && address is { Length: > 0 and <= MaxAddress }
            ? PlaceByAddress(address, located, map, problems)
            : PlaceByPoint(place, map, problems);
        if (address is { Length: > MaxAddress })
        {
            problems.Add(new("place.address", $"{address.Length:N0} characters; at most {MaxAddress}"));
        }

        string? attributesJson = null;
        if (eventClass is not null)
        {
            problems.AddRange(catalogue.CheckAttributes(eventClass, request.Attributes).Select(Split));
            if (request.Attributes is { Count: > 0 } attributes)
            {
                attributesJson = JsonSerializer.Serialize(attributes);
            }
        }

        var reporterName = request.Reporter?.Name?.Trim();
        var reporterPhone = request.Reporter?.Phone?.Trim();
        if (reporterName is { Length: > 100 })
        {
            problems.Add(new("reporter.name", "at most 100 characters"));
        }

        if (reporterPhone is { Length: > 0 } && !IsPhone(reporterPhone))
        {
            problems.Add(new("reporter.phone", $"'{reporterPhone}' is not a phone number (digits, optionally +, spaces or dashes; 5 to 20 digits)"));
        }

        var links = new List<ReportLink>();
        if (request.Links is { } given)
        {
            if (given.Count > MaxLinks)
            {
                problems.Add(new("links", $"{given.Count} links; at most {MaxLinks}"));
            }

            for (var i = 0; i < given.Count && i < MaxLinks; i++)
            {
                var link = given[i];
                if (link?.Kind is not { } kind || !LinkKinds.Contains(kind))
                {
                    problems.Add(new($"links[{i}].kind", $"'{link?.Kind}' is not one of {string.Join(", ", LinkKinds)}"));
                }
                else if (string.IsNullOrWhiteSpace(link.GoldenId) || link.GoldenId.Length > 64)
                {
                    problems.Add(new($"links[{i}].goldenId", "required: the golden id of the record concerned"));
                }
                else if (!links.Any(l => l.Kind == kind && l.GoldenId == link.GoldenId.Trim()))
                {
                    links.Add(new ReportLink(kind, link.GoldenId.Trim(), i));
                }
            }
        }

        if (clientKey is { Length: > MaxClientKey })
        {
            problems.Add(new("clientKey", $"at most {MaxClientKey} characters"));
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new EventReport(
            eventClass!, catalogue, channel, submitter, string.IsNullOrWhiteSpace(clientKey) ? null : clientKey.Trim(),
            description!, lat, lon, string.IsNullOrEmpty(address) ? null : address,
            grid!.Code, grid.CommunityCode, grid.DistrictCode, attributesJson,
            string.IsNullOrEmpty(reporterName) ? null : reporterName, string.IsNullOrEmpty(reporterPhone) ? null : reporterPhone,
            reporterUser, links, placedBy), []);
    }

    /// <summary>The grid of a point given as lat and lon.</summary>
    private static (Grid? Grid, double Lat, double Lon, AddressPlace? PlacedBy) PlaceByPoint(PlaceRequest? place, CityMap map, List<ReportProblem> problems)
    {
        if (place?.Lat is not { } lat || place.Lon is not { } lon)
        {
            problems.Add(new("place", "required: lat and lon (WGS-84) of where the event is, or a standard address"));
        }
        else if (!double.IsFinite(lat) || !double.IsFinite(lon) || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            problems.Add(new("place", $"({lat}, {lon}) is not a point on Earth"));
        }
        else if (map.GridAt(lon, lat) is not { } grid)
        {
            problems.Add(new("place", $"({lat:0.######}, {lon:0.######}) lies outside the city: no grid of {map.City.Name} contains it"));
        }
        else
        {
            return (grid, lat, lon, null);
        }

        return (null, 0, 0, null);
    }

    /// <summary>
    /// The point and grid of the building whose standard house the address matched: the grid the address base records for
    /// it, or the grid containing its point when the map does not know that code.
    /// </summary>
    private static (Grid? Grid, double Lat, double Lon, AddressPlace? PlacedBy) PlaceByAddress(
        string address, AddressLookup? located, CityMap map, List<ReportProblem> problems)
    {
        if (located is not { BaseLoaded: true })
        {
            problems.Add(new("place", "required: lat and lon (WGS-84) of where the event is; no standard address base is loaded, so an address alone cannot be placed"));
        }
        else if (located.Place is not { } found)
        {
            problems.Add(new("place.address", $"'{address}' matched no standard address; send lat and lon, or the standard address (district, street, road and number, building, room)"));
        }
        else if ((map.FindGrid(found.GridCode) ?? map.GridAt(found.Lon, found.Lat)) is not { } grid)
        {
            problems.Add(new("place.address", $"'{address}' is the standard house {found.HouseCode}, but its building lies in no grid of {map.City.Name}; send lat and lon"));
        }
        else
        {
            return (grid, found.Lat, found.Lon, found);
        }

        return (null, 0, 0, null);
    }

    private static ReportProblem Split(string problem)
    {
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? new ReportProblem(problem[..colon], problem[(colon + 2)..]) : new ReportProblem("attributes", problem);
    }

    private static bool IsPhone(string text)
    {
        var digits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!(c is ' ' or '-' || (c == '+' && i == 0)))
            {
                return false;
            }
        }

        return digits is >= 5 and <= 20;
    }
}
