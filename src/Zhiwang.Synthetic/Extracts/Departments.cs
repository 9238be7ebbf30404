using System.Runtime.CompilerServices;
using Zhiwang.Synthetic.Output;

namespace Zhiwang.Synthetic.Extracts;

/// <summary>
/// The eight department extracts: each in its own columns, header names, date style, encoding and
/// format, each row with the department's own record id and a truth row behind it.
/// </summary>
internal static class Departments
{
    private static readonly string[] Vaccines = ["乙肝疫苗", "卡介苗", "脊灰疫苗", "百白破疫苗", "麻腮风疫苗", "乙脑疫苗", "A群流脑疫苗", "甲肝疫苗"];
    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    public static readonly IReadOnlyList<Department> All =
    [
        new(1, "public_security", "公安局 户籍与实有人口", "GA",
            new OutputFile("extracts/public_security_hukou.csv", FileFormat.GbkCsv,
                ["记录编号", "公民身份号码", "姓名", "性别", "民族", "出生日期", "户口性质", "户籍地", "现住址", "联系电话", "登记日期"]),
            PublicSecurity),
        new(2, "civil_affairs", "民政局 社会救助与老年人福利", "MZ",
            new OutputFile("extracts/civil_affairs.xlsx", FileFormat.Xlsx,
                ["序号", "姓名", "身份证号码", "性别", "出生日期", "救助类别", "居住地址", "所属社区", "登记日期", "联系电话"], "救助对象"),
            CivilAffairs),
        new(3, "education", "教育局 学籍", "JY",
            new OutputFile("extracts/education_students.csv", FileFormat.CsvWithBom,
                ["学籍号", "学生姓名", "学生身份证号", "性别", "出生日期", "学段", "年级", "学校名称", "监护人姓名", "监护人身份证号", "监护人联系电话", "家庭住址"]),
            Education),
        new(4, "health", "卫生健康委 出生与预防接种", "WJ",
            new OutputFile("extracts/health_vaccination.csv", FileFormat.Csv,
                ["接种记录编号", "儿童姓名", "儿童身份证号", "性别", "出生日期", "母亲姓名", "母亲身份证号", "疫苗名称", "剂次", "接种日期", "接种单位", "现住址"]),
            Health),
        new(5, "social_insurance", "人力资源和社会保障局 社会保险", "RS",
            new OutputFile("extracts/social_insurance.txt", FileFormat.PipeText,
                ["个人社保号", "姓名", "公民身份号码", "单位名称", "统一社会信用代码", "险种", "累计缴费月数", "最近缴费年月", "月缴费基数"]),
            SocialInsurance),
        new(6, "housing_rental", "住房和建设局 出租屋租赁登记", "ZJ",
            new OutputFile("extracts/housing_rental.csv", FileFormat.CsvWithBom,
                ["登记编号", "房屋编码", "房屋地址", "出租人姓名", "出租人证件号码", "承租人姓名", "承租人证件号码", "承租人联系电话", "居住人数", "租赁起始日期", "月租金"]),
            HousingRental),
        new(7, "market_regulation", "市场监督管理局 商事主体登记", "SJ",
            new OutputFile("extracts/market_regulation.xlsx", FileFormat.Xlsx,
                ["主体身份代码", "统一社会信用代码", "主体名称", "主体类型", "法定代表人", "法定代表人证件号码", "成立日期", "登记状态", "住所", "行业门类", "登记机关"], "商事主体"),
            MarketRegulation),
        new(8, "tax", "税务局 纳税人登记与个人所得税扣缴", "SW",
            new OutputFile("extracts/tax_taxpayers.jsonl", FileFormat.JsonLines, []),
            Tax),
    ];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PublicSecurity(ExtractContext x)
    {
        var persons = x.Chunk.Persons;
        for (var p = 0; p < persons.Count; p++)
        {
            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                ref var person = ref persons[p];
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Key(person.IdNumber));
                w.Text(x.Noise.Name(person.Name));
                w.Text(ExtractContext.Sex(person.Male));
                w.Text(person.Ethnicity);
                x.RecordedDate(ExtractContext.Day(person.BirthDay), DateStyle.Compact);
                w.Text(person.Registered ? "户籍人口" : "流动人口");
                w.Text(Reference.Origins.NameOf(person.AreaCode));
                x.RecordedAddress(person.House);
                w.Text(x.Noise.Phone(person.Phone));
                x.RecordedDate(ExtractContext.Day(ChunkBuilder.AsOf.DayNumber - x.Rng.Next(3650)), DateStyle.Iso);
                w.End();
                x.WriteTruth(id, person.IdNumber, null, x.Chunk.Houses[person.House].Code, null);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CivilAffairs(ExtractContext x)
    {
        var persons = x.Chunk.Persons;
        for (var p = 0; p < persons.Count; p++)
        {
            ref var person = ref persons[p];
            var age = x.AgeOf(person);
            string? category = age switch
            {
                >= 80 => "高龄津贴",
                >= 60 => "老年人优待",
                _ => x.Rng.NextDouble() switch
                {
                    < 0.010 => "最低生活保障",
                    < 0.015 => "临时救助",
                    < 0.025 => "残疾人两项补贴",
                    _ => null,
                },
            };
            if (category is null)
            {
                continue;
            }

            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Name(person.Name));
                w.Text(x.Noise.Key(person.IdNumber));
                w.Text(ExtractContext.Sex(person.Male));
                x.RecordedDate(ExtractContext.Day(person.BirthDay), DateStyle.Chinese);
                w.Text(category);
                x.RecordedAddress(person.House);
                w.Text(x.Plan.CommunityNames[person.Grid]);
                x.RecordedDate(ExtractContext.Day(ChunkBuilder.AsOf.DayNumber - x.Rng.Next(2000)), DateStyle.Iso);
                w.Text(x.Noise.Phone(person.Phone));
                w.End();
                x.WriteTruth(id, person.IdNumber, null, x.Chunk.Houses[person.House].Code, null);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Education(ExtractContext x)
    {
        var persons = x.Chunk.Persons;
        for (var p = 0; p < persons.Count; p++)
        {
            ref var person = ref persons[p];
            var age = x.AgeOf(person);
            if (age is < 3 or > 17 || person.Relation != Relation.Child)
            {
                continue;
            }

            var (stage, grade, school) = age switch
            {
                < 6 => ("学前教育", age - 2, "幼儿园"),
                < 12 => ("小学", age - 5, "小学"),
                < 15 => ("初中", age - 11, "中学"),
                _ => ("高中", age - 14, "高级中学"),
            };
            ref var guardian = ref persons[person.Head];
            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Name(person.Name));
                w.Text(x.Noise.Key(person.IdNumber));
                w.Text(ExtractContext.Sex(person.Male));
                x.RecordedDate(ExtractContext.Day(person.BirthDay), DateStyle.Iso);
                w.Text(stage);
                w.Part(Numerals[Math.Clamp(grade, 1, 6) - 1]).Part("年级").Flush();
                w.Part(x.Plan.StreetNames[person.Grid]).Part("第").Part(Numerals[x.Rng.Next(3)]).Part(school).Flush();
                w.Text(x.Noise.Name(guardian.Name));
                w.Text(x.Noise.Key(guardian.IdNumber));
                w.Text(x.Noise.Phone(guardian.Phone));
                x.RecordedAddress(person.House);
                w.End();
                x.WriteTruth(id, person.IdNumber, null, x.Chunk.Houses[person.House].Code, guardian.IdNumber);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Health(ExtractContext x)
    {
        var persons = x.Chunk.Persons;
        for (var p = 0; p < persons.Count; p++)
        {
            ref var person = ref persons[p];
            var ageDays = ChunkBuilder.AsOf.DayNumber - person.BirthDay;
            if (ageDays > 6 * 365)
            {
                continue;
            }

            // Each child has a few vaccination records: the same child in several rows, as in the real register.
            var doses = 1 + x.Rng.Next(3);
            for (var dose = 0; dose < doses; dose++)
            {
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Name(person.Name));
                // Newborns often have no ID number yet when first vaccinated.
                w.Text(ageDays < 365 && x.Rng.Chance(0.3) ? string.Empty : x.Noise.Key(person.IdNumber));
                w.Text(ExtractContext.Sex(person.Male));
                x.RecordedDate(ExtractContext.Day(person.BirthDay), DateStyle.Slashes);
                if (person.Mother >= 0)
                {
                    ref var mother = ref persons[person.Mother];
                    w.Text(x.Noise.Name(mother.Name));
                    w.Text(x.Noise.Key(mother.IdNumber));
                }
                else
                {
                    w.Text(string.Empty);
                    w.Text(string.Empty);
                }

                w.Text(Vaccines[x.Rng.Next(Vaccines.Length)]);
                w.Number(dose + 1);
                x.RecordedDate(ExtractContext.Day(person.BirthDay + x.Rng.Next(Math.Max(1, ageDays))), DateStyle.Slashes);
                w.Part(x.Plan.StreetNames[person.Grid]).Part("社区健康服务中心").Flush();
                x.RecordedAddress(person.House);
                w.End();
                x.WriteTruth(id, person.IdNumber, null, x.Chunk.Houses[person.House].Code,
                    person.Mother >= 0 ? persons[person.Mother].IdNumber : null);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SocialInsurance(ExtractContext x)
    {
        var persons = x.Chunk.Persons;
        for (var p = 0; p < persons.Count; p++)
        {
            ref var person = ref persons[p];
            if (person.EmployerProfile is not { } employer)
            {
                continue;
            }

            var age = x.AgeOf(person);
            var months = Math.Max(1, Math.Min((age - 18) * 12, x.Rng.Between(1, 360)));
            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Name(person.Name));
                w.Text(x.Noise.Key(person.IdNumber));
                w.Text(employer.Name);
                w.Text(x.Noise.Key(employer.CreditCode, numericCheck: false));
                w.Text("企业职工基本养老保险");
                w.Number(months);
                w.Date(ChunkBuilder.AsOf.AddMonths(x.Rng.Chance(0.05) ? -x.Rng.Between(1, 24) : 0), DateStyle.YearMonth);
                w.Number(2360 + (x.Rng.Next(60) * 400));
                w.End();
                x.WriteTruth(id, person.IdNumber, employer.CreditCode, null, null);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HousingRental(ExtractContext x)
    {
        var chunk = x.Chunk;
        for (var hh = 0; hh < chunk.Households.Count; hh++)
        {
            ref var household = ref chunk.Households[hh];
            ref var house = ref chunk.Houses[household.House];
            if (house.Use != HouseUse.Rented)
            {
                continue;
            }

            ref var tenant = ref chunk.Persons[household.Head];
            var landlordEntity = house.OwnerEntity >= 0 ? x.Plan.Profile(house.OwnerEntity) : null;
            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Key(house.Code));
                x.RecordedAddress(household.House);
                if (landlordEntity is not null)
                {
                    w.Text(landlordEntity.Name);
                    w.Text(x.Noise.Key(landlordEntity.CreditCode, numericCheck: false));
                }
                else
                {
                    ref var landlord = ref chunk.Persons[house.OwnerPerson];
                    w.Text(x.Noise.Name(landlord.Name));
                    w.Text(x.Noise.Key(landlord.IdNumber));
                }

                w.Text(x.Noise.Name(tenant.Name));
                w.Text(x.Noise.Key(tenant.IdNumber));
                w.Text(x.Noise.Phone(tenant.Phone));
                w.Number(household.Size);
                x.RecordedDate(ChunkBuilder.AsOf.AddDays(-x.Rng.Next(1500)), DateStyle.Iso);
                w.Number((house.AreaDecimetres / 10 * (40 + x.Rng.Next(80))) / 100 * 100);
                w.End();
                x.WriteTruth(id, tenant.IdNumber, landlordEntity?.CreditCode, house.Code,
                    house.OwnerPerson >= 0 ? chunk.Persons[house.OwnerPerson].IdNumber : null);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MarketRegulation(ExtractContext x)
    {
        var chunk = x.Chunk;
        for (var e = 0; e < chunk.Entities.Count; e++)
        {
            ref var entity = ref chunk.Entities[e];
            var profile = entity.Profile;
            ref var representative = ref chunk.Persons[entity.LegalRepresentative];
            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var w = x.Writer;
                var id = x.NextRecordId();
                w.Begin();
                w.Text(id);
                w.Text(x.Noise.Key(profile.CreditCode, numericCheck: false));
                w.Text(profile.Name);
                w.Text(profile.Kind.Label);
                w.Text(x.Noise.Name(representative.Name));
                w.Text(x.Noise.Key(representative.IdNumber));
                x.RecordedDate(ExtractContext.Day(entity.RegisteredDay), DateStyle.Chinese);
                w.Text(entity.Status switch { EntityStatus.Active => "存续", EntityStatus.Revoked => "吊销", _ => "注销" });
                x.RecordedAddress(entity.Premises);
                w.Text(profile.Industry.Name);
                w.Part("深圳市市场监督管理局").Part(x.Plan.DistrictNames[profile.Grid]).Part("监管局").Flush();
                w.End();
                x.WriteTruth(id, null, profile.CreditCode, chunk.Houses[entity.Premises].Code, representative.IdNumber);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tax(ExtractContext x)
    {
        var chunk = x.Chunk;
        var sink = x.Writer.Sink;
        for (var e = 0; e < chunk.Entities.Count; e++)
        {
            ref var entity = ref chunk.Entities[e];
            var profile = entity.Profile;
            ref var representative = ref chunk.Persons[entity.LegalRepresentative];
            var copies = x.Noise.Duplicate() ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                var id = x.NextRecordId();
                Json(sink, "{\"record_id\":\"", id);
                Json(sink, "\",\"type\":\"enterprise\",\"nsrsbh\":\"", x.Noise.Key(profile.CreditCode, numericCheck: false));
                Json(sink, "\",\"nsrmc\":\"", profile.Name);
                Json(sink, "\",\"fddbrxm\":\"", x.Noise.Name(representative.Name));
                Json(sink, "\",\"fddbrsfzjhm\":\"", x.Noise.Key(representative.IdNumber));
                sink.Raw("\",\"djrq\":\"");
                sink.Date(ExtractContext.Day(entity.RegisteredDay), x.Noise.DateVariant() ? DateStyle.Compact : DateStyle.Iso);
                Json(sink, "\",\"hymc\":\"", profile.Industry.Name);
                sink.Raw("\",\"scjydz\":\"");
                Address(x, sink, entity.Premises);
                sink.Raw("\",\"nsrzt\":\"");
                sink.Raw(entity.Status switch { EntityStatus.Active => "正常", EntityStatus.Revoked => "非正常", _ => "注销" });
                sink.Raw("\"}");
                sink.EndLine();
                x.WriteTruth(id, null, profile.CreditCode, chunk.Houses[entity.Premises].Code, representative.IdNumber);
            }
        }

        var persons = chunk.Persons;
        for (var p = 0; p < persons.Count; p++)
        {
            ref var person = ref persons[p];
            // Withholding returns exist for employees above the threshold: about 60% of workers.
            if (person.EmployerProfile is not { } employer || !x.Rng.Chance(0.6))
            {
                continue;
            }

            var id = x.NextRecordId();
            Json(sink, "{\"record_id\":\"", id);
            Json(sink, "\",\"type\":\"individual\",\"sfzjhm\":\"", x.Noise.Key(person.IdNumber));
            Json(sink, "\",\"xm\":\"", x.Noise.Name(person.Name));
            Json(sink, "\",\"kjywrnsrsbh\":\"", x.Noise.Key(employer.CreditCode, numericCheck: false));
            Json(sink, "\",\"kjywrmc\":\"", employer.Name);
            sink.Raw("\",\"sdxm\":\"工资薪金所得\",\"ssq\":\"");
            sink.Date(ChunkBuilder.AsOf, DateStyle.YearMonth);
            sink.Raw("\"}");
            sink.EndLine();
            x.WriteTruth(id, person.IdNumber, employer.CreditCode, null, null);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Json(TextSink sink, string raw, ReadOnlySpan<char> value)
    {
        sink.Raw(raw);
        sink.Json(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Address(ExtractContext x, TextSink sink, int house)
    {
        ref var h = ref x.Chunk.Houses[house];
        sink.Json(x.Chunk.Buildings[h.Building].Address);
        sink.Number(h.Room);
        sink.Raw("室");
    }
}
