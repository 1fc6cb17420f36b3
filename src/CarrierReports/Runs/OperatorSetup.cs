using CarrierReports.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Runs;

public static class OperatorSetup
{
    /// <summary>The operator actions outside a run (preview mail, test-send, resend, backfill jobs) and their tables, which <c>db migrate</c> creates.</summary>
    public static IServiceCollection AddOperatorActions(this IServiceCollection services)
    {
        services.TryAddSingleton<OperatorSchema>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaPart, OperatorSchema>(s => s.GetRequiredService<OperatorSchema>()));
        services.TryAddSingleton<ReportRendering>();
        services.TryAddSingleton<ResendStore>();
        services.TryAddSingleton<ResendService>();
        services.TryAddSingleton<BackfillJobStore>();
        return services;
    }

    /// <summary>
    /// The background runner of backfill jobs, in every web host (also <c>--web-only</c> nodes): a job runs in the
    /// process that accepted it; the run ledger's claim keeps two nodes from running one period.
    /// </summary>
    public static IServiceCollection AddBackfillJobs(this IServiceCollection services)
    {
        services.TryAddSingleton<BackfillQueue>();
        services.AddHostedService<BackfillWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapOperatorActionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMailPreviewEndpoints();
        app.MapTestSendEndpoints();
        app.MapResendEndpoints();
        app.MapBackfillEndpoints();
        return app;
    }
}
