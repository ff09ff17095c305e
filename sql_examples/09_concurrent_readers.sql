-- Concurrent readers: many users, each reading the shared table at their own
-- point in time. A script has one session, so this shows it the SQL way:
-- several snapshots read side by side in one statement, each consistent on
-- its own, while writes go on. (From Python, each reader would be a
-- connection of its own; readers never block writers or each other.)

CREATE TABLE shared_data (id INTEGER PRIMARY KEY, payload VARCHAR2(10));   -- SCN 2
INSERT INTO shared_data VALUES (1, 'a');                                   -- SCN 3
INSERT INTO shared_data VALUES (2, 'b'), (3, 'c');                         -- SCN 4
DELETE FROM shared_data WHERE id = 1;                                      -- SCN 5
INSERT INTO shared_data VALUES (4, 'd'), (5, 'e'), (6, 'f');               -- SCN 6
UPDATE shared_data SET payload = upper(payload);                           -- SCN 7

-- "User i saw N rows at their SCN": one snapshot per reader, in one query.
WITH readers AS (SELECT 0 AS user_id, 7 AS scn UNION ALL SELECT 1, 6 UNION ALL SELECT 2, 5
                 UNION ALL SELECT 3, 4 UNION ALL SELECT 4, 3)
SELECT r.user_id, r.scn,
       (SELECT count(*) FROM shared_data AS OF SCN 7 WHERE r.scn = 7)
     + (SELECT count(*) FROM shared_data AS OF SCN 6 WHERE r.scn = 6)
     + (SELECT count(*) FROM shared_data AS OF SCN 5 WHERE r.scn = 5)
     + (SELECT count(*) FROM shared_data AS OF SCN 4 WHERE r.scn = 4)
     + (SELECT count(*) FROM shared_data AS OF SCN 3 WHERE r.scn = 3) AS rows_seen
FROM readers r
ORDER BY r.user_id;

-- The same with the version history: a version is visible at SCN s when
-- start <= s < end, so one scan answers every reader at once.
WITH readers AS (SELECT 0 AS user_id, 7 AS scn UNION ALL SELECT 1, 6 UNION ALL SELECT 2, 5
                 UNION ALL SELECT 3, 4 UNION ALL SELECT 4, 3)
SELECT r.user_id, r.scn, count(v.id) AS rows_seen,
       min(v.payload) AS first_payload, max(v.payload) AS last_payload
FROM readers r
LEFT JOIN shared_data VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE v
       ON v.versions_operation <> 'D'
      AND v.versions_startscn <= r.scn
      AND (v.versions_endscn IS NULL OR r.scn < v.versions_endscn)
GROUP BY r.user_id, r.scn
ORDER BY r.user_id;

-- Two snapshots joined: what a reader at SCN 4 and one at SCN 7 disagree on.
SELECT coalesce(a.id, b.id) AS id, a.payload AS at_scn_4, b.payload AS at_scn_7
FROM shared_data AS OF SCN 4 a FULL JOIN shared_data AS OF SCN 7 b ON a.id = b.id
ORDER BY 1;
