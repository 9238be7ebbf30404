using System.Globalization;

namespace Zhiwang.Events.Calendar;

public enum DurationUnit
{
    /// <summary>Working hours on the business calendar (or clock hours for an emergency).</summary>
    Hours,

    /// <summary>Working days on the business calendar (or calendar days for an emergency).</summary>
    Days,
}

/// <summary>
/// A deadline as the catalogue writes it: <c>"4h"</c> (four working hours) or <c>"5d"</c> (five working days).
/// Whether it runs on the business calendar or around the clock is the caller's choice (see <see cref="BusinessCalendar"/>).
/// </summary>
public readonly record struct WorkingDuration(int Amount, DurationUnit Unit)
{
    public static WorkingDuration Hours(int amount) => new(amount, DurationUnit.Hours);

    public static WorkingDuration Days(int amount) => new(amount, DurationUnit.Days);

    /// <summary>Parses <c>"4h"</c> or <c>"5d"</c> (a positive whole number, then the unit); null when the text is not one.</summary>
    public static WorkingDuration? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return null;
        }

        var trimmed = text.Trim();
        DurationUnit? unit = trimmed[^1] switch
        {
            'h' or 'H' => DurationUnit.Hours,
            'd' or 'D' => DurationUnit.Days,
            _ => null,
        };
        if (unit is null
            || !int.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0)
        {
            return null;
        }

        return new WorkingDuration(amount, unit.Value);
    }

    public override string ToString() =>
        Amount.ToString(CultureInfo.InvariantCulture) + (Unit == DurationUnit.Hours ? "h" : "d");
}
