namespace Zhiwang.Server.Health;

/// <summary>Answers whether the database responds. Storage registers the real one in DI.</summary>
public delegate Task<bool> DatabasePing(CancellationToken cancellationToken);
