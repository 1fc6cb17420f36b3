using PdfSharp.Drawing;

namespace CarrierReports.Rendering.Pdf;

/// <summary>One legend entry: a line sample (optionally dashed, with a marker) or a filled square for bars.</summary>
internal sealed record PdfLegendEntry(string Text, XColor Color, double LineWidth, bool Bar = false, bool Dashed = false, bool Marker = false);

/// <summary>
/// The frame of a chart drawn as PDF vectors: grid, axes with tick labels, axis titles and a legend on the right. It maps
/// data to page points; the series themselves are drawn by <see cref="PdfCharts"/> inside <see cref="Plot"/>.
/// Vectors instead of a bitmap: nothing to rasterise, copy and deflate, the text stays text, and it is sharp at any zoom.
/// </summary>
internal sealed class PdfChartFrame
{
    private const double TickLength = 3;
    private const double LegendSample = 18;
    private const double LegendPadding = 6;

    private static readonly XPen FramePen = new(XColor.FromArgb(120, 124, 130), 0.75);
    private static readonly XPen GridPen = new(XColor.FromArgb(226, 229, 233), 0.5);
    private static readonly XBrush TickBrush = new XSolidBrush(PdfStyle.Ink);

    private readonly XGraphics _gfx;
    private readonly PdfStyle _style;
    private readonly double _xMin;
    private readonly double _xMax;
    private readonly double _yMax;

    /// <summary>Lays the frame out in the box and draws grid, axes, titles and legend.</summary>
    /// <param name="yTicks">Values and labels of the vertical axis, from 0 up to <paramref name="yMax"/>.</param>
    public PdfChartFrame(XGraphics gfx, PdfStyle style, XRect box, (double Min, double Max) x, double yMax,
        (double[] Positions, string[] Labels) xTicks, (double[] Values, string[] Labels) yTicks,
        string xTitle, string yTitle, IReadOnlyList<PdfLegendEntry> legend)
    {
        _gfx = gfx;
        _style = style;
        (_xMin, _xMax) = x;
        _yMax = yMax;
        var tickWidth = yTicks.Labels.Max(l => gfx.MeasureString(l, style.ChartTick).Width);
        var legendWidth = legend.Max(e => gfx.MeasureString(e.Text, style.ChartTick).Width) + LegendSample + 3 * LegendPadding;
        var left = box.Left + style.ChartTitle.GetHeight() + 4 + tickWidth + TickLength + 2;
        var bottom = box.Bottom - style.ChartTitle.GetHeight() - style.ChartTick.GetHeight() - TickLength - 4;
        Plot = new XRect(left, box.Top + 6, box.Right - legendWidth - 10 - left, bottom - box.Top - 6);

        VerticalAxis(yTicks, yTitle, box.Left);
        HorizontalAxis(xTicks, xTitle, box.Bottom);
        Legend(legend, legendWidth, box.Right);
    }

    /// <summary>The plot area in page points.</summary>
    public XRect Plot { get; }

    public double X(double value) => Plot.Left + (value - _xMin) / (_xMax - _xMin) * Plot.Width;

    public double Y(double value) => Plot.Bottom - value / _yMax * Plot.Height;

    /// <summary>Draws the frame's border; called after the series so the border is not painted over.</summary>
    public void Border() => _gfx.DrawRectangle(FramePen, Plot);

    private void VerticalAxis((double[] Values, string[] Labels) ticks, string title, double boxLeft)
    {
        for (var i = 0; i < ticks.Values.Length; i++)
        {
            var y = Y(ticks.Values[i]);
            _gfx.DrawLine(GridPen, Plot.Left, y, Plot.Right, y);
            _gfx.DrawLine(FramePen, Plot.Left - TickLength, y, Plot.Left, y);
            _gfx.DrawString(ticks.Labels[i], _style.ChartTick, TickBrush, new XRect(boxLeft, y - 6, Plot.Left - TickLength - 2 - boxLeft, 12), XStringFormats.CenterRight);
        }

        // The axis title reads bottom to top along the axis, as on any printed chart.
        var state = _gfx.Save();
        var centre = new XPoint(boxLeft + _style.ChartTitle.GetHeight() / 2, Plot.Top + Plot.Height / 2);
        _gfx.RotateAtTransform(-90, centre);
        _gfx.DrawString(title, _style.ChartTitle, TickBrush, centre, XStringFormats.Center);
        _gfx.Restore(state);
    }

    private void HorizontalAxis((double[] Positions, string[] Labels) ticks, string title, double boxBottom)
    {
        var labelTop = Plot.Bottom + TickLength + 1;
        for (var i = 0; i < ticks.Positions.Length; i++)
        {
            var x = X(ticks.Positions[i]);
            _gfx.DrawLine(GridPen, x, Plot.Top, x, Plot.Bottom);
            _gfx.DrawLine(FramePen, x, Plot.Bottom, x, Plot.Bottom + TickLength);
            _gfx.DrawString(ticks.Labels[i], _style.ChartTick, TickBrush, new XPoint(x, labelTop), XStringFormats.TopCenter);
        }

        _gfx.DrawString(title, _style.ChartTitle, TickBrush, new XPoint(Plot.Left + Plot.Width / 2, boxBottom - _style.ChartTitle.GetHeight()), XStringFormats.TopCenter);
    }

    private void Legend(IReadOnlyList<PdfLegendEntry> entries, double width, double boxRight)
    {
        var lineHeight = _style.ChartTick.GetHeight() + 3;
        var box = new XRect(boxRight - width, Plot.Top, width, entries.Count * lineHeight + 2 * LegendPadding - 3);
        _gfx.DrawRectangle(FramePen, XBrushes.White, box);
        var y = box.Top + LegendPadding;
        foreach (var entry in entries)
        {
            var middle = y + (lineHeight - 3) / 2;
            var x = box.Left + LegendPadding;
            if (entry.Bar)
            {
                _gfx.DrawRectangle(new XSolidBrush(entry.Color), x + 4, middle - 5, LegendSample - 8, 10);
            }
            else
            {
                var pen = new XPen(entry.Color, entry.LineWidth) { DashStyle = entry.Dashed ? XDashStyle.Dash : XDashStyle.Solid };
                _gfx.DrawLine(pen, x, middle, x + LegendSample, middle);
                if (entry.Marker)
                {
                    _gfx.DrawEllipse(new XSolidBrush(entry.Color), x + LegendSample / 2 - 2, middle - 2, 4, 4);
                }
            }

            _gfx.DrawString(entry.Text, _style.ChartTick, TickBrush, new XPoint(x + LegendSample + LegendPadding, middle), XStringFormats.CenterLeft);
            y += lineHeight;
        }
    }

    /// <summary>Evenly spaced "nice" values (1, 2 or 5 × 10ⁿ) from 0 up to <paramref name="max"/>, six to ten of them.</summary>
    internal static double[] NiceTicks(double max)
    {
        var raw = Math.Max(max, 1) / 8;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw);
        var count = (int)Math.Floor(max / step + 1e-9);
        return Enumerable.Range(0, count + 1).Select(i => i * step).ToArray();
    }
}
