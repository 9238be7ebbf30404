namespace Zhiwang.MasterData.Keys;

/// <summary>What is wrong with a key, if anything; the first problem found wins.</summary>
public enum KeyProblem
{
    None = 0,
    Missing,
    Length,
    Characters,
    AreaCode,
    BirthDate,
    OrganisationCodeCheck,
    CheckCharacter,
}

/// <summary>The outcome of validating a key: valid, or the problem and a sentence saying what is wrong.</summary>
public sealed record KeyValidation(KeyProblem Problem, string Reason)
{
    public static readonly KeyValidation Valid = new(KeyProblem.None, "valid");

    public bool IsValid => Problem == KeyProblem.None;

    internal static KeyValidation Fail(KeyProblem problem, string reason) => new(problem, reason);
}
