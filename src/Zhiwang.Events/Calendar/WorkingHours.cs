using System.Globalization;

namespace Zhiwang.Events.Calendar;

/// <summary>
/// Office hours on a working day, China time, with the lunch break between the two halves. The default is the
/// usual government schedule, 09:00–12:00 and 14:00–18:00 (seven working hours a day).
/// </summary>
public sealed record WorkingHours(TimeOnly MorningStart, TimeOnly MorningEnd, TimeOnly AfternoonStart, TimeOnly AfternoonEnd)
{
    public WorkingHours()
        : this(new TimeOnly(9, 0), new TimeOnly(12, 0), new TimeOnly(14, 0), new TimeOnly(18, 0))
    {
    }

    public static WorkingHours Default { get; } = new();

    /// <summary>Working time in one full working day.</summary>
    public TimeSpan PerDay => (MorningEnd - MorningStart) + (AfternoonEnd - AfternoonStart);

    /// <summary>Null when the four times are in order (morning, then lunch, then afternoon), otherwise why not.</summary>
    internal string? Problem() =>
        MorningStart < MorningEnd && MorningEnd <= AfternoonStart && AfternoonStart < AfternoonEnd
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"working hours {MorningStart:HH:mm}-{MorningEnd:HH:mm}, {AfternoonStart:HH:mm}-{AfternoonEnd:HH:mm} are not in order (morning, lunch, afternoon)");
}
