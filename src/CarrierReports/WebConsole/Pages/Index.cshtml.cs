namespace CarrierReports.WebConsole.Pages;

/// <summary>The overview: what ran today, what fails or is late, what fires next, and the cluster.</summary>
public sealed class IndexModel : ConsolePageModel
{
    public void OnGet()
    {
    }
}
