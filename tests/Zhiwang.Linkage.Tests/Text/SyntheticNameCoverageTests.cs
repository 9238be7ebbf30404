using System.Text.RegularExpressions;
using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Tests.Text;

/// <summary>
/// The generator's name lists, read from its source (the linkage engine references no other
/// Zhiwang project), must all have readings, or synthetic people would be unsearchable by pinyin.
/// </summary>
public sealed partial class SyntheticNameCoverageTests
{
    private static readonly string Source = File.ReadAllText(
        Path.Combine(RepositoryRoot(), "src", "Zhiwang.Synthetic", "Reference", "PersonNames.cs"));

    [Fact]
    public void Every_surname_has_a_reading_for_each_character()
    {
        var surnames = SurnameEntry().Matches(Source).Select(m => m.Groups[1].Value).ToList();
        surnames.Count.ShouldBeGreaterThan(90);
        foreach (var surname in surnames)
        {
            ChineseText.ToPinyin(surname).Length.ShouldBeGreaterThanOrEqualTo(surname.Length, surname);
            foreach (var c in surname)
            {
                ChineseText.Readings(c).ShouldNotBeEmpty(surname);
            }
        }
    }

    [Fact]
    public void Every_Han_character_in_the_name_lists_has_a_reading()
    {
        var characters = Literal().Matches(Source)
            .SelectMany(m => m.Groups[1].Value)
            .Where(ChineseText.IsHan)
            .Distinct()
            .ToList();
        characters.Count.ShouldBeGreaterThan(200);
        var missing = characters.Where(c => ChineseText.Readings(c).Count == 0).ToList();
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Traditional_variants_fold_and_the_others_sound_the_same()
    {
        // The generator's variants are traditional forms and homophones, plus a few look-alikes
        // a clerk confuses by sight, not by sound.
        string[] lookAlikes = ["玲琳", "琳玲", "海凯"];
        var entries = VariantEntry().Matches(Source).ToList();
        entries.Count.ShouldBeGreaterThan(50);
        foreach (var entry in entries)
        {
            var original = entry.Groups[1].Value;
            foreach (var variant in entry.Groups[2].Value.Select(c => c.ToString()))
            {
                if (lookAlikes.Contains(original + variant))
                {
                    ChineseText.SamePinyin(original, variant).ShouldBeFalse();
                    continue;
                }

                (ChineseText.Fold(variant) == original || ChineseText.SamePinyin(original, variant))
                    .ShouldBeTrue($"{original} → {variant}");
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zhiwang.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Zhiwang.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("""\("(\p{IsCJKUnifiedIdeographs}+)", [0-9.]+\)""")]
    private static partial Regex SurnameEntry();

    [GeneratedRegex("""["']([^"'\r\n]+)["']""")]
    private static partial Regex Literal();

    [GeneratedRegex("""\['(\p{IsCJKUnifiedIdeographs})'\] = "(\p{IsCJKUnifiedIdeographs}+)"(?=,)""")]
    private static partial Regex VariantEntry();
}
