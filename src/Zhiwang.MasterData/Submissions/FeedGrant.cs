using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Zhiwang.MasterData.Submissions;

/// <summary>
/// Who may submit a department's records: an API client holding <c>feed:&lt;department&gt;</c> (or <c>feed:*</c>)
/// for the department in the route. Deny by default: no grant, another department's grant, or a signed-in person
/// (people hold roles, not grants) is refused. The grant claim is the Access module's; MasterData may not reference
/// it, so its name is repeated here.
/// </summary>
public static class FeedGrant
{
    /// <summary>The policy of the submission endpoints; the department comes from the route.</summary>
    public const string Policy = "grant:feed:{department}";

    /// <summary>The claim holding one grant of an API client (Access: <c>AccessClaims.Grant</c>).</summary>
    public const string GrantClaim = "zhiwang:grant";

    public const string Prefix = "feed:";

    /// <summary>The grant allowing a client to submit one department's records: <c>feed:public_security</c>.</summary>
    public static string For(string department) => Prefix + department;

    /// <summary>True when one of the principal's grants covers <c>feed:&lt;department&gt;</c>, by Access's rule: equal, or a prefix ending in <c>:*</c>.</summary>
    public static bool Allows(ClaimsPrincipal principal, string department)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var needed = For(department);
        return principal.FindAll(GrantClaim).Select(c => c.Value).Any(grant => grant == needed
            || (grant.EndsWith(":*", StringComparison.Ordinal) && needed.StartsWith(grant[..^1], StringComparison.Ordinal)));
    }

    internal sealed class Requirement : IAuthorizationRequirement;

    internal sealed class Handler : AuthorizationHandler<Requirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
        {
            if (context.Resource is HttpContext http && http.GetRouteValue("department") is string department && Allows(context.User, department))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
