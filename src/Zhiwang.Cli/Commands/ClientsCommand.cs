using System.CommandLine;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Clients;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang clients add|revoke</c>: department systems that call the APIs with an API key.</summary>
public static class ClientsCommand
{
    public static Command Create(DatabaseOptions database)
    {
        var name = new Option<string>("--name") { Description = "The department system's name.", Required = true };
        var grant = new Option<string[]>("--grant")
        {
            Description = $"What it may ask for; repeat for several (e.g. {Grants.Open311}, verify:person, {Grants.VerifyAll}).",
            Required = true,
        };

        var add = new Command("add", "Create a client; its API key is generated and printed once, as the last line.");
        add.Options.Add(name);
        add.Options.Add(grant);
        add.SetAction((parseResult, cancellationToken) => database.RunWithAccessAsync(parseResult, cancellationToken, async (db, output) =>
        {
            var clients = new ApiClients(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);
            var created = await clients.CreateAsync(parseResult.GetValue(name)!, parseResult.GetValue(grant)!, DatabaseOptions.Actor, cancellationToken);
            await output.WriteLineAsync(
                $"Created client '{created.Client.Name}' (key id {created.Client.KeyId}) with grant(s) {string.Join(", ", created.Client.Grants)}.");
            await output.WriteLineAsync("API key, sent as 'Authorization: ApiKey <key>' (shown only this once):");
            await output.WriteLineAsync(created.ApiKey);
            return 0;
        }));

        var keyId = new Argument<string>("key-id") { Description = "The client's key id (zw_…)." };
        var revoke = new Command("revoke", "Revoke a client's key at once.");
        revoke.Arguments.Add(keyId);
        revoke.SetAction((parseResult, cancellationToken) => database.RunWithAccessAsync(parseResult, cancellationToken, async (db, output) =>
        {
            var clients = new ApiClients(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);
            var id = parseResult.GetValue(keyId)!;
            if (await clients.RevokeAsync(id, DatabaseOptions.Actor, cancellationToken))
            {
                await output.WriteLineAsync($"Revoked client {id}.");
                return 0;
            }

            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"No active client has key id '{id}'.");
            return DatabaseOptions.Failed;
        }));

        var command = new Command("clients", "Department systems that call the APIs.");
        command.Subcommands.Add(add);
        command.Subcommands.Add(revoke);
        return command;
    }
}
