namespace CarrierReports.Tests.Cli;

/// <summary>The command table CliApp picks a one-command tree from must name each command as the command names itself.</summary>
public sealed class CommandTableTests
{
    private static readonly CarrierReports.Cli.CliContext Context = new(TextWriter.Null, TextWriter.Null, null, null);

    [Fact]
    public void EveryTableName_IsTheNameOfTheCommandItCreates()
    {
        foreach (var (name, create) in CliApp.Commands)
        {
            Assert.Equal(name, create(Context).Name);
        }

        Assert.Equal(CliApp.Commands.Count, CliApp.Commands.Select(c => c.Name).Distinct().Count());
        Assert.Equal(CliApp.Commands.Select(c => c.Name), CliApp.CreateRoot(Context).Subcommands.Select(c => c.Name));
    }

    [Theory]
    [InlineData(new[] { "report", "--carrier", "1" }, "report")]
    [InlineData(new[] { "runs", "list" }, "runs")]
    [InlineData(new[] { "--verbose", "report" }, "*")]
    [InlineData(new[] { "frobnicate" }, "*")]
    [InlineData(new[] { "help" }, "*")]
    public void TheTree_HoldsOnlyTheNamedCommand_OrEveryCommand(string[] args, string expected)
    {
        var names = CliApp.CreateRootFor(Context, args).Subcommands.Select(c => c.Name).ToList();

        Assert.Equal(expected == "*" ? CliApp.Commands.Select(c => c.Name).ToList() : [expected], names);
    }
}
