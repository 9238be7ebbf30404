using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Tests.Text;

public sealed class ChineseTextTests
{
    [Theory]
    [InlineData("１２３４５６", "123456")]
    [InlineData("ＡＢＣ－１０１室", "abc-101室")]
    [InlineData("陳", "陈")]
    [InlineData("劉德華", "刘德华")]
    [InlineData("深圳市南山區粵海街道", "深圳市南山区粤海街道")]
    [InlineData("  张\u3000\u3000伟  ", "张 伟")]
    [InlineData("\t李\r\n 娜\u00A0", "李 娜")]
    [InlineData("Zhang WEI", "zhang wei")]
    [InlineData("樑週裡", "梁周里")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Fold_gives_the_comparison_form(string value, string folded) =>
        ChineseText.Fold(value).ShouldBe(folded);

    [Theory]
    [InlineData("深圳市南山区")]
    [InlineData("zhang wei 123")]
    [InlineData("阿卜杜·买买提")]
    [InlineData("")]
    public void Fold_returns_the_same_instance_when_nothing_changes(string value) =>
        ChineseText.Fold(value).ShouldBeSameAs(value);

    [Fact]
    public void Fold_keeps_characters_it_has_no_rule_for()
    {
        // Extension B (a surrogate pair), a middle dot and Cyrillic (not Latin) stay as they are.
        ChineseText.Fold("𠮷野·Жанна").ShouldBe("𠮷野·Жанна");
        ChineseText.Fold("ÉLODIE").ShouldBe("élodie");
        ChineseText.Fold("乾隆").ShouldBe("乾隆");
    }

    [Fact]
    public void Fold_handles_values_longer_than_its_stack_buffer()
    {
        var value = string.Concat(Enumerable.Repeat("張偉　", 200));
        ChineseText.Fold(value).ShouldBe(string.Join(' ', Enumerable.Repeat("张伟", 200)));
    }

    [Theory]
    [InlineData("張偉　１２")]
    [InlineData("  A  b  ")]
    [InlineData("劉德華")]
    public void Fold_is_idempotent(string value)
    {
        var folded = ChineseText.Fold(value);
        ChineseText.Fold(folded).ShouldBeSameAs(folded);
    }

    [Theory]
    [InlineData("张伟", "zhangwei")]
    [InlineData("張偉", "zhangwei")]
    [InlineData("张 伟", "zhangwei")]
    [InlineData("Zhang伟", "zhangwei")]
    [InlineData("吕", "lv")]
    [InlineData("A座３栋", "azuo3dong")]
    [InlineData("阿卜杜·买买提", "abodumaimaiti")]
    [InlineData("长", "zhang")]
    [InlineData("", "")]
    [InlineData("，。！", "")]
    public void ToPinyin_spells_the_most_common_reading_without_tones(string value, string pinyin) =>
        ChineseText.ToPinyin(value).ShouldBe(pinyin);

    [Theory]
    [InlineData("张伟", "zw")]
    [InlineData("劉德華", "ldh")]
    [InlineData("欧阳 娜娜", "oynn")]
    [InlineData("A座3栋", "az3d")]
    public void PinyinInitials_takes_the_first_letter_of_each_reading(string value, string initials) =>
        ChineseText.PinyinInitials(value).ShouldBe(initials);

    [Theory]
    [InlineData("曾伟", "zengwei", "zw")]
    [InlineData("单丽", "shanli", "sl")]
    [InlineData("覃梦", "qinmeng", "qm")]
    [InlineData("单于飞", "chanyufei", "cyf")]
    [InlineData("尉迟恭", "yuchigong", "ycg")]
    [InlineData("张伟", "zhangwei", "zw")]
    public void NamePinyin_reads_the_surname_as_a_surname(string name, string pinyin, string initials)
    {
        ChineseText.NamePinyin(name).ShouldBe(pinyin);
        ChineseText.NamePinyinInitials(name).ShouldBe(initials);
    }

    [Fact]
    public void Every_surname_reading_is_one_of_the_characters_readings()
    {
        foreach (var (surname, readings) in ChineseText.SurnameReadings)
        {
            surname.Length.ShouldBe(readings.Length, surname);
            for (var i = 0; i < surname.Length; i++)
            {
                ChineseText.Readings(surname[i]).ShouldContain(readings[i], $"{surname}: {surname[i]}");
            }
        }
    }

    [Theory]
    [InlineData("张伟", "張偉")]
    [InlineData("张伟", "张玮")]
    [InlineData("張偉", "张炜")]
    [InlineData("杨洋", "扬洋")]
    [InlineData("李 娜", "李　娜")]
    [InlineData("李娜", " 李 娜")]
    [InlineData("王芳1", "汪芳１")]
    public void SamePinyin_matches_homophones_and_traditional_forms(string a, string b)
    {
        ChineseText.SamePinyin(a, b).ShouldBeTrue();
        ChineseText.SamePinyin(b, a).ShouldBeTrue();
    }

    [Theory]
    [InlineData("陈", "程")]
    [InlineData("张伟", "张伟伟")]
    [InlineData("张伟", "张")]
    [InlineData("王芳1", "王芳2")]
    [InlineData("张伟", "zhangwei")]
    [InlineData("李娜", "李 娜 娜")]
    public void SamePinyin_rejects_different_sounds_and_lengths(string a, string b) =>
        ChineseText.SamePinyin(a, b).ShouldBeFalse();

    [Fact]
    public void SamePinyin_does_not_match_two_missing_values()
    {
        ChineseText.SamePinyin("", "").ShouldBeFalse();
        ChineseText.SamePinyin("  ", "\u3000").ShouldBeFalse();
        ChineseText.SamePinyin("", "张伟").ShouldBeFalse();
    }

    [Theory]
    [InlineData("曾伟", "增伟")]
    [InlineData("曾伟", "层伟")]
    [InlineData("单", "丹")]
    [InlineData("单", "善")]
    [InlineData("长", "常")]
    [InlineData("长", "张")]
    [InlineData("乐", "月")]
    [InlineData("重庆", "崇庆")]
    public void SamePinyin_accepts_any_reading_of_a_polyphone(string a, string b) =>
        ChineseText.SamePinyin(a, b).ShouldBeTrue();

    [Fact]
    public void Readings_list_the_most_common_first_then_the_others()
    {
        ChineseText.Readings('单')[0].ShouldBe("dan");
        ChineseText.Readings('单').ShouldBe(["dan", "chan", "shan"], ignoreOrder: true);
        ChineseText.Readings('曾').ShouldBe(["ceng", "zeng"]);
        ChineseText.Readings('張').ShouldBe(["zhang"]);
        ChineseText.Readings('a').ShouldBeEmpty();
        ChineseText.Readings('〇').ShouldBeEmpty();
    }

    [Fact]
    public void The_tables_are_complete_and_folding_is_final()
    {
        var tables = UnihanTables.Shared;
        tables.CharactersWithReading.ShouldBeGreaterThan(25_000);
        tables.PolyphoneCount.ShouldBeGreaterThan(3_000);
        tables.SimplifiedCount.ShouldBeGreaterThan(3_000);
        tables.Syllables.Length.ShouldBeInRange(400, 430);
        for (var c = (int)UnihanTables.FirstHan; c <= UnihanTables.LastHan; c++)
        {
            var simplified = tables.Simplify((char)c);
            tables.Simplify(simplified).ShouldBe(simplified, $"U+{c:X4}");
        }
    }
}
