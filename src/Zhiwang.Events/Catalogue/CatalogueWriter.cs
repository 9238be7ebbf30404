using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Zhiwang.Events.Catalogue;

/// <summary>Writes a catalogue in the shape <see cref="CatalogueReader"/> reads.</summary>
internal static class CatalogueWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",

        // Chinese names stay readable in the file an administrator edits; HTML-sensitive characters are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Write(EventCatalogue catalogue)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("departments");
            foreach (var department in catalogue.Departments)
            {
                writer.WriteStartObject();
                writer.WriteString("code", department.Code);
                writer.WriteString("zh", department.Zh);
                writer.WriteString("en", department.En);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("groups");
            foreach (var group in catalogue.Groups)
            {
                writer.WriteStartObject();
                writer.WriteString("code", group.Code);
                writer.WriteString("kind", CatalogueWords.Word(CatalogueWords.Kinds, group.Kind));
                writer.WriteString("zh", group.Zh);
                writer.WriteString("en", group.En);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("classes");
            foreach (var eventClass in catalogue.Classes)
            {
                WriteClass(writer, eventClass);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rules");
            foreach (var rule in catalogue.Rules)
            {
                WriteRule(writer, rule);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteClass(Utf8JsonWriter writer, EventClass eventClass)
    {
        writer.WriteStartObject();
        writer.WriteString("code", eventClass.Code);
        writer.WriteString("kind", CatalogueWords.Word(CatalogueWords.Kinds, eventClass.Kind));
        writer.WriteString("group", eventClass.Group);
        writer.WriteString("zh", eventClass.Zh);
        writer.WriteString("en", eventClass.En);
        writer.WriteString("urgency", CatalogueWords.Word(CatalogueWords.Urgencies, eventClass.Urgency));
        writer.WriteString("startLevel", CatalogueWords.Word(CatalogueWords.Levels, eventClass.StartLevel));
        writer.WriteString("accept", eventClass.AcceptWithin.ToString());
        writer.WriteString("deadline", eventClass.HandleWithin.ToString());
        writer.WriteStartObject("departments");
        foreach (var (word, level) in CatalogueWords.Levels)
        {
            if (eventClass.Departments.TryGetValue(level, out var department))
            {
                writer.WriteString(word, department);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartArray("attributes");
        foreach (var attribute in eventClass.Attributes)
        {
            writer.WriteStartObject();
            writer.WriteString("name", attribute.Name);
            writer.WriteString("type", CatalogueWords.Word(CatalogueWords.Types, attribute.Type));
            writer.WriteBoolean("required", attribute.Required);
            writer.WriteString("zh", attribute.Zh);
            writer.WriteString("en", attribute.En);
            if (attribute.Type == AttributeType.Choice)
            {
                writer.WriteStartArray("options");
                foreach (var option in attribute.Options)
                {
                    writer.WriteStringValue(option);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter writer, DispatchRule rule)
    {
        // Only what the rule sets: an absent field matches anything, and that is how the file reads best.
        writer.WriteStartObject();
        WriteIfSet(writer, "class", rule.Class);
        WriteIfSet(writer, "group", rule.Group);
        WriteIfSet(writer, "division", rule.Division);
        WriteIfSet(writer, "urgency", rule.Urgency is { } urgency ? CatalogueWords.Word(CatalogueWords.Urgencies, urgency) : null);
        WriteIfSet(writer, "level", rule.Level is { } level ? CatalogueWords.Word(CatalogueWords.Levels, level) : null);
        WriteIfSet(writer, "department", rule.Department);
        WriteIfSet(writer, "why", rule.Why);
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
