-- The likely-duplicate check at intake looks for open events of the same class near the reported place. Keyed by
-- (class, community, time), the index handed it every event of the class in the community within the window, and each
-- had to be read from the table to see its place and state: with a few million events in the window that was some 26
-- random table reads per report, most of PostgreSQL's work at intake. Keyed by a cell of about 220 m × 205 m instead,
-- the check reads only the cells around the place (four to nine), a tenth of the events or less.
-- The cell is a function of the point alone, so the index and the query compute it the same way.
CREATE FUNCTION event_cell(lat DOUBLE PRECISION, lon DOUBLE PRECISION) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT floor(lat / 0.002)::bigint * 1000000 + floor(lon / 0.002)::bigint $$;

-- The cells a circle of radius_m metres around the point touches. The box is widened by a hundredth so that rounding
-- never leaves out a cell the equirectangular distance would reach.
CREATE FUNCTION event_cells_near(lat DOUBLE PRECISION, lon DOUBLE PRECISION, radius_m DOUBLE PRECISION) RETURNS BIGINT[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT array_agg(y * 1000000 + x)
    FROM (SELECT radius_m * 1.01 / 111194.93 AS d_lat) AS la,
         LATERAL (SELECT d_lat / cos(radians(least(abs(lat) + d_lat, 89.0))) AS d_lon) AS lo,
         generate_series(floor((lat - d_lat) / 0.002)::bigint, floor((lat + d_lat) / 0.002)::bigint) AS y,
         generate_series(floor((lon - d_lon) / 0.002)::bigint, floor((lon + d_lon) / 0.002)::bigint) AS x
    $$;

DROP INDEX event_nearby;
CREATE INDEX event_nearby ON event (class_code, event_cell(lat, lon), reported_at);
-- Statistics for the new key now: until the next automatic ANALYZE the planner would guess, and a bad guess makes the
-- intake statement look expensive enough to be compiled at every execution (JIT) or planned the slow way.
ANALYZE event;
