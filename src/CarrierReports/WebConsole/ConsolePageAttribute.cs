namespace CarrierReports.WebConsole;

/// <summary>Marks the endpoints of console pages (through <see cref="ConsolePageModel"/>): a request for one without a session is redirected to the sign-in form instead of answered 401.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ConsolePageAttribute : Attribute;
