using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using Zhiwang.Geo;

namespace Zhiwang.Server.Events;

/// <summary>A small map drawn on the server: the grid's boundary and the event's point as an inline SVG.</summary>
/// <param name="ViewBox">The SVG viewBox.</param>
/// <param name="Outline">The path of the grid's boundary (holes included, drawn even-odd).</param>
/// <param name="X">The event's point.</param>
/// <param name="Radius">The point's radius, in the viewBox's units.</param>
public sealed record EventMapSketch(string ViewBox, string Outline, double X, double Y, double Radius)
{
    private const double Size = 1000;

    /// <summary>
    /// No tile server: the page stays self-contained and works offline. Longitude is scaled by cos(latitude) so the
    /// shape is not stretched (Shenzhen is at 22.5°N), and the drawing is scaled to a 1000-unit box so the numbers stay short.
    /// </summary>
    public static EventMapSketch? Of(string gridCode, double lon, double lat)
    {
        if (CityMap.Shenzhen.FindGrid(gridCode) is not { } grid)
        {
            return null;
        }

        var boundary = grid.Boundary;
        var envelope = new Envelope(boundary.EnvelopeInternal);
        envelope.ExpandToInclude(lon, lat);
        var k = Math.Cos(envelope.Centre.Y * Math.PI / 180);
        var width = Math.Max(envelope.Width * k, 1e-6);
        var height = Math.Max(envelope.Height, 1e-6);
        var scale = Size / Math.Max(width, height);
        (double X, double Y) Project(double x, double y) => ((x - envelope.MinX) * k * scale, (envelope.MaxY - y) * scale);

        var path = new StringBuilder();
        foreach (var ring in new[] { boundary.ExteriorRing }.Concat(boundary.InteriorRings))
        {
            var first = true;
            foreach (var c in ring.Coordinates)
            {
                var (x, y) = Project(c.X, c.Y);
                path.Append(first ? 'M' : 'L').Append(N(x)).Append(' ').Append(N(y));
                first = false;
            }

            path.Append('Z');
        }

        var (px, py) = Project(lon, lat);
        var (w, h) = (width * scale, height * scale);
        var pad = Size * 0.06;
        var viewBox = string.Join(' ', N(-pad), N(-pad), N(w + 2 * pad), N(h + 2 * pad));
        return new EventMapSketch(viewBox, path.ToString(), Math.Round(px, 1), Math.Round(py, 1), Size * 0.018);
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
