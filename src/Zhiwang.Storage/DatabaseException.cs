namespace Zhiwang.Storage;

/// <summary>
/// The database could not be used: a bad connection string, or a server that does not answer.
/// The message is one line naming what failed, fit to show an operator as it is.
/// </summary>
public sealed class DatabaseException : Exception
{
    public DatabaseException(string message)
        : base(message)
    {
    }

    public DatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
