using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace Zhiwang.Server.MasterData;

/// <summary>
/// The master-data pages' texts: MasterDataText.resx holds the Chinese (the neutral language), MasterDataText.en.resx the
/// English. Field, relation, department and link-method names are looked up by prefix and fall back to the code.
/// </summary>
public sealed class MasterDataText
{
    /// <summary>Keys the page script needs, handed to it as JSON.</summary>
    internal static readonly string[] ScriptKeys = ["Weight", "RevealFailed", "Batch", "IssueRate", "Rejected", "ConflictRate"];

    public static string Label(IStringLocalizer<MasterDataText> text, string prefix, string? code)
    {
        if (code is null)
        {
            return "";
        }

        var found = text[prefix + code];
        return found.ResourceNotFound ? code : found.Value;
    }

    public static string Relation(IStringLocalizer<MasterDataText> text, string relation) =>
        relation.StartsWith("co-mention:", StringComparison.Ordinal)
            ? string.Format(CultureInfo.CurrentCulture, text["R_co-mention"].Value, relation["co-mention:".Length..])
            : Label(text, "R_", relation);

    /// <summary>The current address with <c>lang</c> set, so switching language keeps the page and its query.</summary>
    public static string WithLang(HttpContext? context, string lang)
    {
        if (context is null)
        {
            return "?lang=" + lang;
        }

        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value)
            .Where(p => !string.Equals(p.Key, "lang", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>("lang", lang));
        return QueryHelpers.AddQueryString(context.Request.Path.Value ?? "/", query);
    }

    public static string Percent(double rate) => rate.ToString("P1", CultureInfo.CurrentCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Weight(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
