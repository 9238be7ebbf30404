using System.Text;
using System.Text.Json;
using Microsoft.VisualBasic.FileIO;
using Zhiwang.Events.Catalogue;
using Zhiwang.Geo;

namespace Zhiwang.Events.Intake;

/// <summary>One row of an online-opinion file that was not taken, and why.</summary>
public sealed record OpinionRowError(int Row, string Field, string Reason);

/// <summary>What an online-opinion file became: events stored (new or already stored from an earlier import) and rows refused.</summary>
public sealed record OpinionImportResult(int Rows, int Stored, int AlreadyStored, IReadOnlyList<OpinionRowError> Errors);

/// <summary>
/// Online opinion (网络舆情) arrives as a file a dispatcher exports from the monitoring service: CSV in UTF-8 or GBK with a
/// header row. Columns: <c>ref</c> (the item's id in the monitoring service: importing the same file again stores nothing
/// twice), <c>class</c>, <c>description</c>, <c>lat</c>, <c>lon</c>, <c>address</c>, and <c>attr.NAME</c> for the class's
/// attributes. A row with an address and no lat/lon is placed by the standard address base. Each good row becomes an event waiting for a dispatcher to accept it; a bad row is reported with its row
/// number and field and never stops the others.
/// </summary>
public sealed class OpinionImport(EventIntake intake, CityMap map, IAddressBase addresses)
{
    /// <summary>
    /// The submitter of every online-opinion event, whoever imports the file, so an item imported twice (by two
    /// dispatchers, or one file twice) is one event. Who imported it is in the audit chain.
    /// </summary>
    public const string Submitter = "online_opinion";

    public const int MaxRows = 10_000;

    private static readonly string[] Required = ["ref", "class", "description"];

    public async Task<OpinionImportResult> ImportAsync(Stream file, EventCatalogue catalogue, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var text = Decode(buffer.ToArray());
        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var errors = new List<OpinionRowError>();
        string[] header;
        try
        {
            header = parser.ReadFields()?.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray() ?? [];
        }
        catch (MalformedLineException e)
        {
            return new OpinionImportResult(0, 0, 0, [new OpinionRowError(1, "", $"not CSV: {e.Message}")]);
        }

        var placed = (header.Contains("lat") && header.Contains("lon")) || header.Contains("address");
        if (Required.Where(r => !header.Contains(r, StringComparer.Ordinal)).Concat(placed ? [] : ["lat", "lon"]).ToList() is { Count: > 0 } missing)
        {
            return new OpinionImportResult(0, 0, 0, [new OpinionRowError(1, string.Join(", ", missing),
                $"the header lacks the column(s) {string.Join(", ", missing)}; it needs {string.Join(", ", Required)} and lat, lon or address (and may have attr.NAME)")]);
        }

        var reports = new List<(int Row, EventReport Report)>();
        var rows = 0;
        while (!parser.EndOfData)
        {
            var row = (int)parser.LineNumber;
            string[]? fields;
            try
            {
                fields = parser.ReadFields();
            }
            catch (MalformedLineException e)
            {
                errors.Add(new OpinionRowError((int)e.LineNumber, "", "malformed CSV line (an unclosed quote?)"));
                continue;
            }

            if (fields is null || fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (++rows > MaxRows)
            {
                errors.Add(new OpinionRowError(row, "", $"a file holds at most {MaxRows:N0} rows; the rest were not read"));
                break;
            }

            var values = header.Select((name, i) => (name, value: i < fields.Length ? fields[i].Trim() : "")).ToDictionary(p => p.name, p => p.value, StringComparer.Ordinal);
            if (ToRequest(values, catalogue, row, errors) is not { } request)
            {
                continue;
            }

            var (report, problems) = await ReportCheck.CheckAsync(
                request, catalogue, map, addresses, Channels.OnlineOpinion, Submitter, null, values["ref"], cancellationToken);
            if (report is null)
            {
                errors.AddRange(problems.Select(p => new OpinionRowError(row, p.Field, p.Reason)));
                continue;
            }

            reports.Add((row, report));
        }

        var receipts = await Task.WhenAll(reports.Select(r => intake.SubmitAsync(r.Report, cancellationToken)));
        return new OpinionImportResult(rows, receipts.Count(r => !r.AlreadyReported), receipts.Count(r => r.AlreadyReported), errors);
    }

    private static EventReportRequest? ToRequest(Dictionary<string, string> values, EventCatalogue catalogue, int row, List<OpinionRowError> errors)
    {
        if (string.IsNullOrEmpty(values["ref"]))
        {
            errors.Add(new OpinionRowError(row, "ref", "required: the item's id in the monitoring service"));
            return null;
        }

        // A row without a point is placed by its address, if it has one; ReportCheck says when it cannot be.
        var latText = values.GetValueOrDefault("lat", "");
        var lonText = values.GetValueOrDefault("lon", "");
        double? lat = null, lon = null;
        if (latText.Length > 0 || lonText.Length > 0)
        {
            if (!double.TryParse(latText, System.Globalization.CultureInfo.InvariantCulture, out var givenLat)
                || !double.TryParse(lonText, System.Globalization.CultureInfo.InvariantCulture, out var givenLon))
            {
                errors.Add(new OpinionRowError(row, "lat/lon", $"'{latText}', '{lonText}' is not a point (decimal degrees)"));
                return null;
            }

            (lat, lon) = (givenLat, givenLon);
        }

        // Attributes come as text; give each the JSON type its class declares, so the usual check judges them.
        var eventClass = catalogue.Find(values["class"]);
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in values.Where(p => p.Key.StartsWith("attr.", StringComparison.Ordinal) && p.Value.Length > 0))
        {
            var attribute = name["attr.".Length..];
            attributes[attribute] = AttributeText.Typed(eventClass?.FindAttribute(attribute), value);
        }

        return new EventReportRequest(values["class"], values["description"], new PlaceRequest(lat, lon, values.GetValueOrDefault("address")), attributes);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (with or without a BOM), otherwise GBK, as Chinese spreadsheet tools save.</summary>
    internal static string Decode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GBK").GetString(bytes);
        }
    }
}
