using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Intake;

namespace Zhiwang.Events.Open311;

/// <summary>
/// A POST requests body: form fields as the spec sends them (<c>attribute[code]=value</c> for the service's
/// attributes), or the same names in a JSON object (attributes also as an <c>attribute</c> object). Fields are kept as
/// text; an attribute as given, and converted to its type only once the service is known.
/// </summary>
internal sealed partial record Open311Submission(IReadOnlyDictionary<string, string> Fields, IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>Where a media_url is kept: the last line of the description, so the handler sees it beside the text.</summary>
    public const string MediaLine = "\n\nmedia_url: ";

    public const int MaxMediaUrl = 500;

    /// <summary>The field's value, trimmed; null when absent or blank.</summary>
    public string? Field(string name) =>
        Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The body read, or why it could not be.</summary>
    public static async Task<(Open311Submission? Submission, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                foreach (var (key, values) in form)
                {
                    var value = values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "";
                    if (AttributeCode(key) is { } code)
                    {
                        Keep(attributes, code, JsonSerializer.SerializeToElement(value));
                    }
                    else
                    {
                        fields[key] = value;
                    }
                }

                return (new Open311Submission(fields, attributes), null);
            }

            if (request.HasJsonContentType())
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, "body: a JSON object of the Open311 fields, e.g. {\"service_code\": \"D0101\", \"lat\": 22.54, \"long\": 114.05, …}");
                }

                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name is "attribute" or "attributes" && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var attribute in property.Value.EnumerateObject())
                        {
                            Keep(attributes, attribute.Name, attribute.Value.Clone());
                        }
                    }
                    else if (AttributeCode(property.Name) is { } code)
                    {
                        Keep(attributes, code, property.Value.Clone());
                    }
                    else
                    {
                        fields[property.Name] = Text(property.Value);
                    }
                }

                return (new Open311Submission(fields, attributes), null);
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or BadHttpRequestException)
        {
            return (null, "body: " + e.Message);
        }

        return (null, "body: send the fields form-encoded (application/x-www-form-urlencoded or multipart/form-data), or as a JSON object");
    }

    /// <summary>
    /// The report this submission asks for, and the problems only Open311 can see (a lat that is not a number, a bad
    /// media_url); <see cref="ReportCheck"/> finds the rest.
    /// </summary>
    public (EventReportRequest Request, List<ReportProblem> Problems) ToReport(EventCatalogue catalogue)
    {
        var problems = new List<ReportProblem>();
        var serviceCode = Field("service_code");
        var lat = Coordinate("lat", problems);
        var lon = Coordinate("long", problems);
        // GeoReport v2 allows address_string alone: ReportCheck places it by the standard address base.
        var address = Field("address_string");

        var description = Field("description");
        if (Field("media_url") is { } media)
        {
            if (media.Length > MaxMediaUrl || !Uri.TryCreate(media, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                problems.Add(new("media_url", $"an http or https address of at most {MaxMediaUrl} characters"));
            }
            else if (description is not null)
            {
                description += MediaLine + media;
            }
        }

        var eventClass = serviceCode is null ? null : catalogue.Find(serviceCode);
        var attributes = Attributes.ToDictionary(
            pair => pair.Key, pair => Converted(eventClass?.FindAttribute(pair.Key), pair.Value), StringComparer.Ordinal);
        var name = ReporterName(Field("first_name"), Field("last_name"));
        var phone = Field("phone");
        var request = new EventReportRequest(
            serviceCode,
            description,
            new PlaceRequest(lat, lon, address),
            attributes,
            name is null && phone is null ? null : new ReporterRequest(name, phone));
        return (request, problems);
    }

    /// <summary>ReportCheck's name for a field, as the Open311 caller named it.</summary>
    public static string FieldName(string field) => field switch
    {
        "class" => "service_code",
        "place" => "lat/long",
        "place.address" => "address_string",
        "reporter.name" => "first_name/last_name",
        "reporter.phone" => "phone",
        "clientKey" => "client_key",
        _ when field.StartsWith("attributes.", StringComparison.Ordinal) => $"attribute[{field["attributes.".Length..]}]",
        _ => field,
    };

    /// <summary>A stored description split back into the text and the media_url it carried.</summary>
    public static (string Description, string? MediaUrl) SplitMedia(string description)
    {
        var at = description.LastIndexOf(MediaLine, StringComparison.Ordinal);
        if (at < 0)
        {
            return (description, null);
        }

        var url = description[(at + MediaLine.Length)..];
        return url.Contains('\n', StringComparison.Ordinal) ? (description, null) : (description[..at], url);
    }

    /// <summary>
    /// The reporter's name from first_name and last_name: a Chinese name family name first without a space (张 + 三 = 张三),
    /// any other given name first.
    /// </summary>
    internal static string? ReporterName(string? first, string? last)
    {
        if (first is null || last is null)
        {
            return first ?? last;
        }

        return Han().IsMatch(first + last) ? last + first : first + " " + last;
    }

    // Form clients send every field of the form, blank ones too: a blank attribute is one not given.
    private static void Keep(Dictionary<string, JsonElement> attributes, string code, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
        {
            return;
        }

        attributes[code] = value;
    }

    private double? Coordinate(string name, List<ReportProblem> problems)
    {
        if (Field(name) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add(new(name, $"'{(text.Length <= 40 ? text : text[..40] + "…")}' is not a number (decimal degrees, WGS-84)"));
        return null;
    }

    // A form sends every value as text; JSON clients may send the attribute's own type, which stays as sent.
    private static JsonElement Converted(ClassAttribute? attribute, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? AttributeText.Typed(attribute, value.GetString()!) : value;

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static string? AttributeCode(string key)
    {
        var match = AttributeKey().Match(key);
        return match.Success ? match.Groups["code"].Value : null;
    }

    // attribute[code], and attribute[code][] as a multivaluelist sends it.
    [GeneratedRegex(@"^attribute\[(?<code>[^\[\]]+)\](\[\])?$")]
    private static partial Regex AttributeKey();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
