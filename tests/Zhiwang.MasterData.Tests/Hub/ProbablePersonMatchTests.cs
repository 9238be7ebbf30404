using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Tests.Hub;

public sealed class ProbablePersonMatchTests
{
    [Fact]
    public void Two_persons_born_the_same_day_in_one_house_are_told_apart_by_name_and_a_name_both_share_finds_neither()
    {
        var match = new ProbablePersonMatch();
        match.Add("P00000000001", "张伟", "1990-01-01", "male", "H1", null);
        match.Add("P00000000002", "李强", "1990-01-01", "male", "H1", null);
        match.Add("P00000000001", "张伟", "1990-01-01", "male", "H1", null);

        match.Find("张伟", "1990-01-01", "male", "H1", null).ShouldBe(("P00000000001", 1.0));
        match.Find("李弓", "1990-01-01", "male", "H1", null).ShouldBe(("P00000000002", 0.85));

        match.Add("P00000000003", "张伟", "1990-01-01", "male", "H1", null);
        match.Find("张伟", "1990-01-01", "male", "H1", null).ShouldBeNull();
        match.Find("张伟", "1990-01-01", "male", "H1", null, allowed: id => id != "P00000000003").ShouldBe(("P00000000001", 1.0));
    }

    [Fact]
    public void A_name_beside_the_same_golden_record_finds_the_one_person_met_there_and_none_when_two_were()
    {
        var match = new ProbablePersonMatch();
        match.AddContext("P00000000001", "王芳", "E00000000007");
        match.AddContext("P00000000001", "王芳", "E00000000007");

        match.Find("王芳", null, null, null, null, ["E00000000007"]).ShouldBe(("P00000000001", 0.9));
        match.Find("王芳", null, null, null, null, ["E00000000008"]).ShouldBeNull();

        match.AddContext("P00000000002", "王芳", "E00000000007");
        match.Find("王芳", null, null, null, null, ["E00000000007"]).ShouldBeNull();
    }

    [Fact]
    public void The_same_name_birth_date_and_sex_anywhere_finds_the_person_only_while_one_has_them()
    {
        var match = new ProbablePersonMatch();
        match.Add("P00000000001", "陳静", "1985-06-30", "female", "H1", null);

        match.Find("陈静", "1985-06-30", "female", "H9", null).ShouldBe(("P00000000001", 0.7));
        match.Find("陈静", "1985-06-30", "male", "H9", null).ShouldBeNull();

        match.Add("P00000000002", "陈静", "1985-06-30", "female", "H2", null);
        match.Find("陈静", "1985-06-30", "female", "H9", null).ShouldBeNull();
        match.Find("陈静", "1985-06-30", "female", "H9", null, allowed: id => id == "P00000000002").ShouldBe(("P00000000002", 0.7));
    }

    [Fact]
    public void An_ID_number_key_is_one_to_one_with_the_text_and_none_for_a_wrong_check_character()
    {
        var valid = IdNumber.Build("440303", new DateOnly(1990, 1, 1), 123);
        HubLinker.IdNumberKey(valid).ShouldBeGreaterThanOrEqualTo(0);
        HubLinker.IdNumberKey(valid[..17] + (valid[17] == '0' ? '1' : '0')).ShouldBe(-1);
        HubLinker.IdNumberKey(valid[..17]).ShouldBe(-1);

        // Upper- and lower-case x are both valid and were two keys as text: they stay two.
        var withX = Enumerable.Range(0, 1000).Select(i => IdNumber.Build("440303", new DateOnly(1990, 1, 1), i)).First(n => n[17] == 'X');
        var lower = withX[..17] + "x";
        HubLinker.IdNumberKey(withX).ShouldBeGreaterThanOrEqualTo(0);
        HubLinker.IdNumberKey(lower).ShouldBeGreaterThanOrEqualTo(0);
        HubLinker.IdNumberKey(lower).ShouldNotBe(HubLinker.IdNumberKey(withX));
    }
}
