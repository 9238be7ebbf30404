using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Tests.Keys;

public sealed class IdNumberTests
{
    [Theory]
    [InlineData("110102199101010078")]
    [InlineData("44011320141005001X")]
    [InlineData("44011320141005001x")]
    public void Public_example_ID_numbers_are_valid(string value) =>
        IdNumber.Validate(value).IsValid.ShouldBeTrue();

    [Fact]
    public void The_check_character_is_computed_from_the_first_17_digits()
    {
        IdNumber.CheckCharacter("11010219910101007").ShouldBe('8');
        IdNumber.CheckCharacter("44011320141005001").ShouldBe('X');
        IdNumber.CheckCharacter(44011320141005001L).ShouldBe('X');
    }

    [Fact]
    public void Parse_reads_area_birth_date_and_sex()
    {
        var parts = IdNumber.Parse("44011320141005001X");
        parts.AreaCode.ShouldBe("440113");
        parts.BirthDate.ShouldBe(new DateOnly(2014, 10, 5));
        parts.Sex.ShouldBe(Sex.Male);
        IdNumber.Parse("110102199101010078").Sex.ShouldBe(Sex.Male);
        IdNumber.Parse(IdNumber.Build("440305", new DateOnly(1988, 2, 29), 124)).Sex.ShouldBe(Sex.Female);
    }

    [Theory]
    [InlineData("", KeyProblem.Missing)]
    [InlineData("11010219910101007", KeyProblem.Length)]
    [InlineData("1101021991010100788", KeyProblem.Length)]
    [InlineData("11010219910101007A", KeyProblem.Characters)]
    [InlineData("1101021991O101007８", KeyProblem.Characters)]
    [InlineData("110102199113010078", KeyProblem.BirthDate)]
    [InlineData("110102199102300078", KeyProblem.BirthDate)]
    [InlineData("110102199101010079", KeyProblem.CheckCharacter)]
    [InlineData("990102199101010078", KeyProblem.AreaCode)]
    public void Invalid_ID_numbers_say_what_is_wrong(string value, KeyProblem problem)
    {
        var result = IdNumber.Validate(value);
        result.Problem.ShouldBe(problem);
        result.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("110102199101010078")]
    [InlineData("44011320141005001X")]
    public void Every_one_digit_substitution_is_rejected(string valid)
    {
        for (var i = 0; i < valid.Length; i++)
        {
            foreach (var c in "0123456789X")
            {
                if (char.ToUpperInvariant(valid[i]) == c)
                {
                    continue;
                }

                var mutated = valid[..i] + c + valid[(i + 1)..];
                IdNumber.IsValid(mutated).ShouldBeFalse(mutated);
            }
        }
    }

    [Theory]
    [InlineData("110102199101010078")]
    [InlineData("44011320141005001X")]
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
            var independentlyValid = mutated.Length == 18 && mutated[..17].All(char.IsAsciiDigit)
                && IdNumber.CheckCharacter(mutated.AsSpan(0, 17)) == mutated[17] && IdNumber.IsValid(mutated);
            IdNumber.IsValid(mutated).ShouldBe(independentlyValid, mutated);
            if (i < 16)
            {
                // Within the digits MOD 11-2 catches every transposition of two different digits.
                IdNumber.IsValid(mutated).ShouldBeFalse(mutated);
            }
        }
    }

    [Fact]
    public void Build_produces_numbers_that_validate()
    {
        var id = IdNumber.Build("430524", new DateOnly(1975, 12, 31), 37);
        IdNumber.IsValid(id).ShouldBeTrue();
        id[..17].ShouldBe("43052419751231037");
    }
}
