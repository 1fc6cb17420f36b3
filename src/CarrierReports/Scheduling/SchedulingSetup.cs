using CarrierReports.Health;
using CarrierReports.Runs;
using CarrierReports.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace CarrierReports.Scheduling;

public static class SchedulingSetup
{
    /// <summary>
    /// Quartz with one job per subscription. With a PostgreSQL service database the job store is persistent and
    /// clustered (Quartz creates its own tables); with the embedded SQLite default it is in memory, and missed periods
    /// are recovered from the run ledger at start-up instead.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var scheduling = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = Math.Max(1, scheduling.MaxConcurrentRuns));
            if (database.Provider == Cdr.CdrProvider.Postgres)
            {
                // The node name doubles as the Quartz instance id, so the cluster table (qrtz_scheduler_state, shown by
                // 'health') and the run ledger name nodes alike. It must be unique among live nodes.
                q.ConfigureScheduler(o => o.InstanceId = scheduling.ResolveNodeName());
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = scheduling.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = scheduling.ClusterCheckinMisfireThreshold;
                    });
                    store.ConfigureStore(o => o.DbRetryInterval = scheduling.DatabaseRetryInterval);
                    store.ProvisionSchema();
                });
            }
            else
            {
                q.UseInMemoryStore();
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<SubscriptionScheduler>();
        return services;
    }

    /// <summary>What both <c>serve</c> and <c>run</c> need: the ledger, the runner and their settings.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>();
        services.AddOptions<TestFaultOptions>().BindConfiguration(TestFaultOptions.Section);
        services.AddSingleton<RunLedger>();
        services.AddSingleton<SubscriptionRunner>();
        services.AddHealth();
        return services;
    }
}

public sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions o)
    {
        const string s = SchedulingOptions.Section + ":";
        var errors = new List<string>();
        if (o.MaxConcurrentRuns is < 1 or > 256)
        {
            errors.Add($"{s}MaxConcurrentRuns: {o.MaxConcurrentRuns} is outside 1..256");
        }

        if (o.MaxCatchUpRuns is < 0 or > 10_000)
        {
            errors.Add($"{s}MaxCatchUpRuns: {o.MaxCatchUpRuns} is outside 0..10000");
        }

        if (o.MaxRunAttempts is < 1 or > 100)
        {
            errors.Add($"{s}MaxRunAttempts: {o.MaxRunAttempts} is outside 1..100");
        }

        if (o.RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{s}RetryDelay: must not be negative");
        }

        if (o.HeartbeatInterval <= TimeSpan.Zero || o.StaleRunAfter <= o.HeartbeatInterval * 2)
        {
            errors.Add($"{s}StaleRunAfter: {o.StaleRunAfter} must be more than twice HeartbeatInterval ({o.HeartbeatInterval})");
        }

        if (o.DatabaseRetryInterval <= TimeSpan.Zero)
        {
            errors.Add($"{s}DatabaseRetryInterval: must be positive");
        }

        if (o.ClusterCheckinInterval <= TimeSpan.Zero || o.ClusterCheckinMisfireThreshold <= o.ClusterCheckinInterval)
        {
            errors.Add($"{s}ClusterCheckinMisfireThreshold: {o.ClusterCheckinMisfireThreshold} must be more than ClusterCheckinInterval ({o.ClusterCheckinInterval})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
