using System.CommandLine;
using Zhiwang.Cli.Commands;

namespace Zhiwang.Cli;

/// <summary>The <c>zhiwang</c> command line: the same modules as the server, for batch and operator work.</summary>
public static class ZhiwangCommand
{
    public static RootCommand Create()
    {
        var database = new DatabaseOptions();
        var root = new RootCommand("织网 Zhiwang: the city's information base and grid services, from the command line.");
        root.Options.Add(database.ConnectionString);
        root.Options.Add(database.DataDirectory);
        root.Subcommands.Add(DbCommand.Create(database));
        root.Subcommands.Add(AuditCommand.Create(database));
        root.Subcommands.Add(UsersCommand.Create(database));
        root.Subcommands.Add(ClientsCommand.Create(database));
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(LinkCommand.Create());
        root.Subcommands.Add(ImportCommand.Create(database));
        root.Subcommands.Add(ExportCommand.Create(database));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers: exit 0 done, 1 bad arguments or a failed check, 2 database unusable.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
}
