using NetTopologySuite.Geometries;

namespace Zhiwang.Geo;

/// <summary>
/// Finds the grid containing a point, millions of times a second, without allocating.
/// A uniform raster over the city's bounding box stores, per cell, either the one grid covering the whole cell,
/// "outside every grid", or a short list of candidate grids whose boundaries cross the cell; candidates are tested
/// with a crossing-number (even-odd) test over the grid's rings, flattened into plain double arrays.
/// A point exactly on a boundary between grids goes to one of them (which one is unspecified).
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

    // Per raster cell: a grid index (>= 0), Outside, or -(offset + 2) into _candidates, where the count comes first.
    private readonly int[] _cells;
    private readonly int[] _candidates;

    // Per grid: its vertex range in _xs/_ys and its envelope. Rings follow each other; each ring is closed, and a
    // ring's closing vertex is followed by the next ring's first, so edges are taken only within a ring (_ringEnds).
    private readonly int[] _gridVertexStart;
    private readonly int[] _ringEnds;
    private readonly int[] _gridRingStart;
    private readonly double[] _xs;
    private readonly double[] _ys;
    private readonly double[] _envelopes;

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

        (_xs, _ys, _gridVertexStart, _gridRingStart, _ringEnds, _envelopes) = Flatten(grids);
        (_cells, _candidates) = Rasterise(grids.Count);
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

        var offset = -(value + 2);
        var count = _candidates[offset];
        for (var i = 1; i <= count; i++)
        {
            var grid = _candidates[offset + i];
            if (Contains(grid, longitude, latitude))
            {
                return grid;
            }
        }

        return Outside;
    }

    private bool Contains(int grid, double x, double y)
    {
        var e = grid * 4;
        if (x < _envelopes[e] || y < _envelopes[e + 1] || x > _envelopes[e + 2] || y > _envelopes[e + 3])
        {
            return false;
        }

        var inside = false;
        var xs = _xs;
        var ys = _ys;
        var start = _gridVertexStart[grid];
        for (var r = _gridRingStart[grid]; r < _gridRingStart[grid + 1]; r++)
        {
            var end = _ringEnds[r];
            for (var i = start + 1; i < end; i++)
            {
                var y1 = ys[i - 1];
                var y2 = ys[i];
                // Half-open rule in y: an edge counts when the point's y is in [min, max), so vertices count once.
                if ((y1 > y) != (y2 > y))
                {
                    var xCross = xs[i - 1] + ((y - y1) * (xs[i] - xs[i - 1]) / (y2 - y1));
                    if (x < xCross)
                    {
                        inside = !inside;
                    }
                }
            }

            start = end;
        }

        return inside;
    }

    private static (double[] Xs, double[] Ys, int[] GridVertexStart, int[] GridRingStart, int[] RingEnds, double[] Envelopes)
        Flatten(IReadOnlyList<Polygon> grids)
    {
        var vertexCount = 0;
        var ringCount = 0;
        foreach (var grid in grids)
        {
            vertexCount += grid.NumPoints;
            ringCount += 1 + grid.NumInteriorRings;
        }

        var xs = new double[vertexCount];
        var ys = new double[vertexCount];
        var gridVertexStart = new int[grids.Count + 1];
        var gridRingStart = new int[grids.Count + 1];
        var ringEnds = new int[ringCount];
        var envelopes = new double[grids.Count * 4];
        var v = 0;
        var r = 0;
        for (var g = 0; g < grids.Count; g++)
        {
            gridVertexStart[g] = v;
            gridRingStart[g] = r;
            var polygon = grids[g];
            for (var ring = -1; ring < polygon.NumInteriorRings; ring++)
            {
                var sequence = (ring < 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(ring)).CoordinateSequence;
                for (var i = 0; i < sequence.Count; i++)
                {
                    xs[v] = sequence.GetX(i);
                    ys[v] = sequence.GetY(i);
                    v++;
                }

                ringEnds[r++] = v;
            }

            var e = polygon.EnvelopeInternal;
            envelopes[g * 4] = e.MinX;
            envelopes[(g * 4) + 1] = e.MinY;
            envelopes[(g * 4) + 2] = e.MaxX;
            envelopes[(g * 4) + 3] = e.MaxY;
        }

        gridVertexStart[grids.Count] = v;
        gridRingStart[grids.Count] = r;
        return (xs, ys, gridVertexStart, gridRingStart, ringEnds, envelopes);
    }

    /// <summary>
    /// For each grid: the cells its edges pass through become candidate cells (exact supercover of each edge, row by
    /// row); a cell no edge passes through lies wholly inside or wholly outside the grid, decided by a scanline at the
    /// row's centre (even-odd), so whole cells are found without testing every cell against every grid.
    /// </summary>
    private (int[] Cells, int[] Candidates) Rasterise(int gridCount)
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

        for (var g = 0; g < gridCount; g++)
        {
            touched.Clear();
            var rowMin = RowOf(_envelopes[(g * 4) + 1]);
            var rowMax = RowOf(_envelopes[(g * 4) + 3]);
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
                candidates.Add(entryGrid[e]);
            }

            candidates[offset] = candidates.Count - offset - 1;
            cells[cell] = -(offset + 2);
        }

        return (cells, candidates.ToArray());
    }

    private int RowOf(double y) => Math.Clamp((int)((y - _minY) * CellsPerDegree), 0, _rows - 1);

    private int ColumnOf(double x) => Math.Clamp((int)((x - _minX) * CellsPerDegree), 0, _columns - 1);

    private void ForEachEdge(int grid, Action<double, double, double, double> edge)
    {
        var start = _gridVertexStart[grid];
        for (var r = _gridRingStart[grid]; r < _gridRingStart[grid + 1]; r++)
        {
            var end = _ringEnds[r];
            for (var i = start + 1; i < end; i++)
            {
                edge(_xs[i - 1], _ys[i - 1], _xs[i], _ys[i]);
            }

            start = end;
        }
    }
}
