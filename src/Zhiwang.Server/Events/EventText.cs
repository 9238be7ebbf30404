using System.Globalization;
using Microsoft.Extensions.Localization;
using Zhiwang.Access;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Server.Localization;

namespace Zhiwang.Server.Events;

/// <summary>
/// The event pages' texts: EventText.resx holds the Chinese (the neutral language), EventText.en.resx the English. State,
/// action, level and other codes are looked up by prefix and fall back to the code; class and department names come from
/// the catalogue, place names from the city map. Times are shown in China time, where the city works.
/// </summary>
public sealed class EventText
{
    public static bool IsEnglish => UiCultures.IsEnglish(CultureInfo.CurrentUICulture);

    public static string Label(IStringLocalizer<EventText> text, string prefix, string? code)
    {
        if (code is null)
        {
            return "";
        }

        var found = text[prefix + code];
        return found.ResourceNotFound ? code : found.Value;
    }

    public static string Format(IStringLocalizer<EventText> text, string key, params object?[] values) =>
        string.Format(CultureInfo.CurrentCulture, text[key].Value, values);

    /// <summary>
    /// A refusal in the page's language: the sentence for its code (<c>R_</c> + code) with each <c>{argument}</c> filled in,
    /// actions, states, parties, levels and departments named in the page's language and times in China time. A code without
    /// a sentence (it should never happen) shows the English reason rather than nothing.
    /// </summary>
    public static string Refusal(
        IStringLocalizer<EventText> text, EventCatalogue catalogue, string? code, IReadOnlyDictionary<string, string>? arguments, string? reason)
    {
        if (code is null || text["R_" + code] is not { ResourceNotFound: false } sentence)
        {
            return reason ?? "";
        }

        var said = sentence.Value;
        foreach (var (name, value) in arguments ?? new Dictionary<string, string>())
        {
            said = said.Replace("{" + name + "}", Argument(text, catalogue, name, value), StringComparison.Ordinal);
        }

        return said;
    }

    private static string Argument(IStringLocalizer<EventText> text, EventCatalogue catalogue, string name, string value) => name switch
    {
        "action" => Label(text, "A_", value),
        "state" => Label(text, "S_", value),
        "allowed" => string.Join(text["Or"].Value, value.Split(',').Select(state => Label(text, "S_", state))),
        "who" => Label(text, "W_", value),
        "level" => Label(text, "L_", value),
        "department" => DepartmentName(catalogue, value),
        "until" => Time(Instant.Parse(value)),
        _ => value,
    };

    /// <summary>The class's name in the page's language, from the catalogue in force (older versions keep their codes).</summary>
    public static string ClassName(EventCatalogue catalogue, string classCode) =>
        catalogue.Find(classCode) is { } c ? (IsEnglish ? c.En : c.Zh) : classCode;

    public static string DepartmentName(EventCatalogue catalogue, string? code) =>
        code is null ? "" : catalogue.FindDepartment(code) is { } d ? (IsEnglish ? d.En : d.Zh) : code;

    /// <summary>A division's name (grid, community, street, district), or the city's, or the code when the map has none.</summary>
    public static string PlaceName(string? code) =>
        code is null ? "" : code == Scopes.City ? CityMap.Shenzhen.City.Name : CityMap.Shenzhen.Find(code)?.Name ?? code;

    /// <summary>The grid and the community above it: "南山某社区 · 第3网格".</summary>
    public static string GridPlace(string gridCode) =>
        CityMap.Shenzhen.FindGrid(gridCode) is { } grid ? $"{PlaceName(grid.CommunityCode)} · {PlaceName(gridCode)}" : PlaceName(gridCode);

    /// <summary>A unit is a department at a division: "南头街道 · 城管".</summary>
    public static string UnitName(EventCatalogue catalogue, string? department, string? division) =>
        department is null ? "" : $"{PlaceName(division)} · {DepartmentName(catalogue, department)}";

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToOffset(BusinessCalendar.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>The machine-readable time for a &lt;time&gt; element.</summary>
    public static string IsoTime(DateTimeOffset? at) =>
        at is { } value ? value.ToOffset(BusinessCalendar.ChinaOffset).ToString("yyyy-MM-ddTHH:mmzzz", CultureInfo.InvariantCulture) : "";

    public static string Number(double? value, string format = "F1") => value?.ToString(format, CultureInfo.CurrentCulture) ?? "—";

    public static string Percent(int part, int whole) =>
        whole == 0 ? "—" : (part / (double)whole).ToString("P0", CultureInfo.CurrentCulture);
}

/// <summary>How a deadline stands now: overdue, due within a day, or neither.</summary>
public enum DeadlineStanding
{
    None,
    DueSoon,
    Overdue,
}

public static class DeadlineCheck
{
    public static readonly TimeSpan SoonWithin = TimeSpan.FromDays(1);

    public static DeadlineStanding Standing(bool overdue, DateTimeOffset? due, DateTimeOffset now) =>
        overdue || due < now ? DeadlineStanding.Overdue
        : due is { } d && d - now <= SoonWithin ? DeadlineStanding.DueSoon
        : DeadlineStanding.None;

    /// <summary>How an event's handling deadline stands: it runs while a unit has the event; after, only the overdue mark stays.</summary>
    public static DeadlineStanding OfEvent(string state, bool overdue, DateTimeOffset? handleDue, DateTimeOffset now) =>
        state is "dispatched" or "in_handling" ? Standing(overdue, handleDue, now)
        : overdue ? DeadlineStanding.Overdue : DeadlineStanding.None;
}
