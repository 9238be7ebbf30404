using System.CommandLine;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Users;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang users add</c>: a user with a generated password, printed once as the last line.</summary>
public static class UsersCommand
{
    public static Command Create(DatabaseOptions database)
    {
        var name = new Option<string>("--name") { Description = "Sign-in name (no spaces).", Required = true };
        var role = new Option<string[]>("--role")
        {
            Description = "Role; repeat for several: " + string.Join(", ", Roles.All) + ".",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var scope = new Option<string>("--scope")
        {
            Description = "Division code the user works in: 440300 (city), a district (6 digits), street (12), community (15) or grid (18).",
            Required = true,
        };

        var department = new Option<string?>("--department")
        {
            Description = "The department the user works for (an event handler needs one), e.g. urban_management.",
        };

        var add = new Command("add", "Create a user; their password is generated and printed once, as the last line.");
        add.Options.Add(name);
        add.Options.Add(role);
        add.Options.Add(scope);
        add.Options.Add(department);
        add.SetAction((parseResult, cancellationToken) => database.RunWithAccessAsync(parseResult, cancellationToken, async (db, output) =>
        {
            var users = new UserAccounts(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);
            var created = await users.CreateAsync(
                parseResult.GetValue(name)!, parseResult.GetValue(role)!, parseResult.GetValue(scope)!, parseResult.GetValue(department),
                DatabaseOptions.Actor, cancellationToken);
            await output.WriteLineAsync(
                $"Created user '{created.User.Name}' with role(s) {string.Join(", ", created.User.Roles)} in scope {created.User.Scope}"
                + (created.User.Department is { } dept ? $", department {dept}." : "."));
            await output.WriteLineAsync("Password (shown only this once):");
            await output.WriteLineAsync(created.Password);
            return 0;
        }));

        var command = new Command("users", "People who sign in: roles and scope.");
        command.Subcommands.Add(add);
        return command;
    }
}
