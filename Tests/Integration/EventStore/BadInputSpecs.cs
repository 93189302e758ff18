using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.EventStore;

/// <summary>Malformed appends get a clear error and write nothing.</summary>
public sealed class BadInputSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private async Task<string> Refusal(TenantId tenant, string streamId, NewMessage[] messages)
    {
        var result = await db.Store.AppendAsync(tenant, streamId, "thing", messages, ExpectedVersion.Any);
        var error = result.Match(_ => throw new Xunit.Sdk.XunitException("the append should have been refused"), e => e);
        Assert.IsType<StreamError.InvalidAppend>(error);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE partition = $1", tenant.Value));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM emt_streams WHERE partition = $1", tenant.Value));
        return error.Message;
    }

    [Fact]
    public async Task An_empty_stream_id_is_refused() =>
        Assert.Contains("must not be empty", await Refusal(StoreDatabase.NewTenant(), "", Events(1)));

    [Fact]
    public async Task An_oversized_stream_id_is_refused() =>
        Assert.Contains("at most 256", await Refusal(StoreDatabase.NewTenant(), new string('s', 257), Events(1)));

    [Fact]
    public async Task A_stream_id_with_control_characters_is_refused() =>
        Assert.Contains("control characters", await Refusal(StoreDatabase.NewTenant(), "a\0b", Events(1)));

    [Fact]
    public async Task Zero_messages_are_refused() =>
        Assert.Contains("at least one message", await Refusal(StoreDatabase.NewTenant(), "s", []));

    [Fact]
    public async Task Data_that_is_not_json_is_refused_naming_the_message()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Tenants.ProvisionAsync(tenant);
        Assert.Equal("Message 1 (Broken) has data that is not valid JSON.",
            await Refusal(tenant, "s", [Event(1), new NewMessage("Broken", "{not json"), Event(3)]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("emt:default")]
    [InlineData("x'; DROP TABLE emt_messages; --")]
    public void An_invalid_tenant_id_never_becomes_a_tenant(string raw) =>
        Assert.True(TenantId.Create(raw).IsFail);
}
