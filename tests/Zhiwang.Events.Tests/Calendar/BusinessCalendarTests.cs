using System.Globalization;
using Zhiwang.Events.Calendar;

namespace Zhiwang.Events.Tests.Calendar;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar Calendar = BusinessCalendar.China;

    /// <summary>A wall-clock time in China.</summary>
    private static DateTimeOffset China(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, BusinessCalendar.ChinaOffset);

    private static DateOnly Day(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void The_embedded_calendar_knows_2025_and_2026_and_nothing_else()
    {
        Calendar.Years.ShouldBe([2025, 2026]);
        Calendar.Knows(2026).ShouldBeTrue();
        Calendar.Knows(2027).ShouldBeFalse();
        Calendar.Knows(2024).ShouldBeFalse();
    }

    [Fact]
    public void Every_day_of_the_2026_Spring_Festival_is_off_and_a_deadline_skips_it()
    {
        for (var day = Day(2026, 2, 15); day <= Day(2026, 2, 23); day = day.AddDays(1))
        {
            Calendar.IsWorkingDay(day).ShouldBeFalse(day.ToString("O", CultureInfo.InvariantCulture));
        }

        // Reported on the make-up Saturday before the festival: the next working day is Tuesday 24 February.
        Calendar.Add(China(2026, 2, 14, 10), WorkingDuration.Days(1)).ShouldBe(China(2026, 2, 24, 18));
        // One hour left on the Saturday, the other six the first morning and afternoon after the festival.
        Calendar.Add(China(2026, 2, 14, 17), WorkingDuration.Hours(2)).ShouldBe(China(2026, 2, 24, 10));
    }

    [Fact]
    public void The_make_up_Saturday_14_February_2026_is_a_working_day()
    {
        Calendar.IsWorkingDay(Day(2026, 2, 14)).ShouldBeTrue();
        Calendar.IsWorkingDay(Day(2026, 2, 7)).ShouldBeFalse(); // an ordinary Saturday
        Calendar.Add(China(2026, 2, 13, 15), WorkingDuration.Days(1)).ShouldBe(China(2026, 2, 14, 18));
        Calendar.Add(China(2026, 2, 14, 10), WorkingDuration.Hours(4)).ShouldBe(China(2026, 2, 14, 16));
    }

    [Fact]
    public void Five_working_days_from_the_Thursday_before_Mid_Autumn_and_National_Day_end_on_Friday_9_October()
    {
        // From Thu 24 September 2026, counting working days after the start's day:
        //   Fri 25 – Sun 27 Sep: Mid-Autumn holiday (off)
        //   Mon 28 Sep (1), Tue 29 Sep (2), Wed 30 Sep (3)
        //   Thu 1 – Wed 7 Oct: National Day holiday (off)
        //   Thu 8 Oct (4), Fri 9 Oct (5)  → due at the end of Friday 9 October, 18:00 China time.
        // (Sun 20 Sep and Sat 10 Oct are the make-up working days; neither falls inside the count.)
        Calendar.Add(China(2026, 9, 24, 11), WorkingDuration.Days(5)).ShouldBe(China(2026, 10, 9, 18));
    }

    [Fact]
    public void One_day_reported_on_a_Friday_afternoon_is_due_at_the_end_of_Monday_as_a_UTC_instant()
    {
        var due = Calendar.Add(China(2026, 3, 13, 15), WorkingDuration.Days(1));

        due.ShouldBe(China(2026, 3, 16, 18));
        due.Offset.ShouldBe(TimeSpan.Zero);
        due.ShouldBe(new DateTimeOffset(2026, 3, 16, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Days_count_from_the_start_s_day_in_China_not_in_UTC()
    {
        // Thursday 17:00 UTC is already Friday 01:00 in China, so the next working day is Monday.
        var start = new DateTimeOffset(2026, 3, 12, 17, 0, 0, TimeSpan.Zero);
        Calendar.Add(start, WorkingDuration.Days(1)).ShouldBe(China(2026, 3, 16, 18));
    }

    [Fact]
    public void Working_hours_skip_the_lunch_break()
    {
        // 11:00-12:00 is one hour, the other three run 14:00-17:00.
        Calendar.Add(China(2026, 3, 10, 11), WorkingDuration.Hours(4)).ShouldBe(China(2026, 3, 10, 17));
        // Reported during lunch: the clock starts at 14:00.
        Calendar.Add(China(2026, 3, 10, 12, 30), WorkingDuration.Hours(1)).ShouldBe(China(2026, 3, 10, 15));
    }

    [Fact]
    public void Working_hours_continue_the_next_working_morning()
    {
        // 17:00-18:00 on Tuesday, then 09:00-12:00 on Wednesday.
        Calendar.Add(China(2026, 3, 10, 17), WorkingDuration.Hours(4)).ShouldBe(China(2026, 3, 11, 12));
        // Reported in the evening: nothing counts until the next morning.
        Calendar.Add(China(2026, 3, 10, 21), WorkingDuration.Hours(2)).ShouldBe(China(2026, 3, 11, 11));
    }

    [Fact]
    public void A_full_working_day_of_hours_ends_at_the_close_of_that_day_not_the_next_morning()
    {
        Calendar.Add(China(2026, 3, 10, 9), WorkingDuration.Hours(7)).ShouldBe(China(2026, 3, 10, 18));
        Calendar.Add(China(2026, 3, 10, 9), WorkingDuration.Hours(3)).ShouldBe(China(2026, 3, 10, 12));
    }

    [Fact]
    public void Seventy_working_hours_are_ten_working_days()
    {
        Calendar.Add(China(2026, 3, 9, 9), WorkingDuration.Hours(70)).ShouldBe(China(2026, 3, 20, 18));
        // Across National Day: Mon 28 – Wed 30 Sep, then Thu 8 – Sat 10 Oct (a make-up day), then Mon 12 – Tue 13 Oct.
        Calendar.Add(China(2026, 9, 28, 9), WorkingDuration.Hours(56)).ShouldBe(China(2026, 10, 13, 18));
    }

    [Fact]
    public void A_start_on_a_Sunday_counts_from_Monday_morning()
    {
        Calendar.Add(China(2026, 3, 8, 10), WorkingDuration.Hours(2)).ShouldBe(China(2026, 3, 9, 11));
        Calendar.Add(China(2026, 3, 8, 10), WorkingDuration.Days(1)).ShouldBe(China(2026, 3, 9, 18));
    }

    [Fact]
    public void An_emergency_runs_around_the_clock_through_holidays()
    {
        var due = Calendar.Add(China(2026, 2, 14, 10), WorkingDuration.Hours(4), aroundTheClock: true);
        due.ShouldBe(China(2026, 2, 14, 14));
        due.Offset.ShouldBe(TimeSpan.Zero);

        Calendar.Add(China(2026, 2, 14, 10), WorkingDuration.Days(2), aroundTheClock: true).ShouldBe(China(2026, 2, 16, 10));
        Calendar.Add(China(2026, 3, 10, 23), WorkingDuration.Hours(1), aroundTheClock: true).ShouldBe(China(2026, 3, 11, 0));
    }

    [Fact]
    public void A_year_without_a_schedule_falls_back_to_weekends_only()
    {
        Calendar.IsWorkingDay(Day(2027, 1, 1)).ShouldBeTrue(); // a Friday; New Year's Day is not known yet
        Calendar.IsWorkingDay(Day(2027, 1, 2)).ShouldBeFalse(); // Saturday
        Calendar.IsWorkingDay(Day(2024, 10, 1)).ShouldBeTrue(); // before the known years too
        Calendar.Add(China(2027, 10, 1, 10), WorkingDuration.Days(1)).ShouldBe(China(2027, 10, 4, 18));
    }

    [Fact]
    public void A_deadline_runs_from_a_known_year_into_an_unknown_one()
    {
        // Thu 31 December 2026, then Fri 1 January 2027 counts as an ordinary Friday.
        Calendar.Add(China(2026, 12, 31, 17), WorkingDuration.Hours(2)).ShouldBe(China(2027, 1, 1, 10));
    }

    [Fact]
    public void Working_time_over_a_weekend_counts_only_Friday_and_Monday()
    {
        // Fri 16:00-18:00 and Mon 09:00-10:00.
        Calendar.WorkingTimeBetween(China(2026, 3, 13, 16), China(2026, 3, 16, 10)).ShouldBe(TimeSpan.FromHours(3));
    }

    [Fact]
    public void Working_time_leaves_out_lunch_nights_and_holidays()
    {
        Calendar.WorkingTimeBetween(China(2026, 3, 10, 11, 30), China(2026, 3, 10, 14, 30)).ShouldBe(TimeSpan.FromHours(1));
        Calendar.WorkingTimeBetween(China(2026, 3, 10, 20), China(2026, 3, 11, 8)).ShouldBe(TimeSpan.Zero);
        // Thu 24 Sep 09:00 to Fri 9 Oct 18:00: Thu, Mon 28 – Wed 30 Sep, Thu 8 – Fri 9 Oct = 6 working days.
        Calendar.WorkingTimeBetween(China(2026, 9, 24, 9), China(2026, 10, 9, 18)).ShouldBe(TimeSpan.FromHours(6 * 7));
    }

    [Fact]
    public void Working_time_is_zero_when_the_end_is_not_after_the_start()
    {
        Calendar.WorkingTimeBetween(China(2026, 3, 10, 10), China(2026, 3, 10, 10)).ShouldBe(TimeSpan.Zero);
        Calendar.WorkingTimeBetween(China(2026, 3, 10, 11), China(2026, 3, 10, 10)).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Working_time_from_a_start_to_its_hours_deadline_is_those_hours()
    {
        var random = new Random(20_260_101);
        for (var i = 0; i < 500; i++)
        {
            var start = China(2025, 1, 1, 0).AddMinutes(random.Next(0, 2 * 365 * 24 * 60));
            var hours = random.Next(1, 80);
            var due = Calendar.Add(start, WorkingDuration.Hours(hours));
            Calendar.WorkingTimeBetween(start, due).ShouldBe(TimeSpan.FromHours(hours), $"{start:O} + {hours}h = {due:O}");
        }
    }

    [Fact]
    public void Other_working_hours_move_the_deadlines()
    {
        var hours = new WorkingHours(new TimeOnly(8, 30), new TimeOnly(12, 0), new TimeOnly(13, 30), new TimeOnly(17, 30));
        var calendar = Calendar.WithHours(hours);

        calendar.Add(China(2026, 3, 10, 11), WorkingDuration.Hours(2)).ShouldBe(China(2026, 3, 10, 14, 30));
        calendar.Add(China(2026, 3, 13, 15), WorkingDuration.Days(1)).ShouldBe(China(2026, 3, 16, 17, 30));
    }

    [Fact]
    public void Working_hours_out_of_order_are_refused()
    {
        var lunchBeforeMorning = new WorkingHours(new TimeOnly(9, 0), new TimeOnly(14, 0), new TimeOnly(12, 0), new TimeOnly(18, 0));
        Should.Throw<ArgumentException>(() => new BusinessCalendar([], lunchBeforeMorning));
    }

    [Fact]
    public void A_duration_must_be_positive()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Calendar.Add(China(2026, 3, 10, 10), WorkingDuration.Hours(0)));
    }
}
