namespace Zhiwang.Server.Health;

/// <summary>Answers whether the database responds: Platform/PlatformSetup registers <c>Database.PingAsync</c>.</summary>
public delegate Task<bool> DatabasePing(CancellationToken cancellationToken);
