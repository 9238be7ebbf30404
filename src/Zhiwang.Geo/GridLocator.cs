using NetTopologySuite.Geometries;

namespace Zhiwang.Geo;

/// <summary>
/// Finds the grid containing a point, millions of times a second, without allocating.
/// A uniform raster over the city's bounding box stores, per cell, either the one grid covering the whole cell,
/// "outside every grid", or a short list of candidate grids whose boundaries cross the cell; candidates are tested
/// with a crossing-number (even-odd) test over the grid's rings, flattened into plain double arrays.
/// A point exactly on a boundary between grids goes to one of them (which one is unspecified).
/// Immutable once built, so any number of threads may call <see cref="Locate"/> at once.
/// </summary>
public sealed class GridLocator
{
    /// <summary>Raster cells per degree: 1/2048° is about 50 m, finer than the densest grids (about 150 m across).</summary>
    private const int CellsPerDegree = 2048;

    private const int Outside = -1;

    private readonly double _minX;
    private readonly double _minY;
    private readonly int _columns;
    private readonly int _rows;

    // Per raster cell: a grid index (>= 0), Outside, or -(offset + 2) into _candidates, which holds there the number
    // of candidates followed by (grid, first vertex, end vertex) for each, so a lookup touches few cache lines.
    private readonly int[] _cells;
    private readonly int[] _candidates;

    // All grids' vertices as x, y pairs. A grid is one closed vertex sequence: its exterior ring, then each hole
    // followed by a step back to the exterior's first vertex. The step to a hole and back is the same segment twice,
    // so it adds 0 or 2 crossings and leaves the even-odd test unchanged.
    private readonly double[] _xy;
    private readonly int[] _gridStart;

    internal GridLocator(IReadOnlyList<Polygon> grids)
    {
        var envelope = new Envelope();
        foreach (var grid in grids)
        {
            envelope.ExpandToInclude(grid.EnvelopeInternal);
        }

        _minX = Math.Floor(envelope.MinX * CellsPerDegree) / CellsPerDegree;
        _minY = Math.Floor(envelope.MinY * CellsPerDegree) / CellsPerDegree;
        _columns = (int)Math.Ceiling((envelope.MaxX - _minX) * CellsPerDegree) + 1;
        _rows = (int)Math.Ceiling((envelope.MaxY - _minY) * CellsPerDegree) + 1;

        (_xy, _gridStart) = Flatten(grids);
        (_cells, _candidates) = Rasterise(grids);
    }

    /// <summary>Number of raster cells, for diagnostics.</summary>
    public int RasterCellCount => _cells.Length;

    /// <summary>Share of raster cells answered without a point-in-polygon test (inside one grid, or outside all).</summary>
    public double DirectCellShare => _cells.Count(v => v >= Outside) / (double)_cells.Length;

    /// <summary>Index into <see cref="CityMap.Grids"/> of the grid containing the point, or -1 outside the city.</summary>
    public int Locate(double longitude, double latitude)
    {
        var fx = (longitude - _minX) * CellsPerDegree;
        var fy = (latitude - _minY) * CellsPerDegree;
        // Written so that NaN fails too; a cast alone would truncate -0.5 to column 0.
        if (!(fx >= 0 && fx < _columns && fy >= 0 && fy < _rows))
        {
            return Outside;
        }

        var value = _cells[((int)fy * _columns) + (int)fx];
        if (value >= Outside)
        {
            return value;
        }

        var candidates = _candidates;
        var offset = -(value + 2);
        var end = offset + 1 + (3 * candidates[offset]);
        for (var i = offset + 1; i < end; i += 3)
        {
            if (Contains(candidates[i + 1], candidates[i + 2], longitude, latitude))
            {
                return candidates[i];
            }
        }

        return Outside;
    }

    /// <summary>Crossing number of a ray from the point towards +x over the edges of vertices [first, end).</summary>
    private bool Contains(int first, int end, double x, double y)
    {
        var xy = _xy;
        var inside = false;
        var x1 = xy[2 * first];
        var y1 = xy[(2 * first) + 1];
        for (var i = first + 1; i < end; i++)
        {
            var x2 = xy[2 * i];
            var y2 = xy[(2 * i) + 1];
            // Half-open rule in y: an edge counts when the point's y is in [min, max), so vertices count once.
            if ((y1 > y) != (y2 > y) && x < x1 + ((y - y1) * (x2 - x1) / (y2 - y1)))
            {
                inside = !inside;
            }

            x1 = x2;
            y1 = y2;
        }

        return inside;
    }

    private static (double[] Xy, int[] GridStart) Flatten(IReadOnlyList<Polygon> grids)
    {
        var xy = new List<double>();
        var gridStart = new int[grids.Count + 1];
        for (var g = 0; g < grids.Count; g++)
        {
            gridStart[g] = xy.Count / 2;
            var polygon = grids[g];
            Append(polygon.ExteriorRing.CoordinateSequence);
            for (var h = 0; h < polygon.NumInteriorRings; h++)
            {
                Append(polygon.GetInteriorRingN(h).CoordinateSequence);
                xy.Add(polygon.ExteriorRing.CoordinateSequence.GetX(0));
                xy.Add(polygon.ExteriorRing.CoordinateSequence.GetY(0));
            }
        }

        gridStart[grids.Count] = xy.Count / 2;
        return (xy.ToArray(), gridStart);

        void Append(NetTopologySuite.Geometries.CoordinateSequence ring)
        {
            for (var i = 0; i < ring.Count; i++)
            {
                xy.Add(ring.GetX(i));
                xy.Add(ring.GetY(i));
            }
        }
    }

    /// <summary>
    /// For each grid: the cells its edges pass through become candidate cells (exact supercover of each edge, row by
    /// row); a cell no edge passes through lies wholly inside or wholly outside the grid, decided by a scanline at the
    /// row's centre (even-odd), so whole cells are found without testing every cell against every grid.
    /// </summary>
    private (int[] Cells, int[] Candidates) Rasterise(IReadOnlyList<Polygon> grids)
    {
        var cells = new int[_columns * _rows];
        Array.Fill(cells, Outside);
        // Candidate lists as singly linked lists per cell while building.
        var head = new int[cells.Length];
        Array.Fill(head, -1);
        var entryGrid = new List<int>(1 << 20);
        var entryNext = new List<int>(1 << 20);
        var touched = new HashSet<int>();
        var crossings = new List<double>();
        var cellSize = 1.0 / CellsPerDegree;

        for (var g = 0; g < grids.Count; g++)
        {
            touched.Clear();
            var rowMin = RowOf(grids[g].EnvelopeInternal.MinY);
            var rowMax = RowOf(grids[g].EnvelopeInternal.MaxY);
            ForEachEdge(g, (x1, y1, x2, y2) =>
            {
                var r1 = RowOf(Math.Min(y1, y2));
                var r2 = RowOf(Math.Max(y1, y2));
                for (var row = r1; row <= r2; row++)
                {
                    // The part of the edge within this row's band, clamped to the edge's own extent.
                    var bandLow = _minY + (row * cellSize);
                    var bandHigh = bandLow + cellSize;
                    double xa, xb;
                    if (y1 == y2)
                    {
                        xa = x1;
                        xb = x2;
                    }
                    else
                    {
                        var ta = Math.Clamp((bandLow - y1) / (y2 - y1), 0, 1);
                        var tb = Math.Clamp((bandHigh - y1) / (y2 - y1), 0, 1);
                        xa = x1 + (ta * (x2 - x1));
                        xb = x1 + (tb * (x2 - x1));
                    }

                    var c1 = ColumnOf(Math.Min(xa, xb));
                    var c2 = ColumnOf(Math.Max(xa, xb));
                    for (var column = c1; column <= c2; column++)
                    {
                        touched.Add((row * _columns) + column);
                    }
                }
            });

            foreach (var cell in touched)
            {
                entryGrid.Add(g);
                entryNext.Add(head[cell]);
                head[cell] = entryGrid.Count - 1;
            }

            // Cells no edge touches: inside exactly when their centre is, found by a scanline per row.
            for (var row = rowMin; row <= rowMax; row++)
            {
                var y = _minY + ((row + 0.5) * cellSize);
                crossings.Clear();
                ForEachEdge(g, (x1, y1, x2, y2) =>
                {
                    if ((y1 > y) != (y2 > y))
                    {
                        crossings.Add(x1 + ((y - y1) * (x2 - x1) / (y2 - y1)));
                    }
                });
                crossings.Sort();
                for (var k = 0; k + 1 < crossings.Count; k += 2)
                {
                    // Columns whose centre lies in [crossings[k], crossings[k+1]).
                    var from = (int)Math.Ceiling(((crossings[k] - _minX) * CellsPerDegree) - 0.5);
                    var to = (int)Math.Ceiling(((crossings[k + 1] - _minX) * CellsPerDegree) - 0.5) - 1;
                    for (var column = Math.Max(from, 0); column <= Math.Min(to, _columns - 1); column++)
                    {
                        var cell = (row * _columns) + column;
                        if (!touched.Contains(cell))
                        {
                            cells[cell] = g;
                        }
                    }
                }
            }
        }

        var candidates = new List<int>();
        for (var cell = 0; cell < cells.Length; cell++)
        {
            // A cell wholly inside one grid needs no list: grids do not overlap, so no other grid can contain its points.
            if (cells[cell] >= 0 || head[cell] < 0)
            {
                continue;
            }

            var offset = candidates.Count;
            candidates.Add(0);
            for (var e = head[cell]; e >= 0; e = entryNext[e])
            {
                var grid = entryGrid[e];
                candidates.Add(grid);
                candidates.Add(_gridStart[grid]);
                candidates.Add(_gridStart[grid + 1]);
            }

            candidates[offset] = (candidates.Count - offset - 1) / 3;
            cells[cell] = -(offset + 2);
        }

        return (cells, candidates.ToArray());
    }

    private int RowOf(double y) => Math.Clamp((int)((y - _minY) * CellsPerDegree), 0, _rows - 1);

    private int ColumnOf(double x) => Math.Clamp((int)((x - _minX) * CellsPerDegree), 0, _columns - 1);

    private void ForEachEdge(int grid, Action<double, double, double, double> edge)
    {
        for (var i = _gridStart[grid] + 1; i < _gridStart[grid + 1]; i++)
        {
            edge(_xy[2 * (i - 1)], _xy[(2 * (i - 1)) + 1], _xy[2 * i], _xy[(2 * i) + 1]);
        }
    }
}
