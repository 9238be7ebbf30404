using System.Text.Json;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

public sealed class AttributeTextTests
{
    private static readonly EventCatalogue Catalogue = EventCatalogue.Parse(TestCatalogue.Json, 1);

    private static EventClass Noise => Catalogue.Find("D0101")!;

    private static string Typed(string attribute, string text) =>
        AttributeText.Typed(Noise.FindAttribute(attribute) ?? Catalogue.Find("D0201")!.FindAttribute(attribute), text).GetRawText();

    [Fact]
    public void Text_that_reads_as_the_attributes_type_becomes_that_type()
    {
        Typed("parties", " 3 ").ShouldBe("3");
        Typed("amount_owed", "86500.5").ShouldBe("86500.5");
        Typed("at_night", "是").ShouldBe("true");
        Typed("at_night", "No").ShouldBe("false");
        Typed("at_night", "on").ShouldBe("true");
        Typed("first_noticed", "2024-02-29").ShouldBe("\"2024-02-29\"");
        Typed("noise_source", " music ").ShouldBe("\"music\"");
        AttributeText.Typed(Noise.FindAttribute("note"), " 每晚十点后 ").GetString().ShouldBe("每晚十点后");
    }

    [Fact]
    public void A_date_time_becomes_its_date_in_China_time()
    {
        Typed("first_noticed", "2026-11-20T23:30:00").ShouldBe("\"2026-11-20\"", "without an offset it is China time already");
        Typed("first_noticed", "2026-11-20T17:30:00Z").ShouldBe("\"2026-11-21\"", "01:30 the next day in Shenzhen");
    }

    [Fact]
    public void Text_that_does_not_read_as_the_type_stays_text_for_the_check_to_name()
    {
        Typed("parties", "three").ShouldBe("\"three\"");
        Typed("parties", "1,000").ShouldBe("\"1,000\"", "no thousands separators, whatever the culture");
        Typed("amount_owed", "NaN").ShouldBe("\"NaN\"");
        Typed("at_night", "maybe").ShouldBe("\"maybe\"");
        Typed("first_noticed", "last spring").ShouldBe("\"last spring\"");

        var attributes = new Dictionary<string, JsonElement> { ["parties"] = AttributeText.Typed(Noise.FindAttribute("parties"), "three") };
        Catalogue.CheckAttributes(Noise, attributes).ShouldHaveSingleItem().ShouldStartWith("attributes.parties:");
    }

    [Fact]
    public void An_attribute_the_class_does_not_have_keeps_its_text_untouched()
    {
        AttributeText.Typed(null, " 3 ").GetString().ShouldBe(" 3 ");
    }
}
