using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access;
using Zhiwang.Access.Users;

namespace Zhiwang.Server.Tests.Access;

/// <summary>
/// The real host on an empty database: the platform's start-up migrates the Access tables (the module no longer
/// does it itself), and the first administrator's password reaches standard output only.
/// </summary>
public sealed partial class FirstRunTests
{
    [Fact]
    public async Task The_server_migrates_access_and_prints_the_first_administrators_password()
    {
        using var printed = new StringWriter();
        await using var factory = new AccessAppFactory();
        await using var app = factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton(new FirstRunConsole(printed))));

        _ = app.Server; // starts the host: platform start-up, then the Access module's
        var users = app.Services.GetRequiredService<UserAccounts>();
        var password = PrintedPassword().Match(printed.ToString());

        (await users.ListAsync(CancellationToken.None)).Select(u => u.Name).ShouldBe([UserAccounts.FirstAdministrator]);
        password.Success.ShouldBeTrue("the password is printed on standard output:\n" + printed);
        (await users.SignInAsync(UserAccounts.FirstAdministrator, password.Groups["password"].Value, CancellationToken.None))
            .Outcome.ShouldBe(SignInOutcome.Succeeded);
    }

    [GeneratedRegex("Password / 密码: (?<password>\\S+)")]
    private static partial Regex PrintedPassword();
}
