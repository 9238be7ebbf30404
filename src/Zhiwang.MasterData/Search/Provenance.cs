using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Zhiwang.MasterData.Search;

/// <summary>Where one golden attribute's value came from and why, as the hub stores it in a golden record's <c>provenance</c> JSON.</summary>
public sealed record AttributeSource(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("department")] string Department,
    [property: JsonPropertyName("record_id")] string RecordId,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>Reads and writes the <c>provenance</c> column (field → <see cref="AttributeSource"/>).</summary>
internal static class Provenance
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Dictionary<string, AttributeSource> Read(string? json) =>
        string.IsNullOrWhiteSpace(json)
            ? new(StringComparer.Ordinal)
            : new(JsonSerializer.Deserialize<Dictionary<string, AttributeSource>>(json, Options) ?? [], StringComparer.Ordinal);

    public static string Write(IReadOnlyDictionary<string, AttributeSource> provenance) => JsonSerializer.Serialize(provenance, Options);
}
