using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

public sealed class SampleAttributesTests
{
    [Fact]
    public void The_samples_of_every_class_pass_the_check_fixed_or_drawn()
    {
        var catalogue = EventCatalogue.Default;
        var random = new Random(7);
        foreach (var eventClass in catalogue.Classes)
        {
            catalogue.CheckAttributes(eventClass, SampleAttributes.Required(eventClass)).ShouldBeEmpty(eventClass.Code);
            var drawn = eventClass.Attributes.ToDictionary(a => a.Name, a => SampleAttributes.Value(a, random));
            catalogue.CheckAttributes(eventClass, drawn).ShouldBeEmpty(eventClass.Code);
        }
    }

    [Fact]
    public void The_required_samples_are_the_required_attributes_with_the_same_values_every_time()
    {
        var wages = EventCatalogue.Default.Find("D0201")!;

        var sample = SampleAttributes.Required(wages);

        sample.Keys.ShouldBe(wages.Attributes.Where(a => a.Required).Select(a => a.Name));
        sample["workers"].GetInt32().ShouldBe(2);
        SampleAttributes.Required(wages)["workers"].GetRawText().ShouldBe(sample["workers"].GetRawText());
    }
}
