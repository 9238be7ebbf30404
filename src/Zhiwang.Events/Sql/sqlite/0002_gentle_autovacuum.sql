-- PostgreSQL's migration 0002 paces autovacuum on the event tables; SQLite has no autovacuum of that kind. The file keeps
-- the two providers' migration versions in step.
SELECT 1;
