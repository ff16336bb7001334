-- The evidence pack and its chart: contents checked by hand, the digest
-- against coreutils' sha256sum, bad input refused with a SQLSTATE.
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.soa_set('acme', 'A.6.3', 'applicable, implemented (risk treatment, contractual)',
							 'Awareness programme with monthly phishing simulations.',
							 owner => 'CISO', evidence => '{https://lms.example/report}');
	PERFORM iso27001.create_scope('<b>&"x''');
END $$;
SELECT scope_id AS acme FROM iso27001.soa_scope WHERE name = 'acme' \gset
-- ten weekly campaigns of 100 messages, clicks falling from 20 to 11
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT :acme, 'phishing_click_rate', '2025-01-06'::timestamptz + i * interval '7 days', 20 - i, 100
  FROM generate_series(0, 9) i;
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, value)
VALUES (:acme, 'time_to_report_hours', '2025-01-06', 20), (:acme, 'time_to_report_hours', '2025-01-13', 19.5);
INSERT INTO iso27001.behaviour_target VALUES (:acme, 'phishing_click_rate', 0.05, '2026-12-31');

CREATE TEMP TABLE pack AS SELECT iso27001.evidence_pack('acme', 'phishing_click_rate') AS p;

SELECT plan(36);

SELECT is((SELECT p ->> 'observation_count' FROM pack), '10', 'ten observations');
SELECT is((SELECT p -> 'observations' -> 0 FROM pack),
		  '{"observed_at": "2025-01-06T00:00:00Z", "events": 20, "trials": 100, "rate": 0.2}'::jsonb,
		  'each observation with its time (UTC), events, trials and rate');
SELECT is((SELECT p -> 'metric' ->> 'control' FROM pack), 'A.6.3', 'the metric evidences A.6.3');
SELECT is((SELECT p -> 'control' FROM pack) - 'changed_at',
		  '{"id": "A.6.3", "title": "Information security awareness, education and training",
			"soa_entry": "applicable, implemented (risk treatment, contractual)", "applicable": true,
			"implementation": "implemented", "reasons": ["risk treatment", "contractual"],
			"justification": "Awareness programme with monthly phishing simulations.",
			"owner": "CISO", "evidence": ["https://lms.example/report"]}'::jsonb,
		  'the SoA entry of the related control');
-- one point a week: 0.01 / 7 days * 30.436875 days = 0.04348125 a month
SELECT is((SELECT round((p -> 'trends' -> f ->> 'slope_per_month')::numeric, 12) FROM pack),
		  -0.043481250000, f || ': slope per month, by hand')
  FROM unnest(ARRAY['least_squares', 'rate', 'robust']) f;
SELECT is((SELECT round((p -> 'trends' -> 'least_squares' ->> 'r2')::numeric, 12) FROM pack), 1.0::numeric(13, 12),
		  'least squares: a perfect line, r2 = 1');
-- Cochran-Armitage: pbar 0.155 of N 1000; weighted Sxx = 100 * 82.5 week^2;
-- chi2 = 0.01^2 * 8250 / (0.155 * 0.845) = 6.298911...
SELECT is((SELECT round((p -> 'trends' -> 'rate' ->> 'pooled_rate')::numeric, 12) FROM pack), 0.155::numeric(13, 12),
		  'rate: pooled rate 155 / 1000');
SELECT is((SELECT round((p -> 'trends' -> 'rate' ->> 'ca_chi2')::numeric, 9) FROM pack),
		  round(0.825 / 0.130975, 9), 'rate: Cochran-Armitage chi-square by hand');
-- the rates lie on a line: dispersion 0, never narrowing, so the default
-- test is z = sqrt(chi2) against Student t with 8 df (mpmath, 30 digits:
-- 0.036384344114160709), the binomial one 0.012081209927630058
SELECT ok((p -> 'trends' -> 'rate' ->> 'dispersion')::float8 < 1e-14
		  AND abs((p -> 'trends' -> 'rate' ->> 'p_value')::float8 / 0.036384344114160709 - 1) < 1e-12
		  AND abs((p -> 'trends' -> 'rate' ->> 'ca_p')::float8 / 0.012081209927630058 - 1) < 1e-12,
		  'rate: dispersion 0, the default p 0.03638 (Student t, 8 df) beside the binomial 0.01208') FROM pack;
-- Mann-Kendall: all 45 pairs fall; var S = 10 * 9 * 25 / 18 = 125; exact
-- two-sided p = 2 / 10!
SELECT is((SELECT (p -> 'trends' -> 'robust' ->> 'mk_s')::numeric FROM pack), -45::numeric, 'robust: S = -45');
SELECT is((SELECT (p -> 'trends' -> 'robust' ->> 'mk_var_s')::numeric FROM pack), 125::numeric, 'robust: var S = 125');
SELECT is((SELECT round((p -> 'trends' -> 'robust' ->> 'p_value')::numeric, 18) FROM pack),
		  round(2 / 3628800.0, 18), 'robust: exact p = 2 / 10!');
SELECT is((SELECT (p -> 'trends' -> 'robust' ->> 'kendall_tau_b')::numeric FROM pack), -1::numeric, 'robust: tau-b = -1');
SELECT is((SELECT p ->> 'verdict' FROM pack), 'improving', 'verdict: improving');
SELECT is((SELECT p -> 'target' FROM pack) - ARRAY['fitted_last', 'projected_upper'],
		  '{"value": 0.05, "due_date": "2026-12-31", "note": null, "met": false, "projection_method": "rate",
			"projected": 0, "projected_lower": 0, "status": "at risk"}'::jsonb,
		  'target 5 %: not met, the trend ends at 11 %; projected to 2026-12-31: 0 (clipped), at risk');
-- the upper end of the projection: see bi_contract.sql (the same series
-- and target), 0.0750662715943072 by hand
SELECT ok(abs((p -> 'target' ->> 'projected_upper')::float8 / 0.0750662715943072 - 1) < 1e-12,
		  'the projection''s upper end at the 95 % level, by hand') FROM pack;
SELECT is((SELECT round((p -> 'target' ->> 'fitted_last')::numeric, 12) FROM pack), 0.11::numeric(13, 12),
		  'the fitted rate at the last observation');

-- the digest: the SHA-256 of the canonical CSV, here computed by sha256sum
SELECT is(iso27001.evidence_pack('acme', 'phishing_click_rate', '2025-01-01', '2025-01-20') ->> 'observations_sha256',
		  'b365d4e1851d2512ff19f208f28ffdeadb4301ef54f90f6ab6c6b801c38ac7d8',
		  'digest of three rate observations, as sha256sum computes it');
SELECT is(iso27001.evidence_pack('acme', 'time_to_report_hours', '2025-01-01', '2025-01-31') ->> 'observations_sha256',
		  'eb875325ea8a43e472c380e5525bd722d51478fa0eeb245e5edbd7253265c24a',
		  'digest of two values, as sha256sum computes it');
SELECT is(iso27001.evidence_pack('acme', 'phishing_click_rate', '2025-01-07', '2025-01-13') -> 'observations',
		  '[{"observed_at": "2025-01-13T00:00:00Z", "events": 19, "trials": 100, "rate": 0.19}]'::jsonb,
		  'period dates are inclusive: 2025-01-07 .. 2025-01-13 holds one campaign');

-- a long series: the observations are not listed beyond max_observations,
-- but counted, dated and digested all the same (the digest of the first
-- three, by sha256sum, above)
SELECT is(iso27001.evidence_pack('acme', 'phishing_click_rate', '2025-01-01', '2025-01-20', max_observations => 2)
		  - ARRAY['generated_at', 'generated_by', 'scope', 'metric', 'digest_of', 'control', 'target', 'trends',
				  'confidence_level', 'verdict_method', 'min_effect', 'verdict', 'soa_version'],
		  '{"document": "iso27001 evidence pack", "format_version": 1,
			"period": {"start": "2025-01-01", "end": "2025-01-20", "dates_in_time_zone": "UTC",
					   "first_observation": "2025-01-06T00:00:00+00:00", "last_observation": "2025-01-20T00:00:00+00:00"},
			"observations": null, "observation_count": 3, "observations_listed": false,
			"observations_sha256": "b365d4e1851d2512ff19f208f28ffdeadb4301ef54f90f6ab6c6b801c38ac7d8"}'::jsonb,
		  'three observations, at most two listed: none listed, all three counted, dated and digested');
SELECT is(iso27001.evidence_pack('acme', 'phishing_click_rate', '2025-01-01', '2025-01-20', max_observations => 3) -> 'observations' -> 2,
		  '{"observed_at": "2025-01-20T00:00:00Z", "events": 18, "trials": 100, "rate": 0.18}'::jsonb,
		  'at most three: all three listed');

-- an empty period is an honest pack with no trend
SELECT is(iso27001.evidence_pack('acme', 'phishing_click_rate', '2030-01-01', '2030-12-31')
		  - ARRAY['generated_at', 'generated_by', 'scope', 'metric', 'period', 'digest_of', 'control', 'target'],
		  '{"document": "iso27001 evidence pack", "format_version": 1, "observations": [], "observation_count": 0,
			"observations_listed": true,
			"observations_sha256": "1235b092af6581f9531c94087af7398a55837daacb53d4d1ff51676fa9c57935",
			"confidence_level": 0.95, "trends": {}, "verdict_method": "rate", "min_effect": 0.02, "verdict": "insufficient data",
			"soa_version": null}'::jsonb,
		  'an empty period: no observations, no trend, verdict insufficient data, the digest of the header alone');

-- bad input
SELECT throws_ok($$SELECT iso27001.evidence_pack('nowhere', 'phishing_click_rate')$$,
				 '22023', 'ISMS scope "nowhere" does not exist', 'unknown scope: 22023');
SELECT throws_ok($$SELECT iso27001.evidence_pack('acme', 'clicks')$$,
				 '22023', 'behaviour metric "clicks" does not exist', 'unknown metric: 22023');
SELECT throws_ok($$SELECT iso27001.evidence_pack('acme', 'phishing_click_rate', '2025-02-01', '2025-01-01')$$,
				 '22023', 'period ends (2025-01-01) before it starts (2025-02-01)', 'period ending before it starts: 22023');
SELECT throws_ok($$SELECT iso27001.evidence_pack(NULL, 'phishing_click_rate')$$,
				 '22004', 'scope and metric must not be null', 'NULL scope: 22004');
SELECT throws_ok($$SELECT iso27001.evidence_pack('acme', 'phishing_click_rate', alpha => 1)$$,
				 '22023', 'alpha must be between 0 and 1 exclusive', 'alpha 1: 22023');
SELECT throws_ok($$SELECT iso27001.evidence_pack('acme', 'phishing_click_rate', max_observations => -1)$$,
				 '22023', 'max_observations must not be negative or null', 'max_observations -1: 22023');
SELECT throws_ok($$SELECT iso27001.evidence_chart('acme', 'phishing_click_rate', width => 10)$$,
				 '22023', 'chart size must be between 320 x 240 and 4000 x 4000 pixels', 'a 10-pixel chart: 22023');

-- the chart
SELECT ok(xml_is_well_formed_document(iso27001.evidence_chart('acme', 'phishing_click_rate')),
		  'the chart is a well-formed XML document');
SELECT is((SELECT count(*) FROM regexp_matches(iso27001.evidence_chart('acme', 'phishing_click_rate'), '<circle', 'g')),
		  10::bigint, 'one marker per observation');
SELECT ok(iso27001.evidence_chart('acme', 'phishing_click_rate') ~ '<polygon points="[^"]+" fill="#4c78a8"'
		  AND iso27001.evidence_chart('acme', 'phishing_click_rate') ~ 'target 5<'
		  AND iso27001.evidence_chart('acme', 'phishing_click_rate') ~ 'improving',
		  'with its confidence band, target line and verdict');
SELECT ok(xml_is_well_formed_document(iso27001.evidence_chart('<b>&"x''', 'phishing_click_rate'))
		  AND iso27001.evidence_chart('<b>&"x''', 'phishing_click_rate') ~ '&lt;b&gt;&amp;&quot;x&#39;'
		  AND iso27001.evidence_chart('<b>&"x''', 'phishing_click_rate') ~ 'No observations',
		  'a scope name with markup is escaped; no data says so');

SELECT * FROM finish();
ROLLBACK;
