namespace Zhiwang.MasterData.Keys;

/// <summary>The 18-character unified social credit code of GB 32100-2015 (统一社会信用代码).</summary>
/// <remarks>
/// Layout: registration authority (1), entity type (1), 6-digit area code, 9-character organisation
/// code of GB 11714 (8 characters and its own check character), and a check character with weights
/// 3^i mod 31 over the 31-character alphabet, which leaves out I, O, S, V and Z.
/// </remarks>
public static class CreditCode
{
    public const int Length = 18;
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly sbyte[] AlphabetValue = BuildAlphabetValue();

    /// <summary>The check character for the first 17 characters of a credit code.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> body17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = ValueOf(body17[i]);
            if (v < 0)
            {
                throw new ArgumentException($"'{body17[i]}' is not in the credit-code alphabet.", nameof(body17));
            }

            sum += v * Weights[i];
        }

        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>The GB 11714 check character for the 8 characters of an organisation code.</summary>
    public static char OrganisationCheckCharacter(ReadOnlySpan<char> organisation8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = organisation8[i];
            int v = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => throw new ArgumentException($"'{c}' is not a digit or capital letter.", nameof(organisation8)),
            };
            sum += v * OrganisationWeights[i];
        }

        var check = 11 - sum % 11;
        return check switch
        {
            10 => 'X',
            11 => '0',
            _ => (char)('0' + check),
        };
    }

    /// <summary>Builds a credit code from its parts, computing both check characters.</summary>
    public static string Build(char authority, char entityType, string areaCode, string organisation8)
    {
        if (areaCode.Length != 6 || organisation8.Length != 8)
        {
            throw new ArgumentException("A credit code needs a 6-digit area code and an 8-character organisation code.");
        }

        Span<char> code = stackalloc char[Length];
        code[0] = authority;
        code[1] = entityType;
        areaCode.AsSpan().CopyTo(code[2..]);
        organisation8.AsSpan().CopyTo(code[8..]);
        code[16] = OrganisationCheckCharacter(organisation8);
        code[17] = CheckCharacter(code[..17]);
        return new string(code);
    }

    public static KeyValidation Validate(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.IsWhiteSpace())
        {
            return KeyValidation.Fail(KeyProblem.Missing, "the credit code is empty");
        }

        if (value.Length != Length)
        {
            return KeyValidation.Fail(KeyProblem.Length, $"a credit code has 18 characters, this one has {value.Length}");
        }

        for (var i = 0; i < Length; i++)
        {
            if (ValueOf(value[i]) < 0)
            {
                return KeyValidation.Fail(KeyProblem.Characters, $"character {i + 1} is '{value[i]}', not in {Alphabet}");
            }
        }

        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return KeyValidation.Fail(KeyProblem.AreaCode, $"area code {value.Slice(2, 6).ToString()} is not 6 digits");
            }
        }

        var organisationCheck = OrganisationCheckCharacter(value.Slice(8, 8));
        if (value[16] != organisationCheck)
        {
            return KeyValidation.Fail(KeyProblem.OrganisationCodeCheck, $"the organisation code's check character is '{value[16]}' but its characters give '{organisationCheck}'");
        }

        var expected = CheckCharacter(value[..17]);
        if (value[17] != expected)
        {
            return KeyValidation.Fail(KeyProblem.CheckCharacter, $"the check character is '{value[17]}' but the characters give '{expected}'");
        }

        return KeyValidation.Valid;
    }

    public static bool IsValid(ReadOnlySpan<char> value) => Validate(value).IsValid;

    public static CreditCodeParts Parse(string value)
    {
        var validation = Validate(value);
        if (!validation.IsValid)
        {
            throw new FormatException($"Not a valid credit code: {validation.Reason}.");
        }

        return new CreditCodeParts(value[0], value[1], value.Substring(2, 6), value.Substring(8, 9));
    }

    private static int ValueOf(char c) => c < 128 ? AlphabetValue[c] : -1;

    private static sbyte[] BuildAlphabetValue()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}

/// <summary>The parts of a credit code; the organisation code keeps its check character (9 characters).</summary>
public sealed record CreditCodeParts(char RegistrationAuthority, char EntityType, string AreaCode, string OrganisationCode);
