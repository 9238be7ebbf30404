using System.Security.Claims;
using Zhiwang.Access.Privacy;

namespace Zhiwang.Access.Tests.Privacy;

public sealed class MaskingTests
{
    [Fact]
    public void An_ID_number_keeps_its_first_four_and_last_four_characters()
    {
        Masking.IdNumber("44030419900101123X").ShouldBe("4403**********123X");
        Masking.Field("legal_representative_id_number", "440304199001011234").ShouldBe("4403**********1234");
        Masking.IdNumber("12345").ShouldBe("***45");
        Masking.IdNumber(null).ShouldBeNull();
    }

    [Fact]
    public void A_phone_keeps_its_first_three_and_last_four_digits()
    {
        Masking.Phone("13812345678").ShouldBe("138****5678");
        Masking.Field("phone", "13812345678").ShouldBe("138****5678");
        Masking.Phone("5551234").ShouldBe("*****34");
    }

    [Theory]
    [InlineData("深圳市福田区华强北街道华强北路12号赛格花园3栋1201室", "深圳市福田区华强北街道华强北路12号赛格花园…")]
    [InlineData("深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号101室", "深圳市罗湖区桂园街道丽山路325号沙湾村…")]
    [InlineData("深圳市南山区粤海街道科技园大厦B座十二层", "深圳市南山区粤海街道科技园大厦…")]
    [InlineData("深圳市宝安区新安街道宝城小区 1203", "深圳市宝安区新安街道宝城小区 …")]
    [InlineData("深圳市福田区华强北街道", "深圳市福田区华强北街道")]
    public void An_address_is_cut_to_its_street_and_estate(string address, string masked) =>
        Masking.Address(address).ShouldBe(masked);

    [Fact]
    public void Fields_that_are_not_personal_pass_unchanged() =>
        Masking.Field("name", "张伟").ShouldBe("张伟");

    [Fact]
    public void Only_data_stewards_and_administrators_may_reveal()
    {
        static ClaimsPrincipal With(string role) => new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role)], "test"));

        Masking.CanReveal(With(Roles.DataSteward)).ShouldBeTrue();
        Masking.CanReveal(With(Roles.Administrator)).ShouldBeTrue();
        Masking.CanReveal(With(Roles.GridWorker)).ShouldBeFalse();
        Masking.CanReveal(new ClaimsPrincipal(new ClaimsIdentity())).ShouldBeFalse();
    }
}
