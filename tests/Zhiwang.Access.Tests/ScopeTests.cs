using System.Security.Claims;

namespace Zhiwang.Access.Tests;

public sealed class ScopeTests
{
    [Theory]
    [InlineData("440300", "440304", true)]
    [InlineData("440300", "440304001000", true)]
    [InlineData("440304", "440304001000", true)]
    [InlineData("440304", "440304", true)]
    [InlineData("440304", "440303001000", false)]
    [InlineData("440304001000", "440304", false)]
    [InlineData("440300", "110101", false)]
    public void A_scope_contains_the_codes_that_start_with_it_and_the_city_contains_every_district(string scope, string code, bool contains)
    {
        Scopes.Contains(scope, code).ShouldBe(contains);
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(AccessClaims.Scope, scope)], "test")).CanSee(code).ShouldBe(contains);
    }

    [Theory]
    [InlineData("440300", true)]
    [InlineData("440304", true)]
    [InlineData("440304001000", true)]
    [InlineData("440399", false)]
    [InlineData("", false)]
    [InlineData("4403", false)]
    public void A_scope_must_name_a_division_of_shenzhen(string code, bool exists)
    {
        Scopes.Exists(code).ShouldBe(exists);
    }

    [Fact]
    public void Someone_without_a_scope_sees_nothing()
    {
        new ClaimsPrincipal(new ClaimsIdentity()).CanSee("440304").ShouldBeFalse();
    }
}
