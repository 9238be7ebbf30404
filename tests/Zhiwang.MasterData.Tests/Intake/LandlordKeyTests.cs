using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Tests.Intake;

/// <summary>A landlord's 证件号码 names a person or a firm; most credit codes are all digits, so digits cannot tell.</summary>
public sealed class LandlordKeyTests
{
    private static readonly string Person = IdNumber.Build("440304", new DateOnly(1987, 2, 4), 567);

    // A company whose organisation code and both check characters are digits: 18 digits, like an ID number.
    private static readonly string Company = AllDigits('9', '1', "440304");

    // An institution's code starts 12, which is also Tianjin's province code.
    private static readonly string Institution = AllDigits('1', '2', "440300");

    [Fact]
    public void A_valid_ID_number_is_a_person_and_a_valid_credit_code_of_digits_is_a_firm()
    {
        FeedPlan.IsPersonKey(Person).ShouldBeTrue();
        FeedPlan.IsPersonKey(Company).ShouldBeFalse(Company);
        FeedPlan.IsPersonKey(Institution).ShouldBeFalse(Institution);
    }

    [Fact]
    public void A_mistyped_key_keeps_its_kind()
    {
        FeedPlan.IsPersonKey(Person[..17] + (Person[17] == '0' ? '1' : '0')).ShouldBeTrue();
        FeedPlan.IsPersonKey(Person.Remove(12, 1)).ShouldBeTrue();
        FeedPlan.IsPersonKey(Company[..17] + (Company[17] == '0' ? '1' : '0')).ShouldBeFalse();
        FeedPlan.IsPersonKey(Company.Remove(12, 1)).ShouldBeFalse();
        FeedPlan.IsPersonKey(Institution[..17] + (Institution[17] == '0' ? '1' : '0')).ShouldBeFalse();
    }

    private static string AllDigits(char authority, char entityType, string area)
    {
        for (var organisation = 3_975_982; ; organisation++)
        {
            var code = CreditCode.Build(authority, entityType, area, organisation.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
            if (code.All(char.IsAsciiDigit))
            {
                return code;
            }
        }
    }
}
