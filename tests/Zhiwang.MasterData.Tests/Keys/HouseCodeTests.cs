using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Tests.Keys;

public sealed class HouseCodeTests
{
    [Fact]
    public void A_house_code_is_a_building_code_a_unit_number_and_a_check_character()
    {
        var building = HouseCode.BuildingCode("440305", 1234567);
        building.ShouldBe("4403051234567");
        var house = HouseCode.Build(building, 502);
        house.Length.ShouldBe(18);
        house[..17].ShouldBe("44030512345670502");
        HouseCode.IsValid(house).ShouldBeTrue();
        var parts = HouseCode.Parse(house);
        parts.DistrictCode.ShouldBe("440305");
        parts.BuildingCode.ShouldBe(building);
        parts.BuildingSerial.ShouldBe(1234567);
        parts.UnitNumber.ShouldBe(502);
    }

    [Fact]
    public void Every_one_digit_substitution_is_rejected()
    {
        var valid = HouseCode.Build(HouseCode.BuildingCode("440303", 42), 17);
        for (var i = 0; i < valid.Length; i++)
        {
            foreach (var c in "0123456789X")
            {
                if (valid[i] == c)
                {
                    continue;
                }

                HouseCode.IsValid(valid[..i] + c + valid[(i + 1)..]).ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void Every_adjacent_transposition_of_different_digits_within_the_body_is_rejected()
    {
        var valid = HouseCode.Build(HouseCode.BuildingCode("440306", 9876543), 1203);
        for (var i = 0; i + 1 < 17; i++)
        {
            if (valid[i] == valid[i + 1])
            {
                continue;
            }

            var chars = valid.ToCharArray();
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            HouseCode.IsValid(new string(chars)).ShouldBeFalse();
        }
    }

    [Theory]
    [InlineData("", KeyProblem.Missing)]
    [InlineData("4403051234567050", KeyProblem.Length)]
    [InlineData("44030512345670A02X", KeyProblem.Characters)]
    public void Malformed_house_codes_say_what_is_wrong(string value, KeyProblem problem) =>
        HouseCode.Validate(value).Problem.ShouldBe(problem);
}
