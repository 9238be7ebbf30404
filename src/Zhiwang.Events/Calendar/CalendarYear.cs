using System.Globalization;

namespace Zhiwang.Events.Calendar;

/// <summary>
/// One year of the State Council's holiday schedule: <see cref="Holidays"/> are days off (weekend days included
/// when the notice lists them), <see cref="Workdays"/> are the make-up working days (调休) that fall on a weekend.
/// </summary>
public sealed record CalendarYear(int Year, IReadOnlySet<DateOnly> Holidays, IReadOnlySet<DateOnly> Workdays)
{
    internal const string DateFormat = "yyyy-MM-dd";

    /// <summary>Why <paramref name="date"/> cannot be listed in <paramref name="year"/>, or null when it can.</summary>
    internal static string? Problem(int year, DateOnly date, bool workday)
    {
        var text = date.ToString(DateFormat, CultureInfo.InvariantCulture);
        if (date.Year != year)
        {
            return $"{text} is not in {year}";
        }

        // A make-up working day only exists to replace a weekend; one listed on a weekday is a typo for another date.
        if (workday && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            return $"make-up working day {text} is a {date.DayOfWeek}, not a Saturday or Sunday";
        }

        return null;
    }

    /// <summary>The first rule this year breaks (see <see cref="Problem"/>), or null when it is sound.</summary>
    internal string? FindProblem()
    {
        if (Year is < 1 or > 9999)
        {
            return $"{Year} is not a year";
        }

        foreach (var day in Holidays)
        {
            if (Problem(Year, day, workday: false) is { } problem)
            {
                return $"{Year}: holiday: {problem}";
            }

            if (Workdays.Contains(day))
            {
                return $"{Year}: {day.ToString(DateFormat, CultureInfo.InvariantCulture)} is both a holiday and a make-up working day";
            }
        }

        foreach (var day in Workdays)
        {
            if (Problem(Year, day, workday: true) is { } problem)
            {
                return $"{Year}: workday: {problem}";
            }
        }

        return null;
    }

    /// <summary>
    /// Builds a year from date texts, as the holiday file and configuration write them. <paramref name="where"/> names a
    /// list entry (holiday list or not, index) so an operator finds the bad line; every error is a <see cref="FormatException"/>.
    /// </summary>
    internal static CalendarYear Read(
        int year,
        IReadOnlyList<string?> holidays,
        IReadOnlyList<string?> workdays,
        Func<bool, int, string> where)
    {
        var holidayList = ReadList(year, holidays, workday: false, where);
        var workdayList = ReadList(year, workdays, workday: true, where);
        var holidaySet = holidayList.ToHashSet();
        for (var i = 0; i < workdayList.Count; i++)
        {
            if (holidaySet.Contains(workdayList[i]))
            {
                throw new FormatException(
                    $"{where(true, i)}: {workdayList[i].ToString(DateFormat, CultureInfo.InvariantCulture)} is both a holiday and a make-up working day");
            }
        }

        return new CalendarYear(year, holidaySet, workdayList.ToHashSet());
    }

    private static List<DateOnly> ReadList(int year, IReadOnlyList<string?> texts, bool workday, Func<bool, int, string> where)
    {
        var days = new List<DateOnly>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i]?.Trim();
            if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new FormatException($"{where(workday, i)}: \"{texts[i]}\" is not a date ({DateFormat}) in {year}");
            }

            if (Problem(year, day, workday) is { } problem)
            {
                throw new FormatException($"{where(workday, i)}: {problem}");
            }

            // Harmless in itself, but in a hand-typed list a repeated date is usually a typo for the one that is missing.
            if (days.Contains(day))
            {
                throw new FormatException($"{where(workday, i)}: {text} is listed twice in {year}");
            }

            days.Add(day);
        }

        return days;
    }
}
