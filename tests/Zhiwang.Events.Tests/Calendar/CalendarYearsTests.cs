using Microsoft.Extensions.Configuration;
using Zhiwang.Events.Calendar;

namespace Zhiwang.Events.Tests.Calendar;

public sealed class CalendarYearsTests
{
    [Fact]
    public void The_embedded_schedules_hold_every_day_off_of_2025_and_2026()
    {
        var years = BusinessCalendar.China;

        // 2025: 1 + 8 + 3 + 5 + 3 + 8 days off; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7.
        years.IsWorkingDay(new DateOnly(2025, 10, 8)).ShouldBeFalse();
        years.IsWorkingDay(new DateOnly(2025, 10, 11)).ShouldBeTrue(); // make-up Saturday
        years.IsWorkingDay(new DateOnly(2026, 1, 4)).ShouldBeTrue(); // make-up Sunday
        years.IsWorkingDay(new DateOnly(2026, 6, 19)).ShouldBeFalse(); // Dragon Boat, a Friday

        var parsed = BusinessCalendar.ParseYears(EmbeddedJson());
        parsed.Select(y => (y.Year, y.Holidays.Count, y.Workdays.Count)).ShouldBe([(2025, 28, 5), (2026, 33, 6)]);
    }

    [Fact]
    public void Parsing_reads_holidays_and_make_up_days()
    {
        var years = BusinessCalendar.ParseYears("""{ "2030": { "holidays": ["2030-01-01"], "workdays": ["2030-01-05"] } }""");

        var year = years.ShouldHaveSingleItem();
        year.Year.ShouldBe(2030);
        year.Holidays.ShouldBe([new DateOnly(2030, 1, 1)]);
        year.Workdays.ShouldBe([new DateOnly(2030, 1, 5)]);
    }

    [Theory]
    [InlineData("""{ "2026": { "holidays": ["2026-02-30"] } }""", "2026 holidays[0]", "2026-02-30")]
    [InlineData("""{ "2026": { "holidays": ["2026-01-01", "1 Feb 2026"] } }""", "2026 holidays[1]", "1 Feb 2026")]
    [InlineData("""{ "2026": { "holidays": ["2025-12-31"] } }""", "2026 holidays[0]", "2025-12-31 is not in 2026")]
    [InlineData("""{ "2026": { "workdays": ["2026-02-16"] } }""", "2026 workdays[0]", "2026-02-16 is a Monday")]
    [InlineData("""{ "2026": { "holidays": ["2026-02-14"], "workdays": ["2026-02-14"] } }""", "2026 workdays[0]", "2026-02-14 is both")]
    [InlineData("""{ "2026": { "holidays": ["2026-10-01", "2026-10-01"] } }""", "2026 holidays[1]", "2026-10-01 is listed twice")]
    [InlineData("""{ "2026": { "holiday": ["2026-10-01"] } }""", "2026", "\"holiday\"")]
    [InlineData("""{ "26": { "holidays": [] }, "next": {} }""", "\"next\" is not a year", "")]
    [InlineData("""{ "2026": { "holidays": [20261001] } }""", "2026 holidays[0]", "20261001")]
    [InlineData("""{ "2026": """, "not valid JSON", "")]
    public void Parsing_refuses_a_bad_schedule_naming_the_year_and_the_date(string json, string where, string what)
    {
        var error = Should.Throw<FormatException>(() => BusinessCalendar.ParseYears(json));

        error.Message.ShouldContain(where);
        error.Message.ShouldContain(what);
    }

    [Fact]
    public void A_calendar_refuses_a_year_whose_make_up_day_is_a_weekday()
    {
        var year = new CalendarYear(2026, new HashSet<DateOnly>(), new HashSet<DateOnly> { new(2026, 2, 16) });

        Should.Throw<ArgumentException>(() => new BusinessCalendar([year], new WorkingHours())).Message.ShouldContain("2026-02-16");
    }

    [Fact]
    public void A_year_added_later_replaces_the_embedded_one()
    {
        var cleared = BusinessCalendar.China.WithYears([new CalendarYear(2026, new HashSet<DateOnly>(), new HashSet<DateOnly>())]);

        cleared.IsWorkingDay(new DateOnly(2026, 2, 16)).ShouldBeTrue(); // Monday of the Spring Festival, no longer off
        cleared.IsWorkingDay(new DateOnly(2026, 2, 14)).ShouldBeFalse(); // the make-up Saturday is gone too
        cleared.IsWorkingDay(new DateOnly(2025, 10, 1)).ShouldBeFalse(); // 2025 is untouched
        BusinessCalendar.China.IsWorkingDay(new DateOnly(2026, 2, 16)).ShouldBeFalse(); // the original is unchanged
    }

    [Fact]
    public void Configuration_adds_2027_when_it_is_published()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Zhiwang:Events:Calendar:Years:2027:Holidays:0"] = "2027-01-01",
            ["Zhiwang:Events:Calendar:Years:2027:Holidays:1"] = "2027-10-01",
            ["Zhiwang:Events:Calendar:Years:2027:Workdays:0"] = "2027-09-26",
        });

        var calendar = BusinessCalendar.FromOptions(options);

        calendar.Years.ShouldBe([2025, 2026, 2027]);
        calendar.Knows(2027).ShouldBeTrue();
        calendar.IsWorkingDay(new DateOnly(2027, 1, 1)).ShouldBeFalse();
        calendar.IsWorkingDay(new DateOnly(2027, 9, 26)).ShouldBeTrue(); // a Sunday made a working day
        calendar.IsWorkingDay(new DateOnly(2026, 2, 16)).ShouldBeFalse(); // the embedded years stay
        // Fri 1 Oct 2027 is off, so "1d" from Thursday 30 September lands on Monday 4 October.
        calendar.Add(new DateTimeOffset(2027, 9, 30, 10, 0, 0, BusinessCalendar.ChinaOffset), WorkingDuration.Days(1))
            .ShouldBe(new DateTimeOffset(2027, 10, 4, 18, 0, 0, BusinessCalendar.ChinaOffset));
    }

    [Fact]
    public void No_configured_years_leave_the_embedded_calendar()
    {
        BusinessCalendar.FromOptions(Bind([])).ShouldBeSameAs(BusinessCalendar.China);
        BusinessCalendar.FromOptions(null).ShouldBeSameAs(BusinessCalendar.China);
    }

    [Fact]
    public void A_bad_configured_date_names_its_configuration_path()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Zhiwang:Events:Calendar:Years:2027:Holidays:0"] = "2027-01-01",
            ["Zhiwang:Events:Calendar:Years:2027:Holidays:1"] = "2027-02-06",
            ["Zhiwang:Events:Calendar:Years:2027:Holidays:2"] = "2027-02-07",
            ["Zhiwang:Events:Calendar:Years:2027:Holidays:3"] = "2027-02-30",
        });

        Should.Throw<FormatException>(() => BusinessCalendar.FromOptions(options))
            .Message.ShouldStartWith("Zhiwang:Events:Calendar:Years:2027:Holidays[3]: \"2027-02-30\" is not a date");
    }

    [Fact]
    public void A_configured_key_that_is_not_a_year_is_refused()
    {
        var options = Bind(new Dictionary<string, string?> { ["Zhiwang:Events:Calendar:Years:next:Holidays:0"] = "2027-01-01" });

        Should.Throw<FormatException>(() => BusinessCalendar.FromOptions(options)).Message.ShouldContain("Zhiwang:Events:Calendar:Years:next");
    }

    private static CalendarOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return configuration.GetSection(CalendarOptions.Section).Get<CalendarOptions>() ?? new CalendarOptions();
    }

    private static string EmbeddedJson()
    {
        using var stream = typeof(BusinessCalendar).Assembly.GetManifestResourceStream("Calendar/china-holidays.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
