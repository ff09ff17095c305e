-- One construct per line, used by the parser tests (plans hold plain values) and as
-- the seed corpus of the fuzz tests. A line may hold several ;-separated statements.
with recursive r(n) as (select 1 union all select n+1 from r where n < 10) select * from r
select distinct t.*, u.a from t join u on t.id = u.id left outer join v using (id) natural join w cross join x full join y on 1=1 right join z on true
select * from (select 1 a) sub, (select 2) as s2 (b)
select a, count(*) filter (where b > 1), sum(distinct c) over (partition by d order by e rows between 1 preceding and unbounded following) from t group by a having count(*) > 1 window w as (partition by a)
select rank() over w from t window w as (order by x)
select * from t order by a asc nulls first, b limit 10 offset 5
select * from t fetch next 5 rows only
select * from t offset 2 row
(select 1) union (select 2) minus select 3 intersect all select 4 except select 5
select (select max(a) from t), a in (select b from u), exists (select 1), a not in (1,2)
select case a when 1 then 'x' else 'y' end, case when a > 1 then 1 end, cast(a as varchar2(10 byte)), a::int, b::timestamp with time zone
select a is null, a is not null, a like 'x%' escape '\', a not like 'y', a ilike 'z', a between 1 and 2, a not between 1 and 2
select date '2024-01-01', timestamp '2024-01-01 10:00:00', interval '1' hour, interval '1 hour', interval '1-2' year to month, interval 5 days
select 'a' || 'b', 1 + 2 * 3 - 4 / 5 % 6, -a, +b, not a and b or c, a = b, a <> b, a != b, a < b, a <= b, a > b, a >= b
select dbms_flashback.get_system_change_number, dbms_flashback.get_system_change_number() from dual
select current_scn from v$database
select sysdate, systimestamp, current_timestamp, current_date, "SYSDATE", rownum from dual where rownum <= 10
select :name, :1, ?, ?, '10:30', x::int from t
select extract(year from d), trim(x), substr(a, 1, 2), nvl(a, 0), decode(a, 1, 'x') from t
select "Quoted ""x"" y" from "T"
select 1.5, .5, 1e10, 1.5E-3, 'it''s', true, false, null
select scn, versions, timestamp, date, key, name, type, comment, status, minvalue, maxvalue, period from t
select * from t versions, u scn, v minvalue
select * from emp as of scn 5, emp as of timestamp systimestamp - interval '1' hour e, emp versions between scn minvalue and maxvalue v
select * from t for system_time as of timestamp '2024-01-01', t for system_time as of scn 5, t for system_time as of timestamp systimestamp, t for system_time as of :ts
select * from t for system_time between :a and :b, t for system_time from 1 to 2, t for system_time contained in (1, 2), t for system_time all x
select * from t for system_time between timestamp :a and timestamp '2024-01-01', t for system_time from timestamp :a to :b, t for system_time contained in (timestamp :a, timestamp :b)
alter session set nls_date_format = 'DD-MON-RR' nls_language = american nls_territory = 'AMERICA'
insert into t values (1, 'a'), (2, default)
insert into t (a, b) select a, b from u returning a, b as bb
insert into t (a) values (1) on conflict (a) do update set b = excluded.b where t.c > 0
insert into t values (1) on conflict do nothing
update t x set a = 1, b = (select max(b) from u where u.id = x.id), (c, d) = (select 1, 2) from u where a > 1 returning *
delete from t where a = 1 returning a
delete t x where x.a = 1
merge into t using (select * from s) src on (t.id = src.id) when matched and src.x = 1 then update set t.a = src.a where src.b > 0 when matched then delete when not matched then insert (id, a) values (src.id, src.a)
create table if not exists t (id number(10) primary key, name varchar2(100 char) not null default 'x', c number check (c > 0), d date null unique, constraint pk primary key (id, name), unique (c), check (d > date '2000-01-01')) with system versioning flashback archive fa1
create temporary table tt (a int) without system versioning
create global temporary table tt (a int)
create global temporary table "Gt" (a int, b timestamp(6) with local time zone) on commit preserve rows tablespace temp
create table t (a number(*,0), b interval day(3) to second(2), c float(126)) tablespace users pctfree 10 storage (initial 64k next 1m buffer_pool default) nologging compress for oltp segment creation immediate partition by range (a) (partition p1 values less than (10), partition p2 values less than (maxvalue))
alter table t add (a int default 1 not null, b varchar2(10)), modify (a number(10) default null null), drop (a, b), set unused (c), drop unused columns
alter table t modify b varchar2(20) not null
rename t to "U"
comment on table t is 'text'
comment on column t.c is 'it''s'
create or replace force view "V" as select 1 a from dual
create unique index i on t (upper(a) desc, b) tablespace x compute statistics nologging pctfree 10 storage (initial 1m) online
create table t2 (a, b) as select 1, 2
create table t3 as with x as (select 1) select * from x
drop table if exists t purge
alter table t add column c int default 0 not null, drop column d, rename column a to b
alter table t rename to u
alter table t add system versioning
alter table t flashback archive
alter table t no flashback archive
alter table t enable row movement
create or replace view v (a, b) as select 1, 2
drop view if exists v
create unique index if not exists i on t (a, b)
drop index if exists i
truncate table t
begin; begin transaction; begin work; start transaction; commit; commit work; rollback; rollback work; savepoint s; rollback to savepoint s; rollback to s; release savepoint s; release s; set transaction name 'tx1'
explain select 1; explain analyze select 1; show tables; describe t; desc t
flashback table t, u to scn 5; flashback table t to timestamp systimestamp - 1; flashback table t to restore point rp; flashback table t to before drop rename to t2
create restore point rp; create restore point rp as of scn 10; drop restore point rp
purge table t; purge recyclebin; purge dba_recyclebin; show recyclebin
flashback transaction hextoraw('0A00') backout; flashback transaction :x backout cascade; flashback transaction :x backout nocascade_force
create flashback archive default fa tablespace ts quota 10 g retention 1 year; create flashback archive fa2 retention 30 days
alter flashback archive fa set default; alter flashback archive fa modify retention 2 month; alter flashback archive fa add tablespace ts2 quota 5 m; alter flashback archive fa purge all; alter flashback archive fa purge before scn 100; alter flashback archive fa purge before timestamp systimestamp
drop flashback archive fa
select * from t where a in ((select 1), (select 2))
select count(*) rows_ from t
select * from t where a = any (select b from u) and b > all (select 1) and c <> some (select 2) and d is not distinct from e
select * from t as of scn 5 for update
select listagg(a, ',') within group (order by b) from t
select * from (a join b on x) left join (c cross join d) on y
select * from range(3), generate_series(1, :n) as g(n), main.read_csv('f.csv', header := true, sep := ?) t, unnest(t.l) u(x) join duckdb_tables() d on true
select t.id, x.v, s.n from t, lateral unnest(t.l) x(v) cross join lateral (select count(*) n from u where u.id = t.id) s
-- Oracle's query shapes: (+) joins, hierarchical queries, PIVOT / UNPIVOT, multitable INSERT
SELECT d.dname, e.ename FROM dept d, emp e WHERE e.deptno(+) = d.deptno AND e.job(+) = 'CLERK'
SELECT LPAD(' ', 2 * (LEVEL - 1)) || ename, PRIOR ename, CONNECT_BY_ROOT ename, SYS_CONNECT_BY_PATH(ename, '/') FROM emp START WITH mgr IS NULL CONNECT BY NOCYCLE PRIOR empno = mgr ORDER SIBLINGS BY ename
SELECT LEVEL FROM dual CONNECT BY LEVEL <= 10 START WITH 1 = 1
SELECT * FROM (SELECT job, deptno, sal FROM emp) PIVOT (SUM(sal) AS s, COUNT(*) FOR deptno IN (10 AS d10, 20)) p
SELECT * FROM emp UNPIVOT INCLUDE NULLS ((a, b) FOR kind IN ((sal, comm) AS 'PAY', (mgr, deptno)))
INSERT ALL INTO t1 VALUES (a) INTO t2 (x, y) VALUES (a, DEFAULT) INTO t3 SELECT a FROM t
INSERT FIRST WHEN a > 1 THEN INTO t1 WHEN a > 0 THEN INTO t2 VALUES (a) ELSE INTO t3 WITH s AS (SELECT 1 a FROM dual) SELECT a FROM s
INSERT INTO t (a, b) (SELECT a, b FROM u)
