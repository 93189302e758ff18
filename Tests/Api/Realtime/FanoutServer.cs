using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace CartGraph.Tests.Api.Realtime;

/// <summary>An API whose subscribers each hold at most <see cref="Buffer"/> events not yet delivered.</summary>
public sealed class FanoutServer(IMessageSink diagnostics) : ApiServer(diagnostics)
{
    public const int Buffer = 4;

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Configuration["Realtime:SubscriberBuffer"] = Buffer.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
