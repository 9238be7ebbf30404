using System.CommandLine;
using Zhiwang.Access.Audit;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang audit verify</c>: walks the hash chain; exit 1 when a link is broken.</summary>
public static class AuditCommand
{
    public static Command Create(DatabaseOptions database)
    {
        var verify = new Command("verify", "Check the audit log's hash chain from the first entry; print OK and the count, or the first broken link (exit 1).");
        verify.SetAction((parseResult, cancellationToken) => database.RunWithAccessAsync(parseResult, cancellationToken, async (db, output) =>
        {
            var result = await new AuditLog(db, TimeProvider.System).VerifyAsync(cancellationToken);
            if (result.IsIntact)
            {
                await output.WriteLineAsync(result.ToString());
                return 0;
            }

            await parseResult.InvocationConfiguration.Error.WriteLineAsync(result.ToString());
            return DatabaseOptions.Failed;
        }));

        var audit = new Command("audit", "The append-only, hash-chained audit log.");
        audit.Subcommands.Add(verify);
        return audit;
    }
}
