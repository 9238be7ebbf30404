using Microsoft.AspNetCore.Builder;

namespace Zhiwang.Access;

/// <summary>Named authorization policies: one per role (<c>role:&lt;role&gt;</c>) and one per known grant (<c>grant:&lt;grant&gt;</c>).</summary>
public static class AccessPolicies
{
    public const string Administrator = "role:" + Roles.Administrator;

    /// <summary>The grants that have a named policy; any other grant can be required with <see cref="RequireGrant{TBuilder}"/>.</summary>
    public static IReadOnlyList<string> KnownGrants { get; } =
        [Grants.Open311, "verify:person", "verify:legal_entity", "verify:house", "lookup:person", "changes:person", "certificate:read", "open_data"];

    public static string ForRole(string role) => "role:" + role;

    public static string ForGrant(string grant) => "grant:" + grant;

    /// <summary>Requires a department client holding <paramref name="grant"/> (or a wildcard covering it) for these endpoints.</summary>
    public static TBuilder RequireGrant<TBuilder>(this TBuilder builder, string grant)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Grants.Allows(context.User.FindAll(AccessClaims.Grant).Select(c => c.Value), grant)));
}
