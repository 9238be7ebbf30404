using System.Globalization;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;
using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Comparisons;

/// <summary>
/// A comparison compiled against a record table: each distinct raw value is standardised (and parsed as a date or
/// number) once, so a pair costs two array reads before any string work. Grows with the table (incremental linking).
/// Gamma (the level hit): -1 missing, 0..k-1 the declared levels, k the implicit "else" level.
/// </summary>
internal sealed class PreparedComparison
{
    private const int NoDay = int.MinValue;
    private readonly RecordTable _table;
    private readonly int[] _columns;
    private readonly GrowableList<int> _standardOfRaw = new();
    private readonly ValuePool _standard = new();
    private readonly GrowableList<double> _numbers = new();
    private readonly GrowableList<int> _ymd = new();
    private readonly GrowableList<int> _days = new();
    private readonly GrowableList<double> _termFrequencies = new();
    private readonly GrowableList<double> _latitudes = new();
    private readonly GrowableList<double> _longitudes = new();
    private readonly ValuePool _folded = new();
    private readonly GrowableList<int> _foldedCodes = new();
    private readonly GrowableList<bool> _validIdNumbers = new();
    private readonly bool _needsFold;
    private readonly bool _needsIdValidity;
    private TermFrequencyTable? _termFrequencyTable;

    public PreparedComparison(ComparisonSettings settings, RecordTable table)
    {
        Settings = settings;
        _table = table;
        _columns = settings.Columns.Select(table.ColumnIndex).ToArray();
        IsDistance = settings.Levels.Any(l => l.Kind == LevelKind.DistanceKm);
        _needsIdValidity = settings.Levels.Any(l => l.Kind == LevelKind.IdNumber);
        _needsFold = _needsIdValidity || settings.Levels.Any(l => l.Kind == LevelKind.FoldedEqual);
        ExactLevel = -1;
        for (var i = 0; i < settings.Levels.Count; i++)
        {
            if (settings.Levels[i].Kind == LevelKind.Exact)
            {
                ExactLevel = i;
                break;
            }
        }
    }

    public ComparisonSettings Settings { get; }

    public bool IsDistance { get; }

    /// <summary>The first exact level, the one term-frequency adjustments apply to; -1 when none.</summary>
    public int ExactLevel { get; }

    /// <summary>Declared levels plus the else level.</summary>
    public int LevelCount => Settings.Levels.Count + 1;

    public int StandardCount => _standard.Count;

    /// <summary>Catches up with values added to the table since the last call. Not thread-safe: call before scoring.</summary>
    public void Refresh()
    {
        if (IsDistance)
        {
            Extend(_table.Pool(_columns[0]), _latitudes);
            Extend(_table.Pool(_columns[1]), _longitudes);
            return;
        }

        var pool = _table.Pool(_columns[0]);
        for (var raw = _standardOfRaw.Count; raw < pool.Count; raw++)
        {
            var value = Standardise(pool[raw], Settings.Standardise);
            if (value.Length == 0)
            {
                _standardOfRaw.Add(-1);
                continue;
            }

            var before = _standard.Count;
            var code = _standard.Intern(value);
            _standardOfRaw.Add(code);
            if (code == before)
            {
                _numbers.Add(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN);
                var (ymd, day) = ParseDate(value);
                _ymd.Add(ymd);
                _days.Add(day);
                _termFrequencies.Add(_termFrequencyTable?.Frequency(value) ?? 0);

                // Folding and ID-number validation once per distinct value, not once per pair: a random pair of
                // valid ID numbers (most of the u sample) is then Different in two array reads.
                _foldedCodes.Add(_needsFold ? _folded.Intern(_needsIdValidity ? IdNumberSimilarity.Fold(value) : ChineseText.Fold(value)) : -1);
                _validIdNumbers.Add(_needsIdValidity && IdNumberSimilarity.IsValid(value));
            }
        }
    }

    /// <summary>Uses a trained model's frequencies for the exact level's term-frequency adjustment.</summary>
    public void UseTermFrequencies(TermFrequencyTable table)
    {
        _termFrequencyTable = table;
        for (var code = 0; code < _standard.Count; code++)
        {
            _termFrequencies[code] = table.Frequency(_standard[code]);
        }
    }

    /// <summary>The standardised code of a record's value, -1 when missing.</summary>
    public int StandardCode(int record)
    {
        if (IsDistance)
        {
            return -1;
        }

        var raw = _table.Code(record, _columns[0]);
        return raw < 0 ? -1 : _standardOfRaw[raw];
    }

    public string StandardValue(int code) => _standard[code];

    public double TermFrequency(int standardCode) => _termFrequencies[standardCode];

    /// <summary>What the comparison saw of a record, for explanations.</summary>
    public string? Display(int record)
    {
        if (IsDistance)
        {
            var lat = _table.Value(record, _columns[0]);
            var lon = _table.Value(record, _columns[1]);
            return lat is null || lon is null ? null : $"{lat},{lon}";
        }

        var code = StandardCode(record);
        return code < 0 ? null : _standard[code];
    }

    public int Gamma(int left, int right)
    {
        if (IsDistance)
        {
            return DistanceGamma(left, right);
        }

        var a = StandardCode(left);
        var b = StandardCode(right);
        if (a < 0 || b < 0)
        {
            return -1;
        }

        var levels = Settings.Levels;
        // Levels of one kind with different thresholds share one computation of the similarity.
        var similarity = new Similarities();
        for (var i = 0; i < levels.Count; i++)
        {
            if (Holds(levels[i], a, b, ref similarity))
            {
                return i;
            }
        }

        return levels.Count;
    }

    private struct Similarities
    {
        public double? JaroWinkler;
        public int? Levenshtein;
        public int? Damerau;
    }

    private bool Holds(LevelSettings level, int a, int b, ref Similarities similarity)
    {
        switch (level.Kind)
        {
            case LevelKind.Exact:
                return a == b;
            case LevelKind.JaroWinkler:
                return a == b || (similarity.JaroWinkler ??= StringDistance.JaroWinkler(_standard[a], _standard[b])) >= level.Value;
            case LevelKind.Levenshtein:
                return a == b || (Math.Abs(_standard[a].Length - _standard[b].Length) <= level.Value && (similarity.Levenshtein ??= StringDistance.Levenshtein(_standard[a], _standard[b])) <= level.Value);
            case LevelKind.DamerauLevenshtein:
                return a == b || (Math.Abs(_standard[a].Length - _standard[b].Length) <= level.Value && (similarity.Damerau ??= StringDistance.DamerauLevenshtein(_standard[a], _standard[b])) <= level.Value);
            case LevelKind.DateEqual:
                return _days[a] != NoDay && _days[a] == _days[b];
            case LevelKind.DateWithinDays:
                return _days[a] != NoDay && _days[b] != NoDay && Math.Abs((long)_days[a] - _days[b]) <= level.Value;
            case LevelKind.DateDayMonthSwapped:
                {
                    var (x, y) = (_ymd[a], _ymd[b]);
                    return x > 0 && y > 0 && x / 10000 == y / 10000 && x / 100 % 100 == y % 100 && x % 100 == y / 100 % 100 && x != y;
                }

            case LevelKind.AbsoluteDifference:
                return !double.IsNaN(_numbers[a]) && !double.IsNaN(_numbers[b]) && Math.Abs(_numbers[a] - _numbers[b]) <= level.Value;
            case LevelKind.RelativeDifference:
                {
                    var (x, y) = (_numbers[a], _numbers[b]);
                    if (double.IsNaN(x) || double.IsNaN(y))
                    {
                        return false;
                    }

                    var scale = Math.Max(Math.Abs(x), Math.Abs(y));
                    return scale == 0 || Math.Abs(x - y) / scale <= level.Value;
                }

            case LevelKind.FoldedEqual:
                return a == b || (_needsIdValidity
                    ? string.Equals(ChineseText.Fold(_standard[a]), ChineseText.Fold(_standard[b]), StringComparison.Ordinal)
                    : _foldedCodes[a] == _foldedCodes[b]);
            case LevelKind.PinyinEqual:
                return a == b || ChineseText.SamePinyin(_standard[a], _standard[b]);
            case LevelKind.IdNumber:
                return level.Relations.Contains(IdNumberRelationOf(a, b));
            default:
                return false;
        }
    }

    /// <summary>
    /// <see cref="IdNumberSimilarity.Compare"/> from values folded and validated once: equal folded values are Exact,
    /// two valid (or two invalid) ones Different, as Compare says; only a valid against an invalid one is compared.
    /// </summary>
    private IdNumberRelation IdNumberRelationOf(int a, int b)
    {
        if (_folded[_foldedCodes[a]].Length == 0 || _folded[_foldedCodes[b]].Length == 0)
        {
            return IdNumberRelation.Missing;
        }

        if (_foldedCodes[a] == _foldedCodes[b])
        {
            return IdNumberRelation.Exact;
        }

        return _validIdNumbers[a] == _validIdNumbers[b] ? IdNumberRelation.Different : IdNumberSimilarity.Compare(_standard[a], _standard[b]);
    }

    private int DistanceGamma(int left, int right)
    {
        var (la, oa) = Coordinates(left);
        var (lb, ob) = Coordinates(right);
        if (double.IsNaN(la) || double.IsNaN(oa) || double.IsNaN(lb) || double.IsNaN(ob))
        {
            return -1;
        }

        var km = HaversineKm(la, oa, lb, ob);
        var levels = Settings.Levels;
        for (var i = 0; i < levels.Count; i++)
        {
            if ((levels[i].Kind == LevelKind.Exact && la == lb && oa == ob) || (levels[i].Kind == LevelKind.DistanceKm && km <= levels[i].Value))
            {
                return i;
            }
        }

        return levels.Count;
    }

    private (double Latitude, double Longitude) Coordinates(int record)
    {
        var lat = _table.Code(record, _columns[0]);
        var lon = _table.Code(record, _columns[1]);
        return (lat < 0 ? double.NaN : _latitudes[lat], lon < 0 ? double.NaN : _longitudes[lon]);
    }

    internal static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double EarthRadiusKm = 6371.0088;
        var dLat = double.DegreesToRadians(lat2 - lat1);
        var dLon = double.DegreesToRadians(lon2 - lon1);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) +
            (Math.Cos(double.DegreesToRadians(lat1)) * Math.Cos(double.DegreesToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static void Extend(ValuePool pool, GrowableList<double> parsed)
    {
        for (var raw = parsed.Count; raw < pool.Count; raw++)
        {
            parsed.Add(double.TryParse(pool[raw], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN);
        }
    }

    internal static string Standardise(string value, IReadOnlyList<Standardisation> steps)
    {
        foreach (var step in steps)
        {
            value = step switch
            {
                Standardisation.Trim => value.Trim(),
                Standardisation.Lower => value.ToLowerInvariant(),
                Standardisation.Fold => ChineseText.Fold(value),
                Standardisation.Digits => new string(value.Where(char.IsAsciiDigit).ToArray()),
                _ => value,
            };
        }

        return value;
    }

    /// <summary>
    /// Reads yyyyMMdd, yyyy-MM-dd, yyyy/MM/dd or yyyy.MM.dd (a time after the date is ignored). The components are
    /// kept even when they make no valid date, so a day-month swap of 1990-13-05 is still recognised.
    /// </summary>
    internal static (int Ymd, int DayNumber) ParseDate(string value)
    {
        int year, month, day;
        if (value.Length >= 8 && IsDigits(value.AsSpan(0, 8)) && (value.Length == 8 || !char.IsAsciiDigit(value[8])))
        {
            year = Digits(value, 0, 4);
            month = Digits(value, 4, 2);
            day = Digits(value, 6, 2);
        }
        else if (value.Length >= 10 && IsDigits(value.AsSpan(0, 4)) && value[4] is '-' or '/' or '.' && value[7] == value[4]
            && IsDigits(value.AsSpan(5, 2)) && IsDigits(value.AsSpan(8, 2)))
        {
            year = Digits(value, 0, 4);
            month = Digits(value, 5, 2);
            day = Digits(value, 8, 2);
        }
        else
        {
            return (0, NoDay);
        }

        var ymd = (year * 10000) + (month * 100) + day;
        var valid = year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
        return (ymd, valid ? new DateOnly(year, month, day).DayNumber : NoDay);
    }

    private static bool IsDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Digits(string value, int start, int length) => int.Parse(value.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
}
