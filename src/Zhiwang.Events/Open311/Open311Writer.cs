using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Zhiwang.Events.Open311;

/// <summary>The two formats a GeoReport resource is asked for by its extension: <c>services.json</c>, <c>services.xml</c>.</summary>
public enum Open311Format
{
    Json,
    Xml,
}

/// <summary>
/// Writes a GeoReport document as JSON (snake_case names) or XML (the same names as elements, a list's items named
/// as the spec names them). The XML is written from the JSON, so the two formats cannot disagree.
/// </summary>
internal static class Open311Writer
{
    public const string JsonType = "application/json";
    public const string XmlType = "text/xml";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Chinese, quotes and "+08:00" as themselves, not \uXXXX: the documents are served as application/json,
        // never embedded in a page, so there is no HTML to escape for.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // What the spec calls one item of each list.
    private static readonly Dictionary<string, string> ItemNames = new(StringComparer.Ordinal)
    {
        ["attributes"] = "attribute",
        ["endpoints"] = "endpoint",
        ["errors"] = "error",
        ["formats"] = "format",
        ["service_request_updates"] = "request_update",
        ["service_requests"] = "request",
        ["services"] = "service",
        ["values"] = "value",
    };

    public static Open311Format? ParseFormat(string? extension) => extension?.ToLowerInvariant() switch
    {
        "json" => Open311Format.Json,
        "xml" => Open311Format.Xml,
        _ => null,
    };

    /// <summary>
    /// <paramref name="body"/> in <paramref name="format"/>; <paramref name="root"/> is the XML root element (for a list,
    /// the list's name: <c>services</c>, whose items are <c>service</c>).
    /// </summary>
    public static IResult Write<T>(T body, string root, Open311Format format, int status = StatusCodes.Status200OK)
    {
        if (format == Open311Format.Json)
        {
            return Results.Text(JsonSerializer.Serialize(body, Json), JsonType, Encoding.UTF8, status);
        }

        var document = JsonSerializer.SerializeToElement(body, Json);
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            WriteElement(xml, root, document);
            xml.WriteEndDocument();
        }

        return Results.Text(Encoding.UTF8.GetString(stream.ToArray()), XmlType, Encoding.UTF8, status);
    }

    /// <summary>The spec's error document: every problem with the status it answers with.</summary>
    public static IResult Errors(Open311Format format, int status, IEnumerable<string> descriptions) =>
        Write(descriptions.Select(d => new Open311Error(status, d)).ToList(), "errors", format, status);

    public static IResult Error(Open311Format format, int status, string description) => Errors(format, status, [description]);

    private static void WriteElement(XmlWriter xml, string name, JsonElement value)
    {
        xml.WriteStartElement(name);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    WriteElement(xml, property.Name, property.Value);
                }

                break;
            case JsonValueKind.Array:
                var item = ItemNames.GetValueOrDefault(name, "item");
                foreach (var element in value.EnumerateArray())
                {
                    WriteElement(xml, item, element);
                }

                break;
            case JsonValueKind.String:
                xml.WriteString(XmlSafe(value.GetString()!));
                break;
            case JsonValueKind.Number:
                xml.WriteString(value.GetRawText());
                break;
            case JsonValueKind.True:
                xml.WriteString("true");
                break;
            case JsonValueKind.False:
                xml.WriteString("false");
                break;
            default:
                break; // null: an empty element, as the spec's examples show absent values
        }

        xml.WriteEndElement();
    }

    // A report may carry a control character XML 1.0 cannot hold; dropping it beats refusing the whole document.
    private static string XmlSafe(string text)
    {
        if (!HasInvalid(text))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
        }

        return kept.ToString();
    }

    private static bool HasInvalid(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!XmlConvert.IsXmlChar(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
