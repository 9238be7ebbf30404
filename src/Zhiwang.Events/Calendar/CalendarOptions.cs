using System.Globalization;

namespace Zhiwang.Events.Calendar;

/// <summary>
/// Years added by configuration (section <c>Zhiwang:Events:Calendar</c>), so a newly published schedule such as 2027's
/// takes effect without a release; a configured year replaces the embedded one of the same number. In appsettings.json:
/// <code>"Zhiwang": { "Events": { "Calendar": { "Years": { "2027": { "Holidays": ["2027-01-01"], "Workdays": [] } } } } }</code>
/// </summary>
public sealed class CalendarOptions
{
    public const string Section = "Zhiwang:Events:Calendar";

    /// <summary>Keyed by the year as text ("2027"), as configuration binds it.</summary>
    public Dictionary<string, CalendarYearOptions> Years { get; set; } = [];

    /// <summary>
    /// The configured years, checked like the embedded file; a bad entry throws <see cref="FormatException"/> naming
    /// its configuration path, such as <c>Zhiwang:Events:Calendar:Years:2027:Holidays[3]</c>.
    /// </summary>
    public IReadOnlyList<CalendarYear> ToYears()
    {
        var years = new List<CalendarYear>(Years.Count);
        foreach (var (key, options) in Years.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var path = $"{Section}:Years:{key}";
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 1 or > 9999)
            {
                throw new FormatException($"{path}: \"{key}\" is not a year");
            }

            if (years.Exists(y => y.Year == year))
            {
                throw new FormatException($"{path}: {year} is given twice");
            }

            var holidays = options?.Holidays ?? [];
            var workdays = options?.Workdays ?? [];
            years.Add(CalendarYear.Read(
                year,
                holidays,
                workdays,
                (workday, index) => string.Create(CultureInfo.InvariantCulture, $"{path}:{(workday ? "Workdays" : "Holidays")}[{index}]")));
        }

        return years;
    }
}

/// <summary>One configured year: its days off and its make-up working days, as <c>yyyy-MM-dd</c>.</summary>
public sealed class CalendarYearOptions
{
    public List<string> Holidays { get; set; } = [];

    public List<string> Workdays { get; set; } = [];
}
