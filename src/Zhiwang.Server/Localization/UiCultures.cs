using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Zhiwang.Server.Localization;

/// <summary>The languages of the UI: Chinese first and by default, English on request.</summary>
public static class UiCultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public const string QueryKey = "lang";
    public static readonly string CookieName = CookieRequestCultureProvider.DefaultCookieName;

    public static IReadOnlyList<string> All { get; } = [Chinese, English];

    /// <summary>The supported culture a <c>?lang=</c> value asks for, or null.</summary>
    public static string? Match(string? lang) => lang?.Trim().ToLowerInvariant() switch
    {
        "zh" or "zh-cn" or "zh-hans" or "cn" => Chinese,
        "en" or "en-us" or "en-gb" => English,
        _ => null,
    };

    public static bool IsEnglish(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en";
}
