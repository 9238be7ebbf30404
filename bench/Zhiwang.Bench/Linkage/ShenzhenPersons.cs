using System.Globalization;
using System.Text;
using Zhiwang.Linkage.Records;

namespace Zhiwang.Bench.Linkage;

/// <summary>
/// The person-bearing rows of a synthetic city's extracts (公安 hukou, 人社 social insurance, 教育 students, 卫健 children,
/// 住建 tenants) as one record table for <c>bench/linkage/shenzhen-persons.json</c>, each with its true person from
/// <c>truth/</c>. Values get the cleansing the hub does before linking (full-width digits, one date format, 男/女);
/// the generator's other errors (name typos and variants, key typos, missing keys, stale addresses, duplicates) stay.
/// </summary>
public static class ShenzhenPersons
{
    public static readonly string[] Columns = ["rec_id", "name", "sex", "birth_date", "id_number", "phone", "address"];

    /// <summary>Reads the extracts; <paramref name="truth"/> gets each record's true person as a dense int.</summary>
    public static RecordTable Load(string directory, out int[] truth)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var table = new RecordTable(Columns);
        // The truth's person is an ID number: packed into a long it keys the map without a string per person
        // (at a million persons the strings were a quarter of the load's peak); anything else keys by string.
        var people = new Dictionary<long, int>();
        var otherPeople = new Dictionary<string, int>(StringComparer.Ordinal);
        var truthList = new List<int>();
        var values = new string?[Columns.Length];

        void Read(string extract, Encoding encoding, char separator, string truthFile, int name, int id, int sex, int birth, int address, int phone)
        {
            var path = Path.Combine(directory, "extracts", extract);
            using var rows = new StreamReader(path, encoding);
            using var truthRows = new StreamReader(Path.Combine(directory, "truth", truthFile));
            rows.ReadLine();
            truthRows.ReadLine();
            var row = 1;
            while (rows.ReadLine() is { } line)
            {
                row++;
                var fields = line.Split(separator);
                var truthFields = (truthRows.ReadLine() ?? throw new InvalidDataException($"{truthFile}: fewer rows than {extract}")).Split(',');
                if (truthFields[0] != fields[0])
                {
                    throw new InvalidDataException($"{extract}: row {row}: record id '{fields[0]}' but truth row has '{truthFields[0]}'");
                }

                values[0] = fields[0];
                values[1] = fields[name];
                values[2] = sex < 0 ? null : Sex(fields[sex]);
                values[3] = birth < 0 ? null : Date(fields[birth]);
                values[4] = Key(fields[id]);
                values[5] = phone < 0 ? null : Key(fields[phone]);
                values[6] = address < 0 ? null : fields[address];
                table.Add(Path.GetFileNameWithoutExtension(extract), values);
                int person;
                if (PackIdNumber(truthFields[1]) is { } packed)
                {
                    if (!people.TryGetValue(packed, out person))
                    {
                        people.Add(packed, person = people.Count + otherPeople.Count);
                    }
                }
                else if (!otherPeople.TryGetValue(truthFields[1], out person))
                {
                    otherPeople.Add(truthFields[1], person = people.Count + otherPeople.Count);
                }

                truthList.Add(person);
            }
        }

        var utf8 = new UTF8Encoding(false);
        Read("public_security_hukou.csv", Encoding.GetEncoding("GBK"), ',', "public_security.csv", name: 2, id: 1, sex: 3, birth: 5, address: 8, phone: 9);
        Read("social_insurance.txt", utf8, '|', "social_insurance.csv", name: 1, id: 2, sex: -1, birth: -1, address: -1, phone: -1);
        Read("education_students.csv", utf8, ',', "education.csv", name: 1, id: 2, sex: 3, birth: 4, address: 11, phone: -1);
        Read("health_vaccination.csv", utf8, ',', "health.csv", name: 1, id: 2, sex: 3, birth: 4, address: 11, phone: -1);
        Read("housing_rental.csv", utf8, ',', "housing_rental.csv", name: 5, id: 6, sex: -1, birth: -1, address: 2, phone: 7);
        truth = truthList.ToArray();
        return table;
    }

    /// <summary>An 18-character ID number (17 digits and a digit or X) as one number, else null.</summary>
    private static long? PackIdNumber(string value)
    {
        if (value.Length != 18)
        {
            return null;
        }

        long packed = 0;
        for (var i = 0; i < 18; i++)
        {
            var c = value[i];
            int digit = c is >= '0' and <= '9' ? c - '0' : i == 17 && c is 'X' or 'x' ? 10 : -1;
            if (digit < 0)
            {
                return null;
            }

            packed = (packed * (i == 17 ? 11 : 10)) + digit;
        }

        return packed;
    }

    private static string? Sex(string value) => value switch
    {
        "男" => "male",
        "女" => "female",
        _ => null,
    };

    /// <summary>Full-width digits and letters to ASCII, x to X (the hub's cleansing of keys and phones).</summary>
    internal static string Key(string value)
    {
        var needs = false;
        foreach (var c in value)
        {
            needs |= c >= '\uFF01' || c == 'x';
        }

        if (!needs)
        {
            return value;
        }

        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;
                if (span[i] == 'x')
                {
                    span[i] = 'X';
                }
            }
        });
    }

    /// <summary>yyyy-MM-dd from the generator's yyyyMMdd, yyyy/M/d, yyyy年M月d日, yyyy.MM.dd and yyyy-MM-dd; else as given.</summary>
    internal static string Date(string value)
    {
        if (value.Length == 8 && value.All(char.IsAsciiDigit))
        {
            return $"{value[..4]}-{value[4..6]}-{value[6..]}";
        }

        var parts = value.Split('-', '/', '.', '年', '月', '日');
        return parts.Length >= 3 && parts[0].Length == 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            ? string.Create(CultureInfo.InvariantCulture, $"{parts[0]}-{month:D2}-{day:D2}")
            : value;
    }
}
