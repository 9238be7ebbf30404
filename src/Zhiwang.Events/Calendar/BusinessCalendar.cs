using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Zhiwang.Events.Calendar;

/// <summary>
/// China's business calendar: which days are working days (public holidays off, make-up working days on) and the
/// deadlines (限时办结) that follow from it. Immutable, so one instance serves every request.
/// </summary>
/// <remarks>
/// A year the calendar does not know (the State Council publishes each year's schedule around November) counts
/// weekends only; <see cref="Knows"/> tells the caller to warn the operator, who adds the year by configuration
/// (see <see cref="CalendarOptions"/>).
/// </remarks>
public sealed class BusinessCalendar
{
    /// <summary>China Standard Time. China has had no daylight saving since 1991, so a fixed offset is exact and needs no tz database.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>A W3C date or date-time; one without an offset is China time, as the city's people and systems write it.</summary>
    public static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)
            || !DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        return parsed.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(parsed, ChinaOffset)
            : new DateTimeOffset(parsed.ToUniversalTime(), TimeSpan.Zero);
    }

    private const string EmbeddedYears = "Calendar/china-holidays.json";

    private static readonly Lazy<BusinessCalendar> EmbeddedChina = new(LoadChina);

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private readonly SortedDictionary<int, CalendarYear> _years;

    // Whether each day is a working day, from 1 January of the first known year to 31 December of the last, indexed by
    // DayNumber - _firstDayNumber: one array read per day keeps deadline arithmetic cheap at 1,000 events a second.
    private readonly bool[] _working;
    private readonly int _firstDayNumber;

    // The two halves of a working day as offsets from midnight.
    private readonly TimeSpan _morningStart;
    private readonly TimeSpan _morningEnd;
    private readonly TimeSpan _afternoonStart;
    private readonly TimeSpan _afternoonEnd;
    private readonly TimeSpan _perDay;

    public BusinessCalendar(IEnumerable<CalendarYear> years, WorkingHours hours)
    {
        ArgumentNullException.ThrowIfNull(years);
        ArgumentNullException.ThrowIfNull(hours);
        if (hours.Problem() is { } hoursProblem)
        {
            throw new ArgumentException(hoursProblem, nameof(hours));
        }

        _years = [];
        foreach (var year in years)
        {
            ArgumentNullException.ThrowIfNull(year, nameof(years));
            if (year.FindProblem() is { } problem)
            {
                throw new ArgumentException(problem, nameof(years));
            }

            // A private copy: the caller's sets could change later, and WithYears/WithHours rebuild from these.
            var copy = year with { Holidays = year.Holidays.ToFrozenSet(), Workdays = year.Workdays.ToFrozenSet() };
            if (!_years.TryAdd(year.Year, copy))
            {
                throw new ArgumentException($"{year.Year} is given twice", nameof(years));
            }
        }

        Hours = hours;
        Years = [.. _years.Keys];
        _morningStart = hours.MorningStart.ToTimeSpan();
        _morningEnd = hours.MorningEnd.ToTimeSpan();
        _afternoonStart = hours.AfternoonStart.ToTimeSpan();
        _afternoonEnd = hours.AfternoonEnd.ToTimeSpan();
        _perDay = hours.PerDay;

        if (_years.Count == 0)
        {
            _working = [];
            return;
        }

        _firstDayNumber = new DateOnly(Years[0], 1, 1).DayNumber;
        var lastDayNumber = new DateOnly(Years[^1], 12, 31).DayNumber;
        _working = new bool[lastDayNumber - _firstDayNumber + 1];
        for (var i = 0; i < _working.Length; i++)
        {
            _working[i] = !IsWeekend(DateOnly.FromDayNumber(_firstDayNumber + i));
        }

        foreach (var year in _years.Values)
        {
            foreach (var day in year.Holidays)
            {
                _working[day.DayNumber - _firstDayNumber] = false;
            }

            foreach (var day in year.Workdays)
            {
                _working[day.DayNumber - _firstDayNumber] = true;
            }
        }
    }

    /// <summary>The State Council's schedules embedded with this build (2025 and 2026), default working hours.</summary>
    public static BusinessCalendar China => EmbeddedChina.Value;

    public WorkingHours Hours { get; }

    /// <summary>The years with a holiday schedule, ascending.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>A calendar with these years added, replacing any the calendar already has (a newly published or corrected year).</summary>
    public BusinessCalendar WithYears(IEnumerable<CalendarYear> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        var merged = new SortedDictionary<int, CalendarYear>(_years);
        foreach (var year in years)
        {
            ArgumentNullException.ThrowIfNull(year, nameof(years));
            merged[year.Year] = year;
        }

        return new BusinessCalendar(merged.Values, Hours);
    }

    /// <summary>The same years with other working hours.</summary>
    public BusinessCalendar WithHours(WorkingHours hours) => new(_years.Values, hours);

    /// <summary>
    /// The embedded calendar with the configured years added or replacing embedded ones. Throws
    /// <see cref="FormatException"/> naming the configuration path of a bad entry.
    /// </summary>
    public static BusinessCalendar FromOptions(CalendarOptions? options) =>
        options is null || options.Years.Count == 0 ? China : China.WithYears(options.ToYears());

    /// <summary>
    /// Reads years in the holiday file's format: <c>{ "2026": { "holidays": ["2026-01-01", …], "workdays": ["2026-01-04", …] } }</c>.
    /// Throws <see cref="FormatException"/> naming the year and the date for a bad date, a date outside its year, a make-up
    /// working day that is not a Saturday or Sunday, or a date listed both ways.
    /// </summary>
    public static IReadOnlyList<CalendarYear> ParseYears(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FormatException($"holiday years: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("holiday years: expected an object keyed by year, such as { \"2026\": { \"holidays\": [...], \"workdays\": [...] } }");
            }

            var years = new SortedDictionary<int, CalendarYear>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!TryReadYear(property.Name, out var year))
                {
                    throw new FormatException($"holiday years: \"{property.Name}\" is not a year");
                }

                if (years.ContainsKey(year))
                {
                    throw new FormatException($"{year}: the year is given twice");
                }

                years[year] = ReadYear(year, property.Value);
            }

            return [.. years.Values];
        }
    }

    /// <summary>Whether the calendar has <paramref name="year"/>'s holiday schedule; if not, that year counts weekends only.</summary>
    public bool Knows(int year) => _years.ContainsKey(year);

    /// <summary>A holiday is not; a make-up working day is; otherwise Monday to Friday.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        var index = day.DayNumber - _firstDayNumber;
        return (uint)index < (uint)_working.Length ? _working[index] : !IsWeekend(day);
    }

    /// <summary>
    /// The deadline <paramref name="duration"/> after <paramref name="start"/>, as an instant with offset zero.
    /// <list type="bullet">
    /// <item><paramref name="aroundTheClock"/> (emergencies): plain clock hours or 24-hour days.</item>
    /// <item>Hours: working time only; a start outside working hours starts at the next working moment.</item>
    /// <item>Days: the end of the Nth working day after the start's day (China time), so "1d" reported on a Friday
    /// afternoon is due at the end of Monday.</item>
    /// </list>
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, WorkingDuration duration, bool aroundTheClock = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(duration.Amount, nameof(duration));
        if (aroundTheClock)
        {
            var span = duration.Unit == DurationUnit.Hours ? TimeSpan.FromHours(duration.Amount) : TimeSpan.FromDays(duration.Amount);
            return start.ToUniversalTime() + span;
        }

        var local = start.ToOffset(ChinaOffset);
        var day = DateOnly.FromDateTime(local.DateTime);
        return duration.Unit == DurationUnit.Days
            ? AddWorkingDays(day, duration.Amount)
            : AddWorkingHours(day, local.TimeOfDay, TimeSpan.FromHours(duration.Amount));
    }

    /// <summary>Working time between two instants (for average handling time); zero when <paramref name="end"/> is not after <paramref name="start"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            return TimeSpan.Zero;
        }

        var from = start.ToOffset(ChinaOffset);
        var to = end.ToOffset(ChinaOffset);
        var firstDay = DateOnly.FromDateTime(from.DateTime);
        var lastDay = DateOnly.FromDateTime(to.DateTime);
        var total = TimeSpan.Zero;
        for (var dayNumber = firstDay.DayNumber; dayNumber <= lastDay.DayNumber; dayNumber++)
        {
            var day = DateOnly.FromDayNumber(dayNumber);
            if (!IsWorkingDay(day))
            {
                continue;
            }

            var low = dayNumber == firstDay.DayNumber ? from.TimeOfDay : TimeSpan.Zero;
            var high = dayNumber == lastDay.DayNumber ? to.TimeOfDay : OneDay;
            total += low == TimeSpan.Zero && high == OneDay
                ? _perDay
                : Overlap(_morningStart, _morningEnd, low, high) + Overlap(_afternoonStart, _afternoonEnd, low, high);
        }

        return total;
    }

    private DateTimeOffset AddWorkingDays(DateOnly day, int count)
    {
        while (count > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                count--;
            }
        }

        return Instant(day, _afternoonEnd);
    }

    // Walks working days, taking each half-day's working time from what remains: at most two comparisons a day.
    private DateTimeOffset AddWorkingHours(DateOnly day, TimeSpan timeOfDay, TimeSpan remaining)
    {
        while (true)
        {
            if (IsWorkingDay(day))
            {
                if (timeOfDay == TimeSpan.Zero && remaining > _perDay)
                {
                    remaining -= _perDay;
                }
                else
                {
                    var morningFrom = Max(_morningStart, timeOfDay);
                    if (morningFrom < _morningEnd)
                    {
                        if (remaining <= _morningEnd - morningFrom)
                        {
                            return Instant(day, morningFrom + remaining);
                        }

                        remaining -= _morningEnd - morningFrom;
                    }

                    var afternoonFrom = Max(_afternoonStart, timeOfDay);
                    if (afternoonFrom < _afternoonEnd)
                    {
                        if (remaining <= _afternoonEnd - afternoonFrom)
                        {
                            return Instant(day, afternoonFrom + remaining);
                        }

                        remaining -= _afternoonEnd - afternoonFrom;
                    }
                }
            }

            day = day.AddDays(1);
            timeOfDay = TimeSpan.Zero;
        }
    }

    private static DateTimeOffset Instant(DateOnly day, TimeSpan timeOfDay) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue) + timeOfDay, ChinaOffset).ToUniversalTime();

    private static TimeSpan Overlap(TimeSpan start, TimeSpan end, TimeSpan low, TimeSpan high)
    {
        var overlap = Min(end, high) - Max(start, low);
        return overlap > TimeSpan.Zero ? overlap : TimeSpan.Zero;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static bool TryReadYear(string text, out int year) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year) && year is >= 1 and <= 9999;

    private static CalendarYear ReadYear(int year, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{year}: expected {{ \"holidays\": [...], \"workdays\": [...] }}");
        }

        List<string?> holidays = [];
        List<string?> workdays = [];
        foreach (var property in element.EnumerateObject())
        {
            // An unknown name is most likely a misspelt list, whose dates would otherwise be silently ignored.
            var list = property.Name.ToUpperInvariant() switch
            {
                "HOLIDAYS" => holidays,
                "WORKDAYS" => workdays,
                _ => throw new FormatException($"{year}: \"{property.Name}\" is neither \"holidays\" nor \"workdays\""),
            };
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{year}: \"{property.Name}\" is not a list of dates");
            }

            // A non-string entry becomes its raw text, which then fails as "not a date" with its position.
            list.AddRange(property.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()));
        }

        return CalendarYear.Read(year, holidays, workdays, (workday, index) => $"{year} {(workday ? "workdays" : "holidays")}[{index}]");
    }

    private static BusinessCalendar LoadChina()
    {
        using var stream = typeof(BusinessCalendar).Assembly.GetManifestResourceStream(EmbeddedYears)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedYears} is missing from the build.");
        using var reader = new StreamReader(stream);
        return new BusinessCalendar(ParseYears(reader.ReadToEnd()), WorkingHours.Default);
    }
}
