using CartGraph.Api.Hosting;
using CartGraph.Tests.Api.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CartGraph.Tests.Api.Hosting;

/// <summary>
/// Every background service is one the instance cannot work without: one that stops for good while the instance runs
/// stops the instance, with a critical line saying why and a failure exit code, never later than the shutdown timeout.
/// (Transient failures never get this far: each service retries them in place.)
/// </summary>
public sealed class RequiredServiceSpecs(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_background_service_that_fails_for_good_stops_the_instance_saying_why_with_a_failure_exit_code()
    {
        var logs = new CapturedLogs();
        var app = await CreateAsync(logs, builder => AddFeedReader(builder, async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("the feed is gone");
        }));
        var failures = app.Services.GetRequiredService<FatalFailures>();

        await app.RunAsync().WaitAsync(Patience);

        Assert.Equal(FatalFailures.FailureExitCode, failures.ExitCode);
        var critical = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("cannot serve any longer: FeedReader failed for good (InvalidOperationException: the feed is gone)", critical.Message);
        Assert.IsType<InvalidOperationException>(critical.Exception);
    }

    [Fact]
    public async Task A_background_service_that_returns_while_the_instance_runs_has_stopped_for_good_too()
    {
        var logs = new CapturedLogs();
        var app = await CreateAsync(logs, builder => AddFeedReader(builder, () => Task.CompletedTask));
        var failures = app.Services.GetRequiredService<FatalFailures>();

        await app.RunAsync().WaitAsync(Patience);

        Assert.Equal(FatalFailures.FailureExitCode, failures.ExitCode);
        Assert.Contains("FeedReader stopped on its own", Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical).Message);
    }

    [Fact]
    public async Task An_instance_stopped_as_asked_exits_0_whatever_its_background_services_do_as_they_stop()
    {
        var logs = new CapturedLogs();
        var app = await CreateAsync(logs, builder => AddFeedReader(builder, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1)); // deaf to the stop
            throw new InvalidOperationException("stopping broke it");
        }));
        var failures = app.Services.GetRequiredService<FatalFailures>();

        app.Lifetime.ApplicationStarted.Register(app.Lifetime.StopApplication);
        await app.RunAsync().WaitAsync(Patience);

        Assert.Equal(0, failures.ExitCode);
        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task A_stop_that_overruns_the_shutdown_timeout_is_cut_short_there()
    {
        var shutdownTimeout = TimeSpan.FromSeconds(1);
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = await CreateAsync(new CapturedLogs(), builder =>
        {
            builder.Configuration["ShutdownTimeout"] = shutdownTimeout.ToString();
            // In place of Environment.FailFast, which would end the test run too.
            builder.Services.AddSingleton(provider => new FatalFailures(provider.GetRequiredService<IHostApplicationLifetime>(),
                provider.GetRequiredService<IOptions<HostOptions>>(), provider.GetRequiredService<ILogger<FatalFailures>>(), ended.SetResult));
            builder.Services.AddHostedService(_ => new StuckOnDispose(release.Task));
            AddFeedReader(builder, async () =>
            {
                await Task.Delay(200);
                throw new InvalidOperationException("the feed is gone");
            });
        });

        var running = app.RunAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var why = await ended.Task.WaitAsync(Patience);
        var elapsed = clock.Elapsed;
        release.SetResult();
        await running.WaitAsync(Patience);

        Assert.Contains("FeedReader failed for good", why);
        Assert.InRange(elapsed, shutdownTimeout - TimeSpan.FromMilliseconds(100), shutdownTimeout + TimeSpan.FromSeconds(5));
    }

    private async Task<WebApplication> CreateAsync(CapturedLogs logs, Action<WebApplicationBuilder> configure)
    {
        var app = await CartGraphApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--environment", "Development"], builder =>
        {
            builder.Configuration["ConnectionStrings:EventStore"] = database.ConnectionString;
            builder.Configuration["Auth:SigningKey"] = TestTokens.SigningKey;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Logging.AddProvider(logs);
            configure(builder);
        });
        return app;
    }

    private static void AddFeedReader(WebApplicationBuilder builder, Func<Task> run) =>
        builder.Services.AddHostedService(provider => new FeedReader(provider.GetRequiredService<IHostApplicationLifetime>(), run));

    /// <summary>A background service of the instance, as the listener or the processor host are: once the instance serves, it runs what it is given.</summary>
    private sealed class FeedReader(IHostApplicationLifetime lifetime, Func<Task> run) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(started.SetResult)) await started.Task;
            await run();
        }
    }

    /// <summary>A service that holds the process up after the host stopped, beyond any timeout, until released.</summary>
    private sealed class StuckOnDispose(Task released) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => released.Wait();
    }
}
