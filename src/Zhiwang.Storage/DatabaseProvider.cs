namespace Zhiwang.Storage;

/// <summary>The two databases Zhiwang runs on: SQLite embedded by default, PostgreSQL for production.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class DatabaseProviderNames
{
    /// <summary>The folder name under a module's <c>Sql/</c> that holds this provider's migrations.</summary>
    public static string FolderName(this DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.PostgreSql => "postgresql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}
