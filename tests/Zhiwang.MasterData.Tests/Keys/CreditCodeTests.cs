using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Tests.Keys;

public sealed class CreditCodeTests
{
    [Theory]
    [InlineData("91110000600037341L")]
    [InlineData("9144030071526726XG")]
    public void Public_example_credit_codes_are_valid(string value) =>
        CreditCode.Validate(value).IsValid.ShouldBeTrue();

    [Fact]
    public void A_wrong_check_character_is_rejected_with_the_reason()
    {
        var result = CreditCode.Validate("91110000600037341N");
        result.Problem.ShouldBe(KeyProblem.CheckCharacter);
        result.Reason.ShouldContain("'L'");
    }

    [Fact]
    public void A_wrong_organisation_check_character_is_its_own_problem() =>
        CreditCode.Validate("91110000600037342L").Problem.ShouldBe(KeyProblem.OrganisationCodeCheck);

    [Theory]
    [InlineData("", KeyProblem.Missing)]
    [InlineData("91110000600037341", KeyProblem.Length)]
    [InlineData("91110000600037341I", KeyProblem.Characters)]
    [InlineData("9111000060003734lL", KeyProblem.Characters)]
    [InlineData("911A0000600037341L", KeyProblem.AreaCode)]
    public void Malformed_credit_codes_say_what_is_wrong(string value, KeyProblem problem) =>
        CreditCode.Validate(value).Problem.ShouldBe(problem);

    [Fact]
    public void Check_characters_are_computed()
    {
        CreditCode.OrganisationCheckCharacter("60003734").ShouldBe('1');
        CreditCode.OrganisationCheckCharacter("71526726").ShouldBe('X');
        CreditCode.CheckCharacter("91110000600037341").ShouldBe('L');
        CreditCode.CheckCharacter("9144030071526726X").ShouldBe('G');
    }

    [Fact]
    public void Build_and_parse_round_trip()
    {
        var code = CreditCode.Build('9', '1', "440300", "71526726");
        code.ShouldBe("9144030071526726XG");
        var parts = CreditCode.Parse(code);
        parts.RegistrationAuthority.ShouldBe('9');
        parts.EntityType.ShouldBe('1');
        parts.AreaCode.ShouldBe("440300");
        parts.OrganisationCode.ShouldBe("71526726X");
    }

    [Theory]
    [InlineData("91110000600037341L")]
    [InlineData("9144030071526726XG")]
    public void Every_single_character_change_is_rejected(string valid)
    {
        for (var i = 0; i < valid.Length; i++)
        {
            foreach (var c in CreditCode.Alphabet)
            {
                if (valid[i] == c)
                {
                    continue;
                }

                var mutated = valid[..i] + c + valid[(i + 1)..];
                CreditCode.IsValid(mutated).ShouldBeFalse(mutated);
            }
        }
    }

    [Theory]
    [InlineData("91110000600037341L")]
    [InlineData("9144030071526726XG")]
    public void Every_adjacent_transposition_is_rejected_unless_it_is_itself_valid(string valid)
    {
        for (var i = 0; i + 1 < valid.Length; i++)
        {
            if (valid[i] == valid[i + 1])
            {
                continue;
            }

            var chars = valid.ToCharArray();
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            var mutated = new string(chars);
            var independentlyValid = IndependentlyValid(mutated);
            CreditCode.IsValid(mutated).ShouldBe(independentlyValid, mutated);
        }
    }

    // A second, plain reading of GB 32100 so the mutation test does not trust the code under test.
    private static bool IndependentlyValid(string code)
    {
        if (code.Any(c => !CreditCode.Alphabet.Contains(c)) || !code[2..8].All(char.IsAsciiDigit))
        {
            return false;
        }

        int[] ow = [3, 7, 9, 10, 5, 8, 4, 2];
        var osum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = code[8 + i];
            osum += (char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10) * ow[i];
        }

        var ocheck = (11 - osum % 11) switch { 10 => 'X', 11 => '0', var d => (char)('0' + d) };
        if (ocheck != code[16])
        {
            return false;
        }

        var sum = 0;
        var w = 1;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditCode.Alphabet.IndexOf(code[i], StringComparison.Ordinal) * w;
            w = w * 3 % 31;
        }

        return CreditCode.Alphabet[(31 - sum % 31) % 31] == code[17];
    }
}
