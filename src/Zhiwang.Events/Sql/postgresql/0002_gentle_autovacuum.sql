-- The event tables are written mostly by inserts, at up to thousands of rows a second. Autovacuum still visits them
-- (to set visibility and freeze), and at PostgreSQL's default pace (2 ms of rest per 200 cost units) a visit to a large
-- table takes a good part of a core for seconds, so intake falls behind and its latency jumps. Nothing in these tables
-- needs vacuuming urgently, so let the visit take ten times longer and cost a tenth of the CPU at any moment.
ALTER TABLE event SET (autovacuum_vacuum_cost_delay = 20);
ALTER TABLE event_assignment SET (autovacuum_vacuum_cost_delay = 20);
ALTER TABLE event_timeline SET (autovacuum_vacuum_cost_delay = 20);
