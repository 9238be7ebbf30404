#!/bin/bash
# Snapshot of PostgreSQL's I/O and WAL counters for one database: snap.sh DATABASE OUT_FILE
# Take one before a benchmark and one after, then compare them with diff.py.
# Runs psql as the postgres user, or the command in PSQL (e.g. PSQL="psql -h localhost -U postgres").
set -euo pipefail
db=${1:?database}; out=${2:?output file}
sql="
select 'idx', indexrelname, idx_blks_read, idx_blks_hit from pg_statio_user_indexes where idx_blks_read + idx_blks_hit > 0;
select 'tbl', relname, heap_blks_read, heap_blks_hit from pg_statio_user_tables where heap_blks_read + heap_blks_hit > 0;
select 'wal', '', wal_records, wal_fpi, wal_bytes, wal_write, wal_sync from pg_stat_wal;
select 'bgw', '', checkpoints_timed, checkpoints_req, buffers_checkpoint, buffers_clean, buffers_backend, buffers_alloc from pg_stat_bgwriter;"
if [ -z "${PSQL:-}" ]; then
  su postgres -c "psql -d '$db' -At -F '|'" <<< "$sql" > "$out"
else
  $PSQL -d "$db" -At -F '|' <<< "$sql" > "$out"
fi
