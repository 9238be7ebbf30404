using System.Security.Claims;

namespace Zhiwang.Access;

/// <summary>The claims a signed-in user or client carries. Names and roles use the standard claim types.</summary>
public static class AccessClaims
{
    /// <summary>The division code the user works in; everything they see lies inside it.</summary>
    public const string Scope = "zhiwang:scope";

    /// <summary>The department a user works for (an event handler's), e.g. <c>urban_management</c>.</summary>
    public const string Department = "zhiwang:department";

    /// <summary>One claim per grant a department client holds.</summary>
    public const string Grant = "zhiwang:grant";

    /// <summary>The key id of a department client.</summary>
    public const string ClientKeyId = "zhiwang:client";

    public static string? ScopeOf(this ClaimsPrincipal principal) => principal.FindFirst(Scope)?.Value;

    public static string? DepartmentOf(this ClaimsPrincipal principal) => principal.FindFirst(Department)?.Value;

    public static IReadOnlyList<string> GrantsOf(this ClaimsPrincipal principal) =>
        principal.FindAll(Grant).Select(c => c.Value).ToList();

    /// <summary>True when the principal's scope contains <paramref name="divisionCode"/> (a code contains those that start with it).</summary>
    public static bool CanSee(this ClaimsPrincipal principal, string divisionCode) =>
        principal.ScopeOf() is { } scope && Scopes.Contains(scope, divisionCode);
}
