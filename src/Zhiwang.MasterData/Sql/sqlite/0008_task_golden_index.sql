-- Rebuilding a golden record replaces its open verification tasks; found by golden id, not by a scan of every task
-- (the single-record path does it for every record submitted).
CREATE INDEX verification_task_golden ON verification_task (golden_id, status);
