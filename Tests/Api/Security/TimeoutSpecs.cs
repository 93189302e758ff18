using System.Diagnostics;
using System.Net;
using CartGraph.Domain.Values;
using CartGraph.Tests.Api.EndToEnd;
using CartGraph.Tests.Integration.CommandHandling;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api.Security;

/// <summary>A server whose second instance lets an operation run one second only.</summary>
public sealed class TimeoutApi(IMessageSink diagnostics) : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public ApiServer Api { get; } = new(diagnostics);

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        BaseAddress = await Api.StartAnotherAsync(builder => builder.Configuration["Limits:OperationTimeout"] = Timeout.ToString());
    }

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// An operation running past the timeout is answered with code TIMEOUT. The schema has one slow field, and no test-only
/// one is added: <c>cart(atLeastVersion:)</c> waits up to 5 s for the read model to reach a version.
/// </summary>
public sealed class TimeoutSpecs(TimeoutApi timeouts) : IClassFixture<TimeoutApi>
{
    private const string Tenant = "lim-timeout";

    [Fact]
    public async Task An_operation_past_the_timeout_is_answered_with_code_TIMEOUT_and_the_next_one_normally()
    {
        using var http = Bearer.For(timeouts.BaseAddress, Tenant);
        var clock = Stopwatch.StartNew();

        var waiting = await http.GraphQLAsync(Operations.Document("Cart"), new { tenantId = Tenant, cartId = "never", atLeastVersion = 1 });
        var took = clock.Elapsed;
        var after = await http.DataOfAsync(Operations.Document("Carts"), new { tenantId = Tenant });

        // Cut off, so no data: a request error (400 in application/graphql-response+json), not the server's failure.
        Assert.True(waiting.Status == HttpStatusCode.BadRequest && waiting.Data is null, waiting.ToString());
        Assert.Equal(["TIMEOUT"], waiting.ErrorCodes);
        Assert.InRange(took, TimeoutApi.Timeout * 0.9, CartGraph.Api.GraphQL.Queries.CartQueries.MaxWaitForVersion - TimeSpan.FromSeconds(1));
        Assert.NotNull(after["carts"]);
    }

    [Fact]
    public async Task Mutations_queued_on_a_cart_whose_append_cannot_go_through_are_answered_TIMEOUT_never_a_conflict()
    {
        var shop = new Shop(timeouts.Api.Http, Tenant);
        await shop.Create("stuck");
        using var http = Bearer.For(timeouts.BaseAddress, Tenant);

        await using (await StreamRowLock.TakeAsync(timeouts.Api.ConnectionString, TenantId.Parse(Tenant), "stuck"))
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                http.GraphQLAsync(Operations.Document("AddItemToCart"), new { input = shop.AddInput("stuck", $"sku-{i}") })));

            Assert.All(answers, answer => Assert.Equal(["TIMEOUT"], answer.ErrorCodes));
        }
    }

    [Fact]
    public async Task A_subscription_outlives_the_operation_timeout()
    {
        var shop = new Shop(timeouts.Api.Http, Tenant);
        await shop.Create("watched");
        await shop.Cart("watched", atLeastVersion: 1);
        await using var subscriber = await Subscriber.SubscribeAsync(Bearer.WebSocketOf(timeouts.BaseAddress), "CartChanged", new { tenantId = Tenant, cartId = "watched" });

        await Task.Delay(TimeoutApi.Timeout * 1.5);
        await shop.Add("watched", "late");
        var changed = await subscriber.NextAsync();

        Assert.Equal(2L, (long)changed["version"]!);
    }
}
