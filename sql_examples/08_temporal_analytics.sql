-- Temporal analytics: questions about how data changed, answered with plain
-- SQL over the version history (GROUP BY, window functions, joins between
-- points in time). Buckets are SCN ranges here so that the output is the same
-- on every run; with real data, group by trunc(versions_starttime) instead.

CREATE TABLE user_sessions (user_id INTEGER PRIMARY KEY, status VARCHAR2(10), clicks INTEGER);
INSERT INTO user_sessions VALUES (1, 'active', 0), (2, 'active', 0), (3, 'idle', 0);   -- SCN 3
UPDATE user_sessions SET clicks = clicks + 5 WHERE status = 'active';                  -- SCN 4
UPDATE user_sessions SET status = 'active' WHERE user_id = 3;                          -- SCN 5
UPDATE user_sessions SET clicks = clicks + 2;                                          -- SCN 6
DELETE FROM user_sessions WHERE user_id = 2;                                           -- SCN 7
INSERT INTO user_sessions VALUES (4, 'active', 1);                                     -- SCN 8
UPDATE user_sessions SET status = 'idle' WHERE user_id = 1;                            -- SCN 9

-- Changes per "period" (SCNs 1-3, 4-6, 7-9) and per operation.
SELECT CAST(floor((versions_startscn - 1) / 3) AS INTEGER) + 1 AS period,
       count(*) AS changes,
       count(*) FILTER (WHERE versions_operation = 'I') AS inserts,
       count(*) FILTER (WHERE versions_operation = 'U') AS updates,
       count(*) FILTER (WHERE versions_operation = 'D') AS deletes
FROM user_sessions VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
GROUP BY period
ORDER BY period;

-- Clicks gained by each user per change, with LAG over each user's versions.
SELECT user_id, versions_startscn AS scn,
       clicks - coalesce(lag(clicks) OVER (PARTITION BY user_id ORDER BY versions_startscn), 0)
           AS gained
FROM user_sessions VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
WHERE versions_operation <> 'D'
ORDER BY user_id, scn;

-- How many users were active at each SCN.
SELECT 3 AS scn, count(*) FILTER (WHERE status = 'active') AS active
    FROM user_sessions AS OF SCN 3
UNION ALL SELECT 5, count(*) FILTER (WHERE status = 'active') FROM user_sessions AS OF SCN 5
UNION ALL SELECT 7, count(*) FILTER (WHERE status = 'active') FROM user_sessions AS OF SCN 7
UNION ALL SELECT 9, count(*) FILTER (WHERE status = 'active') FROM user_sessions AS OF SCN 9
ORDER BY scn;

-- Users whose status differs between SCN 4 and now.
SELECT coalesce(n.user_id, o.user_id) AS user_id, o.status AS at_scn_4, n.status AS now
FROM user_sessions n FULL JOIN user_sessions AS OF SCN 4 o ON o.user_id = n.user_id
WHERE n.status IS DISTINCT FROM o.status
ORDER BY 1;
