-- Retention: a flashback archive bounds how long history is kept. Tables join
-- it; history older than the retention is removed automatically (at most
-- daily), and PURGE removes it on demand. HELIOSQL_HISTORY_STATS shows the
-- effect.

CREATE FLASHBACK ARCHIVE logs_archive TABLESPACE ts1 QUOTA 10 G RETENTION 30 DAY;
CREATE TABLE logs (id INTEGER PRIMARY KEY, message VARCHAR2(40)) FLASHBACK ARCHIVE logs_archive;

INSERT INTO logs VALUES (1, 'started'), (2, 'warming up');
UPDATE logs SET message = 'running' WHERE id = 1;
UPDATE logs SET message = 'ready' WHERE id = 2;
DELETE FROM logs WHERE id = 2;
SELECT current_scn FROM v$database;

SELECT flashback_archive_name, retention_in_days, status FROM dba_flashback_archive;
SELECT table_name, flashback_archive_name FROM dba_flashback_archive_tables;

-- Before the purge: the current row and three old versions.
SELECT table_name, retention_days, current_rows, history_rows FROM heliosql_history_stats;

-- Remove the history that ended before SCN 6.
ALTER FLASHBACK ARCHIVE logs_archive PURGE BEFORE SCN 6;
SELECT table_name, current_rows, history_rows FROM heliosql_history_stats;

-- What is left of the history (reading from SCN 7: older SCNs are gone).
SELECT id, message, versions_operation AS op, versions_startscn AS start_scn
FROM logs VERSIONS BETWEEN SCN 7 AND MAXVALUE
ORDER BY versions_startscn NULLS FIRST, id;

-- A longer retention, then leave the archive (the history stays, without a limit).
ALTER FLASHBACK ARCHIVE logs_archive MODIFY RETENTION 1 YEAR;
SELECT retention_in_days FROM dba_flashback_archive;
ALTER TABLE logs NO FLASHBACK ARCHIVE;
SELECT table_name, retention_days FROM heliosql_history_stats;
DROP FLASHBACK ARCHIVE logs_archive;
