namespace CartGraph.Tests.Integration.Projections;

public sealed class LagSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task Lag_is_the_number_of_waiting_messages_and_the_age_of_the_oldest()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 3; c++) await Carts.HandleAsync(db, tenant, $"cart-{c}", Carts.Create(tenant, $"cart-{c}"));
        await Task.Delay(300);
        var processor = Carts.Processor(db, tenant);

        var (events, time) = await processor.MeasureLagAsync();
        Assert.Equal(3, events);
        Assert.True(time >= TimeSpan.FromMilliseconds(250), $"{time}");

        await processor.CatchUpAsync();
        Assert.Equal((0L, TimeSpan.Zero), await processor.MeasureLagAsync());
    }
}
