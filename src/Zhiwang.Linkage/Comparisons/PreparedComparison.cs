using System.Globalization;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;
using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Comparisons;

/// <summary>
/// A comparison compiled against a record table: each distinct raw value is standardised (and parsed as a date or
/// number, folded, validated as an ID number) once, so a pair costs two array reads before any string work. Grows
/// with the table (incremental linking). Only what the levels use is kept per value, and when the standardisation
/// leaves the table's (already trimmed) values as they are, the column's own pool is the standard pool: no second
/// copy of the values and no code map. Gamma (the level hit): -1 missing, 0..k-1 the declared levels, k the implicit
/// "else" level. Term frequencies belong to a model, so the scorer holds them (<see cref="Scoring.PairScorer"/>).
/// </summary>
internal sealed class PreparedComparison
{
    private const int NoDay = int.MinValue;
    private const int NoFold = -1;
    private readonly RecordTable _table;
    private readonly int[] _columns;
    private readonly bool _identity;
    private readonly GrowableList<int>? _standardOfRaw;
    private readonly ValuePool _standard;
    private readonly GrowableList<double>? _numbers;
    private readonly GrowableList<int>? _ymd;
    private readonly GrowableList<int>? _days;
    private readonly GrowableList<double>? _latitudes;
    private readonly GrowableList<double>? _longitudes;

    // A folded value's code: the standard code of an equal standard value when there is one, else a place in the
    // side pool (stored as -2 - place); NoFold when it folds to nothing. ID numbers mostly fold to themselves, so
    // the side pool stays small instead of holding a second copy of every number.
    private readonly ValuePool? _foldedSide;
    private readonly GrowableList<int>? _foldedCodes;
    private readonly GrowableList<bool>? _validIdNumbers;
    private readonly bool _needsIdValidity;
    private int _prepared;

    public PreparedComparison(ComparisonSettings settings, RecordTable table)
    {
        Settings = settings;
        _table = table;
        _columns = settings.Columns.Select(table.ColumnIndex).ToArray();
        IsDistance = settings.Levels.Any(l => l.Kind == LevelKind.DistanceKm);
        _needsIdValidity = settings.Levels.Any(l => l.Kind == LevelKind.IdNumber);
        var needsFold = _needsIdValidity || settings.Levels.Any(l => l.Kind == LevelKind.FoldedEqual);
        var needsNumbers = settings.Levels.Any(l => l.Kind is LevelKind.AbsoluteDifference or LevelKind.RelativeDifference);
        var needsDates = settings.Levels.Any(l => l.Kind is LevelKind.DateEqual or LevelKind.DateWithinDays or LevelKind.DateDayMonthSwapped);
        _identity = settings.Standardise.All(s => s == Standardisation.Trim);
        _standard = _identity && !IsDistance ? table.Pool(_columns[0]) : new ValuePool();
        _standardOfRaw = _identity || IsDistance ? null : new GrowableList<int>();
        _numbers = needsNumbers && !IsDistance ? new GrowableList<double>() : null;
        _ymd = needsDates && !IsDistance ? new GrowableList<int>() : null;
        _days = needsDates && !IsDistance ? new GrowableList<int>() : null;
        _foldedSide = needsFold && !IsDistance ? new ValuePool() : null;
        _foldedCodes = needsFold && !IsDistance ? new GrowableList<int>() : null;
        _validIdNumbers = _needsIdValidity && !IsDistance ? new GrowableList<bool>() : null;
        _latitudes = IsDistance ? new GrowableList<double>() : null;
        _longitudes = IsDistance ? new GrowableList<double>() : null;
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

    /// <summary>Standard values prepared so far: codes are below it.</summary>
    public int StandardCount => _prepared;

    /// <summary>Catches up with values added to the table since the last call. Not thread-safe: call before scoring.</summary>
    public void Refresh()
    {
        if (IsDistance)
        {
            Extend(_table.Pool(_columns[0]), _latitudes!);
            Extend(_table.Pool(_columns[1]), _longitudes!);
            return;
        }

        if (_standardOfRaw is not null)
        {
            var pool = _table.Pool(_columns[0]);
            for (var raw = _standardOfRaw.Count; raw < pool.Count; raw++)
            {
                var value = Standardise(pool[raw], Settings.Standardise);
                _standardOfRaw.Add(value.Length == 0 ? -1 : _standard.Intern(value));
            }
        }

        for (; _prepared < _standard.Count; _prepared++)
        {
            PrepareValue(_prepared);
        }
    }

    /// <summary>Gives back the growing arrays' slack once the table is loaded.</summary>
    public void TrimExcess()
    {
        _standardOfRaw?.TrimExcess();
        _numbers?.TrimExcess();
        _ymd?.TrimExcess();
        _days?.TrimExcess();
        _foldedCodes?.TrimExcess();
        _validIdNumbers?.TrimExcess();
        _latitudes?.TrimExcess();
        _longitudes?.TrimExcess();
        _foldedSide?.TrimExcess();
        if (!_identity)
        {
            _standard.TrimExcess();
        }
    }

    private void PrepareValue(int code)
    {
        Span<char> buffer = stackalloc char[128];
        var value = _standard.Chars(code, buffer);
        _numbers?.Add(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN);
        if (_ymd is not null)
        {
            var (ymd, day) = ParseDate(value);
            _ymd.Add(ymd);
            _days!.Add(day);
        }

        if (_foldedCodes is not null)
        {
            // Folding and ID-number validation once per distinct value, not once per pair: a random pair of
            // valid ID numbers (most of the u sample) is then Different in two array reads.
            var text = value.ToString();
            var folded = _needsIdValidity ? IdNumberSimilarity.Fold(text) : ChineseText.Fold(text);
            _foldedCodes.Add(FoldedCode(folded));
            _validIdNumbers?.Add(IdNumberSimilarity.IsValid(text));
        }
    }

    /// <summary>
    /// One code per distinct folded text: the side pool's when the text went there first, else the code of the equal
    /// standard value, else a new place in the side pool. A text never enters the side pool once it is a standard
    /// value, so the first answer for a text stays its answer.
    /// </summary>
    private int FoldedCode(string folded)
    {
        if (folded.Length == 0)
        {
            return NoFold;
        }

        var side = _foldedSide!.Find(folded);
        if (side >= 0)
        {
            return -2 - side;
        }

        var standard = _standard.Find(folded);
        return standard >= 0 ? standard : -2 - _foldedSide.Intern(folded);
    }

    /// <summary>The standardised code of a record's value, -1 when missing.</summary>
    public int StandardCode(int record)
    {
        if (IsDistance)
        {
            return -1;
        }

        var raw = _table.Code(record, _columns[0]);
        return raw < 0 || _standardOfRaw is null ? raw : _standardOfRaw[raw];
    }

    public string StandardValue(int code) => _standard[code];

    /// <summary>A standard value's characters, without allocating when the buffer holds them.</summary>
    public ReadOnlySpan<char> StandardChars(int code, Span<char> buffer) => _standard.Chars(code, buffer);

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
                return a == b || (similarity.JaroWinkler ??= JaroWinkler(a, b)) >= level.Value;
            case LevelKind.Levenshtein:
                return a == b || (Math.Abs(_standard.Length(a) - _standard.Length(b)) <= level.Value && (similarity.Levenshtein ??= EditDistance(a, b, transpositions: false)) <= level.Value);
            case LevelKind.DamerauLevenshtein:
                return a == b || (Math.Abs(_standard.Length(a) - _standard.Length(b)) <= level.Value && (similarity.Damerau ??= EditDistance(a, b, transpositions: true)) <= level.Value);
            case LevelKind.DateEqual:
                return _days![a] != NoDay && _days[a] == _days[b];
            case LevelKind.DateWithinDays:
                return _days![a] != NoDay && _days[b] != NoDay && Math.Abs((long)_days[a] - _days[b]) <= level.Value;
            case LevelKind.DateDayMonthSwapped:
                {
                    var (x, y) = (_ymd![a], _ymd[b]);
                    return x > 0 && y > 0 && x / 10000 == y / 10000 && x / 100 % 100 == y % 100 && x % 100 == y / 100 % 100 && x != y;
                }

            case LevelKind.AbsoluteDifference:
                return !double.IsNaN(_numbers![a]) && !double.IsNaN(_numbers[b]) && Math.Abs(_numbers[a] - _numbers[b]) <= level.Value;
            case LevelKind.RelativeDifference:
                {
                    var (x, y) = (_numbers![a], _numbers[b]);
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
                    : _foldedCodes![a] == _foldedCodes[b]);
            case LevelKind.PinyinEqual:
                return a == b || ChineseText.SamePinyin(_standard[a], _standard[b]);
            case LevelKind.IdNumber:
                return level.Relations.Contains(IdNumberRelationOf(a, b));
            default:
                return false;
        }
    }

    private double JaroWinkler(int a, int b)
    {
        Span<char> left = stackalloc char[128];
        Span<char> right = stackalloc char[128];
        return StringDistance.JaroWinkler(_standard.Chars(a, left), _standard.Chars(b, right));
    }

    private int EditDistance(int a, int b, bool transpositions)
    {
        Span<char> left = stackalloc char[128];
        Span<char> right = stackalloc char[128];
        var x = _standard.Chars(a, left);
        var y = _standard.Chars(b, right);
        return transpositions ? StringDistance.DamerauLevenshtein(x, y) : StringDistance.Levenshtein(x, y);
    }

    /// <summary>
    /// <see cref="IdNumberSimilarity.Compare"/> from values folded and validated once: equal folded values are Exact,
    /// two valid (or two invalid) ones Different, as Compare says; only a valid against an invalid one is compared.
    /// </summary>
    private IdNumberRelation IdNumberRelationOf(int a, int b)
    {
        if (_foldedCodes![a] == NoFold || _foldedCodes[b] == NoFold)
        {
            return IdNumberRelation.Missing;
        }

        if (_foldedCodes[a] == _foldedCodes[b])
        {
            return IdNumberRelation.Exact;
        }

        return _validIdNumbers![a] == _validIdNumbers[b] ? IdNumberRelation.Different : IdNumberSimilarity.Compare(_standard[a], _standard[b]);
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
        return (lat < 0 ? double.NaN : _latitudes![lat], lon < 0 ? double.NaN : _longitudes![lon]);
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
        Span<char> buffer = stackalloc char[128];
        for (var raw = parsed.Count; raw < pool.Count; raw++)
        {
            parsed.Add(double.TryParse(pool.Chars(raw, buffer), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN);
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
    internal static (int Ymd, int DayNumber) ParseDate(ReadOnlySpan<char> value)
    {
        int year, month, day;
        if (value.Length >= 8 && IsDigits(value[..8]) && (value.Length == 8 || !char.IsAsciiDigit(value[8])))
        {
            year = Digits(value, 0, 4);
            month = Digits(value, 4, 2);
            day = Digits(value, 6, 2);
        }
        else if (value.Length >= 10 && IsDigits(value[..4]) && value[4] is '-' or '/' or '.' && value[7] == value[4]
            && IsDigits(value.Slice(5, 2)) && IsDigits(value.Slice(8, 2)))
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

    private static int Digits(ReadOnlySpan<char> value, int start, int length) => int.Parse(value.Slice(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
}
