namespace CartGraph.Tests.Api.Transport;

/// <summary>One server for the HTTP tests that need no options of their own; body limit 1 KiB to test 413 cheaply.</summary>
public sealed class HttpServerFixture : IAsyncLifetime
{
    public const int BodyLimit = 1024;

    public TransportServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TransportServer.StartAsync(options => options with { MaxRequestBodyBytes = BodyLimit });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
