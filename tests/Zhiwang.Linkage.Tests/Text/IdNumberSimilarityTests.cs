using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Tests.Text;

/// <summary>Every ID number here is synthetic: a Shenzhen area code, a made-up date and sequence.</summary>
public sealed class IdNumberSimilarityTests
{
    // 440305 Nanshan, born 1990-03-07, sequence 123.
    private static readonly string Valid = WithCheck("44030519900307123");

    [Fact]
    public void The_test_number_is_valid_and_its_check_character_is_computed_independently()
    {
        IdNumberSimilarity.IsValid(Valid).ShouldBeTrue();
        IdNumberSimilarity.CheckCharacter(Valid.AsSpan(0, 17)).ShouldBe(Valid[17]);
        IdNumberSimilarity.IsValid(Valid[..17] + Other(Valid[17])).ShouldBeFalse();
    }

    [Theory]
    [InlineData("44030519901307123")] // month 13
    [InlineData("99030519900307123")] // no province 99
    [InlineData("44030518000307123")] // before 1850
    [InlineData("4403051990030712")]  // 16 characters
    [InlineData("44030519900307A23")] // a letter in the body
    public void A_number_with_a_right_check_character_but_an_impossible_body_is_invalid(string body)
    {
        var value = body.Length == 17 && body.All(char.IsAsciiDigit) ? WithCheck(body) : body + "0";
        IdNumberSimilarity.IsValid(value).ShouldBeFalse();
    }

    [Fact]
    public void Blank_on_either_side_is_missing()
    {
        IdNumberSimilarity.Compare(null, Valid).ShouldBe(IdNumberRelation.Missing);
        IdNumberSimilarity.Compare(Valid, "").ShouldBe(IdNumberRelation.Missing);
        IdNumberSimilarity.Compare(" \u3000", Valid).ShouldBe(IdNumberRelation.Missing);
        IdNumberSimilarity.Compare(null, null).ShouldBe(IdNumberRelation.Missing);
    }

    [Fact]
    public void Full_width_digits_and_lower_case_x_are_the_same_number()
    {
        var withX = NumberWithCheck('X');
        var fullWidth = new string(withX.Select(c => c == 'X' ? 'ｘ' : (char)(c + 0xFEE0)).ToArray());
        IdNumberSimilarity.Compare(fullWidth, withX).ShouldBe(IdNumberRelation.Exact);
        IdNumberSimilarity.Compare(withX.ToLowerInvariant(), withX).ShouldBe(IdNumberRelation.Exact);
        IdNumberSimilarity.Compare(" " + withX[..6] + " " + withX[6..] + " ", withX).ShouldBe(IdNumberRelation.Exact);
        IdNumberSimilarity.IsValid(fullWidth).ShouldBeTrue();
        IdNumberSimilarity.Fold(fullWidth).ShouldBe(withX);
    }

    [Fact]
    public void A_changed_check_character_is_recognised()
    {
        var typed = Valid[..17] + Other(Valid[17]);
        AssertRelation(typed, IdNumberRelation.WrongCheckCharacter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    public void Two_swapped_neighbours_are_recognised(int position)
    {
        var digits = Valid.ToCharArray();
        digits[position].ShouldNotBe(digits[position + 1], "a swap of equal neighbours changes nothing");
        (digits[position], digits[position + 1]) = (digits[position + 1], digits[position]);
        AssertRelation(new string(digits), IdNumberRelation.AdjacentTransposition);
    }

    [Fact]
    public void Swapping_the_last_digit_with_the_check_character_is_a_transposition()
    {
        var number = NumberWhere(n => n[16] != n[17] && char.IsAsciiDigit(n[17]));
        var typed = number[..16] + number[17] + number[16];
        AssertRelation(typed, IdNumberRelation.AdjacentTransposition, number);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(16)]
    public void One_mistyped_digit_is_recognised(int position)
    {
        var digits = Valid.ToCharArray();
        digits[position] = digits[position] == '9' ? '0' : (char)(digits[position] + 1);
        AssertRelation(new string(digits), IdNumberRelation.OneDigitTypo);
    }

    [Fact]
    public void Every_single_substitution_is_a_typo_the_repairs_undo()
    {
        for (var position = 0; position < 17; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == Valid[position])
                {
                    continue;
                }

                var typed = Valid[..position] + digit + Valid[(position + 1)..];
                IdNumberSimilarity.Compare(Valid, typed).ShouldBe(IdNumberRelation.OneDigitTypo, typed);
                IdNumberSimilarity.Repairs(typed).ShouldContain(Valid, typed);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(17)]
    public void One_dropped_character_is_recognised(int position)
    {
        var typed = Valid.Remove(position, 1);
        AssertRelation(typed, IdNumberRelation.OneDigitMissing);
    }

    [Fact]
    public void Two_valid_numbers_one_digit_apart_are_two_people()
    {
        var other = WithCheck("44030519900307125");
        IdNumberSimilarity.IsValid(other).ShouldBeTrue();
        IdNumberSimilarity.Compare(Valid, other).ShouldBe(IdNumberRelation.Different);
    }

    [Fact]
    public void Two_errors_or_two_invalid_numbers_are_different()
    {
        var twoTypos = Valid.ToCharArray();
        twoTypos[3] = twoTypos[3] == '1' ? '2' : '1';
        twoTypos[12] = twoTypos[12] == '1' ? '2' : '1';
        IdNumberSimilarity.Compare(Valid, new string(twoTypos)).ShouldBe(IdNumberRelation.Different);

        var invalid = Valid[..17] + Other(Valid[17]);
        var alsoInvalid = Valid[..16] + Other(Valid[16]) + Valid[17];
        IdNumberSimilarity.Compare(invalid, alsoInvalid).ShouldBe(IdNumberRelation.Different);
        IdNumberSimilarity.Compare(Valid, Valid[..15]).ShouldBe(IdNumberRelation.Different);
    }

    [Fact]
    public void Repairs_of_a_valid_or_blank_number_are_empty()
    {
        IdNumberSimilarity.Repairs(Valid).ShouldBeEmpty();
        IdNumberSimilarity.Repairs(null).ShouldBeEmpty();
        IdNumberSimilarity.Repairs("   ").ShouldBeEmpty();
    }

    [Fact]
    public void Repairs_of_an_extra_digit_include_the_number()
    {
        var typed = Valid.Insert(10, "5");
        var repairs = IdNumberSimilarity.Repairs(typed).ToList();
        repairs.ShouldContain(Valid);
        repairs.ShouldBeUnique();
        repairs.ShouldAllBe(r => IdNumberSimilarity.IsValid(r));
    }

    [Fact]
    public void Repairs_stay_few_for_many_numbers()
    {
        var most = 0;
        for (var sequence = 100; sequence < 400; sequence++)
        {
            var number = WithCheck($"44030519900307{sequence}");
            foreach (var typed in new[] { number[..17] + Other(number[17]), number.Remove(sequence % 18, 1) })
            {
                var repairs = IdNumberSimilarity.Repairs(typed).ToList();
                repairs.ShouldContain(number);
                repairs.ShouldBeUnique();
                most = Math.Max(most, repairs.Count);
            }
        }

        most.ShouldBeLessThanOrEqualTo(40);
    }

    private static void AssertRelation(string typed, IdNumberRelation relation, string? valid = null)
    {
        valid ??= Valid;
        IdNumberSimilarity.IsValid(typed).ShouldBeFalse();
        IdNumberSimilarity.Compare(valid, typed).ShouldBe(relation);
        IdNumberSimilarity.Compare(typed, valid).ShouldBe(relation);

        var repairs = IdNumberSimilarity.Repairs(typed).ToList();
        repairs.ShouldContain(valid);
        repairs.ShouldBeUnique();
        repairs.ShouldAllBe(r => IdNumberSimilarity.IsValid(r));
        repairs.Count.ShouldBeLessThanOrEqualTo(40);
    }

    // ISO 7064 MOD 11-2, written out here so the tests do not trust the code under test.
    private static string WithCheck(string body)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (body[i] - '0') * (int)(Math.Pow(2, 17 - i) % 11);
        }

        return body + "10X98765432"[sum % 11];
    }

    private static string NumberWithCheck(char check) => NumberWhere(n => n[17] == check);

    private static string NumberWhere(Func<string, bool> wanted)
    {
        for (var sequence = 100; sequence < 1000; sequence++)
        {
            var number = WithCheck($"44030519850611{sequence}");
            if (wanted(number))
            {
                return number;
            }
        }

        throw new InvalidOperationException("no such synthetic number");
    }

    private static char Other(char c) => c == '0' ? '1' : '0';
}
