using CarrierReports.Access;
using CarrierReports.Identity;
using CarrierReports.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Web;

/// <summary>The scope check endpoints call: outside the scope is the same 404 as nothing at all.</summary>
public sealed class RequestActorTests
{
    [Fact]
    public async Task CheckScope_AllowsCarriersInScope_Answers404ProblemOutside_AndDeniesAnonymous()
    {
        var scoped = Context(new Actor("key", Role.Viewer, CarrierScope.Of(["544", "545"]), AuthMethod.ApiKey, "0123456789abcdef"));
        Assert.Null(scoped.CheckScope("544"));
        Assert.Equal("key", scoped.Actor().Name);
        Assert.Equal(StatusCodes.Status404NotFound, await StatusOfAsync(scoped.CheckScope("546")!));

        var all = Context(new Actor("admin", Role.Admin, CarrierScope.All, AuthMethod.Password, null));
        Assert.Null(all.CheckScope("999"));

        var anonymous = new DefaultHttpContext();
        Assert.Null(anonymous.ActorOrNull());
        Assert.False(anonymous.MaySee("544"));
        Assert.Throws<InvalidOperationException>(() => anonymous.Actor());
    }

    private static DefaultHttpContext Context(Actor actor) => new() { User = ActorClaims.ToPrincipal(actor, "test") };

    private static async Task<int> StatusOfAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        return context.Response.StatusCode;
    }
}
