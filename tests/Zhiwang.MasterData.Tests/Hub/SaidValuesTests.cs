using Shouldly;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Hub;

public sealed class SaidValuesTests
{
    [Fact]
    public void Packed_values_come_back_as_given_missing_empty_separator_like_and_very_long_ones_included()
    {
        var fields = SaidValues.FieldsOf(MentionKind.Person);
        var longAddress = new string('路', 40_000);
        var values = new Dictionary<string, string?>
        {
            [HubFields.IdNumber] = "440303199001011234",
            [HubFields.Name] = "张\u001f伟\uFFFF",
            [HubFields.Sex] = "",
            [HubFields.Address] = longAddress,
            [HubFields.Phone] = null,
            ["not_an_attribute"] = "ignored",
        };

        var packed = SaidValues.Pack(fields, values);
        var back = new string?[fields.Length + 2];
        SaidValues.Unpack(packed, back, 1);

        back[0].ShouldBeNull();
        for (var i = 0; i < fields.Length; i++)
        {
            back[i + 1].ShouldBe(values.GetValueOrDefault(fields[i]), fields[i]);
        }

        back[fields.Length + 1].ShouldBeNull();
    }
}
