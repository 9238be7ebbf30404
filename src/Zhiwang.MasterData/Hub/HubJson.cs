using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Zhiwang.MasterData.Hub;

/// <summary>Raw values and fields as JSON objects (Chinese kept readable), and the content hash that makes re-imports idempotent.</summary>
internal static class HubJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static Dictionary<string, string?> ReadFields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json, Options) ?? [];

    /// <summary>The first 128 bits of a hex content hash, as kept in memory to tell a changed record from a repeated one.</summary>
    public static UInt128 HashPrefix(string hexHash) =>
        UInt128.Parse(hexHash.AsSpan(0, Math.Min(32, hexHash.Length)), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>SHA-256 over the raw values in column order-independent form: the same row read again hashes the same.</summary>
    public static string ContentHash(IReadOnlyDictionary<string, string?> raw)
    {
        var builder = new StringBuilder();
        foreach (var (column, value) in raw.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            builder.Append(column).Append('\u001f').Append(value ?? "\u0000").Append('\u001e');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
