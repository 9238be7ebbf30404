using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Intake;

public sealed class AddressIndexTests
{
    private static readonly AddressIndex Index = new([
        ("440303000000000017", "深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号101室"),
        ("440303000000000025", "深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号102室"),
        ("440303000000100018", "深圳市罗湖区桂园街道深惠二路273号春天山庄1栋101室"),
        ("440304000000100014", "深圳市福田区福保街道深惠二路273号春天山庄1栋101室"),
    ]);

    [Fact]
    public void A_standard_address_is_an_exact_match()
    {
        Index.Match("深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号102室").ShouldBe(new AddressMatch("440303000000000025", AddressMatchQuality.Exact));
    }

    [Fact]
    public void Full_width_digits_spaces_and_traditional_characters_still_match_exactly()
    {
        Index.Match("深圳市 罗湖區桂园街道丽山路３２５号沙湾村11坊1号 101室").ShouldBe(new AddressMatch("440303000000000017", AddressMatchQuality.Exact));
    }

    [Theory]
    [InlineData("罗湖区丽山路325号沙湾村11坊1号101")]
    [InlineData("桂园街道丽山路325号沙湾村11坊1号101室")]
    [InlineData("深圳市罗湖区东门街道丽山路325号沙湾村11坊1号101室")]
    [InlineData("深圳市罗湖区桂园街道丽山大道325号沙湾村11坊1号101室")]
    public void A_missing_or_misspelt_part_is_a_tolerant_match(string address)
    {
        Index.Match(address).ShouldBe(new AddressMatch("440303000000000017", AddressMatchQuality.Tolerant));
    }

    [Fact]
    public void Two_houses_that_share_building_and_room_need_the_district_to_tell_them_apart()
    {
        Index.Match("深惠二路273号春天山庄1栋101室").ShouldBe(AddressMatch.None);
        Index.Match("福田区深惠二路273号春天山庄1栋101室").HouseCode.ShouldBe("440304000000100014");
    }

    [Fact]
    public void An_address_of_no_house_matches_nothing()
    {
        Index.Match("深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号909室").ShouldBe(AddressMatch.None);
        Index.Match(string.Empty).ShouldBe(AddressMatch.None);
    }

    [Fact]
    public void An_address_splits_into_the_parts_of_a_standard_address()
    {
        StandardAddress.Parse("深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号101室")
            .ShouldBe(new StandardAddress("深圳市", "罗湖区", "桂园街道", "丽山路", "325", "沙湾村11坊1号", "101"));
    }
}
