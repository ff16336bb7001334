-- Run by bench/bi.sh; see there.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '256MB';

-- :scopes scopes x 93 decided entries, loaded in bulk with the triggers off
-- (as bench/soa.sql); each certified, with a two-event audit history
INSERT INTO soa_scope (name) SELECT 'scope-' || g FROM generate_series(1, :scopes) AS g;
SET session_replication_role = replica;
INSERT INTO soa_register (scope_id, control_key, control, entry, justification, owner, evidence)
SELECT s.scope_id, c.control::text, c.control,
	   CASE WHEN (s.scope_id + c.n) % 97 = 0 THEN NULL
			WHEN c.theme = 'Physical' AND s.scope_id % 3 = 0 THEN 'excluded'
			WHEN (s.scope_id + c.n) % 11 = 0 THEN 'applicable, planned (risk treatment)'
			ELSE 'applicable, implemented (risk treatment, contractual)' END::soa_entry,
	   'Risk assessment RA-' || s.scope_id, 'CISO',
	   ARRAY['https://evidence.example/' || s.scope_id || '/' || c.control]
  FROM soa_scope s,
	   (SELECT control, theme, row_number() OVER (ORDER BY control) AS n FROM annex_a_2022) c;
RESET session_replication_role;
INSERT INTO certificate (scope_id, certification_decision, certificate_number, certification_body)
SELECT scope_id, '2023-01-01'::date + scope_id::integer % 1400, 'C-' || scope_id, 'Example CB'
  FROM soa_scope;
INSERT INTO certification_audit (scope_id, kind, on_date)
SELECT scope_id, 'stage2', certification_decision - 20 FROM certificate
UNION ALL
SELECT scope_id, 'surveillance', certification_decision + 330 FROM certificate
 WHERE certification_decision + 330 < CURRENT_DATE;
-- one scope with five years of weekly campaigns of about 400 messages
INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT 1, 'phishing_click_rate', '2021-11-29 09:00+00'::timestamptz + w * interval '1 week',
	   round((400 - (w * 7) % 23) * (0.18 - 0.12 * w / 260.0 + 0.025 * sin(w * 1.7))), 400 - (w * 7) % 23
  FROM generate_series(0, 260) AS w;
VACUUM ANALYZE;

CREATE TEMP TABLE result (measure text, kind text, value numeric);

-- the certification calendar: the view, and its query by hand with the
-- audit histories aggregated in one pass
INSERT INTO result VALUES
	('certification calendar, 10,000 scopes (ms)', 'iso27001_bi.certification_calendar',
	 bench('SELECT sum(length(v::text)) FROM iso27001_bi.certification_calendar v', :runs)),
	('certification calendar, 10,000 scopes (ms)', 'by hand: certification_next_due over grouped histories',
	 bench($$SELECT sum(length(q::text)) FROM (
		SELECT c.scope_id, s.name AS scope, c.certificate_number, c.certification_body,
			   c.certification_decision, d.event, d.due_date, d.window_start, d.window_end,
			   d.days_left, d.requirement, d.ord = 1 AS is_next, d.basis, d.note
		  FROM certificate c
		  JOIN soa_scope s ON s.scope_id = c.scope_id
		  LEFT JOIN (SELECT a.scope_id, array_agg(ROW(a.kind, a.on_date)::certification_event
												  ORDER BY a.on_date, a.kind) AS events
					   FROM certification_audit a GROUP BY a.scope_id) h ON h.scope_id = c.scope_id
		 CROSS JOIN LATERAL certification_next_due(c.certification_decision, coalesce(h.events, '{}'),
												   CURRENT_DATE, edition => c.edition) WITH ORDINALITY
			   AS d(event, due_date, window_start, window_end, days_left, requirement, basis, note, ord)) q$$, :runs));

-- coverage by theme: the view, and by hand with plain counts
INSERT INTO result VALUES
	('coverage by theme, 10,000 scopes (ms)', 'iso27001_bi.soa_coverage_by_theme',
	 bench('SELECT sum(length(v::text)) FROM iso27001_bi.soa_coverage_by_theme v', :runs)),
	('coverage by theme, 10,000 scopes (ms)', 'by hand: GROUP BY with count(*) FILTER',
	 bench($$SELECT sum(length(q::text)) FROM (
		SELECT g.*, round(g.implemented::numeric / NULLIF(g.applicable, 0), 4) AS implemented_share
		  FROM (SELECT r.scope_id, s.name AS scope, coalesce(x.section, 'Organization-defined') AS theme,
					   coalesce(x.section_order, 1000) AS theme_order, count(*) AS controls,
					   count(*) FILTER (WHERE r.entry IS NULL) AS undecided,
					   count(*) FILTER (WHERE NOT is_applicable(r.entry)) AS excluded,
					   count(*) FILTER (WHERE is_applicable(r.entry)) AS applicable,
					   count(*) FILTER (WHERE implementation(r.entry) = 'not implemented') AS not_implemented,
					   count(*) FILTER (WHERE implementation(r.entry) = 'planned') AS planned,
					   count(*) FILTER (WHERE implementation(r.entry) = 'partially implemented') AS partially_implemented,
					   count(*) FILTER (WHERE implementation(r.entry) = 'implemented') AS implemented
				  FROM soa_register r
				  JOIN soa_scope s ON s.scope_id = r.scope_id
				  LEFT JOIN annex_a_sections x ON x.control = r.control
				 GROUP BY 1, 2, 3, 4) g) q$$, :runs));

-- the evidence pack of one scope: the function, and the same observations,
-- digest and slopes by hand (least squares with regr_*, the weighted rate
-- slope, Sen's slope and Mann-Kendall's S over every pair; by hand there
-- are no p-values or intervals, which plain SQL cannot compute)
INSERT INTO result VALUES
	('evidence pack, 261 weekly observations (ms)', 'iso27001 evidence_pack()',
	 bench($$SELECT length(evidence_pack('scope-1', 'phishing_click_rate', '2021-11-01', '2026-11-30')::text)$$, :runs * 20)),
	('evidence pack, 261 weekly observations (ms)', 'by hand: jsonb_agg, sha256, regr_*, pairs',
	 bench($$WITH o AS (
		SELECT to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, events, trials,
			   events::float8 / trials AS y, extract(epoch FROM observed_at) / 86400 AS x
		  FROM behaviour_observation
		 WHERE scope_id = 1 AND metric = 'phishing_click_rate'
		   AND observed_at >= '2021-11-01' AND observed_at < '2026-12-01'),
	  obs AS (
		SELECT jsonb_agg(jsonb_build_object('observed_at', at, 'events', events, 'trials', trials, 'rate', y) ORDER BY x) AS j,
			   encode(sha256(convert_to('observed_at,events,trials,value' || E'\n'
										|| string_agg(format('%s,%s,%s,', at, events, trials), E'\n' ORDER BY x) || E'\n',
										'UTF8')), 'hex') AS digest
		  FROM o),
	  ols AS (
		SELECT regr_count(y, x) AS n, regr_slope(y, x) * 30.436875 AS slope, regr_r2(y, x) AS r2,
			   sqrt((regr_syy(y, x) - regr_slope(y, x) ^ 2 * regr_sxx(y, x)) / (regr_count(y, x) - 2) / regr_sxx(y, x)) * 30.436875 AS stderr
		  FROM o),
	  rate AS (
		SELECT sum(o.trials * (o.y - m.p) * (o.x - m.xb)) / sum(o.trials * (o.x - m.xb) ^ 2) * 30.436875 AS slope, m.p
		  FROM o, (SELECT sum(events)::float8 / sum(trials) AS p, sum(trials * x) / sum(trials) AS xb FROM o) m
		 GROUP BY m.p),
	  robust AS (
		SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (b.y - a.y) / (b.x - a.x)) * 30.436875 AS slope,
			   sum(sign(b.y - a.y)) AS s
		  FROM o a JOIN o b ON b.x > a.x)
	SELECT length(jsonb_build_object('observations', obs.j, 'sha256', obs.digest,
									 'least_squares', to_jsonb(ols), 'rate', to_jsonb(rate),
									 'robust', to_jsonb(robust))::text)
	  FROM obs, ols, rate, robust$$, :runs * 20));

-- the trends of the 12 months up to each quarter's end of one scope's five
-- years (21 quarters): the view, and by hand the rate trend of each window
-- grouped in one pass
INSERT INTO result VALUES
	('quarterly trends, one scope, 21 quarters (ms)', 'iso27001_bi.behaviour_trend_quarterly',
	 bench($$SELECT sum(length(v::text)) FROM iso27001_bi.behaviour_trend_quarterly v WHERE scope = 'scope-1'$$, :runs * 20)),
	('quarterly trends, one scope, 21 quarters (ms)', 'by hand: trend_report of trend_rate_agg per window',
	 bench($$SELECT sum(length(q::text)) FROM (
		SELECT w.pe, (trend_report(trend_rate_agg(o.events, o.trials, o.observed_at), 'lower')).*
		  FROM (SELECT (g + interval '3 months')::date - 1 AS pe
				  FROM generate_series(date_trunc('quarter', '2021-11-29'::timestamptz),
									   date_trunc('quarter', CURRENT_DATE::timestamptz), interval '3 months') g) w
		  JOIN behaviour_observation o
			ON o.scope_id = 1 AND o.observed_at >= ((w.pe - interval '1 year')::date + 1)::timestamptz
		   AND o.observed_at < (w.pe + 1)::timestamptz
		 GROUP BY w.pe) q$$, :runs * 20));

SELECT format('BI benchmark: %s scopes, median of %s runs (%s for the evidence pack), PostgreSQL %s',
			  :scopes, :runs, :runs * 20, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.value AS ms,
	   round(r.value / b.value, 2) AS "ratio to by hand"
  FROM result r
  JOIN result b ON b.measure = r.measure AND b.kind LIKE 'by hand%'
 ORDER BY r.measure, r.kind DESC;
