using CarrierReports.Settings;
using CarrierReports.Runs;
using CarrierReports.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSchedulingOptions();
        var scheduling = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var runs = configuration.GetSection(RunOptions.Section).Get<RunOptions>() ?? new RunOptions();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = Math.Max(1, scheduling.MaxConcurrentRuns));
            if (database.Provider == Cdr.CdrProvider.Postgres)
            {
                // The node name doubles as the Quartz instance id, so the cluster table (qrtz_scheduler_state, shown by
                // 'health') and the run ledger name nodes alike. It must be unique among live nodes.
                q.ConfigureScheduler(o => o.InstanceId = runs.ResolveNodeName());
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
        services.AddHostedService<Rollups.RollupScheduler>();
        return services;
    }

    /// <summary>The <c>Scheduling</c> settings, for <c>serve</c> and for whoever reports on the scheduler (e.g. <c>health</c>).</summary>
    public static IServiceCollection AddSchedulingOptions(this IServiceCollection services)
    {
        services.AddSettings<SchedulingOptions>(SchedulingOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());
        return services;
    }
}
