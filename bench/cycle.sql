-- Run by bench/cycle.sh; see there.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '256MB';

-- one certificate per row, decisions spread over every day of 2023-2028;
-- each with the audit history it had: surveillance after 11 and 23
-- months, recertification audit after 33, decision after 34; one in ten
-- has its first surveillance two months late (a finding).
CREATE TABLE certificate (id integer PRIMARY KEY, decision date NOT NULL,
						  events certification_event[] NOT NULL);
INSERT INTO certificate
SELECT g, d, ARRAY[ROW('surveillance', (d + CASE WHEN g % 10 = 0 THEN interval '13 months' ELSE interval '11 months' END)::date),
				   ROW('surveillance', (d + interval '23 months')::date),
				   ROW('recertification_audit', (d + interval '33 months')::date),
				   ROW('recertification_decision', (d + interval '34 months')::date)]::certification_event[]
  FROM generate_series(1, :certificates) AS g,
	   LATERAL (SELECT '2023-01-01'::date + g % 2192 AS d) AS x;
VACUUM ANALYZE certificate;

SELECT count(*) AS per_certificate
  FROM certificate c, certification_cycle(c.decision, cycles => 2) s WHERE c.id = 1 \gset

CREATE TEMP TABLE result (measure text, kind text, value numeric);
INSERT INTO result VALUES
	('two-cycle schedule of every certificate (ms)', 'iso27001 certification_cycle()',
	 bench($$SELECT count(s.due_date), count(s.window_start), count(s.window_end), count(s.note)
			   FROM certificate c, certification_cycle(c.decision, cycles => 2) s$$, :runs)),
	('two-cycle schedule of every certificate (ms)', 'plain SQL: generate_series, same rows, month arithmetic',
	 bench(format($$SELECT count(s.due), count(s.ws), count(s.we), count(s.note)
			   FROM certificate c,
					LATERAL (SELECT (c.decision + make_interval(months => 6 * g))::date AS due,
									(c.decision + make_interval(months => 6 * g - 3))::date AS ws,
									(c.decision + make_interval(months => 6 * g + 3))::date AS we,
									'a note' AS note
							   FROM generate_series(1, %s) AS g) s$$, :per_certificate), :runs));

INSERT INTO result VALUES
	('check of every certificate''s history (ms)', 'iso27001 certification_cycle_check()',
	 bench($$SELECT count(f.rule) FROM certificate c, certification_cycle_check(c.decision, c.events) f$$, :runs)),
	('check of every certificate''s history (ms)', 'plain SQL: 12-month and calendar-year rules only',
	 bench($$SELECT count(*) FROM certificate c
			  CROSS JOIN LATERAL (
				SELECT 'SA1' WHERE (SELECT min(e.on_date) FROM unnest(c.events) e WHERE e.kind = 'surveillance')
								   > (c.decision + interval '12 months')::date
				UNION ALL
				SELECT 'YEAR' FROM generate_series(extract(year FROM c.decision)::int + 1,
												   (SELECT extract(year FROM max(e.on_date))::int - 1 FROM unnest(c.events) e)) AS y
				 WHERE NOT EXISTS (SELECT FROM unnest(c.events) e
									WHERE e.kind IN ('surveillance', 'recertification_audit')
									  AND extract(year FROM e.on_date) = y)) f$$, :runs));

SELECT format('Certification-cycle benchmark: %s certificates (%s schedule rows each), median of %s runs, PostgreSQL %s',
			  :certificates, :per_certificate, :runs, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.value AS ms,
	   round(r.value / b.value, 2) AS "ratio to plain SQL"
  FROM result r
  JOIN result b ON b.measure = r.measure AND b.kind LIKE 'plain SQL%'
 ORDER BY r.measure DESC, r.kind;
