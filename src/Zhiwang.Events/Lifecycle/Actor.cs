using System.Security.Claims;
using Zhiwang.Access;

namespace Zhiwang.Events.Lifecycle;

public enum ActorKind
{
    /// <summary>The platform itself: automatic acceptance and dispatch, the deadline sweep.</summary>
    System,

    /// <summary>A signed-in user with roles, a scope and perhaps a department.</summary>
    User,

    /// <summary>A department system or civic tool calling the API with a key.</summary>
    Client,

    /// <summary>Whoever holds an event's token: the resident who reported it.</summary>
    Reporter,
}

/// <summary>Who acts on an event, as the lifecycle needs to know them. The timeline records <see cref="Name"/>.</summary>
public sealed record Actor(string Name, ActorKind Kind, IReadOnlyList<string> Roles, string? Scope, string? Department)
{
    public static Actor System { get; } = new("system", ActorKind.System, [], Scopes.City, null);

    /// <summary>A resident following their own event by its token; the timeline names them "reporter".</summary>
    public static Actor Reporter { get; } = new("reporter", ActorKind.Reporter, [], null, null);

    public static Actor From(ClaimsPrincipal principal)
    {
        var name = principal.Identity?.Name ?? "anonymous";
        if (principal.FindFirst(AccessClaims.ClientKeyId) is not null)
        {
            return new Actor("client:" + name, ActorKind.Client, [], principal.ScopeOf() ?? Scopes.City, null);
        }

        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        return new Actor(name, ActorKind.User, roles, principal.ScopeOf(), principal.DepartmentOf());
    }

    public bool Has(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>True when this actor's scope contains the division (a grid, community, street, district code).</summary>
    public bool Covers(string divisionCode) => Scope is { } scope && Scopes.Contains(scope, divisionCode);
}
