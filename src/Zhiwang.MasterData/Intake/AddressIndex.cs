using System.Globalization;
using Zhiwang.MasterData.Files;
using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Intake;

/// <summary>How an address found its standard house.</summary>
public enum AddressMatchQuality
{
    None = 0,

    /// <summary>The normalised address is a standard address.</summary>
    Exact,

    /// <summary>Not equal, but one standard address agrees on the parts that decide (building and room, with the road or the district).</summary>
    Tolerant,
}

/// <summary>The house an address matched, if any, and how.</summary>
public readonly record struct AddressMatch(string? HouseCode, AddressMatchQuality Quality)
{
    public static readonly AddressMatch None = new(null, AddressMatchQuality.None);

    public string? QualityName => Quality switch
    {
        AddressMatchQuality.Exact => "exact",
        AddressMatchQuality.Tolerant => "tolerant",
        _ => null,
    };
}

/// <summary>
/// The standard address base (标准地址库): every house's standard address, matched against the addresses
/// departments write. First the whole normalised address; then, tolerating a missing city, district or street,
/// a different road spelling or a clerk's extra spaces, ever looser keys (district + road + number + building +
/// room, road + number + building + room, district + street + building + room, building + room), each
/// accepted only when exactly one house has it and the district does not contradict.
/// Built once (from golden houses or houses.csv), then read-only and safe to share between readers.
/// Keys are 64-bit hashes and house codes numbers, so a million houses cost about 150 MB, not the strings.
/// </summary>
public sealed class AddressIndex
{
    private const int Ambiguous = -1;
    private const int Tiers = 5;

    private readonly List<long> _houses = [];
    private readonly List<short> _districts = [];
    private readonly Dictionary<string, short> _districtIds = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, int>[] _tiers = new Dictionary<ulong, int>[Tiers];

    public AddressIndex(IEnumerable<(string HouseCode, string Address)> houses)
    {
        for (var t = 0; t < Tiers; t++)
        {
            _tiers[t] = [];
        }

        Span<ulong> keys = stackalloc ulong[Tiers];
        foreach (var (code, address) in houses)
        {
            var folded = FoldKeyForIndex(code);
            if (!HouseCode.IsValid(folded) || string.IsNullOrWhiteSpace(address))
            {
                continue;
            }

            var parts = StandardAddress.Parse(FieldText.FoldAddress(address));
            var index = _houses.Count;
            _houses.Add(long.Parse(folded.AsSpan(0, 17), CultureInfo.InvariantCulture));
            _districts.Add(DistrictId(parts.District));
            Keys(parts, keys);
            for (var t = 0; t < Tiers; t++)
            {
                if (keys[t] == 0)
                {
                    continue;
                }

                var tier = _tiers[t];
                if (!tier.TryAdd(keys[t], index) && tier[keys[t]] != index)
                {
                    tier[keys[t]] = Ambiguous;
                }
            }
        }
    }

    /// <summary>Standard houses in the index.</summary>
    public int Count => _houses.Count;

    /// <summary>The index of a city's houses.csv (house_code, …, address, …).</summary>
    public static AddressIndex FromHousesCsv(string path)
    {
        return new AddressIndex(Read());

        IEnumerable<(string, string)> Read()
        {
            using var csv = new CsvRecordReader(path, System.Text.Encoding.UTF8);
            if (!csv.ReadHeader())
            {
                yield break;
            }

            var code = csv.IndexOf("house_code");
            var address = csv.IndexOf("address");
            if (code < 0 || address < 0)
            {
                throw new FormatException($"{path}: a houses file needs house_code and address columns");
            }

            while (csv.Read())
            {
                yield return (csv.Field(code) ?? string.Empty, csv.Field(address) ?? string.Empty);
            }
        }
    }

    /// <summary>Matches an address as a department wrote it.</summary>
    public AddressMatch Match(string address) => MatchFolded(FieldText.FoldAddress(address));

    /// <summary>Matches an address already folded by <see cref="FieldText.FoldAddress"/>.</summary>
    public AddressMatch MatchFolded(string folded)
    {
        if (string.IsNullOrEmpty(folded))
        {
            return AddressMatch.None;
        }

        var parts = StandardAddress.Parse(folded);
        Span<ulong> keys = stackalloc ulong[Tiers];
        Keys(parts, keys);
        var district = parts.District.Length == 0 ? (short)-1 : _districtIds.GetValueOrDefault(parts.District, (short)-2);
        for (var t = 0; t < Tiers; t++)
        {
            if (keys[t] == 0 || !_tiers[t].TryGetValue(keys[t], out var house) || house == Ambiguous)
            {
                continue;
            }

            if (t > 0 && district != -1 && _districts[house] != district)
            {
                continue;
            }

            return new AddressMatch(CodeOf(house), t == 0 ? AddressMatchQuality.Exact : AddressMatchQuality.Tolerant);
        }

        return AddressMatch.None;
    }

    private string CodeOf(int house)
    {
        var body = _houses[house];
        return string.Create(18, body, static (span, b) =>
        {
            for (var i = 16; i >= 0; i--)
            {
                span[i] = (char)('0' + (b % 10));
                b /= 10;
            }

            span[17] = HouseCode.CheckCharacter(span[..17]);
        });
    }

    private short DistrictId(string district)
    {
        if (district.Length == 0)
        {
            return -1;
        }

        if (!_districtIds.TryGetValue(district, out var id))
        {
            id = (short)_districtIds.Count;
            _districtIds[district] = id;
        }

        return id;
    }

    private static string FoldKeyForIndex(string code) => FieldText.FoldKey(code.Trim(), out _);

    // Tier 0 is the whole address; the others leave out what departments most often leave out or misspell.
    private static void Keys(in StandardAddress a, Span<ulong> keys)
    {
        keys.Clear();
        var hasRoad = a.Road.Length > 0 && a.Number.Length > 0;
        var hasPlace = a.Building.Length > 0 || hasRoad;
        if (!hasPlace)
        {
            return;
        }

        keys[0] = Hash(a.District, a.Street, a.Road, a.Number, a.Building, a.Room);
        if (a.District.Length > 0 && hasRoad)
        {
            keys[1] = Hash("1", a.District, a.Road, a.Number, a.Building, a.Room);
        }

        if (hasRoad)
        {
            keys[2] = Hash("2", a.Road, a.Number, a.Building, a.Room, string.Empty);
        }

        if (a.Building.Length > 0 && a.District.Length > 0 && a.Street.Length > 0)
        {
            keys[3] = Hash("3", a.District, a.Street, a.Building, a.Room, string.Empty);
        }

        if (a.Building.Length > 0)
        {
            keys[4] = Hash("4", a.Building, a.Room, string.Empty, string.Empty, string.Empty);
        }
    }

    // FNV-1a, 64 bits, over the parts with a separator: at a million houses a collision is a few in ten million.
    private static ulong Hash(string a, string b, string c, string d, string e, string f)
    {
        var h = 14695981039346656037UL;
        h = Mix(h, a);
        h = Mix(h, b);
        h = Mix(h, c);
        h = Mix(h, d);
        h = Mix(h, e);
        h = Mix(h, f);
        return h == 0 ? 1 : h;

        static ulong Mix(ulong h, string s)
        {
            foreach (var c in s)
            {
                h = (h ^ c) * 1099511628211UL;
            }

            return (h ^ 0x1F) * 1099511628211UL;
        }
    }
}

/// <summary>
/// An address split into the parts of a Shenzhen standard address:
/// 深圳市 | 罗湖区 | 桂园街道 | 丽山路 325号 | 沙湾村11坊1号 | 101室. Missing parts are empty.
/// </summary>
public readonly record struct StandardAddress(string City, string District, string Street, string Road, string Number, string Building, string Room)
{
    /// <summary>Splits a folded address (see <see cref="FieldText.FoldAddress"/>).</summary>
    public static StandardAddress Parse(string folded)
    {
        var s = folded.AsSpan();
        if (s.StartsWith("广东省"))
        {
            s = s[3..];
        }

        var city = string.Empty;
        var at = s.IndexOf('市');
        if (at is > 0 and <= 4)
        {
            city = s[..(at + 1)].ToString();
            s = s[(at + 1)..];
        }

        var district = string.Empty;
        at = s.IndexOf('区');
        if (at is > 0 and <= 4)
        {
            district = s[..(at + 1)].ToString();
            s = s[(at + 1)..];
        }

        var street = string.Empty;
        at = s.IndexOf("街道");
        if (at is > 0 and <= 6)
        {
            street = s[..(at + 2)].ToString();
            s = s[(at + 2)..];
        }
        else
        {
            at = s.IndexOf('镇');
            if (at is > 0 and <= 4)
            {
                street = s[..(at + 1)].ToString();
                s = s[(at + 1)..];
            }
        }

        // The road runs up to the first number followed by 号: 丽山路325号.
        var road = string.Empty;
        var number = string.Empty;
        var digit = s.IndexOfAnyInRange('0', '9');
        if (digit > 0)
        {
            var end = digit;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }

            if (end < s.Length && s[end] == '号' && !FieldText.IsAsciiDigits(s[..digit]))
            {
                road = s[..digit].ToString();
                number = s[digit..end].ToString();
                s = s[(end + 1)..];
            }
        }

        // The room is the number at the end, with or without 室 or 房.
        if (s.Length > 0 && s[^1] is '室' or '房')
        {
            s = s[..^1];
        }

        var roomStart = s.Length;
        while (roomStart > 0 && char.IsAsciiDigit(s[roomStart - 1]))
        {
            roomStart--;
        }

        var room = string.Empty;
        if (roomStart < s.Length && roomStart > 0)
        {
            room = s[roomStart..].ToString();
            s = s[..roomStart];
        }

        return new StandardAddress(city, district, street, road, number, s.ToString(), room);
    }
}
