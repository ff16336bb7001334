/* sql/iso27001--0.2.1--0.2.2.sql: update a 0.2.1 database to 0.2.2 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION iso27001 UPDATE TO '0.2.2'" to load this file. \quit

-- 0.2.2 changes where things live, not what they do (see CHANGELOG.md).
-- The look-ups of a scope and of an approved version by name, with their
-- errors, move from PL/pgSQL to C (src/soa_register.c), where
-- soa_as_of_version uses them too: same results, SQLSTATEs, messages and
-- hints, without the PL/pgSQL context line.  Many functions depend on
-- them, so they are replaced in place.

CREATE OR REPLACE FUNCTION @extschema@.soa_scope_id(scope text)
	RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION @extschema@.soa_version_time(scope text, version integer)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- The rate family's default test allows for campaigns of unequal
-- difficulty (issue 14): dispersion() is new, p_value() of a rate state is
-- the test allowing for the variance between campaigns (ca_p() stays the
-- binomial one), and the verdict and report say insufficient data with
-- fewer than 5 rows.  The type trend_rate changes with them, at the end of
-- this script.

-- Practical, not only statistical (issue 14): each metric's smallest
-- material change a year; the built-in ones get theirs.
ALTER TABLE @extschema@.behaviour_metric ADD COLUMN min_effect double precision
	CHECK (min_effect OPERATOR(pg_catalog.>=) 0
		   AND min_effect OPERATOR(pg_catalog.<>) 'Infinity'::double precision);
COMMENT ON COLUMN @extschema@.behaviour_metric.min_effect IS
	'the smallest change a year that counts as material, in the metric''s unit (a rate as a fraction: 0.02 is two percentage points a year); a smaller significant trend is "no material change"; NULL: every significant trend counts';
UPDATE @extschema@.behaviour_metric SET min_effect = 0.02
 WHERE builtin AND metric OPERATOR(pg_catalog.=) ANY (ARRAY['phishing_click_rate', 'phishing_report_rate', 'training_overdue_rate']);
UPDATE @extschema@.behaviour_metric SET min_effect = 1
 WHERE builtin AND metric OPERATOR(pg_catalog.=) 'time_to_report_hours';

-- The awareness metric catalogue (docs/metrics.md) gains five built-in
-- metrics; a metric of one's own under the same key is kept as it is
INSERT INTO @extschema@.behaviour_metric (metric, name, description, kind, better, unit, control, builtin, min_effect) VALUES
('phish_prone_rate', 'Phish-prone percentage',
 'share of recipients of simulated phishing who failed it: clicked its link, opened its attachment or entered data (each recipient once)', 'rate', 'lower', 'share of recipients', 'A.6.3', true, 0.02),
('phishing_miss_rate', 'Phishing miss rate',
 'share of recipients of simulated phishing who neither reported nor failed it: the messages nobody acted on', 'rate', 'lower', 'share of recipients', 'A.6.8', true, 0.02),
('resilience_ratio', 'Resilience ratio',
 'reports per failure of a simulated phishing campaign: reports divided by clicks, opens and entries', 'value', 'higher', 'reports per failure', 'A.6.8', true, 0.5),
('repeat_failures_per_person', 'Repeat failures per person',
 'failures of simulated phishing beyond each person''s first in the period, per person targeted', 'value', 'lower', 'failures per person', 'A.6.3', true, 0.05),
('training_completion_rate', 'Awareness training completed',
 'share of people who have completed their required information security awareness training (a snapshot, to show beside the behaviour it should change)', 'rate', 'higher', 'share of people', 'A.6.3', true, 0.02)
ON CONFLICT (metric) DO NOTHING;

CREATE FUNCTION @extschema@.material_verdict(verdict text, slope_per_year double precision,
											 min_effect double precision)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN material_verdict.verdict OPERATOR(pg_catalog.=) ANY (ARRAY['improving', 'worsening'])
					 AND material_verdict.min_effect IS NOT NULL
					 AND NOT pg_catalog.abs(material_verdict.slope_per_year)
							 OPERATOR(pg_catalog.>=) material_verdict.min_effect
				THEN 'no material change'
				ELSE material_verdict.verdict END;
END;
COMMENT ON FUNCTION @extschema@.material_verdict(text, double precision, double precision) IS
	'a verdict of improving or worsening becomes no material change when the slope a year is below the metric''s smallest material change (NULL min_effect: never)';

-- The evidence pack, its chart and the BI view use the widened rate test,
-- show the dispersion and the smallest material change, and say no
-- material change below it; the view gains the columns dispersion and
-- min_effect at its end.

CREATE OR REPLACE FUNCTION @extschema@.evidence_pack(scope text, metric text,
										  period_start date DEFAULT NULL,
										  period_end date DEFAULT NULL,
										  alpha double precision DEFAULT 0.05)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	s @extschema@.soa_scope;
	st record;
	obs jsonb;
	digest text;
	families jsonb := '{}';
	primary_family text;
	verdict text;
	fitted_last double precision;
	target jsonb;
	control jsonb;
	version jsonb;
	level double precision := 1 - alpha;
	q text;
BEGIN
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = evidence_pack.metric;
	SELECT * INTO s FROM @extschema@.soa_scope x WHERE x.scope_id = sid;

	-- the observations, and the digest of their canonical CSV
	SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
				'observed_at', e.observed_at, 'events', e.events, 'trials', e.trials,
				'rate', e.events::double precision / e.trials, 'value', e.value::double precision))
				ORDER BY e.observed_at), '[]'),
		   encode(sha256(convert_to('observed_at,events,trials,value' || E'\n' ||
									coalesce(string_agg(format('%s,%s,%s,%s', e.observed_at, e.events, e.trials, e.value),
														E'\n' ORDER BY e.observed_at) || E'\n', ''),
									'UTF8')), 'hex')
	  INTO obs, digest
	  FROM @extschema@.evidence_observations(scope, metric, period_start, period_end) e;

	st := @extschema@.evidence_states(sid, metric, period_start, period_end);
	IF n(st.ols) > 0 THEN
		families := families || jsonb_build_object('least_squares', jsonb_build_object(
			'method', 'ordinary least squares of the per-period ' || CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'value' END,
			'n', n(st.ols), 'slope_per_month', slope(st.ols, '1 month'),
			'slope_lower', slope_lower(st.ols, '1 month', level), 'slope_upper', slope_upper(st.ols, '1 month', level),
			'slope_stderr', slope_stderr(st.ols, '1 month'), 't_value', t_value(st.ols),
			'p_value', p_value(st.ols), 'r2', r2(st.ols),
			'fitted_first', fitted_first(st.ols), 'fitted_last', fitted_last(st.ols),
			'verdict', @extschema@.verdict(st.ols, m.better, alpha)));
	END IF;
	IF m.kind = 'rate' AND n(st.rate) > 0 THEN
		families := families || jsonb_build_object('rate', jsonb_build_object(
			'method', 'slope of the proportion weighted by trials; Cochran-Armitage test allowing for the variance between campaigns (binomial plus a random campaign effect, Student t with n - 2 degrees of freedom)',
			'n', n(st.rate), 'pooled_rate', rate(st.rate), 'slope_per_month', slope(st.rate, '1 month'),
			'slope_lower', slope_lower(st.rate, '1 month', level), 'slope_upper', slope_upper(st.rate, '1 month', level),
			'slope_stderr', slope_stderr(st.rate, '1 month'), 'ca_chi2', ca_chi2(st.rate),
			'ca_z', ca_z(st.rate), 'ca_p', ca_p(st.rate), 'dispersion', dispersion(st.rate),
			'p_value', p_value(st.rate),
			'fitted_first', fitted_first(st.rate), 'fitted_last', fitted_last(st.rate),
			'verdict', @extschema@.verdict(st.rate, m.better, alpha)));
	END IF;
	IF n(st.robust) > 0 THEN
		families := families || jsonb_build_object('robust', jsonb_build_object(
			'method', 'Theil-Sen slope with its rank interval; Mann-Kendall test',
			'n', n(st.robust), 'slope_per_month', slope(st.robust, '1 month'),
			'slope_lower', slope_lower(st.robust, '1 month', level), 'slope_upper', slope_upper(st.robust, '1 month', level),
			'mk_s', mk_s(st.robust), 'mk_var_s', mk_var_s(st.robust), 'mk_z', mk_z(st.robust),
			'p_value', p_value(st.robust), 'kendall_tau_b', kendall_tau_b(st.robust),
			'verdict', @extschema@.verdict(st.robust, m.better, alpha)));
	END IF;

	-- the family the verdict comes from: the rate trend for rates, the
	-- robust trend for values
	primary_family := CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'robust' END;
	verdict := @extschema@.material_verdict(
		coalesce(families -> primary_family ->> 'verdict', 'insufficient data'),
		CASE m.kind WHEN 'rate' THEN slope(st.rate, '1 year') ELSE slope(st.robust, '1 year') END,
		m.min_effect);
	fitted_last := CASE m.kind WHEN 'rate' THEN fitted_last(st.rate)
					   ELSE fitted_at(st.robust, last_time(st.robust)) END;

	SELECT jsonb_build_object('value', t.target, 'due_date', t.due_date, 'note', t.note,
							  'fitted_last', fitted_last,
							  'met', CASE WHEN m.better = 'lower' THEN fitted_last <= t.target
										  ELSE fitted_last >= t.target END)
	  INTO target
	  FROM @extschema@.behaviour_target t
	 WHERE t.scope_id = sid AND t.metric = evidence_pack.metric;

	IF m.control IS NOT NULL THEN
		SELECT jsonb_build_object('id', m.control::text, 'title', title(m.control),
								  'soa_entry', r.entry::text, 'applicable', is_applicable(r.entry),
								  'implementation', implementation(r.entry),
								  'reasons', to_jsonb(reasons(r.entry)),
								  'justification', r.justification, 'owner', r.owner,
								  'evidence', to_jsonb(r.evidence), 'changed_at', r.changed_at)
		  INTO control
		  FROM @extschema@.soa_register r
		 WHERE r.scope_id = sid AND r.control = m.control;
		control := coalesce(control, jsonb_build_object('id', m.control::text, 'title', title(m.control),
														 'soa_entry', NULL));
	END IF;

	SELECT jsonb_build_object('version', v.version, 'approved_at', v.approved_at,
							  'approved_by', v.approved_by,
							  'soa_entry', (SELECT ve.entry::text FROM @extschema@.soa_version_entry ve
											 WHERE ve.scope_id = v.scope_id AND ve.version = v.version
											   AND ve.control = m.control))
	  INTO version
	  FROM @extschema@.soa_version v
	 WHERE v.scope_id = sid
	 ORDER BY v.version DESC LIMIT 1;

	q := format('COPY (SELECT * FROM iso27001.evidence_observations(%L, %L, %L, %L)) TO STDOUT (FORMAT csv, HEADER)',
				scope, metric, period_start, period_end);
	RETURN jsonb_build_object(
		'document', 'iso27001 evidence pack',
		'format_version', 1,
		'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'generated_by', current_user,
		'scope', jsonb_build_object('name', s.name, 'edition', s.edition),
		'metric', jsonb_build_object('key', m.metric, 'name', m.name, 'description', m.description,
									 'kind', m.kind, 'better', m.better, 'unit',
									 CASE m.kind WHEN 'rate' THEN m.unit || ' (a fraction: 0.05 is 5 %)' ELSE m.unit END,
									 'control', m.control::text),
		'period', jsonb_build_object('start', period_start, 'end', period_end,
									 'dates_in_time_zone', current_setting('TimeZone'),
									 'first_observation', obs -> 0 -> 'observed_at',
									 'last_observation', obs -> -1 -> 'observed_at'),
		'observations', obs,
		'observation_count', jsonb_array_length(obs),
		'observations_sha256', digest,
		'digest_of', 'the CSV (with header, LF line ends) of ' || q,
		'confidence_level', level,
		'trends', families,
		'verdict_method', primary_family,
		'min_effect', m.min_effect,
		'verdict', verdict,
		'target', target,
		'control', control,
		'soa_version', version);
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_pack(text, text, date, date, double precision) IS
	'the auditor''s evidence pack of a scope''s behaviour metric over a period (dates inclusive, NULL open): metric, observations with their SHA-256, every trend family that applies, verdict, target, the related control''s SoA entry';


CREATE OR REPLACE FUNCTION @extschema@.evidence_chart(scope text, metric text,
										   period_start date DEFAULT NULL,
										   period_end date DEFAULT NULL,
										   alpha double precision DEFAULT 0.05,
										   width integer DEFAULT 800,
										   height integer DEFAULT 450)
	RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	st record;
	ts double precision[];		-- observation times, days since the first
	ys double precision[];		-- observed values (a rate in percent)
	ns double precision[];		-- trials (rates)
	t_first timestamptz;
	t_span double precision;
	scale double precision;
	lo double precision;
	hi double precision;
	xbar double precision;
	base_var double precision;	-- variance of the fitted line at xbar
	se_b double precision;		-- standard error of the slope per day
	crit double precision;		-- quantile of the interval
	fit_b double precision;		-- fitted slope per day
	fit_at_xbar double precision;
	target double precision;
	verdict text;
	summary text;
	lm CONSTANT integer := 72;	-- margins
	rm CONSTANT integer := 24;
	tm CONSTANT integer := 70;
	bm CONSTANT integer := 70;
	pw integer;
	ph integer;
	svg text;
	bx double precision[] := '{}';	-- band: day, lower, upper
	bl double precision[] := '{}';
	bu double precision[] := '{}';
	parts text := '';
	tick double precision;
	d date;
	step_months integer;
	x double precision;
	f double precision;
	h double precision;
	j integer;
	title text;
	y_label text;
BEGIN
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF width IS NULL OR height IS NULL OR width NOT BETWEEN 320 AND 4000
	   OR height NOT BETWEEN 240 AND 4000 THEN
		RAISE EXCEPTION 'chart size must be between 320 x 240 and 4000 x 4000 pixels'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	pw := width - lm - rm;
	ph := height - tm - bm;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = evidence_chart.metric;
	scale := CASE m.kind WHEN 'rate' THEN 100 ELSE 1 END;
	title := m.name || ' — ' || scope;
	y_label := m.name || CASE m.kind WHEN 'rate' THEN ' (%)' ELSE ' (' || m.unit || ')' END;

	SELECT min(o.observed_at),
		   array_agg(extract(epoch FROM o.observed_at)::double precision ORDER BY o.observed_at),
		   array_agg(scale * CASE WHEN o.trials IS NULL THEN o.value
								  ELSE o.events::double precision / o.trials END ORDER BY o.observed_at),
		   array_agg(o.trials::double precision ORDER BY o.observed_at)
	  INTO t_first, ts, ys, ns
	  FROM @extschema@.behaviour_observation o
	 WHERE o.scope_id = sid AND o.metric = evidence_chart.metric
	   AND (period_start IS NULL OR o.observed_at >= period_start::timestamptz)
	   AND (period_end IS NULL OR o.observed_at < (period_end + 1)::timestamptz);

	svg := format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
				  width, height, width, height)
		|| '<title>' || svg_text(title) || '</title>'
		|| format('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>', width, height)
		|| format('<text x="%s" y="26" font-size="17" font-weight="bold">%s</text>', lm, svg_text(title));
	IF ts IS NULL THEN
		RETURN svg || format('<text x="%s" y="%s" text-anchor="middle" font-size="14">No observations in this period</text></svg>',
							 width / 2, height / 2);
	END IF;
	-- times in days since the first observation
	SELECT array_agg((t - ts[1]) / 86400 ORDER BY k) INTO ts FROM unnest(ts) WITH ORDINALITY AS u(t, k);
	t_span := greatest(ts[array_length(ts, 1)], 1);

	-- the fitted line and its pointwise band: the rate trend (weighted by
	-- trials) for a rate, least squares for a value
	st := @extschema@.evidence_states(sid, evidence_chart.metric, period_start, period_end);
	IF m.kind = 'rate' THEN
		fit_b := slope(st.rate, '1 day') * scale;
		se_b := slope_stderr(st.rate, '1 day') * scale;
		crit := (slope(st.rate, '1 day') - slope_lower(st.rate, '1 day', 1 - alpha))
				/ NULLIF(slope_stderr(st.rate, '1 day'), 0);
		SELECT sum(t * n) / sum(n) INTO xbar FROM unnest(ts, ns) AS u(t, n);
		fit_at_xbar := rate(st.rate) * scale;
		-- widened like the slope's variance (docs/trend_statistics.md §4.7)
		base_var := rate(st.rate) * (1 - rate(st.rate)) * scale * scale
					* greatest(1, dispersion(st.rate))
					/ (SELECT sum(n) FROM unnest(ns) n);
		verdict := @extschema@.material_verdict(@extschema@.verdict(st.rate, m.better, alpha),
											   slope(st.rate, '1 year'), m.min_effect);
		summary := format('rate trend %s pp/month (%s %% interval %s .. %s), p = %s, dispersion %s: %s',
						  to_char(slope(st.rate, '1 month') * 100, 'FMS990.00'), trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  coalesce(to_char(slope_lower(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'), '?'),
						  coalesce(to_char(slope_upper(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'), '?'),
						  coalesce(to_char(p_value(st.rate), '9.9EEEE'), 'none'),
						  coalesce(to_char(dispersion(st.rate), 'FM9990.0'), 'unknown (fewer than 5 campaigns)'), verdict);
	ELSE
		fit_b := slope(st.ols, '1 day');
		se_b := slope_stderr(st.ols, '1 day');
		crit := (slope(st.ols, '1 day') - slope_lower(st.ols, '1 day', 1 - alpha)) / NULLIF(se_b, 0);
		SELECT avg(t) INTO xbar FROM unnest(ts) t;
		fit_at_xbar := fitted_at(st.ols, t_first + make_interval(secs => xbar * 86400));
		-- s^2 / n with s^2 = se_b^2 * Sxx
		base_var := se_b * se_b * (SELECT sum((t - xbar) ^ 2) FROM unnest(ts) t) / array_length(ts, 1);
		verdict := @extschema@.material_verdict(@extschema@.verdict(st.robust, m.better, alpha),
											   slope(st.robust, '1 year'), m.min_effect);
		summary := format('least-squares trend %s %s/month (%s %% interval %s .. %s); Mann-Kendall p = %s: %s',
						  to_char(slope(st.ols, '1 month'), 'FMS999990.00'), m.unit, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  to_char(slope_lower(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(slope_upper(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(p_value(st.robust), '9.9EEEE'), verdict);
	END IF;
	SELECT t.target * scale INTO target FROM @extschema@.behaviour_target t
	 WHERE t.scope_id = sid AND t.metric = evidence_chart.metric;

	-- the vertical range: observations, band and target, with a margin
	SELECT min(y), max(y) INTO lo, hi FROM unnest(ys) y;
	IF fit_b IS NOT NULL THEN
		FOR j IN 0..40 LOOP
			x := t_span * j / 40;
			f := fit_at_xbar + fit_b * (x - xbar);
			h := coalesce(crit * sqrt(base_var + (x - xbar) ^ 2 * se_b * se_b), 0);
			lo := least(lo, f - h);
			hi := greatest(hi, f + h);
			bx := bx || x;
			bl := bl || (f - h);
			bu := bu || (f + h);
		END LOOP;
	END IF;
	lo := least(lo, target);
	hi := greatest(hi, target);
	IF m.kind = 'rate' THEN
		lo := greatest(lo, 0);
		hi := least(hi, 100);
	END IF;
	IF hi - lo < 1e-9 THEN
		lo := lo - 1;
		hi := hi + 1;
	END IF;
	h := (hi - lo) * 0.05;
	lo := lo - h;
	hi := hi + h;
	IF m.kind = 'rate' THEN
		lo := greatest(lo, 0);
	END IF;

	-- y grid and labels
	FOREACH tick IN ARRAY chart_ticks(lo, hi) LOOP
		parts := parts || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="end">%s</text>',
								 lm, lm + pw, round((tm + ph * (hi - tick) / (hi - lo))::numeric, 1),
								 round((tm + ph * (hi - tick) / (hi - lo))::numeric, 1),
								 lm - 6, round((tm + ph * (hi - tick) / (hi - lo))::numeric + 4, 1),
								 rtrim(rtrim(to_char(tick, 'FM999999990.00'), '0'), '.'));
	END LOOP;
	-- x labels: months, every 1, 3, 6 or 12
	step_months := CASE WHEN t_span <= 200 THEN 1 WHEN t_span <= 700 THEN 3
						WHEN t_span <= 1500 THEN 6 ELSE 12 END;
	d := (date_trunc('month', t_first AT TIME ZONE 'UTC') + interval '1 month')::date;
	WHILE extract(epoch FROM (d::timestamp AT TIME ZONE 'UTC') - t_first) / 86400 <= t_span LOOP
		IF (extract(month FROM d)::integer - 1) % step_months = 0 THEN
			x := lm + pw * (extract(epoch FROM (d::timestamp AT TIME ZONE 'UTC') - t_first) / 86400) / t_span;
			parts := parts || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="middle">%s</text>',
									 round(x::numeric, 1), round(x::numeric, 1), tm, tm + ph,
									 round(x::numeric, 1), tm + ph + 18, to_char(d, 'Mon YYYY'));
		END IF;
		d := (d + interval '1 month')::date;
	END LOOP;
	svg := svg || parts
		|| format('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#888888"/>', lm, tm, pw, ph);

	-- band, fitted line, target, observations
	IF crit IS NOT NULL AND cardinality(bx) > 0 THEN
		SELECT string_agg(format('%s,%s', round((lm + pw * b.x / t_span)::numeric, 1),
								 round((tm + ph * (hi - least(greatest(b.y, lo), hi)) / (hi - lo))::numeric, 1)),
						  ' ' ORDER BY b.k)
		  INTO parts
		  FROM (SELECT u.x, u.y, u.k FROM unnest(bx, bu) WITH ORDINALITY AS u(x, y, k)
				UNION ALL
				SELECT u.x, u.y, 1000 - u.k FROM unnest(bx, bl) WITH ORDINALITY AS u(x, y, k)) b;
		svg := svg || format('<polygon points="%s" fill="#4c78a8" fill-opacity="0.18" stroke="none"/>', parts);
	END IF;
	IF fit_b IS NOT NULL THEN
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#4c78a8" stroke-width="2.5"/>',
							 lm, round((tm + ph * (hi - (fit_at_xbar - fit_b * xbar)) / (hi - lo))::numeric, 1),
							 lm + pw, round((tm + ph * (hi - (fit_at_xbar + fit_b * (t_span - xbar))) / (hi - lo))::numeric, 1));
	END IF;
	IF target IS NOT NULL THEN
		svg := svg || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#d62728" stroke-dasharray="6 4"/><text x="%s" y="%s" text-anchor="end" fill="#d62728">target %s</text>',
							 lm, lm + pw, round((tm + ph * (hi - target) / (hi - lo))::numeric, 1),
							 round((tm + ph * (hi - target) / (hi - lo))::numeric, 1),
							 lm + pw - 4, round((tm + ph * (hi - target) / (hi - lo))::numeric - 4, 1),
							 rtrim(rtrim(to_char(target, 'FM999999990.00'), '0'), '.'));
	END IF;
	SELECT string_agg(format('%s,%s', round((lm + pw * t / t_span)::numeric, 1),
							 round((tm + ph * (hi - y) / (hi - lo))::numeric, 1)), ' ' ORDER BY k)
	  INTO parts FROM unnest(ts, ys) WITH ORDINALITY AS u(t, y, k);
	svg := svg || format('<polyline points="%s" fill="none" stroke="#555555" stroke-width="1"/>', parts);
	SELECT string_agg(format('<circle cx="%s" cy="%s" r="2.5" fill="#333333"/>',
							 round((lm + pw * t / t_span)::numeric, 1),
							 round((tm + ph * (hi - y) / (hi - lo))::numeric, 1)), '' ORDER BY k)
	  INTO parts FROM unnest(ts, ys) WITH ORDINALITY AS u(t, y, k);
	svg := svg || parts;

	-- labels and legend
	RETURN svg
		|| format('<text x="%s" y="46" font-size="12" fill="#333333">%s</text>', lm, svg_text(summary))
		|| format('<text x="%s" y="%s" text-anchor="middle">Observed at (UTC), %s observations</text>',
				  lm + pw / 2, height - 30, array_length(ts, 1))
		|| format('<text transform="translate(18,%s) rotate(-90)" text-anchor="middle">%s</text>',
				  tm + ph / 2, svg_text(y_label))
		|| format('<text x="%s" y="%s" font-size="11" fill="#555555">● observations   — fitted trend with its %s %% band%s</text>',
				  lm, height - 10, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
				  CASE WHEN target IS NOT NULL THEN '   - - target' ELSE '' END)
		|| '</svg>';
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_chart(text, text, date, date, double precision, integer, integer) IS
	'an SVG line chart of a scope''s behaviour metric over a period: the observations, the fitted trend with its pointwise confidence band, the target, title, axis labels and verdict';

-- The rate family's state grows from 104 to 128 bytes (issue 14): besides
-- Spp it keeps the sums of squared trials, from which the default test
-- estimates the variance between campaigns and what it adds to the
-- slope's variance, however unequal the campaigns (docs/trend_statistics.md
-- §4.8).  A fixed-size type cannot grow in place, so the 104-byte type is
-- renamed trend_rate_0_2_1, a new trend_rate is made, the columns of one's
-- own tables that hold the old type (or arrays of it) are converted
-- through its text form (a state 0.2.1 made stays as it was: it gives the
-- slope and the Cochran-Armitage test, and a dispersion once made again
-- from its rows), and every function, aggregate and view on the old type
-- is dropped and made again on the new one.  Anything else of one's own
-- that uses the old type (a view over such a column, a function, a domain,
-- a composite type) makes the update fail, naming it, and nothing changes:
-- drop it, update, and make it again.

ALTER TYPE @extschema@.trend_rate RENAME TO trend_rate_0_2_1;
ALTER FUNCTION @extschema@.trend_rate_in(cstring) RENAME TO trend_rate_0_2_1_in;
ALTER FUNCTION @extschema@.trend_rate_recv(internal) RENAME TO trend_rate_0_2_1_recv;

CREATE TYPE @extschema@.trend_rate;

CREATE FUNCTION @extschema@.trend_rate_in(cstring)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_in_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_in(cstring) IS 'trend_rate text input';
CREATE FUNCTION @extschema@.trend_rate_out(@extschema@.trend_rate)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_out(@extschema@.trend_rate) IS 'trend_rate text output';
CREATE FUNCTION @extschema@.trend_rate_recv(internal)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_recv_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_recv(internal) IS 'trend_rate binary input';
CREATE FUNCTION @extschema@.trend_rate_send(@extschema@.trend_rate)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_send(@extschema@.trend_rate) IS 'trend_rate binary output';

CREATE TYPE @extschema@.trend_rate (
	INPUT = @extschema@.trend_rate_in,
	OUTPUT = @extschema@.trend_rate_out,
	RECEIVE = @extschema@.trend_rate_recv,
	SEND = @extschema@.trend_rate_send,
	INTERNALLENGTH = 128,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.trend_rate IS
	'state of a rate trend: rows, trials, events, weighted means and sums over seconds since an anchor (or over x)';

DO $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS rel, a.attname,
					CASE WHEN a.atttypid OPERATOR(pg_catalog.=) '@extschema@.trend_rate_0_2_1'::regtype
						 THEN '@extschema@.trend_rate' ELSE '@extschema@.trend_rate[]' END AS new_type
			   FROM pg_catalog.pg_attribute a
			   JOIN pg_catalog.pg_class cl ON cl.oid OPERATOR(pg_catalog.=) a.attrelid
			  WHERE a.atttypid OPERATOR(pg_catalog.=) ANY (ARRAY['@extschema@.trend_rate_0_2_1'::regtype,
													  '@extschema@._trend_rate_0_2_1'::regtype])
				AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
				AND cl.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::"char"[])
			  ORDER BY 1, 2 LOOP
		EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I TYPE %s USING %I::text::%s',
								  c.rel, c.attname, c.new_type, c.attname, c.new_type);
	END LOOP;
END
$$;

DROP VIEW iso27001_bi.behaviour_trend;
DROP FUNCTION @extschema@.evidence_states(bigint, text, date, date);
DROP FUNCTION @extschema@.verdict(@extschema@.trend_rate_0_2_1, text, double precision),
	@extschema@.trend_report(@extschema@.trend_rate_0_2_1, text, interval, double precision);
DROP AGGREGATE @extschema@.trend_rate_agg(bigint, bigint, timestamptz),
	@extschema@.trend_rate_agg(bigint, bigint, double precision),
	@extschema@.rollup(@extschema@.trend_rate_0_2_1);
DROP FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate_0_2_1, bigint, bigint, timestamptz),
	@extschema@.trend_rate_accum(@extschema@.trend_rate_0_2_1, bigint, bigint, double precision),
	@extschema@.trend_rate_combine(@extschema@.trend_rate_0_2_1, @extschema@.trend_rate_0_2_1),
	@extschema@.n(@extschema@.trend_rate_0_2_1),
	@extschema@.rate(@extschema@.trend_rate_0_2_1),
	@extschema@.slope(@extschema@.trend_rate_0_2_1, interval),
	@extschema@.slope_stderr(@extschema@.trend_rate_0_2_1, interval),
	@extschema@.slope_lower(@extschema@.trend_rate_0_2_1, interval, double precision),
	@extschema@.slope_upper(@extschema@.trend_rate_0_2_1, interval, double precision),
	@extschema@.ca_chi2(@extschema@.trend_rate_0_2_1),
	@extschema@.ca_z(@extschema@.trend_rate_0_2_1),
	@extschema@.ca_p(@extschema@.trend_rate_0_2_1),
	@extschema@.p_value(@extschema@.trend_rate_0_2_1),
	@extschema@.fitted_at(@extschema@.trend_rate_0_2_1, timestamptz),
	@extschema@.fitted_at(@extschema@.trend_rate_0_2_1, double precision),
	@extschema@.fitted_first(@extschema@.trend_rate_0_2_1),
	@extschema@.fitted_last(@extschema@.trend_rate_0_2_1),
	@extschema@.first_time(@extschema@.trend_rate_0_2_1),
	@extschema@.last_time(@extschema@.trend_rate_0_2_1);

-- The old type goes with its input, output, receive and send functions,
-- which need CASCADE; first make sure nothing else of one's own would go
-- with them
DO $$
DECLARE
	users text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', ')
	  INTO users
	  FROM pg_catalog.pg_depend d
	 WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::regclass
	   AND d.refobjid OPERATOR(pg_catalog.=) ANY (ARRAY['@extschema@.trend_rate_0_2_1'::regtype,
											 '@extschema@._trend_rate_0_2_1'::regtype]::oid[])
	   AND d.deptype OPERATOR(pg_catalog.=) 'n'
	   AND NOT (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass
				AND d.objid OPERATOR(pg_catalog.=) ANY (ARRAY['@extschema@.trend_rate_0_2_1_in(cstring)'::regprocedure,
													 '@extschema@.trend_rate_out(@extschema@.trend_rate_0_2_1)'::regprocedure,
													 '@extschema@.trend_rate_0_2_1_recv(internal)'::regprocedure,
													 '@extschema@.trend_rate_send(@extschema@.trend_rate_0_2_1)'::regprocedure]::oid[]));
	IF users IS NOT NULL THEN
		RAISE EXCEPTION 'cannot update iso27001: objects of one''s own use the type trend_rate of 0.2.1: %', users
			USING ERRCODE = 'dependent_objects_still_exist',
				  HINT = 'Drop them, run ALTER EXTENSION iso27001 UPDATE again, and make them again.';
	END IF;
END
$$;
DROP TYPE @extschema@.trend_rate_0_2_1 CASCADE;

CREATE FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, timestamptz)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_accum_t_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, timestamptz) IS
	'trend_rate_agg transition: one (events, trials, t) row';
CREATE FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, double precision)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_accum_x_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, double precision) IS
	'trend_rate_agg transition: one (events, trials, x) row';
CREATE FUNCTION @extschema@.trend_rate_combine(@extschema@.trend_rate, @extschema@.trend_rate)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_combine_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_combine(@extschema@.trend_rate, @extschema@.trend_rate) IS
	'two trend_rate states as one (parallel workers, rollup)';

CREATE AGGREGATE @extschema@.trend_rate_agg(events bigint, trials bigint, t timestamptz) (
	SFUNC = @extschema@.trend_rate_accum,
	STYPE = @extschema@.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_rate_agg(bigint, bigint, timestamptz) IS
	'trend of events out of trials over time, as a trend_rate state (rows with a NULL or no trials skipped)';
CREATE AGGREGATE @extschema@.trend_rate_agg(events bigint, trials bigint, x double precision) (
	SFUNC = @extschema@.trend_rate_accum,
	STYPE = @extschema@.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_rate_agg(bigint, bigint, double precision) IS
	'trend of events out of trials over a float8 x (a score), as a trend_rate state';
CREATE AGGREGATE @extschema@.rollup(@extschema@.trend_rate) (
	SFUNC = @extschema@.trend_rate_combine,
	STYPE = @extschema@.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.trend_rate) IS
	'trend_rate states combined into one';

CREATE FUNCTION @extschema@.n(@extschema@.trend_rate)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_rate_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.n(@extschema@.trend_rate) IS 'number of rows with trials';
CREATE FUNCTION @extschema@.rate(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate(@extschema@.trend_rate) IS 'all events over all trials';
CREATE FUNCTION @extschema@.slope(state @extschema@.trend_rate, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trend_rate, interval) IS
	'slope of the proportion weighted by the trials, per unit of time (NULL: per day) or of x';
CREATE FUNCTION @extschema@.slope_stderr(state @extschema@.trend_rate, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_stderr(@extschema@.trend_rate, interval) IS
	'standard error of the weighted slope: the binomial variance pbar (1 - pbar) / Sxx plus what the variance between campaigns adds (estimated from the scatter); NULL with fewer than 5 rows';
CREATE FUNCTION @extschema@.slope_lower(state @extschema@.trend_rate, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_lower(@extschema@.trend_rate, interval, double precision) IS
	'lower bound of the weighted slope''s confidence interval: Student t with n - 2 degrees of freedom, allowing for the variance between campaigns';
CREATE FUNCTION @extschema@.slope_upper(state @extschema@.trend_rate, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_upper(@extschema@.trend_rate, interval, double precision) IS
	'upper bound of the weighted slope''s confidence interval: Student t with n - 2 degrees of freedom, allowing for the variance between campaigns';
CREATE FUNCTION @extschema@.ca_chi2(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_chi2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ca_chi2(@extschema@.trend_rate) IS
	'Cochran-Armitage trend chi-square (1 degree of freedom), as R prop.trend.test';
CREATE FUNCTION @extschema@.ca_z(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_z' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ca_z(@extschema@.trend_rate) IS
	'Cochran-Armitage z, signed like the slope';
CREATE FUNCTION @extschema@.ca_p(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ca_p(@extschema@.trend_rate) IS
	'Cochran-Armitage two-sided p-value under the binomial (no dispersion): p_value() is the default test';
CREATE FUNCTION @extschema@.dispersion(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_dispersion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dispersion(@extschema@.trend_rate) IS
	'dispersion phi: the rows'' scatter around the fitted line over the binomial''s (1: binomial; 3: campaigns differ three times as much); NULL with fewer than 5 rows';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, timestamptz) IS
	'the fitted proportion at a timestamp';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, double precision) IS
	'the fitted proportion at an x';
CREATE FUNCTION @extschema@.fitted_first(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_first(@extschema@.trend_rate) IS
	'the fitted proportion at the first observation';
CREATE FUNCTION @extschema@.fitted_last(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_last' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_last(@extschema@.trend_rate) IS
	'the fitted proportion at the last observation';
CREATE FUNCTION @extschema@.fitted_lower(state @extschema@.trend_rate, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_lower(@extschema@.trend_rate, timestamptz, double precision) IS
	'lower bound of the confidence interval of the fitted proportion, allowing for the variance between campaigns at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION @extschema@.fitted_upper(state @extschema@.trend_rate, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_upper(@extschema@.trend_rate, timestamptz, double precision) IS
	'upper bound of the confidence interval of the fitted proportion, allowing for the variance between campaigns at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION @extschema@.first_time(@extschema@.trend_rate)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_time(@extschema@.trend_rate) IS
	'the first observation''s time (NULL for a trend over x)';
CREATE FUNCTION @extschema@.last_time(@extschema@.trend_rate)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.last_time(@extschema@.trend_rate) IS
	'the last observation''s time (NULL for a trend over x)';

CREATE FUNCTION @extschema@.p_value(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.p_value(@extschema@.trend_rate) IS
	'two-sided p-value of the rate trend: the weighted slope over its standard error allowing for the variance between campaigns (binomial plus random campaign effect), Student t with n - 2 degrees of freedom; NULL with fewer than 5 rows';
CREATE FUNCTION @extschema@.verdict(state @extschema@.trend_rate, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- too few rows to estimate the dispersion (but a variance to test): insufficient data
	SELECT @extschema@.trend_verdict(
			CASE WHEN @extschema@.dispersion(verdict.state) IS NULL
					  AND @extschema@.ca_p(verdict.state) IS NOT NULL THEN NULL
				 ELSE @extschema@.n(verdict.state) END,
			@extschema@.slope(verdict.state),
			@extschema@.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION @extschema@.verdict(@extschema@.trend_rate, text, double precision) IS
	'the verdict on a rate trend (Cochran-Armitage allowing for the variance between campaigns): improving, worsening, no significant trend or insufficient data (also with fewer than 5 rows)';

CREATE FUNCTION @extschema@.trend_report(state @extschema@.trend_rate, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   @extschema@.trend_verdict(CASE WHEN r.dispersion IS NULL AND r.ca_p IS NOT NULL THEN NULL
											ELSE r.n END,
									 r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT @extschema@.n(trend_report.state) AS n,
				   @extschema@.first_time(trend_report.state) AS first_time,
				   @extschema@.last_time(trend_report.state) AS last_time,
				   @extschema@.slope(trend_report.state, u.unit) AS slope,
				   @extschema@.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   @extschema@.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   @extschema@.p_value(trend_report.state) AS p_value,
				   @extschema@.dispersion(trend_report.state) AS dispersion,
				   @extschema@.ca_p(trend_report.state) AS ca_p
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN @extschema@.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION @extschema@.trend_report(@extschema@.trend_rate, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a rate trend (Cochran-Armitage allowing for the variance between campaigns)';


-- The trend states of a scope's metric over a period: least squares and
-- robust over the per-period value (a rate as a fraction), the rate trend
-- over events out of trials
CREATE FUNCTION @extschema@.evidence_states(scope_id bigint, metric text,
											period_start date, period_end date,
											OUT ols @extschema@.trend_ols,
											OUT rate @extschema@.trend_rate,
											OUT robust @extschema@.trend_robust)
	RETURNS record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.trend_ols_agg(x.y, x.observed_at),
		   @extschema@.trend_rate_agg(x.events, x.trials, x.observed_at),
		   @extschema@.trend_robust_agg(x.y, x.observed_at)
	  FROM (SELECT o.observed_at, o.events, o.trials,
				   CASE WHEN o.trials IS NULL THEN o.value
						ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END AS y
			  FROM @extschema@.behaviour_observation o
			 WHERE o.scope_id OPERATOR(pg_catalog.=) evidence_states.scope_id
			   AND o.metric OPERATOR(pg_catalog.=) evidence_states.metric
			   AND (evidence_states.period_start IS NULL
					OR o.observed_at OPERATOR(pg_catalog.>=) evidence_states.period_start::timestamptz)
			   AND (evidence_states.period_end IS NULL
					OR o.observed_at OPERATOR(pg_catalog.<)
					   (evidence_states.period_end OPERATOR(pg_catalog.+) 1)::timestamptz)) x;
END;
COMMENT ON FUNCTION @extschema@.evidence_states(bigint, text, date, date) IS
	'the least-squares, rate and robust trend states of a scope''s metric between two dates (inclusive; NULL is open)';

CREATE VIEW iso27001_bi.behaviour_trend WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, g.metric, m.name AS metric_name, m.control::text AS control_id,
	   m.better, m.unit,
	   CASE m.kind WHEN 'rate' THEN 'rate (Cochran-Armitage with dispersion)'
			ELSE 'robust (Theil-Sen, Mann-Kendall)' END AS method,
	   r.n, r.first_time, r.last_time,
	   r.slope::numeric AS slope_per_month, r.slope_lower::numeric AS slope_lower,
	   r.slope_upper::numeric AS slope_upper, r.p_value::numeric AS p_value,
	   -- a month is a twelfth of the Gregorian year (docs/trend_statistics.md §2.3)
	   @extschema@.material_verdict(r.verdict, r.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS verdict,
	   (CASE m.kind WHEN 'rate' THEN @extschema@.fitted_last(g.rate_state)
			 ELSE @extschema@.fitted_at(g.robust_state, r.last_time) END)::numeric AS fitted_last,
	   t.target::numeric AS target, t.due_date AS target_date,
	   CASE m.kind WHEN 'rate' THEN @extschema@.dispersion(g.rate_state) END::numeric AS dispersion,
	   m.min_effect::numeric AS min_effect
  FROM (SELECT o.scope_id, o.metric,
			   @extschema@.trend_rate_agg(o.events, o.trials, o.observed_at) AS rate_state,
			   @extschema@.trend_robust_agg(o.value, o.observed_at) AS robust_state
		  FROM @extschema@.behaviour_observation o
		 GROUP BY o.scope_id, o.metric) g
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) g.metric
 CROSS JOIN LATERAL (
		SELECT * FROM @extschema@.trend_report(g.rate_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		UNION ALL
		SELECT * FROM @extschema@.trend_report(g.robust_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value') r
  LEFT JOIN @extschema@.behaviour_target t
	ON t.scope_id OPERATOR(pg_catalog.=) g.scope_id AND t.metric OPERATOR(pg_catalog.=) g.metric;
COMMENT ON VIEW iso27001_bi.behaviour_trend IS
	'the trend of every scope''s behaviour metric over all its observations: slope per month with its 95 % interval, p-value and verdict (rate metrics: Cochran-Armitage widened by the campaigns'' dispersion; value metrics: Theil-Sen and Mann-Kendall; no material change below the metric''s min_effect a year), with the target';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.scope_id IS
	'identifier of the ISMS scope';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.scope IS
	'name of the ISMS scope';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.metric IS
	'key of the behaviour metric';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.metric_name IS
	'name of the behaviour metric';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.control_id IS
	'the control as text: A.5.7 for Annex A (OSCAL: a.5.7), the organization''s key otherwise';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.better IS
	'which direction is an improvement: lower or higher';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.unit IS
	'unit of the metric';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.method IS
	'how the trend is computed';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.n IS
	'number of observations';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.first_time IS
	'first observation of the trend';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.last_time IS
	'last observation of the trend';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.slope_per_month IS
	'slope per month (a rate as a fraction: -0.004 is -0.4 percentage points a month)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.slope_lower IS
	'lower end of the 95 % interval of the slope, per month';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.slope_upper IS
	'upper end of the 95 % interval of the slope, per month';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.p_value IS
	'two-sided p-value of the trend test';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.verdict IS
	'improving, worsening, no significant trend or insufficient data';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.fitted_last IS
	'the trend''s fitted value at the last observation (a rate as a fraction)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.target IS
	'the scope''s target for the metric (a rate as a fraction)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.target_date IS
	'when the target should be met';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.dispersion IS
	'how much more the campaigns scatter around the trend than chance alone would make them (1: as chance; 3: three times as much); the test is widened by it; empty with fewer than 5 campaigns and for value metrics';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.min_effect IS
	'the smallest change a year that counts as material (a rate as a fraction); a smaller significant trend is no material change';
GRANT SELECT ON iso27001_bi.behaviour_trend TO iso27001_reader;

-- A target's projection (issue 14): the interval of the fitted line at a
-- time, and where it lies against the target
CREATE FUNCTION @extschema@.fitted_lower(state @extschema@.trend_ols, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_lower(@extschema@.trend_ols, timestamptz, double precision) IS
	'lower bound of the confidence interval of the least-squares line at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION @extschema@.fitted_upper(state @extschema@.trend_ols, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_upper(@extschema@.trend_ols, timestamptz, double precision) IS
	'upper bound of the confidence interval of the least-squares line at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION @extschema@.target_status(projected_lower double precision,
										  projected_upper double precision,
										  target double precision, better text)
	RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.target_status(double precision, double precision, double precision, text) IS
	'on track (the whole interval of the projection meets the target), off track (none of it does), at risk (it straddles the target) or insufficient data (no interval); NULL without a target';

CREATE FUNCTION @extschema@.target_projection(state @extschema@.trend_rate, target double precision,
											  due timestamptz, better text,
											  level double precision DEFAULT 0.95)
	RETURNS TABLE (projected double precision, projected_lower double precision,
				   projected_upper double precision, status text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT p.projected, p.projected_lower, p.projected_upper,
		   @extschema@.target_status(p.projected_lower, p.projected_upper,
									 target_projection.target, target_projection.better)
	  -- a proportion stays within 0 and 1 however far the line goes (GREATEST
	  -- and LEAST are syntax, not functions a search_path could hijack; they
	  -- skip NULLs, hence the CASEs)
	  FROM (SELECT CASE WHEN r.fit IS NOT NULL THEN LEAST(GREATEST(r.fit, 0), 1) END AS projected,
				   CASE WHEN r.lo IS NOT NULL THEN LEAST(GREATEST(r.lo, 0), 1) END AS projected_lower,
				   CASE WHEN r.hi IS NOT NULL THEN LEAST(GREATEST(r.hi, 0), 1) END AS projected_upper
			  FROM (SELECT @extschema@.fitted_at(target_projection.state, target_projection.due) AS fit,
						   @extschema@.fitted_lower(target_projection.state, target_projection.due,
													target_projection.level) AS lo,
						   @extschema@.fitted_upper(target_projection.state, target_projection.due,
													target_projection.level) AS hi) r) p;
END;
COMMENT ON FUNCTION @extschema@.target_projection(@extschema@.trend_rate, double precision, timestamptz, text, double precision) IS
	'the rate the trend projects at a due date with its confidence interval (within 0 and 1), and whether the target is on track, at risk or off track';

CREATE FUNCTION @extschema@.target_projection(state @extschema@.trend_ols, target double precision,
											  due timestamptz, better text,
											  level double precision DEFAULT 0.95)
	RETURNS TABLE (projected double precision, projected_lower double precision,
				   projected_upper double precision, status text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT p.projected, p.projected_lower, p.projected_upper,
		   @extschema@.target_status(p.projected_lower, p.projected_upper,
									 target_projection.target, target_projection.better)
	  FROM (SELECT @extschema@.fitted_at(target_projection.state, target_projection.due) AS projected,
				   @extschema@.fitted_lower(target_projection.state, target_projection.due,
											target_projection.level) AS projected_lower,
				   @extschema@.fitted_upper(target_projection.state, target_projection.due,
											target_projection.level) AS projected_upper) p;
END;
COMMENT ON FUNCTION @extschema@.target_projection(@extschema@.trend_ols, double precision, timestamptz, text, double precision) IS
	'the value the least-squares line projects at a due date with its confidence interval, and whether the target is on track, at risk or off track';



-- Issue 14 item 4: cohorts and difficulty
--
-- Observations carry a cohort (department, site, role; '' is the whole
-- scope) and a difficulty (the campaign's template or difficulty level;
-- '' not given), both in the primary key: two campaigns of different
-- templates may start at the same instant.  Existing rows get '' and ''
-- (the whole scope, no difficulty), so every trend they give is unchanged.
-- The whole scope's trend reads behaviour_campaign (the scope's own row,
-- else the sum of its cohorts); the BI views gain a cohort and the trend
-- adjusted for difficulty (stratified_trend, trend_adjusted).  The new
-- columns come after those of 0.2.1 in the table, as in a fresh install.
-- This section is self-contained: it creates or replaces whole objects.

ALTER TABLE @extschema@.behaviour_observation
	ADD COLUMN cohort text NOT NULL DEFAULT ''
		CONSTRAINT behaviour_observation_cohort_check CHECK (
			cohort OPERATOR(pg_catalog.=) ''
			OR (pg_catalog.length(cohort) OPERATOR(pg_catalog.<=) 200
				AND cohort OPERATOR(pg_catalog.=) pg_catalog.btrim(cohort)
				AND cohort OPERATOR(pg_catalog.!~) '[\x01-\x1f\x7f-\x9f]')),
	ADD COLUMN difficulty text NOT NULL DEFAULT ''
		CONSTRAINT behaviour_observation_difficulty_check CHECK (
			difficulty OPERATOR(pg_catalog.=) ''
			OR (pg_catalog.length(difficulty) OPERATOR(pg_catalog.<=) 200
				AND difficulty OPERATOR(pg_catalog.=) pg_catalog.btrim(difficulty)
				AND difficulty OPERATOR(pg_catalog.!~) '[\x01-\x1f\x7f-\x9f]')),
	DROP CONSTRAINT behaviour_observation_pkey,
	ADD CONSTRAINT behaviour_observation_pkey PRIMARY KEY (scope_id, metric, cohort, difficulty, observed_at);
COMMENT ON TABLE @extschema@.behaviour_observation IS
	'behaviour observations per scope, metric, cohort, difficulty and period: events out of trials for a rate metric (say 12 clicks out of 400 messages of one campaign), or a value';
COMMENT ON COLUMN @extschema@.behaviour_observation.cohort IS
	'the part of the scope observed (a department, site or role); '''' (the default) is the whole scope: a campaign not split, or its total beside a breakdown by cohort';
COMMENT ON COLUMN @extschema@.behaviour_observation.difficulty IS
	'the campaign''s template or difficulty level (say ''1'' to ''5''), by which the adjusted trend is stratified; '''' (the default) is not given';
COMMENT ON CONSTRAINT behaviour_observation_cohort_check ON @extschema@.behaviour_observation IS
	'a cohort is '''' or up to 200 characters without control characters or surrounding white space';
COMMENT ON CONSTRAINT behaviour_observation_difficulty_check ON @extschema@.behaviour_observation IS
	'a difficulty is '''' or up to 200 characters without control characters or surrounding white space';

CREATE FUNCTION @extschema@.student_t_p(t double precision, df double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.student_t_p(double precision, double precision) IS
	'two-sided p-value P(|T| >= |t|) of Student''s t with df degrees of freedom (df > 0, also fractional; infinity: the normal)';

CREATE FUNCTION @extschema@.student_t_critical(level double precision, df double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.student_t_critical(double precision, double precision) IS
	'the t > 0 with P(|T| >= t) = 1 - level for Student''s t with df degrees of freedom: the multiplier of a two-sided confidence interval';

-- Each stratum's slope b_s and standard error se_s (the rate family's own,
-- widened by the stratum's dispersion) give the weight w_s = 1 / se_s^2;
-- the pooled slope is sum(w_s b_s) / sum(w_s), its standard error
-- 1 / sqrt(sum(w_s)), and t = slope / se is read against Student's t with
-- Satterthwaite's df = sum(w_s)^2 / sum(w_s^2 / (k_s - 2)), k_s the
-- stratum's rows.  A stratum without a standard error (fewer than 5 rows,
-- no events or only events, or no spread in time) is left out and counted.
CREATE FUNCTION @extschema@.stratified_trend(states @extschema@.trend_rate[], better text,
											 unit interval DEFAULT '1 month',
											 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text,
				   slope_stderr double precision, df double precision,
				   strata integer, strata_left_out integer)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(p.n, 0), p.first_time, p.last_time, p.slope,
		   p.slope OPERATOR(pg_catalog.-) (c.crit OPERATOR(pg_catalog.*) p.se),
		   p.slope OPERATOR(pg_catalog.+) (c.crit OPERATOR(pg_catalog.*) p.se),
		   c.p_value,
		   @extschema@.trend_verdict(p.n, p.slope,
									 p.slope OPERATOR(pg_catalog.-) (c.crit OPERATOR(pg_catalog.*) p.se),
									 p.slope OPERATOR(pg_catalog.+) (c.crit OPERATOR(pg_catalog.*) p.se),
									 c.p_value, stratified_trend.better, stratified_trend.alpha),
		   p.se, p.df, p.strata, p.left_out
	  FROM (SELECT pg_catalog.sum(s.n) FILTER (WHERE s.used)::bigint AS n,
				   pg_catalog.min(s.first_time) FILTER (WHERE s.used) AS first_time,
				   pg_catalog.max(s.last_time) FILTER (WHERE s.used) AS last_time,
				   pg_catalog.sum(s.w OPERATOR(pg_catalog.*) s.b) FILTER (WHERE s.used)
					   OPERATOR(pg_catalog./) pg_catalog.sum(s.w) FILTER (WHERE s.used) AS slope,
				   1 OPERATOR(pg_catalog./) pg_catalog.sqrt(pg_catalog.sum(s.w) FILTER (WHERE s.used)) AS se,
				   pg_catalog.sum(s.w) FILTER (WHERE s.used) OPERATOR(pg_catalog.*) pg_catalog.sum(s.w) FILTER (WHERE s.used)
					   OPERATOR(pg_catalog./)
					   pg_catalog.sum(s.w OPERATOR(pg_catalog.*) s.w
									  OPERATOR(pg_catalog./) (s.n OPERATOR(pg_catalog.-) 2)) FILTER (WHERE s.used) AS df,
				   pg_catalog.count(*) FILTER (WHERE s.used)::integer AS strata,
				   pg_catalog.count(*) FILTER (WHERE NOT s.used)::integer AS left_out
			  FROM (SELECT e.n, e.first_time, e.last_time, e.b,
						   CASE WHEN e.se OPERATOR(pg_catalog.>) 0 AND e.b IS NOT NULL
								THEN 1 OPERATOR(pg_catalog./) (e.se OPERATOR(pg_catalog.*) e.se) END AS w,
						   coalesce(e.se OPERATOR(pg_catalog.>) 0 AND e.b IS NOT NULL
											   AND e.n OPERATOR(pg_catalog.>) 2, false) AS used
					  FROM (SELECT @extschema@.n(x.state) AS n,
								   @extschema@.first_time(x.state) AS first_time,
								   @extschema@.last_time(x.state) AS last_time,
								   @extschema@.slope(x.state, x.unit) AS b,
								   @extschema@.slope_stderr(x.state, x.unit) AS se
							  -- a trend over x has no time unit: its slope is per x
							  FROM (SELECT u.state,
										   CASE WHEN @extschema@.first_time(u.state) IS NULL THEN NULL
												ELSE stratified_trend.unit END AS unit
									  FROM pg_catalog.unnest(stratified_trend.states) AS u(state)
									 WHERE u.state IS NOT NULL) x
							 OFFSET 0) e) s) p
	 CROSS JOIN LATERAL (
			-- a bad alpha is the verdict's to refuse (22023)
			SELECT CASE WHEN p.se OPERATOR(pg_catalog.>) 0 AND stratified_trend.alpha OPERATOR(pg_catalog.>) 0
							 AND stratified_trend.alpha OPERATOR(pg_catalog.<) 1
						THEN @extschema@.student_t_critical(1 OPERATOR(pg_catalog.-) stratified_trend.alpha, p.df) END AS crit,
				   CASE WHEN p.se OPERATOR(pg_catalog.>) 0
						THEN @extschema@.student_t_p(p.slope OPERATOR(pg_catalog./) p.se, p.df) END AS p_value) c;
END;
COMMENT ON FUNCTION @extschema@.stratified_trend(@extschema@.trend_rate[], text, interval, double precision) IS
	'the trend of a rate adjusted for strata (one rate trend per difficulty level or template): the strata''s slopes pooled by inverse-variance weights, its interval, p-value (Student t, Satterthwaite''s df) and verdict; strata without a standard error (fewer than 5 rows) are left out and counted';

-- The campaigns (or periods) the trends read, per scope, metric and
-- cohort: each cohort's own rows, and for the whole scope (cohort '') one
-- row per time and difficulty: the scope's own row ('') where there is
-- one, else, for a rate, the sum of its cohorts' events and trials.  A
-- value (a median time to report, say) cannot be summed: the whole scope
-- has only the values loaded for it, and a campaign with its cohorts'
-- values only has none (NULL; the trends skip it, the lists of
-- observations leave it out).  docs/trend_statistics.md §13.1.
CREATE VIEW @extschema@.behaviour_campaign WITH (security_invoker = true) AS
-- the whole scope's own rows, as loaded
SELECT o.scope_id, o.metric, ''::text AS cohort, o.observed_at, o.difficulty, o.events, o.trials, o.value
  FROM @extschema@.behaviour_observation o
 WHERE o.cohort OPERATOR(pg_catalog.=) ''
UNION ALL
-- a campaign loaded by cohort only: the sum of its cohorts (no value)
SELECT o.scope_id, o.metric, '', o.observed_at, o.difficulty,
	   pg_catalog.sum(o.events)::bigint, pg_catalog.sum(o.trials)::bigint, NULL::double precision
  FROM @extschema@.behaviour_observation o
 WHERE o.cohort OPERATOR(pg_catalog.<>) ''
   AND NOT EXISTS (SELECT FROM @extschema@.behaviour_observation w
					WHERE w.scope_id OPERATOR(pg_catalog.=) o.scope_id
					  AND w.metric OPERATOR(pg_catalog.=) o.metric
					  AND w.cohort OPERATOR(pg_catalog.=) ''
					  AND w.difficulty OPERATOR(pg_catalog.=) o.difficulty
					  AND w.observed_at OPERATOR(pg_catalog.=) o.observed_at)
 GROUP BY o.scope_id, o.metric, o.observed_at, o.difficulty
UNION ALL
-- each cohort's own rows
SELECT o.scope_id, o.metric, o.cohort, o.observed_at, o.difficulty, o.events, o.trials, o.value
  FROM @extschema@.behaviour_observation o
 WHERE o.cohort OPERATOR(pg_catalog.<>) '';
COMMENT ON VIEW @extschema@.behaviour_campaign IS
	'the rows the trends read: each cohort''s observations, and the whole scope''s (cohort ''''): its own row per time and difficulty where loaded, else the sum of its cohorts'' events and trials (rates only)';
COMMENT ON COLUMN @extschema@.behaviour_campaign.scope_id IS 'identifier of the ISMS scope';
COMMENT ON COLUMN @extschema@.behaviour_campaign.metric IS 'key of the behaviour metric';
COMMENT ON COLUMN @extschema@.behaviour_campaign.cohort IS 'the cohort; '''' is the whole scope';
COMMENT ON COLUMN @extschema@.behaviour_campaign.observed_at IS 'start of the period observed (a campaign''s send time)';
COMMENT ON COLUMN @extschema@.behaviour_campaign.difficulty IS 'the campaign''s template or difficulty level ('''': not given)';
COMMENT ON COLUMN @extschema@.behaviour_campaign.events IS 'events (rate metrics): the whole scope''s own row, or the sum over its cohorts';
COMMENT ON COLUMN @extschema@.behaviour_campaign.trials IS 'trials (rate metrics): the whole scope''s own row, or the sum over its cohorts';
COMMENT ON COLUMN @extschema@.behaviour_campaign.value IS 'the value (value metrics); for the whole scope only a value loaded for it (cohort ''''), else NULL';
-- security_invoker: the reader's own privileges and row-level security apply
GRANT SELECT ON @extschema@.behaviour_campaign TO PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.evidence_observations(scope text, metric text,
												  period_start date DEFAULT NULL,
												  period_end date DEFAULT NULL)
	RETURNS TABLE (observed_at text, events bigint, trials bigint, value text)
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
	-- the whole scope's campaigns (docs/trend_statistics.md §13.1): for
	-- observations not split by cohort, the rows as stored
	SELECT pg_catalog.to_char(o.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		   o.events, o.trials, o.value::text
	  FROM @extschema@.behaviour_campaign o
	 WHERE o.scope_id = (SELECT @extschema@.evidence_period_check($1, $2, $3, $4))
	   AND o.metric = $2
	   AND o.cohort = ''
	   AND (o.trials IS NOT NULL OR o.value IS NOT NULL)
	   AND ($3 IS NULL OR o.observed_at >= $3::timestamptz)
	   AND ($4 IS NULL OR o.observed_at < ($4 + 1)::timestamptz)
	 ORDER BY o.observed_at, o.difficulty
$$;
COMMENT ON FUNCTION @extschema@.evidence_observations(text, text, date, date) IS
	'the observations an evidence pack digests, in canonical text (UTC times, shortest exact numbers), in order of time and difficulty: the whole scope''s campaigns (a campaign split by cohort summed); its SHA-256 is that of this function''s CSV output with header';

-- The trend of a scope's rate metric adjusted for difficulty, for the
-- whole scope (cohort '') or one cohort, over a period
CREATE FUNCTION @extschema@.trend_adjusted(scope text, metric text, cohort text DEFAULT '',
										   period_start date DEFAULT NULL,
										   period_end date DEFAULT NULL,
										   unit interval DEFAULT '1 month',
										   alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text,
				   slope_stderr double precision, df double precision,
				   strata integer, strata_left_out integer)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	states @extschema@.trend_rate[];
BEGIN
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = trend_adjusted.metric;
	IF m.kind <> 'rate' THEN
		RAISE EXCEPTION 'behaviour metric "%" is not a rate', metric
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The trend adjusted for difficulty pools rate trends; a value metric''s robust trend has no standard error to weight by.';
	END IF;
	IF trend_adjusted.cohort IS NULL THEN
		RAISE EXCEPTION 'cohort must not be null'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'The whole scope is the cohort ''''.';
	END IF;
	IF trend_adjusted.cohort <> '' AND NOT EXISTS (
			SELECT FROM @extschema@.behaviour_observation o
			 WHERE o.scope_id = sid AND o.metric = trend_adjusted.metric AND o.cohort = trend_adjusted.cohort) THEN
		RAISE EXCEPTION 'cohort "%" has no observations of metric "%" in scope "%"', trend_adjusted.cohort, metric, scope
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The whole scope is the cohort ''''.';
	END IF;
	-- one rate trend per difficulty level
	SELECT array_agg(g.state) INTO states
	  FROM (SELECT @extschema@.trend_rate_agg(c.events, c.trials, c.observed_at) AS state
			  FROM @extschema@.behaviour_campaign c
			 WHERE c.scope_id = sid AND c.metric = trend_adjusted.metric
			   AND c.cohort = trend_adjusted.cohort
			   AND (period_start IS NULL OR c.observed_at >= period_start::timestamptz)
			   AND (period_end IS NULL OR c.observed_at < (period_end + 1)::timestamptz)
			 GROUP BY c.difficulty) g;
	RETURN QUERY
	SELECT a.n, a.first_time, a.last_time, a.slope, a.slope_lower, a.slope_upper, a.p_value,
		   @extschema@.material_verdict(a.verdict, y.slope, m.min_effect),
		   a.slope_stderr, a.df, a.strata, a.strata_left_out
	  FROM @extschema@.stratified_trend(states, m.better, unit, alpha) a,
		   @extschema@.stratified_trend(states, m.better, '1 year', alpha) y;
END
$$;
COMMENT ON FUNCTION @extschema@.trend_adjusted(text, text, text, date, date, interval, double precision) IS
	'the trend of a scope''s rate metric adjusted for difficulty, for the whole scope (cohort '''') or one cohort, between two dates (inclusive; NULL open): one rate trend per difficulty level, pooled (stratified_trend); the verdict is no material change below the metric''s min_effect a year';

CREATE OR REPLACE FUNCTION @extschema@.evidence_states(scope_id bigint, metric text,
											period_start date, period_end date,
											OUT ols @extschema@.trend_ols,
											OUT rate @extschema@.trend_rate,
											OUT robust @extschema@.trend_robust)
	RETURNS record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.trend_ols_agg(x.y, x.observed_at),
		   @extschema@.trend_rate_agg(x.events, x.trials, x.observed_at),
		   @extschema@.trend_robust_agg(x.y, x.observed_at)
	  FROM (SELECT o.observed_at, o.events, o.trials,
				   CASE WHEN o.trials IS NULL THEN o.value
						ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END AS y
			  FROM @extschema@.behaviour_campaign o
			 WHERE o.scope_id OPERATOR(pg_catalog.=) evidence_states.scope_id
			   AND o.metric OPERATOR(pg_catalog.=) evidence_states.metric
			   AND o.cohort OPERATOR(pg_catalog.=) ''
			   AND (evidence_states.period_start IS NULL
					OR o.observed_at OPERATOR(pg_catalog.>=) evidence_states.period_start::timestamptz)
			   AND (evidence_states.period_end IS NULL
					OR o.observed_at OPERATOR(pg_catalog.<)
					   (evidence_states.period_end OPERATOR(pg_catalog.+) 1)::timestamptz)) x;
END;
COMMENT ON FUNCTION @extschema@.evidence_states(bigint, text, date, date) IS
	'the least-squares, rate and robust trend states of a scope''s metric between two dates (inclusive; NULL is open), over the whole scope''s campaigns (behaviour_campaign, cohort '''')';

-- max_observations is new: a new signature
DROP FUNCTION @extschema@.evidence_pack(text, text, date, date, double precision);
CREATE FUNCTION @extschema@.evidence_pack(scope text, metric text,
										  period_start date DEFAULT NULL,
										  period_end date DEFAULT NULL,
										  alpha double precision DEFAULT 0.05,
										  max_observations integer DEFAULT 100000)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	s @extschema@.soa_scope;
	st record;
	obs jsonb;
	obs_count bigint;
	obs_first timestamptz;
	obs_last timestamptz;
	digest text;
	families jsonb := '{}';
	primary_family text;
	verdict text;
	fitted_last double precision;
	target jsonb;
	control jsonb;
	version jsonb;
	level double precision := 1 - alpha;
	q text;
BEGIN
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF max_observations IS NULL OR max_observations < 0 THEN
		RAISE EXCEPTION 'max_observations must not be negative or null'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = evidence_pack.metric;
	SELECT * INTO s FROM @extschema@.soa_scope x WHERE x.scope_id = sid;

	-- the observations, and the digest of their canonical CSV
	-- (in the order the function returns them, as COPY exports them: two
	-- campaigns of different difficulty may share a time).  The list is
	-- built only up to max_observations rows: a jsonb array takes about
	-- 1.3 kB of memory a row while it is built (773 MB for 600,000), the
	-- digest about a sixth of that
	SELECT count(*), min(e.observed_at), max(e.observed_at),
		   encode(sha256(convert_to('observed_at,events,trials,value' || E'\n' ||
									coalesce(string_agg(format('%s,%s,%s,%s', e.observed_at, e.events, e.trials, e.value),
														E'\n' ORDER BY e.k) || E'\n', ''),
									'UTF8')), 'hex'),
		   -- the first max_observations rows, kept only if they are all
		   CASE WHEN count(*) <= max_observations THEN
				coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
							'observed_at', e.observed_at, 'events', e.events, 'trials', e.trials,
							'rate', e.events::double precision / e.trials, 'value', e.value::double precision))
							ORDER BY e.k) FILTER (WHERE e.k <= max_observations), '[]') END
	  INTO obs_count, obs_first, obs_last, digest, obs
	  FROM @extschema@.evidence_observations(scope, metric, period_start, period_end)
		   WITH ORDINALITY AS e(observed_at, events, trials, value, k);

	st := @extschema@.evidence_states(sid, metric, period_start, period_end);
	IF n(st.ols) > 0 THEN
		families := families || jsonb_build_object('least_squares', jsonb_build_object(
			'method', 'ordinary least squares of the per-period ' || CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'value' END,
			'n', n(st.ols), 'slope_per_month', slope(st.ols, '1 month'),
			'slope_lower', slope_lower(st.ols, '1 month', level), 'slope_upper', slope_upper(st.ols, '1 month', level),
			'slope_stderr', slope_stderr(st.ols, '1 month'), 't_value', t_value(st.ols),
			'p_value', p_value(st.ols), 'r2', r2(st.ols),
			'fitted_first', fitted_first(st.ols), 'fitted_last', fitted_last(st.ols),
			'verdict', @extschema@.verdict(st.ols, m.better, alpha)));
	END IF;
	IF m.kind = 'rate' AND n(st.rate) > 0 THEN
		families := families || jsonb_build_object('rate', jsonb_build_object(
			'method', 'slope of the proportion weighted by trials; Cochran-Armitage test allowing for the variance between campaigns (binomial plus a random campaign effect, Student t with n - 2 degrees of freedom)',
			'n', n(st.rate), 'pooled_rate', rate(st.rate), 'slope_per_month', slope(st.rate, '1 month'),
			'slope_lower', slope_lower(st.rate, '1 month', level), 'slope_upper', slope_upper(st.rate, '1 month', level),
			'slope_stderr', slope_stderr(st.rate, '1 month'), 'ca_chi2', ca_chi2(st.rate),
			'ca_z', ca_z(st.rate), 'ca_p', ca_p(st.rate), 'dispersion', dispersion(st.rate),
			'p_value', p_value(st.rate),
			'fitted_first', fitted_first(st.rate), 'fitted_last', fitted_last(st.rate),
			'verdict', @extschema@.verdict(st.rate, m.better, alpha)));
	END IF;
	IF n(st.robust) > 0 THEN
		families := families || jsonb_build_object('robust', jsonb_build_object(
			'method', 'Theil-Sen slope with its rank interval; Mann-Kendall test',
			'n', n(st.robust), 'slope_per_month', slope(st.robust, '1 month'),
			'slope_lower', slope_lower(st.robust, '1 month', level), 'slope_upper', slope_upper(st.robust, '1 month', level),
			'mk_s', mk_s(st.robust), 'mk_var_s', mk_var_s(st.robust), 'mk_z', mk_z(st.robust),
			'p_value', p_value(st.robust), 'kendall_tau_b', kendall_tau_b(st.robust),
			'verdict', @extschema@.verdict(st.robust, m.better, alpha)));
	END IF;

	-- the family the verdict comes from: the rate trend for rates, the
	-- robust trend for values
	primary_family := CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'robust' END;
	verdict := @extschema@.material_verdict(
		coalesce(families -> primary_family ->> 'verdict', 'insufficient data'),
		CASE m.kind WHEN 'rate' THEN slope(st.rate, '1 year') ELSE slope(st.robust, '1 year') END,
		m.min_effect);
	fitted_last := CASE m.kind WHEN 'rate' THEN fitted_last(st.rate)
					   ELSE fitted_at(st.robust, last_time(st.robust)) END;

	-- the target, met or not by the last fitted value, and the trend's
	-- projection at the due date (the start of the day in the session's time
	-- zone) with its interval at the pack's confidence level: the rate trend
	-- for rates, least squares for values (docs/trend_statistics.md §3.10)
	SELECT jsonb_build_object('value', t.target, 'due_date', t.due_date, 'note', t.note,
							  'fitted_last', fitted_last,
							  'met', CASE WHEN m.better = 'lower' THEN fitted_last <= t.target
										  ELSE fitted_last >= t.target END,
							  'projection_method', CASE WHEN t.due_date IS NOT NULL THEN
														CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'least_squares' END END,
							  'projected', p.projected, 'projected_lower', p.projected_lower,
							  'projected_upper', p.projected_upper, 'status', p.status)
	  INTO target
	  FROM @extschema@.behaviour_target t
	  LEFT JOIN LATERAL (
			SELECT * FROM @extschema@.target_projection(st.rate, t.target, t.due_date::timestamptz,
														m.better, level)
			 WHERE m.kind = 'rate' AND t.due_date IS NOT NULL
			UNION ALL
			SELECT * FROM @extschema@.target_projection(st.ols, t.target, t.due_date::timestamptz,
														m.better, level)
			 WHERE m.kind = 'value' AND t.due_date IS NOT NULL) p ON true
	 WHERE t.scope_id = sid AND t.metric = evidence_pack.metric;

	IF m.control IS NOT NULL THEN
		SELECT jsonb_build_object('id', m.control::text, 'title', title(m.control),
								  'soa_entry', r.entry::text, 'applicable', is_applicable(r.entry),
								  'implementation', implementation(r.entry),
								  'reasons', to_jsonb(reasons(r.entry)),
								  'justification', r.justification, 'owner', r.owner,
								  'evidence', to_jsonb(r.evidence), 'changed_at', r.changed_at)
		  INTO control
		  FROM @extschema@.soa_register r
		 WHERE r.scope_id = sid AND r.control = m.control;
		control := coalesce(control, jsonb_build_object('id', m.control::text, 'title', title(m.control),
														 'soa_entry', NULL));
	END IF;

	SELECT jsonb_build_object('version', v.version, 'approved_at', v.approved_at,
							  'approved_by', v.approved_by,
							  'soa_entry', (SELECT ve.entry::text FROM @extschema@.soa_version_entry ve
											 WHERE ve.scope_id = v.scope_id AND ve.version = v.version
											   AND ve.control = m.control))
	  INTO version
	  FROM @extschema@.soa_version v
	 WHERE v.scope_id = sid
	 ORDER BY v.version DESC LIMIT 1;

	q := format('COPY (SELECT * FROM iso27001.evidence_observations(%L, %L, %L, %L)) TO STDOUT (FORMAT csv, HEADER)',
				scope, metric, period_start, period_end);
	RETURN jsonb_build_object(
		'document', 'iso27001 evidence pack',
		'format_version', 1,
		'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'generated_by', current_user,
		'scope', jsonb_build_object('name', s.name, 'edition', s.edition),
		'metric', jsonb_build_object('key', m.metric, 'name', m.name, 'description', m.description,
									 'kind', m.kind, 'better', m.better, 'unit',
									 CASE m.kind WHEN 'rate' THEN m.unit || ' (a fraction: 0.05 is 5 %)' ELSE m.unit END,
									 'control', m.control::text),
		'period', jsonb_build_object('start', period_start, 'end', period_end,
									 'dates_in_time_zone', current_setting('TimeZone'),
									 'first_observation', obs_first,
									 'last_observation', obs_last),
		'observations', obs,
		'observation_count', obs_count,
		'observations_listed', obs IS NOT NULL,
		'observations_sha256', digest,
		'digest_of', 'the CSV (with header, LF line ends) of ' || q,
		'confidence_level', level,
		'trends', families,
		'verdict_method', primary_family,
		'min_effect', m.min_effect,
		'verdict', verdict,
		'target', target,
		'control', control,
		'soa_version', version);
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_pack(text, text, date, date, double precision, integer) IS
	'the auditor''s evidence pack of a scope''s behaviour metric over a period (dates inclusive, NULL open): metric, observations (listed up to max_observations) with their SHA-256, every trend family that applies, verdict, target, the related control''s SoA entry';

CREATE OR REPLACE FUNCTION @extschema@.evidence_chart(scope text, metric text,
										   period_start date DEFAULT NULL,
										   period_end date DEFAULT NULL,
										   alpha double precision DEFAULT 0.05,
										   width integer DEFAULT 800,
										   height integer DEFAULT 450)
	RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := @extschema@.evidence_period_check(scope, metric, period_start, period_end);
	m @extschema@.behaviour_metric;
	st record;
	ts double precision[];		-- observation times, days since the first
	ys double precision[];		-- observed values (a rate in percent)
	t_first timestamptz;
	t_span double precision;
	scale double precision;
	lo double precision;
	hi double precision;
	fit_b double precision;		-- fitted slope per day
	target double precision;
	verdict text;
	summary text;
	lm CONSTANT integer := 72;	-- margins
	rm CONSTANT integer := 24;
	tm CONSTANT integer := 70;
	bm CONSTANT integer := 70;
	pw integer;
	ph integer;
	svg text;
	bx double precision[] := '{}';	-- band: day, fitted, lower, upper
	bf double precision[] := '{}';
	bl double precision[] := '{}';
	bu double precision[] := '{}';
	parts text := '';
	tick double precision;
	d date;
	step_months integer;
	x double precision;
	tx timestamptz;
	h double precision;
	j integer;
	title text;
	y_label text;
BEGIN
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF width IS NULL OR height IS NULL OR width NOT BETWEEN 320 AND 4000
	   OR height NOT BETWEEN 240 AND 4000 THEN
		RAISE EXCEPTION 'chart size must be between 320 x 240 and 4000 x 4000 pixels'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	pw := width - lm - rm;
	ph := height - tm - bm;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = evidence_chart.metric;
	scale := CASE m.kind WHEN 'rate' THEN 100 ELSE 1 END;
	title := m.name || ' — ' || scope;
	y_label := m.name || CASE m.kind WHEN 'rate' THEN ' (%)' ELSE ' (' || m.unit || ')' END;

	-- the whole scope's campaigns (docs/trend_statistics.md §13.1)
	SELECT min(o.observed_at),
		   array_agg(extract(epoch FROM o.observed_at)::double precision ORDER BY o.observed_at, o.difficulty),
		   array_agg(scale * CASE WHEN o.trials IS NULL THEN o.value
								  ELSE o.events::double precision / o.trials END ORDER BY o.observed_at, o.difficulty)
	  INTO t_first, ts, ys
	  FROM @extschema@.behaviour_campaign o
	 WHERE o.scope_id = sid AND o.metric = evidence_chart.metric AND o.cohort = ''
	   AND (o.trials IS NOT NULL OR o.value IS NOT NULL)
	   AND (period_start IS NULL OR o.observed_at >= period_start::timestamptz)
	   AND (period_end IS NULL OR o.observed_at < (period_end + 1)::timestamptz);

	svg := format('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
				  width, height, width, height)
		|| '<title>' || svg_text(title) || '</title>'
		|| format('<rect x="0" y="0" width="%s" height="%s" fill="#ffffff"/>', width, height)
		|| format('<text x="%s" y="26" font-size="17" font-weight="bold">%s</text>', lm, svg_text(title));
	IF ts IS NULL THEN
		RETURN svg || format('<text x="%s" y="%s" text-anchor="middle" font-size="14">No observations in this period</text></svg>',
							 width / 2, height / 2);
	END IF;
	-- times in days since the first observation
	SELECT array_agg((t - ts[1]) / 86400 ORDER BY k) INTO ts FROM unnest(ts) WITH ORDINALITY AS u(t, k);
	t_span := greatest(ts[array_length(ts, 1)], 1);

	-- the fitted line and its pointwise band (fitted_lower, fitted_upper):
	-- the rate trend (weighted by trials, allowing for the variance between
	-- campaigns) for a rate, least squares for a value
	st := @extschema@.evidence_states(sid, evidence_chart.metric, period_start, period_end);
	IF m.kind = 'rate' THEN
		fit_b := slope(st.rate, '1 day') * scale;
		verdict := @extschema@.material_verdict(@extschema@.verdict(st.rate, m.better, alpha),
											   slope(st.rate, '1 year'), m.min_effect);
		summary := format('rate trend %s pp/month (%s %% interval %s .. %s), p = %s, dispersion %s: %s',
						  to_char(slope(st.rate, '1 month') * 100, 'FMS990.00'), trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  coalesce(to_char(slope_lower(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'), '?'),
						  coalesce(to_char(slope_upper(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'), '?'),
						  coalesce(to_char(p_value(st.rate), '9.9EEEE'), 'none'),
						  coalesce(to_char(dispersion(st.rate), 'FM9990.0'), 'unknown (fewer than 5 campaigns)'), verdict);
	ELSE
		fit_b := slope(st.ols, '1 day');
		verdict := @extschema@.material_verdict(@extschema@.verdict(st.robust, m.better, alpha),
											   slope(st.robust, '1 year'), m.min_effect);
		summary := format('least-squares trend %s %s/month (%s %% interval %s .. %s); Mann-Kendall p = %s: %s',
						  to_char(slope(st.ols, '1 month'), 'FMS999990.00'), m.unit, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  to_char(slope_lower(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(slope_upper(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(p_value(st.robust), '9.9EEEE'), verdict);
	END IF;
	SELECT t.target * scale INTO target FROM @extschema@.behaviour_target t
	 WHERE t.scope_id = sid AND t.metric = evidence_chart.metric;

	-- the vertical range: observations, band and target, with a margin
	SELECT min(y), max(y) INTO lo, hi FROM unnest(ys) y;
	IF fit_b IS NOT NULL THEN
		FOR j IN 0..40 LOOP
			x := t_span * j / 40;
			tx := t_first + make_interval(secs => x * 86400);
			IF m.kind = 'rate' THEN
				bf := bf || fitted_at(st.rate, tx) * scale;
				bl := bl || fitted_lower(st.rate, tx, 1 - alpha) * scale;
				bu := bu || fitted_upper(st.rate, tx, 1 - alpha) * scale;
			ELSE
				bf := bf || fitted_at(st.ols, tx);
				bl := bl || fitted_lower(st.ols, tx, 1 - alpha);
				bu := bu || fitted_upper(st.ols, tx, 1 - alpha);
			END IF;
			bx := bx || x;
			lo := least(lo, bf[j + 1], bl[j + 1]);
			hi := greatest(hi, bf[j + 1], bu[j + 1]);
		END LOOP;
	END IF;
	lo := least(lo, target);
	hi := greatest(hi, target);
	IF m.kind = 'rate' THEN
		lo := greatest(lo, 0);
		hi := least(hi, 100);
	END IF;
	IF hi - lo < 1e-9 THEN
		lo := lo - 1;
		hi := hi + 1;
	END IF;
	h := (hi - lo) * 0.05;
	lo := lo - h;
	hi := hi + h;
	IF m.kind = 'rate' THEN
		lo := greatest(lo, 0);
	END IF;

	-- y grid and labels
	FOREACH tick IN ARRAY chart_ticks(lo, hi) LOOP
		parts := parts || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="end">%s</text>',
								 lm, lm + pw, round((tm + ph * (hi - tick) / (hi - lo))::numeric, 1),
								 round((tm + ph * (hi - tick) / (hi - lo))::numeric, 1),
								 lm - 6, round((tm + ph * (hi - tick) / (hi - lo))::numeric + 4, 1),
								 rtrim(rtrim(to_char(tick, 'FM999999990.00'), '0'), '.'));
	END LOOP;
	-- x labels: months, every 1, 3, 6 or 12
	step_months := CASE WHEN t_span <= 200 THEN 1 WHEN t_span <= 700 THEN 3
						WHEN t_span <= 1500 THEN 6 ELSE 12 END;
	d := (date_trunc('month', t_first AT TIME ZONE 'UTC') + interval '1 month')::date;
	WHILE extract(epoch FROM (d::timestamp AT TIME ZONE 'UTC') - t_first) / 86400 <= t_span LOOP
		IF (extract(month FROM d)::integer - 1) % step_months = 0 THEN
			x := lm + pw * (extract(epoch FROM (d::timestamp AT TIME ZONE 'UTC') - t_first) / 86400) / t_span;
			parts := parts || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="middle">%s</text>',
									 round(x::numeric, 1), round(x::numeric, 1), tm, tm + ph,
									 round(x::numeric, 1), tm + ph + 18, to_char(d, 'Mon YYYY'));
		END IF;
		d := (d + interval '1 month')::date;
	END LOOP;
	svg := svg || parts
		|| format('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#888888"/>', lm, tm, pw, ph);

	-- band, fitted line, target, observations
	-- no band without an interval (two campaigns: no degrees of freedom)
	IF bl[1] IS NOT NULL THEN
		SELECT string_agg(format('%s,%s', round((lm + pw * b.x / t_span)::numeric, 1),
								 round((tm + ph * (hi - least(greatest(b.y, lo), hi)) / (hi - lo))::numeric, 1)),
						  ' ' ORDER BY b.k)
		  INTO parts
		  FROM (SELECT u.x, u.y, u.k FROM unnest(bx, bu) WITH ORDINALITY AS u(x, y, k)
				UNION ALL
				SELECT u.x, u.y, 1000 - u.k FROM unnest(bx, bl) WITH ORDINALITY AS u(x, y, k)) b;
		svg := svg || format('<polygon points="%s" fill="#4c78a8" fill-opacity="0.18" stroke="none"/>', parts);
	END IF;
	IF fit_b IS NOT NULL THEN
		svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#4c78a8" stroke-width="2.5"/>',
							 lm, round((tm + ph * (hi - bf[1]) / (hi - lo))::numeric, 1),
							 lm + pw, round((tm + ph * (hi - bf[41]) / (hi - lo))::numeric, 1));
	END IF;
	IF target IS NOT NULL THEN
		svg := svg || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#d62728" stroke-dasharray="6 4"/><text x="%s" y="%s" text-anchor="end" fill="#d62728">target %s</text>',
							 lm, lm + pw, round((tm + ph * (hi - target) / (hi - lo))::numeric, 1),
							 round((tm + ph * (hi - target) / (hi - lo))::numeric, 1),
							 lm + pw - 4, round((tm + ph * (hi - target) / (hi - lo))::numeric - 4, 1),
							 rtrim(rtrim(to_char(target, 'FM999999990.00'), '0'), '.'));
	END IF;
	SELECT string_agg(format('%s,%s', round((lm + pw * t / t_span)::numeric, 1),
							 round((tm + ph * (hi - y) / (hi - lo))::numeric, 1)), ' ' ORDER BY k)
	  INTO parts FROM unnest(ts, ys) WITH ORDINALITY AS u(t, y, k);
	svg := svg || format('<polyline points="%s" fill="none" stroke="#555555" stroke-width="1"/>', parts);
	SELECT string_agg(format('<circle cx="%s" cy="%s" r="2.5" fill="#333333"/>',
							 round((lm + pw * t / t_span)::numeric, 1),
							 round((tm + ph * (hi - y) / (hi - lo))::numeric, 1)), '' ORDER BY k)
	  INTO parts FROM unnest(ts, ys) WITH ORDINALITY AS u(t, y, k);
	svg := svg || parts;

	-- labels and legend
	RETURN svg
		|| format('<text x="%s" y="46" font-size="12" fill="#333333">%s</text>', lm, svg_text(summary))
		|| format('<text x="%s" y="%s" text-anchor="middle">Observed at (UTC), %s observations</text>',
				  lm + pw / 2, height - 30, array_length(ts, 1))
		|| format('<text transform="translate(18,%s) rotate(-90)" text-anchor="middle">%s</text>',
				  tm + ph / 2, svg_text(y_label))
		|| format('<text x="%s" y="%s" font-size="11" fill="#555555">● observations   — fitted trend with its %s %% band%s</text>',
				  lm, height - 10, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
				  CASE WHEN target IS NOT NULL THEN '   - - target' ELSE '' END)
		|| '</svg>';
END
$$;
COMMENT ON FUNCTION @extschema@.evidence_chart(text, text, date, date, double precision, integer, integer) IS
	'an SVG line chart of a scope''s behaviour metric over a period: the observations, the fitted trend with its pointwise confidence band, the target, title, axis labels and verdict';

CREATE OR REPLACE VIEW iso27001_bi.behaviour_series WITH (security_invoker = true) AS
SELECT o.scope_id, s.name AS scope, o.metric, m.name AS metric_name,
	   m.control::text AS control_id, o.observed_at,
	   o.events, o.trials,
	   (CASE WHEN o.trials IS NULL THEN o.value
			 ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END)::numeric AS value,
	   m.better, m.unit, o.cohort, o.difficulty
  FROM @extschema@.behaviour_campaign o
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) o.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) o.metric
 -- not a whole-scope value known only per cohort
 WHERE o.trials IS NOT NULL OR o.value IS NOT NULL;
COMMENT ON VIEW iso27001_bi.behaviour_series IS
	'behaviour observations as a time series (time column observed_at): the rate (events / trials, a fraction) or the value per scope, metric, cohort and period, with the campaign''s difficulty; cohort '''' is the whole scope (a campaign split by cohort summed)';

CREATE OR REPLACE VIEW iso27001_bi.behaviour_trend WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, g.metric, m.name AS metric_name, m.control::text AS control_id,
	   m.better, m.unit,
	   CASE m.kind WHEN 'rate' THEN 'rate (Cochran-Armitage with dispersion)'
			ELSE 'robust (Theil-Sen, Mann-Kendall)' END AS method,
	   coalesce(r.n, 0) AS n, r.first_time, r.last_time,
	   r.slope::numeric AS slope_per_month, r.slope_lower::numeric AS slope_lower,
	   r.slope_upper::numeric AS slope_upper, r.p_value::numeric AS p_value,
	   -- a month is a twelfth of the Gregorian year (docs/trend_statistics.md §2.3)
	   @extschema@.material_verdict(r.verdict, r.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS verdict,
	   (CASE m.kind WHEN 'rate' THEN @extschema@.fitted_last(g.rate_state)
			 ELSE @extschema@.fitted_at(g.robust_state, r.last_time) END)::numeric AS fitted_last,
	   t.target::numeric AS target, t.due_date AS target_date,
	   CASE m.kind WHEN 'rate' THEN @extschema@.dispersion(g.rate_state) END::numeric AS dispersion,
	   m.min_effect::numeric AS min_effect,
	   -- 0.2.2, issue 14 item 4: the cohort ('' the whole scope) and the
	   -- trend adjusted for difficulty (rates; docs/trend_statistics.md §13)
	   g.cohort,
	   a.slope::numeric AS adjusted_slope_per_month, a.slope_lower::numeric AS adjusted_slope_lower,
	   a.slope_upper::numeric AS adjusted_slope_upper, a.p_value::numeric AS adjusted_p_value,
	   @extschema@.material_verdict(a.verdict, a.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS adjusted_verdict,
	   a.strata AS difficulty_levels, a.strata_left_out AS difficulty_levels_left_out,
	   -- 0.2.2, issue 14 item 3: the target's projection at its due date
	   -- (the rate trend for rates, least squares for values; §3.10, §4.9)
	   p.projected::numeric AS projected, p.projected_lower::numeric AS projected_lower,
	   p.projected_upper::numeric AS projected_upper, p.status AS target_status
  FROM (SELECT d.scope_id, d.metric, d.cohort,
			   @extschema@.rollup(d.rate_state) AS rate_state,
			   @extschema@.rollup(d.robust_state) AS robust_state,
			   @extschema@.rollup(d.ols_state) AS ols_state,
			   pg_catalog.array_agg(d.rate_state) AS rate_strata
		  -- one state per difficulty level, rolled up for the cohort's trend
		  FROM (SELECT c.scope_id, c.metric, c.cohort, c.difficulty,
					   @extschema@.trend_rate_agg(c.events, c.trials, c.observed_at) AS rate_state,
					   @extschema@.trend_robust_agg(c.value, c.observed_at) AS robust_state,
					   @extschema@.trend_ols_agg(c.value, c.observed_at) AS ols_state
				  FROM @extschema@.behaviour_campaign c
				 GROUP BY c.scope_id, c.metric, c.cohort, c.difficulty) d
		 GROUP BY d.scope_id, d.metric, d.cohort) g
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) g.metric
 CROSS JOIN LATERAL (
		SELECT * FROM @extschema@.trend_report(g.rate_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		UNION ALL
		SELECT * FROM @extschema@.trend_report(g.robust_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value') r
  LEFT JOIN LATERAL (
		-- one difficulty level (none given): the adjusted trend is the trend
		SELECT r.slope, r.slope_lower, r.slope_upper, r.p_value, r.verdict,
			   CASE WHEN r.p_value IS NULL THEN 0 ELSE 1 END AS strata,
			   CASE WHEN r.p_value IS NULL THEN 1 ELSE 0 END AS strata_left_out
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		   AND pg_catalog.cardinality(g.rate_strata) OPERATOR(pg_catalog.=) 1
		UNION ALL
		SELECT x.slope, x.slope_lower, x.slope_upper, x.p_value, x.verdict, x.strata, x.strata_left_out
		  FROM @extschema@.stratified_trend(g.rate_strata, m.better) x
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		   AND pg_catalog.cardinality(g.rate_strata) OPERATOR(pg_catalog.>) 1) a ON true
  LEFT JOIN @extschema@.behaviour_target t
	ON t.scope_id OPERATOR(pg_catalog.=) g.scope_id AND t.metric OPERATOR(pg_catalog.=) g.metric
  -- projected at the start of the due date in the session's time zone
  LEFT JOIN LATERAL (
		SELECT * FROM @extschema@.target_projection(g.rate_state, t.target,
													 t.due_date::timestamptz, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate' AND t.due_date IS NOT NULL
		UNION ALL
		SELECT * FROM @extschema@.target_projection(g.ols_state, t.target,
													 t.due_date::timestamptz, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value' AND t.due_date IS NOT NULL) p ON true;
COMMENT ON VIEW iso27001_bi.behaviour_trend IS
	'the trend of every scope''s behaviour metric over all its observations, for the whole scope (cohort '''') and each cohort: slope per month with its 95 % interval, p-value and verdict (rate metrics: Cochran-Armitage widened by the campaigns'' dispersion, and adjusted for difficulty; value metrics: Theil-Sen and Mann-Kendall; no material change below the metric''s min_effect a year), with the scope''s target';
COMMENT ON COLUMN iso27001_bi.behaviour_series.cohort IS
	'the cohort (department, site, role); empty is the whole scope: filter cohort = '''' for one row per scope and metric';
COMMENT ON COLUMN iso27001_bi.behaviour_series.difficulty IS
	'the campaign''s template or difficulty level; empty when not given';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.cohort IS
	'the cohort (department, site, role); empty is the whole scope: filter cohort = '''' for one row per scope and metric';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.adjusted_slope_per_month IS
	'slope per month adjusted for difficulty: the slopes within each difficulty level, pooled (rate metrics; empty for value metrics)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.adjusted_slope_lower IS
	'lower end of the 95 % interval of the slope adjusted for difficulty, per month';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.adjusted_slope_upper IS
	'upper end of the 95 % interval of the slope adjusted for difficulty, per month';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.adjusted_p_value IS
	'two-sided p-value of the trend adjusted for difficulty (rate metrics)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.adjusted_verdict IS
	'the verdict on the trend adjusted for difficulty: an easier mix of templates is not improvement (rate metrics)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.difficulty_levels IS
	'difficulty levels pooled in the adjusted trend (1 when no difficulty is given)';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.difficulty_levels_left_out IS
	'difficulty levels left out of the adjusted trend: fewer than 5 campaigns, or no events at all';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.projected IS
	'the trend''s value at the target''s due date (rate metrics: the rate trend, within 0 and 1; value metrics: the least-squares line); empty without a target and due date';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.projected_lower IS
	'lower end of the 95 % confidence interval of the projected value';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.projected_upper IS
	'upper end of the 95 % confidence interval of the projected value';
COMMENT ON COLUMN iso27001_bi.behaviour_trend.target_status IS
	'on track (the projection''s whole 95 % interval meets the target), off track (none of it does), at risk (it straddles the target) or insufficient data; empty without a target and due date';


-- Issue 16 item 5: the OSCAL SSP carries owners, evidence links and the
-- approval.  oscal_href is new; oscal_entries returns two more columns (a
-- new result type: dropped and created again); oscal_ssp replaced.

-- A link as an OSCAL href (a URI reference, RFC 3986): every character
-- outside the unreserved and reserved sets, and a % not starting an escape,
-- percent-encoded as its UTF-8 bytes; a link that is already a URI is
-- unchanged
CREATE FUNCTION @extschema@.oscal_href(link text)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.string_agg(
			   CASE WHEN u.c OPERATOR(pg_catalog.~) '^[A-Za-z0-9._~:/?#@!$&''()*+,;=\[\]-]$'
						 OR (u.c OPERATOR(pg_catalog.=) '%'
							 AND pg_catalog.substr(oscal_href.link, u.k::integer OPERATOR(pg_catalog.+) 1, 2)
								 OPERATOR(pg_catalog.~) '^[0-9A-Fa-f]{2}$')
					THEN u.c
					ELSE pg_catalog.upper(pg_catalog.regexp_replace(
							 pg_catalog.encode(pg_catalog.convert_to(u.c, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END,
			   '' ORDER BY u.k)
	  FROM pg_catalog.regexp_split_to_table(oscal_href.link, '') WITH ORDINALITY AS u(c, k);
END;
COMMENT ON FUNCTION @extschema@.oscal_href(text) IS
	'a link as an OSCAL href: characters a URI may not hold percent-encoded (UTF-8), a URI unchanged';

-- The entries of a scope's SoA for export: current (version NULL) or an
-- approved version, with the time it stood
DROP FUNCTION @extschema@.oscal_entries(text, integer);
CREATE FUNCTION @extschema@.oscal_entries(scope text, version integer)
	RETURNS TABLE (control @extschema@.iso_control, entry @extschema@.soa_entry,
				   justification text, owner text, evidence text[], as_of timestamptz)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
BEGIN
	IF version IS NULL THEN
		RETURN QUERY
		SELECT r.control, r.entry, r.justification, r.owner, r.evidence, max(r.changed_at) OVER ()
		  FROM @extschema@.soa_register r
		 WHERE r.scope_id = id AND r.control IS NOT NULL
		 ORDER BY r.control;
	ELSE
		RETURN QUERY
		SELECT e.control, e.entry, e.justification, e.owner, e.evidence,
			   @extschema@.soa_version_time(scope, oscal_entries.version)
		  FROM @extschema@.soa_as_of_version(scope, oscal_entries.version) e
		 WHERE e.control IS NOT NULL
		 ORDER BY e.control;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_entries(text, integer) IS
	'the Annex A entries of a scope''s SoA (current when version is NULL, else an approved version) with owner and evidence links, and the time they stood, for the OSCAL exports';

CREATE OR REPLACE FUNCTION @extschema@.oscal_ssp(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	s @extschema@.soa_scope;
	v @extschema@.soa_version;
	reqs jsonb;
	owners text[];
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
	ns CONSTANT text := 'https://pgxn.org/dist/iso27001/ns/oscal';
	component uuid;
	profile uuid := oscal_uuid('profile/' || scope || '/' || tag);
	roles jsonb := '[]';
	parties jsonb := '[]';
	users jsonb := '[]';
	actions jsonb;
BEGIN
	PERFORM @extschema@.soa_scope_id(scope);
	SELECT * INTO s FROM @extschema@.soa_scope x WHERE x.name = scope;
	component := oscal_uuid('component/' || scope);
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', oscal_uuid('requirement/' || scope || '/' || tag || '/' || e.control::text),
			   'control-id', lower(e.control::text),
			   'props', jsonb_build_array(jsonb_build_object(
							'name', 'soa-decision', 'ns', ns,
							'value', CASE WHEN e.entry IS NULL THEN 'undecided'
										  WHEN is_applicable(e.entry) THEN 'applicable'
										  ELSE 'excluded' END))
						|| coalesce((SELECT jsonb_agg(jsonb_build_object(
											 'name', 'inclusion-reason', 'ns', ns,
											 'value', replace(r, ' ', '-')) ORDER BY k)
									   FROM unnest(reasons(e.entry)) WITH ORDINALITY AS u(r, k)), '[]'),
			   -- the evidence links, in the register's order
			   'links', (SELECT jsonb_agg(jsonb_build_object('href', oscal_href(l), 'rel', 'evidence',
															 'text', l) ORDER BY k)
						   FROM unnest(e.evidence) WITH ORDINALITY AS u(l, k)),
			   'responsible-roles', CASE WHEN nullif(btrim(e.owner), '') IS NOT NULL THEN
					jsonb_build_array(jsonb_build_object(
						'role-id', 'control-owner',
						'party-uuids', jsonb_build_array(oscal_uuid('party/' || btrim(e.owner))))) END,
			   'remarks', nullif(btrim(e.justification), ''),
			   'by-components', CASE WHEN e.entry IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
					'component-uuid', component,
					'uuid', oscal_uuid('by-component/' || scope || '/' || tag || '/' || e.control::text),
					'description', coalesce(nullif(btrim(e.justification), ''), e.entry::text),
					'implementation-status', jsonb_build_object('state', oscal_status(e.entry)))) END))
			   ORDER BY e.control),
		   max(e.as_of),
		   array_agg(DISTINCT btrim(e.owner)) FILTER (WHERE nullif(btrim(e.owner), '') IS NOT NULL)
	  INTO reqs, as_of, owners
	  FROM @extschema@.oscal_entries(scope, version) e;

	-- the approval: of the version exported, or the latest for the current SoA
	SELECT * INTO v FROM @extschema@.soa_version x
	 WHERE x.scope_id = s.scope_id AND (oscal_ssp.version IS NULL OR x.version = oscal_ssp.version)
	 ORDER BY x.version DESC LIMIT 1;

	-- roles and parties: the control owners as the register names them, and
	-- the approver; parties are named by their text alone, so one person is
	-- one party in every scope's document
	IF owners IS NOT NULL THEN
		roles := roles || jsonb_build_object('id', 'control-owner', 'title', 'Control owner');
		users := users || jsonb_build_object('uuid', oscal_uuid('user/' || scope || '/control-owner'),
											 'title', 'Control owners', 'role-ids', jsonb_build_array('control-owner'));
	END IF;
	IF v.version IS NOT NULL THEN
		roles := roles || jsonb_build_object('id', 'soa-approver',
											 'title', 'Approver of the Statement of Applicability');
		users := users || jsonb_build_object('uuid', oscal_uuid('user/' || scope || '/soa-approver'),
											 'title', 'SoA approver', 'role-ids', jsonb_build_array('soa-approver'));
		actions := jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
			'uuid', oscal_uuid('approval/' || scope || '/' || v.version),
			'date', to_char(v.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
			'type', 'approval',
			'system', ns,
			'props', jsonb_build_array(jsonb_build_object('name', 'soa-version', 'ns', ns, 'value', v.version::text)),
			'responsible-parties', jsonb_build_array(jsonb_build_object(
				'role-id', 'soa-approver',
				'party-uuids', jsonb_build_array(oscal_uuid('party/' || btrim(v.approved_by))))),
			'remarks', nullif(concat_ws(' ', nullif(btrim(v.note), ''),
										CASE WHEN oscal_ssp.version IS NULL AND as_of > v.approved_at
											 THEN 'The SoA has changed since this approval; the changes are in this document and not approved.' END),
							  ''))));
	END IF;
	SELECT coalesce(jsonb_agg(jsonb_build_object('uuid', oscal_uuid('party/' || p), 'type', 'person', 'name', p)
							  ORDER BY p), '[]')
	  INTO parties
	  FROM (SELECT unnest(owners) UNION SELECT btrim(v.approved_by) WHERE v.version IS NOT NULL) q(p);
	IF users = '[]' THEN
		users := jsonb_build_array(jsonb_build_object('uuid', oscal_uuid('user/' || scope), 'title', 'ISMS owner'));
	END IF;

	RETURN jsonb_build_object('system-security-plan', jsonb_build_object(
		'uuid', oscal_uuid('ssp/' || scope || '/' || tag),
		'metadata', jsonb_strip_nulls(jsonb_build_object(
			'title', 'Statement of Applicability of ' || scope || ' (ISO/IEC 27001:' || s.edition || ', ' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1',
			'roles', nullif(roles, '[]'),
			'parties', nullif(parties, '[]'),
			'actions', actions,
			'remarks', 'Exported by the iso27001 PostgreSQL extension from its SoA register. Organization-defined controls are not part of the Annex A catalogue and are not exported here.')),
		'import-profile', jsonb_build_object('href', '#' || profile),
		'system-characteristics', jsonb_build_object(
			'system-ids', jsonb_build_array(jsonb_build_object(
				'identifier-type', 'https://ietf.org/rfc/rfc4122',
				'id', oscal_uuid('scope/' || scope)::text)),
			'system-name', scope,
			'description', coalesce(nullif(btrim(s.description), ''), 'The ISMS scope ' || scope || '.'),
			'system-information', jsonb_build_object('information-types', jsonb_build_array(jsonb_build_object(
				'uuid', oscal_uuid('information-type/' || scope),
				'title', 'Information within the ISMS scope',
				'description', 'The information the ISMS scope ' || scope || ' protects.'))),
			-- operational once an SoA version is approved
			'status', CASE WHEN v.version IS NOT NULL
						   THEN jsonb_build_object('state', 'operational')
						   ELSE jsonb_build_object('state', 'under-development',
												   'remarks', 'No version of the Statement of Applicability is approved yet.') END,
			'authorization-boundary', jsonb_build_object(
				'description', 'The scope of the information security management system ' || scope
							   || ', as its Statement of Applicability states.')),
		'system-implementation', jsonb_build_object(
			'users', users,
			'components', jsonb_build_array(jsonb_build_object(
				'uuid', component, 'type', 'this-system', 'title', scope,
				'description', 'The whole ISMS scope ' || scope || '.',
				'status', jsonb_build_object('state', 'operational')))),
		'control-implementation', jsonb_build_object(
			'description', 'Statement of Applicability (ISO/IEC 27001:2022 clause 6.1.3 d)): every Annex A control, '
						   || 'applicable or excluded with its justification, its implementation status and reasons for inclusion.',
			'implemented-requirements', reqs),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', profile,
			'title', 'Applicable controls of ' || scope || ' (iso27001.oscal_profile)',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'urn:uuid:' || profile, 'media-type', 'application/oscal.profile+json')))))));
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_ssp(text, integer) IS
	'a scope''s SoA (current, or an approved version) as an OSCAL system security plan: one implemented requirement per Annex A control with its decision, inclusion reasons, justification (remarks), implementation status, owner (responsible role and party) and evidence links; the approval as a metadata action';


-- Issue 16 item 2: BI values.  Statistics, ratios and shares in the BI
-- views are double precision (numeric printed up to 280 decimals or
-- rounded in BI tools): the views whose column types change are dropped
-- and created again; behaviour_trend reads behaviour_trend_between (new),
-- beside the 12-month and quarterly views; soa_evidence lists the links.
DROP VIEW iso27001_bi.behaviour_trend;
DROP VIEW iso27001_bi.behaviour_series;
DROP VIEW iso27001_bi.soa_coverage_by_theme;
DROP VIEW iso27001_bi.soa_coverage_by_attribute;

CREATE VIEW iso27001_bi.soa_coverage_by_theme WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, coalesce(x.section, 'Organization-defined') AS theme,
	   coalesce(x.section_order, 1000) AS theme_order,
	   (g.c).total AS controls, (g.c).undecided, (g.c).excluded, (g.c).applicable,
	   (g.c).not_implemented, (g.c).planned, (g.c).partially_implemented, (g.c).implemented,
	   (g.c).implemented::double precision
		 OPERATOR(pg_catalog./) NULLIF((g.c).applicable, 0) AS implemented_share
  FROM (SELECT r.scope_id, @extschema@.edition(r.control) AS edition,
			   @extschema@.sort_key(r.control) OPERATOR(pg_catalog./) 10000 AS head,
			   @extschema@.soa_summary(r.entry) AS c
		  FROM @extschema@.soa_register r
		 GROUP BY 1, 2, 3) g
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  LEFT JOIN (SELECT DISTINCT a.edition, @extschema@.sort_key(a.control) OPERATOR(pg_catalog./) 10000 AS head,
				    a.section, a.section_order
			   FROM @extschema@.annex_a_sections a) x
	ON x.edition OPERATOR(pg_catalog.=) g.edition AND x.head OPERATOR(pg_catalog.=) g.head;
COMMENT ON VIEW iso27001_bi.soa_coverage_by_theme IS
	'SoA coverage per scope and theme (2022) or clause (2013): counts by applicability and implementation, implemented share of applicable controls';

CREATE VIEW iso27001_bi.soa_coverage_by_attribute WITH (security_invoker = true) AS
SELECT s.scope_id, c.scope, c.attribute, c.value, c.controls, c.excluded, c.applicable,
	   c.implemented, c.implemented_share::double precision AS implemented_share
  FROM @extschema@.soa_coverage_by_attribute() c
  JOIN @extschema@.soa_scope s ON s.name OPERATOR(pg_catalog.=) c.scope;
COMMENT ON VIEW iso27001_bi.soa_coverage_by_attribute IS
	'SoA coverage per 2022 scope and ISO/IEC 27002:2022 attribute value (the implemented share of applicable #Detective controls, say)';

CREATE VIEW iso27001_bi.behaviour_series WITH (security_invoker = true) AS
SELECT o.scope_id, s.name AS scope, o.metric, m.name AS metric_name,
	   m.control::text AS control_id, o.observed_at,
	   o.events, o.trials,
	   (CASE WHEN o.trials IS NULL THEN o.value
			 ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END) AS value,
	   m.better, m.unit, o.cohort, o.difficulty
  FROM @extschema@.behaviour_campaign o
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) o.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) o.metric
 -- not a whole-scope value known only per cohort
 WHERE o.trials IS NOT NULL OR o.value IS NOT NULL;
COMMENT ON VIEW iso27001_bi.behaviour_series IS
	'behaviour observations as a time series (time column observed_at): the rate (events / trials, a fraction) or the value per scope, metric, cohort and period, with the campaign''s difficulty; cohort '''' is the whole scope (a campaign split by cohort summed)';

-- The behaviour trends of every scope, metric and cohort over the campaigns
-- of a period (dates inclusive, NULL open): what iso27001_bi.behaviour_trend
-- shows for all time and the period views for their periods.  A SQL body
-- without SET clauses, so that the planner inlines it into those views and
-- pushes a dashboard's filter on scope or metric into it.
CREATE FUNCTION @extschema@.behaviour_trend_between(period_start date DEFAULT NULL,
													period_end date DEFAULT NULL)
	RETURNS TABLE (scope_id bigint, scope text, metric text, metric_name text, control_id text,
				   better text, unit text, method text, n bigint,
				   first_time timestamptz, last_time timestamptz,
				   slope_per_month double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text,
				   fitted_last double precision, target double precision, target_date date,
				   dispersion double precision, min_effect double precision, cohort text,
				   adjusted_slope_per_month double precision, adjusted_slope_lower double precision,
				   adjusted_slope_upper double precision, adjusted_p_value double precision,
				   adjusted_verdict text, difficulty_levels integer, difficulty_levels_left_out integer,
				   projected double precision, projected_lower double precision,
				   projected_upper double precision, target_status text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT g.scope_id, s.name AS scope, g.metric, m.name AS metric_name, m.control::text AS control_id,
	   m.better, m.unit,
	   CASE m.kind WHEN 'rate' THEN 'rate (Cochran-Armitage with dispersion)'
			ELSE 'robust (Theil-Sen, Mann-Kendall)' END AS method,
	   coalesce(r.n, 0) AS n, r.first_time, r.last_time,
	   r.slope AS slope_per_month, r.slope_lower AS slope_lower,
	   r.slope_upper AS slope_upper, r.p_value AS p_value,
	   -- a month is a twelfth of the Gregorian year (docs/trend_statistics.md §2.3)
	   @extschema@.material_verdict(r.verdict, r.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS verdict,
	   (CASE m.kind WHEN 'rate' THEN @extschema@.fitted_last(g.rate_state)
			 ELSE @extschema@.fitted_at(g.robust_state, r.last_time) END) AS fitted_last,
	   t.target AS target, t.due_date AS target_date,
	   CASE m.kind WHEN 'rate' THEN @extschema@.dispersion(g.rate_state) END AS dispersion,
	   m.min_effect AS min_effect,
	   -- 0.2.2, issue 14 item 4: the cohort ('' the whole scope) and the
	   -- trend adjusted for difficulty (rates; docs/trend_statistics.md §13)
	   g.cohort,
	   a.slope AS adjusted_slope_per_month, a.slope_lower AS adjusted_slope_lower,
	   a.slope_upper AS adjusted_slope_upper, a.p_value AS adjusted_p_value,
	   @extschema@.material_verdict(a.verdict, a.slope OPERATOR(pg_catalog.*) 12, m.min_effect) AS adjusted_verdict,
	   a.strata AS difficulty_levels, a.strata_left_out AS difficulty_levels_left_out,
	   -- 0.2.2, issue 14 item 3: the target's projection at its due date
	   -- (the rate trend for rates, least squares for values; §3.10, §4.9)
	   p.projected AS projected, p.projected_lower AS projected_lower,
	   p.projected_upper AS projected_upper, p.status AS target_status
  FROM (SELECT d.scope_id, d.metric, d.cohort,
			   @extschema@.rollup(d.rate_state) AS rate_state,
			   @extschema@.rollup(d.robust_state) AS robust_state,
			   @extschema@.rollup(d.ols_state) AS ols_state,
			   pg_catalog.array_agg(d.rate_state) AS rate_strata
		  -- one state per difficulty level, rolled up for the cohort's trend
		  FROM (SELECT c.scope_id, c.metric, c.cohort, c.difficulty,
					   @extschema@.trend_rate_agg(c.events, c.trials, c.observed_at) AS rate_state,
					   @extschema@.trend_robust_agg(c.value, c.observed_at) AS robust_state,
					   @extschema@.trend_ols_agg(c.value, c.observed_at) AS ols_state
				  FROM @extschema@.behaviour_campaign c
				 -- the period's campaigns, dates inclusive (NULL: open)
				 WHERE (behaviour_trend_between.period_start IS NULL
						OR c.observed_at OPERATOR(pg_catalog.>=) behaviour_trend_between.period_start::timestamptz)
				   AND (behaviour_trend_between.period_end IS NULL
						OR c.observed_at OPERATOR(pg_catalog.<)
						   (behaviour_trend_between.period_end OPERATOR(pg_catalog.+) 1)::timestamptz)
				 GROUP BY c.scope_id, c.metric, c.cohort, c.difficulty) d
		 GROUP BY d.scope_id, d.metric, d.cohort) g
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
  JOIN @extschema@.behaviour_metric m ON m.metric OPERATOR(pg_catalog.=) g.metric
 CROSS JOIN LATERAL (
		SELECT * FROM @extschema@.trend_report(g.rate_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		UNION ALL
		SELECT * FROM @extschema@.trend_report(g.robust_state, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value') r
  LEFT JOIN LATERAL (
		-- one difficulty level (none given): the adjusted trend is the trend
		SELECT r.slope, r.slope_lower, r.slope_upper, r.p_value, r.verdict,
			   CASE WHEN r.p_value IS NULL THEN 0 ELSE 1 END AS strata,
			   CASE WHEN r.p_value IS NULL THEN 1 ELSE 0 END AS strata_left_out
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		   AND pg_catalog.cardinality(g.rate_strata) OPERATOR(pg_catalog.=) 1
		UNION ALL
		SELECT x.slope, x.slope_lower, x.slope_upper, x.p_value, x.verdict, x.strata, x.strata_left_out
		  FROM @extschema@.stratified_trend(g.rate_strata, m.better) x
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate'
		   AND pg_catalog.cardinality(g.rate_strata) OPERATOR(pg_catalog.>) 1) a ON true
  LEFT JOIN @extschema@.behaviour_target t
	ON t.scope_id OPERATOR(pg_catalog.=) g.scope_id AND t.metric OPERATOR(pg_catalog.=) g.metric
  -- projected at the start of the due date in the session's time zone
  LEFT JOIN LATERAL (
		SELECT * FROM @extschema@.target_projection(g.rate_state, t.target,
													 t.due_date::timestamptz, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'rate' AND t.due_date IS NOT NULL
		UNION ALL
		SELECT * FROM @extschema@.target_projection(g.ols_state, t.target,
													 t.due_date::timestamptz, m.better)
		 WHERE m.kind OPERATOR(pg_catalog.=) 'value' AND t.due_date IS NOT NULL) p ON true;
END;
COMMENT ON FUNCTION @extschema@.behaviour_trend_between(date, date) IS
	'the behaviour trends of every scope, metric and cohort over the campaigns of a period (dates inclusive, NULL open), as iso27001_bi.behaviour_trend shows them: for a BI tool''s date filter';


CREATE VIEW iso27001_bi.behaviour_trend WITH (security_invoker = true) AS
SELECT * FROM @extschema@.behaviour_trend_between(NULL, NULL);
COMMENT ON VIEW iso27001_bi.behaviour_trend IS
	'the trend of every scope''s behaviour metric over all its observations, for the whole scope (cohort '''') and each cohort: slope per month with its 95 % interval, p-value and verdict (rate metrics: Cochran-Armitage widened by the campaigns'' dispersion, and adjusted for difficulty; value metrics: Theil-Sen and Mann-Kendall; no material change below the metric''s min_effect a year), with the scope''s target';

CREATE VIEW iso27001_bi.behaviour_trend_12_months WITH (security_invoker = true) AS
SELECT t.*, p.period_start, p.period_end
  FROM (SELECT (CURRENT_DATE OPERATOR(pg_catalog.-) interval '1 year')::date
				OPERATOR(pg_catalog.+) 1 AS period_start,
			   CURRENT_DATE AS period_end) p
 CROSS JOIN LATERAL @extschema@.behaviour_trend_between(p.period_start, p.period_end) t;
COMMENT ON VIEW iso27001_bi.behaviour_trend_12_months IS
	'the behaviour trends of the last 12 months (today and the 364 or 365 days before), as behaviour_trend shows them for all time';

CREATE VIEW iso27001_bi.behaviour_trend_quarterly WITH (security_invoker = true) AS
SELECT t.*, q.quarter, q.period_start, q.period_end
  FROM (SELECT pg_catalog.to_char(b.qs, 'YYYY"-Q"Q') AS quarter,
			   (b.pe OPERATOR(pg_catalog.-) interval '1 year')::date OPERATOR(pg_catalog.+) 1 AS period_start,
			   b.pe AS period_end
		  FROM (SELECT g.qs,
					   LEAST((g.qs OPERATOR(pg_catalog.+) interval '3 months')::date OPERATOR(pg_catalog.-) 1,
							 CURRENT_DATE) AS pe
				  FROM pg_catalog.generate_series(
						   pg_catalog.date_trunc('quarter', (SELECT pg_catalog.min(o.observed_at)
															   FROM @extschema@.behaviour_observation o)),
						   pg_catalog.date_trunc('quarter', CURRENT_DATE::timestamptz),
						   interval '3 months') g(qs)) b) q
 CROSS JOIN LATERAL @extschema@.behaviour_trend_between(q.period_start, q.period_end) t;
COMMENT ON VIEW iso27001_bi.behaviour_trend_quarterly IS
	'at the end of each calendar quarter since the first observation (today for the current one), the behaviour trends of the 12 months up to it: verdicts over time, filterable by quarter or period_end';

CREATE VIEW iso27001_bi.soa_evidence WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, r.control_key AS control_id,
	   coalesce(@extschema@.sort_key(r.control), 999999) AS sort_key,
	   e.position::integer AS position, e.link, r.owner, r.changed_at
  FROM @extschema@.soa_register r
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
 CROSS JOIN LATERAL pg_catalog.unnest(r.evidence) WITH ORDINALITY AS e(link, position);
COMMENT ON VIEW iso27001_bi.soa_evidence IS
	'the evidence links of every scope''s controls, one row per link in the register''s order (soa_entry.evidence_links counts them)';

-- Column comments (BI tools such as Metabase show them as descriptions):
-- one text per column name, or per view and column where a name means
-- different things in different views
DO $$
DECLARE
	c record;
	text_of jsonb := '{
		"applicable": "number of applicable (included) controls",
		"attribute": "ISO/IEC 27002:2022 attribute: control_type, security_properties, cybersecurity_concepts, operational_capabilities or security_domains",
		"basis": "the clause of ISO/IEC 17021-1, IAF MD 26 or ISO/IEC 27006 the rule comes from",
		"better": "which direction is an improvement: lower or higher",
		"certificate_number": "the certificate''s number",
		"certification_body": "the certification body",
		"certification_decision": "date of the initial certification decision (the cycle''s anchor)",
		"cohort": "the cohort (department, site, role); empty is the whole scope: filter cohort = '''' for one row per scope and metric",
		"adjusted_p_value": "two-sided p-value of the trend adjusted for difficulty (rate metrics)",
		"adjusted_slope_lower": "lower end of the 95 % interval of the slope adjusted for difficulty, per month",
		"adjusted_slope_per_month": "slope per month adjusted for difficulty: the slopes within each difficulty level, pooled (rate metrics; empty for value metrics)",
		"adjusted_slope_upper": "upper end of the 95 % interval of the slope adjusted for difficulty, per month",
		"adjusted_verdict": "the verdict on the trend adjusted for difficulty: an easier mix of templates is not improvement (rate metrics)",
		"difficulty": "the campaign''s template or difficulty level; empty when not given",
		"difficulty_levels": "difficulty levels pooled in the adjusted trend (1 when no difficulty is given)",
		"difficulty_levels_left_out": "difficulty levels left out of the adjusted trend: fewer than 5 campaigns, or no events at all",
		"changed_at": "time of the last change",
		"changed_by": "database role of the last change",
		"control_id": "the control as text: A.5.7 for Annex A (OSCAL: a.5.7), the organization''s key otherwise",
		"control_type": "ISO/IEC 27002:2022 control types, comma-separated",
		"controls": "number of controls",
		"created_at": "when the scope was created",
		"cybersecurity_concepts": "ISO/IEC 27002:2022 cybersecurity concepts, comma-separated",
		"cycle": "three-year certification cycle (1 for the initial certificate)",
		"days_left": "days from today to the due date",
		"decided": "a decision has been recorded",
		"description": "description of the scope",
		"detail": "what the rule found, in a sentence",
		"min_effect": "the smallest change a year that counts as material (a rate as a fraction); a smaller significant trend is no material change",
		"dispersion": "how much more the campaigns scatter around the trend than chance alone would make them (1: as chance; 3: three times as much); the test is widened by it; empty with fewer than 5 campaigns and for value metrics",
		"due_date": "when the event is due",
		"edition": "edition of ISO/IEC 27001: 2013 or 2022",
		"event": "the audit or deadline",
		"events": "events observed in the period (rate metrics): clicks, reports",
		"evidence_links": "number of evidence links (one row each in soa_evidence)",
		"link": "an evidence link (a URL, a document reference)",
		"excluded": "number of excluded controls",
		"first_time": "first observation of the trend",
		"fitted_last": "the trend''s fitted value at the last observation (a rate as a fraction)",
		"implementation": "implementation state: not implemented, planned, partially implemented or implemented",
		"implemented": "number of implemented controls",
		"implemented_share": "implemented controls as a share of applicable controls (0 to 1)",
		"is_annex_a": "an ISO/IEC 27001 Annex A control (false: organization-defined)",
		"is_new": "an ISO/IEC 27001:2022 control with no 2013 predecessor",
		"is_next": "the next audit (one row per scope)",
		"justification": "justification of the inclusion or exclusion",
		"last_time": "last observation of the trend",
		"latest_version": "latest approved version of the SoA",
		"latest_version_approved_at": "when the latest version was approved",
		"latest_version_approved_by": "who approved the latest version",
		"message": "what the validator found, in a sentence",
		"method": "how the trend is computed",
		"metric": "key of the behaviour metric",
		"metric_name": "name of the behaviour metric",
		"n": "number of observations",
		"needs_review": "flagged for review",
		"not_implemented": "number of applicable controls not implemented",
		"note": "note",
		"observed_at": "start of the period observed (the time column)",
		"on_date": "date the finding refers to",
		"operational_capabilities": "ISO/IEC 27002:2022 operational capabilities, comma-separated",
		"oscal_status": "OSCAL implementation status: implemented, partial, planned or not-applicable",
		"owner": "who is responsible for the control",
		"period_end": "last day of the period the trend covers (inclusive)",
		"period_start": "first day of the period the trend covers (inclusive)",
		"position": "the link''s place in the control''s list of evidence (1 first)",
		"quarter": "the calendar quarter at whose end (today for the current one) the 12 months end, as 2025-Q3",
		"p_value": "two-sided p-value of the trend test",
		"projected": "the trend''s value at the target''s due date (rate metrics: the rate trend, within 0 and 1; value metrics: the least-squares line); empty without a target and due date",
		"projected_lower": "lower end of the 95 % confidence interval of the projected value",
		"projected_upper": "upper end of the 95 % confidence interval of the projected value",
		"partially_implemented": "number of partially implemented controls",
		"planned": "number of planned controls",
		"reasons": "reasons for inclusion, comma-separated",
		"requirement": "hard (a rule of the standard) or practice",
		"rule": "identifier of the rule",
		"scope": "name of the ISMS scope",
		"scope_id": "identifier of the ISMS scope",
		"security_domains": "ISO/IEC 27002:2022 security domains, comma-separated",
		"security_properties": "ISO/IEC 27002:2022 information security properties, comma-separated",
		"severity": "error or warning",
		"slope_lower": "lower end of the 95 % interval of the slope, per month",
		"slope_per_month": "slope per month (a rate as a fraction: -0.004 is -0.4 percentage points a month)",
		"slope_upper": "upper end of the 95 % interval of the slope, per month",
		"sort_key": "integer for natural order: A.5.7 is 50700, A.12.6.1 is 120601 (organization-defined: 999999)",
		"target": "the scope''s target for the metric (a rate as a fraction)",
		"target_date": "when the target should be met",
		"target_status": "on track (the projection''s whole 95 % interval meets the target), off track (none of it does), at risk (it straddles the target) or insufficient data; empty without a target and due date",
		"theme": "theme (2022) or clause (2013)",
		"theme_order": "order of the theme or clause in the catalogue",
		"title": "short title of the control",
		"trials": "trials in the period (rate metrics): messages sent, people",
		"undecided": "number of controls without a decision",
		"unit": "unit of the metric",
		"value": "the observation: a rate as a fraction (events / trials) or a value",
		"verdict": "improving, worsening, no significant trend or insufficient data",
		"window_end": "last day of the window",
		"window_start": "first day of the window",
		"annex_a_attribute.value": "the attribute''s value, such as Detective",
		"soa_entry.applicable": "the control is included (false: excluded; NULL: undecided)",
		"soa_entry.implemented": "the control is implemented",
		"certification_calendar.note": "how the due date was set"
	}';
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS rel, cl.relname, a.attname
			   FROM pg_catalog.pg_attribute a
			   JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid
			  WHERE cl.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0 LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', c.rel, c.attname,
			coalesce(text_of ->> (c.relname || '.' || c.attname), text_of ->> c.attname));
	END LOOP;
END
$$;

GRANT SELECT ON iso27001_bi.soa_coverage_by_theme, iso27001_bi.soa_coverage_by_attribute,
	iso27001_bi.behaviour_series, iso27001_bi.behaviour_trend, iso27001_bi.behaviour_trend_12_months,
	iso27001_bi.behaviour_trend_quarterly, iso27001_bi.soa_evidence TO iso27001_reader;


-- Issue 16 item 2: certificates with a history.  certificate gains
-- withdrawn_on; certificate_event holds what happened (issued, reissued,
-- scope changed, transferred, withdrawn), written by certificate_record();
-- each existing certificate gets its issue as the first event.  The BI
-- calendar and findings leave withdrawn certificates out; the scope view
-- gains certificate_status; certificate_history is new.
ALTER TABLE @extschema@.certificate ADD COLUMN withdrawn_on date CHECK (pg_catalog.isfinite(withdrawn_on));
COMMENT ON COLUMN @extschema@.certificate.withdrawn_on IS 'date the certificate was withdrawn (NULL: in force); a new issue starts a new cycle';

-- What happened to a scope's certificate, in order: issued, reissued,
-- scope changed, transferred to another body, withdrawn.  Written by
-- certificate_record(), which keeps the certificate row in step; the
-- suspensions and restorations the cycle rules read are audit events
-- (certification_audit).
CREATE TABLE @extschema@.certificate_event (
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	seq integer NOT NULL CHECK (seq OPERATOR(pg_catalog.>) 0),
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY[
		'issued', 'reissued', 'scope_changed', 'transferred', 'withdrawn'])),
	on_date date NOT NULL CHECK (pg_catalog.isfinite(on_date)),
	certificate_number text,
	certification_body text,
	note text,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, seq)
);
COMMENT ON TABLE @extschema@.certificate_event IS
	'the history of a scope''s certificate, one row per event in date order (issued, reissued, scope_changed, transferred, withdrawn): record with certificate_record()';
COMMENT ON COLUMN @extschema@.certificate_event.seq IS 'the event''s place in the scope''s history (1 first)';
COMMENT ON COLUMN @extschema@.certificate_event.certificate_number IS 'the certificate''s number after the event';
COMMENT ON COLUMN @extschema@.certificate_event.certification_body IS 'the certification body after the event';
COMMENT ON COLUMN @extschema@.certificate_event.note IS 'what changed (required for a scope change)';
COMMENT ON COLUMN @extschema@.certificate_event.recorded_by IS 'database role that recorded the event';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.certificate_event', '');
INSERT INTO @extschema@.certificate_event (scope_id, seq, kind, on_date, certificate_number,
										   certification_body, note)
SELECT c.scope_id, 1, 'issued', c.certification_decision, c.certificate_number, c.certification_body,
	   'the certificate as it stood when the extension was updated to 0.2.2'
  FROM @extschema@.certificate c;
GRANT SELECT ON @extschema@.certificate_event TO iso27001_reader;

-- Record an event of a scope's certificate, after checking it against the
-- certificate's state, and keep the certificate row in step: issued
-- (a new certificate and cycle: number and body required), reissued (a
-- new number, the same body), scope_changed (a note saying what), transferred
-- (another body), withdrawn.  Events come in date order.  Returns the
-- event's place in the history.
CREATE FUNCTION @extschema@.certificate_record(scope text, kind text, on_date date,
											   certificate_number text DEFAULT NULL,
											   certification_body text DEFAULT NULL,
											   note text DEFAULT NULL,
											   edition integer DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint;
	c @extschema@.certificate;
	last_seq integer;
	last_kind text;
	last_date date;
	number text := nullif(btrim(certificate_record.certificate_number), '');
	body text := nullif(btrim(certificate_record.certification_body), '');
	what text := nullif(btrim(certificate_record.note), '');
BEGIN
	IF scope IS NULL OR kind IS NULL OR on_date IS NULL THEN
		RAISE EXCEPTION 'scope, kind and on_date must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF kind <> ALL (ARRAY['issued', 'reissued', 'scope_changed', 'transferred', 'withdrawn']) THEN
		RAISE EXCEPTION 'unknown certificate event "%"', kind
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The events are issued, reissued, scope_changed, transferred and withdrawn; suspensions and restorations are audit events (certification_audit).';
	END IF;
	IF NOT isfinite(on_date) THEN
		RAISE EXCEPTION 'the date of a certificate event must be finite'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF edition IS NOT NULL AND kind <> 'issued' THEN
		RAISE EXCEPTION 'only an issue sets the certificate''s edition'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	sid := @extschema@.soa_scope_id(scope);

	-- the certificate row serializes its writers
	SELECT * INTO c FROM @extschema@.certificate x WHERE x.scope_id = sid FOR UPDATE;
	SELECT e.seq, e.kind, e.on_date INTO last_seq, last_kind, last_date
	  FROM @extschema@.certificate_event e WHERE e.scope_id = sid
	 ORDER BY e.seq DESC LIMIT 1;
	IF on_date < last_date THEN
		RAISE EXCEPTION 'certificate events are recorded in date order: the last one of scope "%" (%) was on %',
				scope, last_kind, last_date
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	IF kind = 'issued' THEN
		IF c.scope_id IS NOT NULL AND c.withdrawn_on IS NULL THEN
			RAISE EXCEPTION 'scope "%" already holds certificate % in force', scope, coalesce(c.certificate_number, '(no number)')
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  HINT = 'Record a reissue, scope change or transfer, or withdraw it before a new issue.';
		END IF;
		IF number IS NULL OR body IS NULL THEN
			RAISE EXCEPTION 'an issued certificate needs its number and certification body'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF c.scope_id IS NOT NULL AND on_date < c.withdrawn_on THEN
			RAISE EXCEPTION 'a new certificate of scope "%" cannot be issued before the old one was withdrawn (%)', scope, c.withdrawn_on
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		BEGIN
			INSERT INTO @extschema@.certificate AS x (scope_id, certification_decision, certificate_number,
													 certification_body, edition)
			VALUES (sid, on_date, number, body, coalesce(edition, 2022))
			ON CONFLICT (scope_id) DO UPDATE
			   SET certification_decision = excluded.certification_decision,
				   certificate_number = excluded.certificate_number,
				   certification_body = excluded.certification_body,
				   edition = excluded.edition, note = NULL, withdrawn_on = NULL
			 WHERE x.withdrawn_on IS NOT NULL;
		EXCEPTION WHEN check_violation THEN
			RAISE EXCEPTION 'edition must be 2013 or 2022'
				USING ERRCODE = 'invalid_parameter_value';
		END;
		IF NOT FOUND THEN
			-- another transaction issued it meanwhile
			RAISE EXCEPTION 'scope "%" already holds a certificate in force', scope
				USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
	ELSE
		IF c.scope_id IS NULL OR c.withdrawn_on IS NOT NULL THEN
			RAISE EXCEPTION 'scope "%" holds no certificate in force', scope
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  HINT = 'Record its issue first: certificate_record(scope, ''issued'', date, number, body).';
		END IF;
		IF on_date < c.certification_decision THEN
			RAISE EXCEPTION 'the certificate of scope "%" was issued on %, after %', scope, c.certification_decision, on_date
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF kind = 'reissued' AND body IS DISTINCT FROM NULL AND body <> c.certification_body THEN
			RAISE EXCEPTION 'a reissue keeps the certification body (%)', c.certification_body
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Record a transfer to change the body.';
		ELSIF kind = 'scope_changed' AND what IS NULL THEN
			RAISE EXCEPTION 'a scope change needs a note saying what changed'
				USING ERRCODE = 'invalid_parameter_value';
		ELSIF kind = 'transferred' AND (body IS NULL OR body = c.certification_body) THEN
			RAISE EXCEPTION 'a transfer needs the new certification body'
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = format('The certificate is held with %s.', coalesce(c.certification_body, '(no body recorded)'));
		ELSIF kind = 'withdrawn' AND (number IS NOT NULL OR body IS NOT NULL) THEN
			RAISE EXCEPTION 'a withdrawal changes no number or body'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		UPDATE @extschema@.certificate x
		   SET certificate_number = coalesce(number, x.certificate_number),
			   certification_body = coalesce(body, x.certification_body),
			   withdrawn_on = CASE WHEN kind = 'withdrawn' THEN on_date END
		 WHERE x.scope_id = sid;
	END IF;

	SELECT * INTO c FROM @extschema@.certificate x WHERE x.scope_id = sid;
	INSERT INTO @extschema@.certificate_event (scope_id, seq, kind, on_date, certificate_number,
											   certification_body, note)
	VALUES (sid, coalesce(last_seq, 0) + 1, kind, on_date, c.certificate_number, c.certification_body, what);
	RETURN coalesce(last_seq, 0) + 1;
END
$$;
COMMENT ON FUNCTION @extschema@.certificate_record(text, text, date, text, text, text, integer) IS
	'record an event of a scope''s certificate (issued, reissued, scope_changed, transferred, withdrawn) after checking it against the certificate''s state, keeping the certificate row in step; returns its place in the history';

CREATE OR REPLACE VIEW iso27001_bi.scope WITH (security_invoker = true) AS
SELECT s.scope_id, s.name AS scope, s.edition, s.description, s.created_at,
	   c.certificate_number, c.certification_body, c.certification_decision,
	   v.version AS latest_version, v.approved_at AS latest_version_approved_at,
	   v.approved_by AS latest_version_approved_by,
	   CASE WHEN c.scope_id IS NULL THEN NULL
			WHEN c.withdrawn_on IS NULL THEN 'in force' ELSE 'withdrawn' END AS certificate_status
  FROM @extschema@.soa_scope s
  LEFT JOIN @extschema@.certificate c ON c.scope_id OPERATOR(pg_catalog.=) s.scope_id
  LEFT JOIN LATERAL (SELECT x.version, x.approved_at, x.approved_by
					   FROM @extschema@.soa_version x
					  WHERE x.scope_id OPERATOR(pg_catalog.=) s.scope_id
					  ORDER BY x.version DESC LIMIT 1) v ON true;
COMMENT ON VIEW iso27001_bi.scope IS
	'ISMS scopes with their certificate and latest approved SoA version (a dashboard''s scope filter)';

CREATE OR REPLACE VIEW iso27001_bi.certification_calendar WITH (security_invoker = true) AS
SELECT c.scope_id, s.name AS scope, c.certificate_number, c.certification_body,
	   c.certification_decision, d.event, d.due_date, d.window_start, d.window_end,
	   d.days_left, d.requirement, d.ord OPERATOR(pg_catalog.=) 1 AS is_next, d.basis, d.note
  FROM @extschema@.certificate c
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) c.scope_id
		AND c.withdrawn_on IS NULL
 CROSS JOIN LATERAL @extschema@.certification_next_due(
		c.certification_decision,
		ARRAY(SELECT ROW(a.kind, a.on_date)::@extschema@.certification_event
				FROM @extschema@.certification_audit a
			   WHERE a.scope_id OPERATOR(pg_catalog.=) c.scope_id
			   ORDER BY a.on_date, a.kind),
		CURRENT_DATE, edition => c.edition) WITH ORDINALITY
		AS d(event, due_date, window_start, window_end, days_left, requirement, basis, note, ord);
COMMENT ON VIEW iso27001_bi.certification_calendar IS
	'the certification calendar of every certificate in force as of today: the next audit with its window (is_next), then the hard deadlines still ahead, with days left';

CREATE VIEW iso27001_bi.certificate_history WITH (security_invoker = true) AS
SELECT e.scope_id, s.name AS scope, e.seq, e.kind AS event, e.on_date, e.certificate_number,
	   e.certification_body, e.note, e.recorded_at, e.recorded_by
  FROM @extschema@.certificate_event e
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) e.scope_id;
COMMENT ON VIEW iso27001_bi.certificate_history IS
	'what happened to each scope''s certificate, in order: issued, reissued, scope changed, transferred, withdrawn, with the number and body after each event';

CREATE OR REPLACE VIEW iso27001_bi.certification_finding WITH (security_invoker = true) AS
SELECT c.scope_id, s.name AS scope, c.certificate_number, f.rule, f.severity, f.cycle,
	   f.on_date, f.detail, f.basis
  FROM @extschema@.certificate c
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) c.scope_id
		AND c.withdrawn_on IS NULL
 CROSS JOIN LATERAL @extschema@.certification_cycle_check(
		c.certification_decision,
		ARRAY(SELECT ROW(a.kind, a.on_date)::@extschema@.certification_event
				FROM @extschema@.certification_audit a
			   WHERE a.scope_id OPERATOR(pg_catalog.=) c.scope_id
			   ORDER BY a.on_date, a.kind),
		CURRENT_DATE, edition => c.edition) f;
COMMENT ON VIEW iso27001_bi.certification_finding IS
	'the certification-cycle rules each scope''s audit history breaks as of today (none for a compliant history)';

-- Column comments (BI tools such as Metabase show them as descriptions):
-- one text per column name, or per view and column where a name means
-- different things in different views
DO $$
DECLARE
	c record;
	text_of jsonb := '{
		"applicable": "number of applicable (included) controls",
		"attribute": "ISO/IEC 27002:2022 attribute: control_type, security_properties, cybersecurity_concepts, operational_capabilities or security_domains",
		"basis": "the clause of ISO/IEC 17021-1, IAF MD 26 or ISO/IEC 27006 the rule comes from",
		"better": "which direction is an improvement: lower or higher",
		"certificate_number": "the certificate''s number",
		"certificate_history.certificate_number": "the certificate''s number after the event",
		"certificate_history.certification_body": "the certification body after the event",
		"certificate_history.event": "issued, reissued, scope_changed, transferred or withdrawn",
		"certificate_history.note": "what changed (a scope change says what)",
		"certificate_status": "in force or withdrawn; empty without a certificate",
		"certificate_history.on_date": "the date of the event",
		"recorded_at": "when the event was recorded",
		"recorded_by": "database role that recorded the event",
		"seq": "the event''s place in the scope''s history (1 first)",
		"certification_body": "the certification body",
		"certification_decision": "date of the initial certification decision (the cycle''s anchor)",
		"cohort": "the cohort (department, site, role); empty is the whole scope: filter cohort = '''' for one row per scope and metric",
		"adjusted_p_value": "two-sided p-value of the trend adjusted for difficulty (rate metrics)",
		"adjusted_slope_lower": "lower end of the 95 % interval of the slope adjusted for difficulty, per month",
		"adjusted_slope_per_month": "slope per month adjusted for difficulty: the slopes within each difficulty level, pooled (rate metrics; empty for value metrics)",
		"adjusted_slope_upper": "upper end of the 95 % interval of the slope adjusted for difficulty, per month",
		"adjusted_verdict": "the verdict on the trend adjusted for difficulty: an easier mix of templates is not improvement (rate metrics)",
		"difficulty": "the campaign''s template or difficulty level; empty when not given",
		"difficulty_levels": "difficulty levels pooled in the adjusted trend (1 when no difficulty is given)",
		"difficulty_levels_left_out": "difficulty levels left out of the adjusted trend: fewer than 5 campaigns, or no events at all",
		"changed_at": "time of the last change",
		"changed_by": "database role of the last change",
		"control_id": "the control as text: A.5.7 for Annex A (OSCAL: a.5.7), the organization''s key otherwise",
		"control_type": "ISO/IEC 27002:2022 control types, comma-separated",
		"controls": "number of controls",
		"created_at": "when the scope was created",
		"cybersecurity_concepts": "ISO/IEC 27002:2022 cybersecurity concepts, comma-separated",
		"cycle": "three-year certification cycle (1 for the initial certificate)",
		"days_left": "days from today to the due date",
		"decided": "a decision has been recorded",
		"description": "description of the scope",
		"detail": "what the rule found, in a sentence",
		"min_effect": "the smallest change a year that counts as material (a rate as a fraction); a smaller significant trend is no material change",
		"dispersion": "how much more the campaigns scatter around the trend than chance alone would make them (1: as chance; 3: three times as much); the test is widened by it; empty with fewer than 5 campaigns and for value metrics",
		"due_date": "when the event is due",
		"edition": "edition of ISO/IEC 27001: 2013 or 2022",
		"event": "the audit or deadline",
		"events": "events observed in the period (rate metrics): clicks, reports",
		"evidence_links": "number of evidence links (one row each in soa_evidence)",
		"link": "an evidence link (a URL, a document reference)",
		"excluded": "number of excluded controls",
		"first_time": "first observation of the trend",
		"fitted_last": "the trend''s fitted value at the last observation (a rate as a fraction)",
		"implementation": "implementation state: not implemented, planned, partially implemented or implemented",
		"implemented": "number of implemented controls",
		"implemented_share": "implemented controls as a share of applicable controls (0 to 1)",
		"is_annex_a": "an ISO/IEC 27001 Annex A control (false: organization-defined)",
		"is_new": "an ISO/IEC 27001:2022 control with no 2013 predecessor",
		"is_next": "the next audit (one row per scope)",
		"justification": "justification of the inclusion or exclusion",
		"last_time": "last observation of the trend",
		"latest_version": "latest approved version of the SoA",
		"latest_version_approved_at": "when the latest version was approved",
		"latest_version_approved_by": "who approved the latest version",
		"message": "what the validator found, in a sentence",
		"method": "how the trend is computed",
		"metric": "key of the behaviour metric",
		"metric_name": "name of the behaviour metric",
		"n": "number of observations",
		"needs_review": "flagged for review",
		"not_implemented": "number of applicable controls not implemented",
		"note": "note",
		"observed_at": "start of the period observed (the time column)",
		"on_date": "date the finding refers to",
		"operational_capabilities": "ISO/IEC 27002:2022 operational capabilities, comma-separated",
		"oscal_status": "OSCAL implementation status: implemented, partial, planned or not-applicable",
		"owner": "who is responsible for the control",
		"period_end": "last day of the period the trend covers (inclusive)",
		"period_start": "first day of the period the trend covers (inclusive)",
		"position": "the link''s place in the control''s list of evidence (1 first)",
		"quarter": "the calendar quarter at whose end (today for the current one) the 12 months end, as 2025-Q3",
		"p_value": "two-sided p-value of the trend test",
		"projected": "the trend''s value at the target''s due date (rate metrics: the rate trend, within 0 and 1; value metrics: the least-squares line); empty without a target and due date",
		"projected_lower": "lower end of the 95 % confidence interval of the projected value",
		"projected_upper": "upper end of the 95 % confidence interval of the projected value",
		"partially_implemented": "number of partially implemented controls",
		"planned": "number of planned controls",
		"reasons": "reasons for inclusion, comma-separated",
		"requirement": "hard (a rule of the standard) or practice",
		"rule": "identifier of the rule",
		"scope": "name of the ISMS scope",
		"scope_id": "identifier of the ISMS scope",
		"security_domains": "ISO/IEC 27002:2022 security domains, comma-separated",
		"security_properties": "ISO/IEC 27002:2022 information security properties, comma-separated",
		"severity": "error or warning",
		"slope_lower": "lower end of the 95 % interval of the slope, per month",
		"slope_per_month": "slope per month (a rate as a fraction: -0.004 is -0.4 percentage points a month)",
		"slope_upper": "upper end of the 95 % interval of the slope, per month",
		"sort_key": "integer for natural order: A.5.7 is 50700, A.12.6.1 is 120601 (organization-defined: 999999)",
		"target": "the scope''s target for the metric (a rate as a fraction)",
		"target_date": "when the target should be met",
		"target_status": "on track (the projection''s whole 95 % interval meets the target), off track (none of it does), at risk (it straddles the target) or insufficient data; empty without a target and due date",
		"theme": "theme (2022) or clause (2013)",
		"theme_order": "order of the theme or clause in the catalogue",
		"title": "short title of the control",
		"trials": "trials in the period (rate metrics): messages sent, people",
		"undecided": "number of controls without a decision",
		"unit": "unit of the metric",
		"value": "the observation: a rate as a fraction (events / trials) or a value",
		"verdict": "improving, worsening, no significant trend or insufficient data",
		"window_end": "last day of the window",
		"window_start": "first day of the window",
		"annex_a_attribute.value": "the attribute''s value, such as Detective",
		"soa_entry.applicable": "the control is included (false: excluded; NULL: undecided)",
		"soa_entry.implemented": "the control is implemented",
		"certification_calendar.note": "how the due date was set"
	}';
BEGIN
	FOR c IN SELECT a.attrelid::regclass AS rel, cl.relname, a.attname
			   FROM pg_catalog.pg_attribute a
			   JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid
			  WHERE cl.relnamespace = 'iso27001_bi'::regnamespace AND a.attnum > 0 LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', c.rel, c.attname,
			coalesce(text_of ->> (c.relname || '.' || c.attname), text_of ->> c.attname));
	END LOOP;
END
$$;

GRANT SELECT ON iso27001_bi.certificate_history TO iso27001_reader;

-- Issue 15 item 1: the validator groups
--
-- soa_validate paired every organization-defined control with every row of
-- its scope for the duplicate rule (3,000 of them: 32 s and 0.9 GB, the
-- pairs under one hash key that no batch splits).  Now: the census keeps
-- Annex A entries only; the organization-defined controls of the scopes
-- that have some are read again as rows, with the Annex A controls that
-- share their titles, and their duplicates found by window ranks and
-- counts over the key up to case and the title up to case and spaces; a
-- control lists its first 10 duplicates by key, then one finding counts
-- them all.  The same columns, rules, severities, messages and order.
-- iso27001_bi.soa_finding and soa_approve call it unchanged.

CREATE OR REPLACE FUNCTION @extschema@.soa_validate(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, rule text, severity text, control_key text, message text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	-- One pass over the register, kept to the scopes asked for (all of
	-- them, or one read by key; one branch each, so that a cached plan
	-- serves both): soa_census_agg counts each scope's Annex A entries by
	-- edition and keeps the few that break a per-entry rule or are
	-- flagged for review (at most one per control of the catalogue: its
	-- memory does not grow with the organization-defined controls); the
	-- same pass counts the organization-defined controls.  Only the scopes
	-- whose counts are off, or that have organization-defined controls,
	-- are read again, as rows: every step after the pass groups, sorts or
	-- hashes on keys, which spill to disk, and none pairs a control with
	-- the whole register.
	WITH s AS (
		SELECT s.scope_id, s.name, s.edition FROM @extschema@.soa_scope s
		 WHERE soa_validate.scope IS NULL
			OR s.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))
	), pass AS (
		SELECT g.scope_id,
			   @extschema@.soa_census_agg(g.control_key, g.control, g.title, g.entry,
										  g.justification, g.evidence, g.needs_review)
				   FILTER (WHERE g.control IS NOT NULL) AS c,
			   pg_catalog.count(*) FILTER (WHERE g.control IS NULL) AS norg
		  FROM @extschema@.soa_register g
		 WHERE soa_validate.scope IS NULL
		 GROUP BY g.scope_id
		UNION ALL
		SELECT g.scope_id,
			   @extschema@.soa_census_agg(g.control_key, g.control, g.title, g.entry,
										  g.justification, g.evidence, g.needs_review)
				   FILTER (WHERE g.control IS NOT NULL),
			   pg_catalog.count(*) FILTER (WHERE g.control IS NULL)
		  FROM @extschema@.soa_register g
		 WHERE soa_validate.scope IS NOT NULL
		   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))
		 GROUP BY g.scope_id
	), checked AS (
		SELECT s.scope_id, s.name, s.edition, p.c, coalesce(p.norg, 0) AS norg,
			   coalesce(CASE s.edition WHEN 2022 THEN (p.c).annex_2022 ELSE (p.c).annex_2013 END, 0) AS nright,
			   coalesce(CASE s.edition WHEN 2022 THEN (p.c).annex_2013 ELSE (p.c).annex_2022 END, 0) AS nwrong
		  FROM s LEFT JOIN pass p ON p.scope_id OPERATOR(pg_catalog.=) s.scope_id
	), own AS (
		-- the organization-defined controls of the scopes that have some
		-- (one branch each way again: one scope is read by key)
		SELECT c.scope_id, c.name, c.edition, g.control_key, g.title, g.entry,
			   g.justification, g.evidence, g.needs_review
		  FROM checked c
		  JOIN @extschema@.soa_register g ON g.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.norg OPERATOR(pg_catalog.>) 0
		   AND g.control IS NULL
		   AND soa_validate.scope IS NULL
		UNION ALL
		SELECT c.scope_id, c.name, c.edition, g.control_key, g.title, g.entry,
			   g.justification, g.evidence, g.needs_review
		  FROM checked c
		  JOIN @extschema@.soa_register g ON g.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.norg OPERATOR(pg_catalog.>) 0
		   AND g.control IS NULL
		   AND soa_validate.scope IS NOT NULL
		   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))
	), scoped AS (
		-- their own problems, and the keys the duplicate rule groups on: the
		-- key up to case, the title up to case and surrounding spaces
		SELECT o.scope_id, o.name, o.edition AS scope_edition, o.control_key, o.title, o.entry,
			   @extschema@.soa_entry_problems(o.entry, o.justification, o.evidence)
				   OPERATOR(pg_catalog.|) CASE WHEN o.needs_review THEN 8 ELSE 0 END AS problems,
			   pg_catalog.lower(o.control_key) AS same_key,
			   pg_catalog.lower(pg_catalog.btrim(o.title)) AS same_title
		  FROM own o
		UNION ALL
		-- and the scope's Annex A controls that have one of their titles
		-- (of either edition: the register may hold the other's), each
		-- looked up by key (a scalar subquery: the planner keeps it a probe
		-- of the primary key, never a join with the whole register)
		SELECT m.scope_id, m.name, m.edition, t.control::text, NULL, NULL, 0, NULL, m.same_title
		  FROM (SELECT DISTINCT o.scope_id, o.name, o.edition,
						pg_catalog.lower(pg_catalog.btrim(o.title)) AS same_title
				  FROM own o) m
		  JOIN @extschema@.annex_a_titles t
			ON pg_catalog.lower(pg_catalog.btrim(t.title)) OPERATOR(pg_catalog.=) m.same_title
		 WHERE (SELECT true FROM @extschema@.soa_register g
				 WHERE g.scope_id OPERATOR(pg_catalog.=) m.scope_id
				   AND g.control_key OPERATOR(pg_catalog.=) t.control::text)
	), suspect AS (
		-- the kept Annex A entries, one row each (the arrays have one length)
		SELECT x.scope_id, x.name, x.scope_edition, x.control_key, x.control,
			   coalesce(x.title, t.title) AS title, x.entry, x.problems
		  FROM (SELECT c.scope_id, c.name, c.edition AS scope_edition,
					   pg_catalog.unnest((c.c).control_key) AS control_key,
					   pg_catalog.unnest((c.c).control) AS control,
					   pg_catalog.unnest((c.c).title) AS title,
					   pg_catalog.unnest((c.c).entry) AS entry,
					   pg_catalog.unnest((c.c).problems) AS problems
				  FROM checked c) x
		  LEFT JOIN @extschema@.annex_a_titles t ON t.control OPERATOR(@extschema@.=) x.control
		UNION ALL
		-- and the organization-defined controls with a problem
		SELECT r.scope_id, r.name, r.scope_edition, r.control_key, NULL, r.title, r.entry,
			   r.problems
		  FROM scoped r
		 WHERE r.problems OPERATOR(pg_catalog.<>) 0
	), ranked AS (
		-- each control's place among the controls of its scope with the same
		-- key up to case, the same title, and both
		SELECT r.scope_id, r.name, r.scope_edition, r.control_key, r.same_key, r.same_title,
			   pg_catalog.row_number() OVER (by_key ORDER BY r.control_key) AS key_rank,
			   pg_catalog.count(*) OVER by_key AS same_keys,
			   pg_catalog.row_number() OVER (by_title ORDER BY r.control_key) AS title_rank,
			   pg_catalog.count(*) OVER by_title AS same_titles,
			   pg_catalog.count(*) OVER (PARTITION BY r.scope_id, r.same_key, r.same_title) AS same_both
		  FROM scoped r
		-- (the counts over whole partitions: no ORDER BY, no running count)
		WINDOW by_key AS (PARTITION BY r.scope_id, r.same_key),
			   by_title AS (PARTITION BY r.scope_id, r.same_title)
	), duplicated AS (
		-- organization-defined controls that repeat another control's key
		-- (up to case) or title, with how many they repeat
		SELECT x.scope_id, x.name, x.scope_edition, x.control_key, x.same_key, x.same_title,
			   (x.same_keys OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) x.same_titles
				   OPERATOR(pg_catalog.-) x.same_both AS others
		  FROM ranked x
		 WHERE x.same_key IS NOT NULL
		   AND (x.same_keys OPERATOR(pg_catalog.>) 1 OR x.same_titles OPERATOR(pg_catalog.>) 1)
	), listed AS (
		-- the first 10 of them by key: among the first 11 of each group
		SELECT o.scope_id, o.control_key, o.other,
			   pg_catalog.row_number() OVER (PARTITION BY o.scope_id, o.control_key
											 ORDER BY o.other) AS i
		  FROM (SELECT x.scope_id, x.control_key, h.control_key AS other
				  FROM duplicated x
				  JOIN ranked h
					ON h.scope_id OPERATOR(pg_catalog.=) x.scope_id
				   AND h.same_key OPERATOR(pg_catalog.=) x.same_key
				   AND h.key_rank OPERATOR(pg_catalog.<=) 11
				 WHERE h.control_key OPERATOR(pg_catalog.<>) x.control_key
				UNION
				SELECT x.scope_id, x.control_key, h.control_key
				  FROM duplicated x
				  JOIN ranked h
					ON h.scope_id OPERATOR(pg_catalog.=) x.scope_id
				   AND h.same_title OPERATOR(pg_catalog.=) x.same_title
				   AND h.title_rank OPERATOR(pg_catalog.<=) 11
				 WHERE h.control_key OPERATOR(pg_catalog.<>) x.control_key) o
	), finding AS (
		-- the per-entry rules, one branch per bit of the census' problems
		SELECT x.name, 'UNDECIDED' AS rule, x.control_key, x.control, x.entry, x.title,
			   x.scope_edition, NULL::text AS other, NULL::bigint AS others
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 1 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		SELECT x.name,
			   CASE WHEN @extschema@.is_applicable(x.entry) THEN 'INCLUSION_WITHOUT_JUSTIFICATION'
					ELSE 'EXCLUSION_WITHOUT_JUSTIFICATION' END,
			   x.control_key, x.control, x.entry, x.title, x.scope_edition, NULL, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 2 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		SELECT x.name, 'NO_EVIDENCE', x.control_key, x.control, x.entry, x.title, x.scope_edition,
			   NULL, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 4 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		SELECT x.name, 'NEEDS_REVIEW', x.control_key, x.control, x.entry, x.title, x.scope_edition,
			   NULL, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 8 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		-- organization-defined controls that repeat another control: one
		-- finding for each of the first 10 others, then one that counts them
		-- all when there are more
		SELECT x.name, 'DUPLICATE', x.control_key, NULL, NULL, NULL, x.scope_edition,
			   l.other, NULL
		  FROM duplicated x
		  JOIN listed l
			ON l.scope_id OPERATOR(pg_catalog.=) x.scope_id
		   AND l.control_key OPERATOR(pg_catalog.=) x.control_key
		 WHERE l.i OPERATOR(pg_catalog.<=) 10
		UNION ALL
		SELECT x.name, 'DUPLICATE', x.control_key, NULL, NULL, NULL, x.scope_edition,
			   NULL, x.others
		  FROM duplicated x
		 WHERE x.others OPERATOR(pg_catalog.>) 10
		UNION ALL
		-- entries of the other edition, in the scopes that have some
		SELECT c.name, 'WRONG_EDITION', r.control_key, r.control, r.entry, NULL, c.edition,
			   NULL, NULL
		  FROM checked c
		  JOIN @extschema@.soa_register r ON r.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.nwrong OPERATOR(pg_catalog.>) 0
		   AND @extschema@.edition(r.control) OPERATOR(pg_catalog.<>) c.edition
		UNION ALL
		-- Annex A controls without an entry, in the scopes short of some
		SELECT c.name, 'ANNEX_A_MISSING', t.control::text, t.control, NULL, t.title, c.edition,
			   NULL, NULL
		  FROM checked c
		  JOIN @extschema@.annex_a_titles t ON t.edition OPERATOR(pg_catalog.=) c.edition
		 WHERE c.nright OPERATOR(pg_catalog.<) CASE c.edition WHEN 2022 THEN 93 ELSE 114 END
		   AND NOT EXISTS (SELECT FROM @extschema@.soa_register g
							WHERE g.scope_id OPERATOR(pg_catalog.=) c.scope_id
							  AND g.control_key OPERATOR(pg_catalog.=) t.control::text)
	)
	SELECT f.name, f.rule,
		   CASE WHEN f.rule OPERATOR(pg_catalog.=) ANY (ARRAY['NO_EVIDENCE', 'NEEDS_REVIEW', 'DUPLICATE'])
				THEN 'warning' ELSE 'error' END,
		   f.control_key,
		   CASE f.rule
			WHEN 'UNDECIDED' THEN pg_catalog.format(
				'No decision on %s "%s": include it with its reasons or exclude it, with a justification.',
				f.control_key, f.title)
			WHEN 'EXCLUSION_WITHOUT_JUSTIFICATION' THEN pg_catalog.format(
				'%s is excluded without a justification (clause 6.1.3 d).', f.control_key)
			WHEN 'INCLUSION_WITHOUT_JUSTIFICATION' THEN pg_catalog.format(
				'%s is included without a justification (clause 6.1.3 d).', f.control_key)
			WHEN 'WRONG_EDITION' THEN pg_catalog.format(
				'%s is an ISO/IEC 27001:%s control in an ISO/IEC 27001:%s SoA.',
				f.control, @extschema@.edition(f.control), f.scope_edition)
			WHEN 'NO_EVIDENCE' THEN pg_catalog.format(
				'%s is %s but no evidence is linked.', f.control_key, @extschema@.implementation(f.entry))
			WHEN 'NEEDS_REVIEW' THEN pg_catalog.format('%s is flagged for review.', f.control_key)
			WHEN 'DUPLICATE' THEN CASE WHEN f.others IS NULL THEN pg_catalog.format(
				'Organization-defined control %s duplicates %s.', f.control_key, f.other)
				ELSE pg_catalog.format(
				'Organization-defined control %s duplicates %s controls in all; the first 10 are listed.',
				f.control_key, f.others) END
			WHEN 'ANNEX_A_MISSING' THEN pg_catalog.format(
				'Annex A control %s "%s" has no entry in the SoA.', f.control, f.title)
		   END
	  FROM finding f
	 -- by scope, errors first, then in catalogue order (organization-defined
	 -- controls last, by key; a control's count of duplicates after the
	 -- ones listed)
	 ORDER BY 1, CASE WHEN f.rule OPERATOR(pg_catalog.=) ANY (ARRAY['NO_EVIDENCE', 'NEEDS_REVIEW', 'DUPLICATE'])
					  THEN 2 ELSE 1 END, f.control, 4, 2, f.others IS NOT NULL, 5;
END;
COMMENT ON FUNCTION @extschema@.soa_validate(text) IS
	'what an auditor would find wrong in a scope''s SoA (all scopes when NULL): rule, severity (errors block approval), control and message';

-- Issue 17 item 2: nonconformities and corrective actions (clause 10.2):
-- rate_change, the nonconformity table with its row rules, its
-- effectiveness by a metric, the register's rules, the BI view.  All new:
-- sql/nonconformity.sql as it is.

-- The change of a rate between two sets of campaigns (before and after a
-- corrective action): the trial-weighted rates, their difference with a
-- confidence interval and a two-sided test allowing for the variance
-- between campaigns (binomial plus a random campaign effect, its variance
-- estimated by moments pooled over both sets, Student t with k - 2 degrees
-- of freedom: docs/trend_statistics.md §14).  Fewer than 3 campaigns on a
-- side: insufficient data.
CREATE FUNCTION @extschema@.rate_change(before_events bigint[], before_trials bigint[],
										after_events bigint[], after_trials bigint[],
										better text, alpha double precision DEFAULT 0.05)
	RETURNS TABLE (campaigns_before integer, campaigns_after integer,
				   rate_before double precision, rate_after double precision,
				   change double precision, change_lower double precision,
				   change_upper double precision, p_value double precision,
				   between_campaign_variance double precision, verdict text)
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	kb integer := coalesce(cardinality(before_events), 0);
	ka integer := coalesce(cardinality(after_events), 0);
	nb double precision;		-- trials
	na double precision;
	s2b double precision;		-- sum of squared trials
	s2a double precision;
	sppb double precision;		-- sum n (p - pbar)^2
	sppa double precision;
	tau2 double precision;
	var_b double precision;
	var_a double precision;
	se double precision;
	df integer;
	crit double precision;
	good boolean;
BEGIN
	IF better IS NULL OR better NOT IN ('lower', 'higher') THEN
		RAISE EXCEPTION 'better must be ''lower'' or ''higher'', not %', coalesce('''' || better || '''', 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
		RAISE EXCEPTION 'alpha must be between 0 and 1 exclusive'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF kb <> coalesce(cardinality(before_trials), 0) OR ka <> coalesce(cardinality(after_trials), 0) THEN
		RAISE EXCEPTION 'events and trials must have the same number of campaigns'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT FROM unnest(before_events || after_events, before_trials || after_trials) u(e, n)
				WHERE e IS NULL OR n IS NULL OR n <= 0 OR e < 0 OR e > n) THEN
		RAISE EXCEPTION 'every campaign needs 0 <= events <= trials and trials > 0'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	campaigns_before := kb;
	campaigns_after := ka;
	SELECT sum(n), sum(e)::double precision / sum(n), sum(n::double precision * n)
	  INTO nb, rate_before, s2b FROM unnest(before_events, before_trials) u(e, n);
	SELECT sum(n), sum(e)::double precision / sum(n), sum(n::double precision * n)
	  INTO na, rate_after, s2a FROM unnest(after_events, after_trials) u(e, n);
	change := rate_after - rate_before;
	IF kb < 3 OR ka < 3 THEN
		verdict := 'insufficient data';
		RETURN NEXT;
		RETURN;
	END IF;
	SELECT sum(n * (e::double precision / n - rate_before) ^ 2) INTO sppb
	  FROM unnest(before_events, before_trials) u(e, n);
	SELECT sum(n * (e::double precision / n - rate_after) ^ 2) INTO sppa
	  FROM unnest(after_events, after_trials) u(e, n);
	-- E[Spp] = p q (k - 1) + tau^2 (N - sum n^2 / N) on each side
	tau2 := greatest(0, (sppb + sppa - rate_before * (1 - rate_before) * (kb - 1)
						 - rate_after * (1 - rate_after) * (ka - 1))
						/ nullif(nb - s2b / nb + na - s2a / na, 0));
	tau2 := coalesce(tau2, 0);
	var_b := rate_before * (1 - rate_before) / nb + tau2 * s2b / (nb * nb);
	var_a := rate_after * (1 - rate_after) / na + tau2 * s2a / (na * na);
	se := sqrt(var_b + var_a);
	df := kb + ka - 2;
	between_campaign_variance := tau2;
	crit := @extschema@.student_t_critical(1 - alpha, df);
	change_lower := change - crit * se;
	change_upper := change + crit * se;
	p_value := CASE WHEN se > 0 THEN @extschema@.student_t_p(change / se, df)
					WHEN change = 0 THEN 1 ELSE 0 END;
	good := CASE better WHEN 'lower' THEN change < 0 ELSE change > 0 END;
	verdict := CASE WHEN p_value >= alpha OR change = 0 THEN 'no significant change'
					WHEN good THEN 'improved' ELSE 'worsened' END;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.rate_change(bigint[], bigint[], bigint[], bigint[], text, double precision) IS
	'the change of a rate between two sets of campaigns (before and after an action): the trial-weighted rates, their difference with its interval and p-value allowing for the variance between campaigns (Student t, k - 2 df), and improved, worsened, no significant change or insufficient data (fewer than 3 campaigns a side)';

CREATE TABLE @extschema@.nonconformity (
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	nc_id text NOT NULL,
	source text NOT NULL,
	grade text NOT NULL,
	clause text,
	control @extschema@.iso_control,
	description text NOT NULL,
	raised_on date NOT NULL,
	audit_on date,
	root_cause text,
	correction text,
	corrective_action text,
	owner text,
	due_date date,
	action_on date,
	accepted_on date,
	closed_on date,
	verification text,
	verified_on date,
	metric text REFERENCES @extschema@.behaviour_metric,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, nc_id)
);
COMMENT ON TABLE @extschema@.nonconformity IS
	'nonconformities and their corrective actions (ISO/IEC 27001:2022 clause 10.2): what was found where, its grade, correction, root cause, corrective action, owner, dates, and the verification of effectiveness';
COMMENT ON COLUMN @extschema@.nonconformity.nc_id IS 'the nonconformity''s identifier within the scope (NC-2026-03, a CB''s finding number)';
COMMENT ON COLUMN @extschema@.nonconformity.source IS 'certification_audit, internal_audit, soa_finding, behaviour_metric, incident or other';
COMMENT ON COLUMN @extschema@.nonconformity.grade IS 'major, minor or opportunity (an opportunity for improvement)';
COMMENT ON COLUMN @extschema@.nonconformity.clause IS 'the ISO/IEC 27001 clause not conformed to (4 to 10, as 6.1.3), if any';
COMMENT ON COLUMN @extschema@.nonconformity.control IS 'the Annex A control concerned, if any';
COMMENT ON COLUMN @extschema@.nonconformity.audit_on IS 'date of the audit that found it (certification and internal audits)';
COMMENT ON COLUMN @extschema@.nonconformity.correction IS 'what was done at once to contain the nonconformity';
COMMENT ON COLUMN @extschema@.nonconformity.corrective_action IS 'what removes its cause, so that it does not recur';
COMMENT ON COLUMN @extschema@.nonconformity.due_date IS 'when the corrective action is due';
COMMENT ON COLUMN @extschema@.nonconformity.action_on IS 'when the corrective action took effect: the behaviour metric is compared before and after this date';
COMMENT ON COLUMN @extschema@.nonconformity.accepted_on IS 'when the certification body accepted the correction and corrective action (a major nonconformity of a certification audit)';
COMMENT ON COLUMN @extschema@.nonconformity.verification IS 'how the effectiveness of the corrective action was verified';
COMMENT ON COLUMN @extschema@.nonconformity.metric IS 'a behaviour metric whose change before and after action_on shows the action''s effectiveness';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.nonconformity', '');

-- The rules of a nonconformity row, each with its own message (a CHECK
-- constraint would only name itself)
CREATE FUNCTION @extschema@.nonconformity_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	d record;
BEGIN
	NEW.nc_id := btrim(NEW.nc_id);
	IF NEW.nc_id IS NULL OR NEW.nc_id = '' OR NEW.nc_id ~ '[[:cntrl:]]' OR length(NEW.nc_id) > 100 THEN
		RAISE EXCEPTION 'a nonconformity needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.raised_on IS NULL THEN
		RAISE EXCEPTION 'nonconformity % needs the date it was raised', NEW.nc_id
			USING ERRCODE = 'not_null_violation';
	END IF;
	IF NEW.source IS NULL OR NEW.source NOT IN ('certification_audit', 'internal_audit', 'soa_finding', 'behaviour_metric',
						  'incident', 'other') THEN
		RAISE EXCEPTION 'unknown source of a nonconformity: %', coalesce('"' || NEW.source || '"', 'NULL')
			USING ERRCODE = 'check_violation',
				  HINT = 'Sources: certification_audit, internal_audit, soa_finding, behaviour_metric, incident, other.';
	END IF;
	IF NEW.grade IS NULL OR NEW.grade NOT IN ('major', 'minor', 'opportunity') THEN
		RAISE EXCEPTION 'unknown grade of a nonconformity: %', coalesce('"' || NEW.grade || '"', 'NULL')
			USING ERRCODE = 'check_violation',
				  HINT = 'Grades: major, minor, opportunity (an opportunity for improvement).';
	END IF;
	IF NEW.clause IS NOT NULL AND NEW.clause !~ '^(4|5|6|7|8|9|10)(\.[1-9][0-9]?){0,2}$' THEN
		RAISE EXCEPTION 'clause "%" is not a clause of ISO/IEC 27001 (4 to 10, as 6.1.3)', NEW.clause
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.clause IS NULL AND NEW.control IS NULL THEN
		RAISE EXCEPTION 'nonconformity % names neither a clause nor a control', NEW.nc_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF coalesce(btrim(NEW.description), '') = '' THEN
		RAISE EXCEPTION 'nonconformity % needs a description', NEW.nc_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.source = 'behaviour_metric' AND NEW.metric IS NULL THEN
		RAISE EXCEPTION 'nonconformity % comes from a behaviour metric and names none', NEW.nc_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.metric IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.behaviour_metric m
											   WHERE m.metric = NEW.metric AND m.kind = 'rate') THEN
		RAISE EXCEPTION 'metric "%" is not a rate metric', NEW.metric
			USING ERRCODE = 'check_violation',
				  DETAIL = 'The effectiveness of an action is shown by a rate before and after it.';
	END IF;
	-- every date finite and none before the nonconformity was raised
	-- (the audit that found it comes first)
	FOR d IN SELECT * FROM (VALUES ('raised_on', NEW.raised_on), ('audit_on', NEW.audit_on),
								   ('due_date', NEW.due_date), ('action_on', NEW.action_on),
								   ('accepted_on', NEW.accepted_on), ('closed_on', NEW.closed_on),
								   ('verified_on', NEW.verified_on)) v(name, day)
			  WHERE v.day IS NOT NULL LOOP
		IF NOT isfinite(d.day) THEN
			RAISE EXCEPTION '% of nonconformity % must be a finite date', d.name, NEW.nc_id
				USING ERRCODE = 'datetime_field_overflow';
		END IF;
		IF d.name NOT IN ('raised_on', 'audit_on') AND d.day < NEW.raised_on THEN
			RAISE EXCEPTION '% of nonconformity % (%) is before it was raised (%)', d.name, NEW.nc_id, d.day, NEW.raised_on
				USING ERRCODE = 'check_violation';
		END IF;
	END LOOP;
	IF NEW.audit_on > NEW.raised_on THEN
		RAISE EXCEPTION 'nonconformity % was raised (%) before the audit that found it (%)', NEW.nc_id, NEW.raised_on, NEW.audit_on
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.verified_on IS NOT NULL AND coalesce(btrim(NEW.verification), '') = '' THEN
		RAISE EXCEPTION 'nonconformity % has a verification date and no verification', NEW.nc_id
			USING ERRCODE = 'check_violation',
				  HINT = 'Say how the effectiveness was verified.';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.nonconformity_row_check() IS
	'trigger: the rules of a nonconformity row (known source and grade, a clause of 4 to 10 or a control, a description, finite dates in order), each with its own message';

CREATE TRIGGER nonconformity_row_check
	BEFORE INSERT OR UPDATE ON @extschema@.nonconformity
	FOR EACH ROW EXECUTE FUNCTION @extschema@.nonconformity_row_check();
REVOKE EXECUTE ON FUNCTION @extschema@.nonconformity_row_check() FROM PUBLIC;

-- The effectiveness of a nonconformity's corrective action shown by its
-- metric: the whole scope's campaigns of the year before action_on against
-- those from action_on on, up to a year (rate_change)
CREATE FUNCTION @extschema@.nonconformity_effectiveness(scope text, nc_id text,
														alpha double precision DEFAULT 0.05)
	RETURNS TABLE (metric text, campaigns_before integer, campaigns_after integer,
				   rate_before double precision, rate_after double precision,
				   change double precision, change_lower double precision,
				   change_upper double precision, p_value double precision, verdict text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := @extschema@.soa_scope_id(scope);
	nc @extschema@.nonconformity;
	m @extschema@.behaviour_metric;
BEGIN
	SELECT * INTO nc FROM @extschema@.nonconformity x
	 WHERE x.scope_id = sid AND x.nc_id = nonconformity_effectiveness.nc_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'scope "%" has no nonconformity "%"', scope, nc_id
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF nc.metric IS NULL OR nc.action_on IS NULL THEN
		RAISE EXCEPTION 'nonconformity % names no metric or no date its corrective action took effect', nc_id
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Set its metric and action_on.';
	END IF;
	SELECT * INTO m FROM @extschema@.behaviour_metric b WHERE b.metric = nc.metric;
	RETURN QUERY
	SELECT nc.metric, r.campaigns_before, r.campaigns_after, r.rate_before, r.rate_after, r.change,
		   r.change_lower, r.change_upper, r.p_value, r.verdict
	  FROM (SELECT array_agg(c.events ORDER BY c.observed_at) FILTER (WHERE c.observed_at < nc.action_on::timestamptz) AS be,
				   array_agg(c.trials ORDER BY c.observed_at) FILTER (WHERE c.observed_at < nc.action_on::timestamptz) AS bt,
				   array_agg(c.events ORDER BY c.observed_at) FILTER (WHERE c.observed_at >= nc.action_on::timestamptz) AS ae,
				   array_agg(c.trials ORDER BY c.observed_at) FILTER (WHERE c.observed_at >= nc.action_on::timestamptz) AS at
			  FROM @extschema@.behaviour_campaign c
			 WHERE c.scope_id = sid AND c.metric = nc.metric AND c.cohort = '' AND c.trials IS NOT NULL
			   AND c.observed_at >= (nc.action_on - interval '1 year')
			   AND c.observed_at < (nc.action_on + interval '1 year')) q
	 CROSS JOIN LATERAL @extschema@.rate_change(coalesce(q.be, '{}'), coalesce(q.bt, '{}'),
												 coalesce(q.ae, '{}'), coalesce(q.at, '{}'),
												 m.better, alpha) r;
END
$$;
COMMENT ON FUNCTION @extschema@.nonconformity_effectiveness(text, text, double precision) IS
	'the effectiveness of a nonconformity''s corrective action by its metric: the whole scope''s campaigns of the year before action_on against the year from it (rate_change)';

-- The rules an auditor checks on the nonconformity register as of a date:
-- a major nonconformity of a certification audit with its correction and
-- corrective action accepted within the certification body's deadline
-- (default 6 months, ISO/IEC 17021-1 9.4.9 and the cycle checker's
-- stage 2 rule), actions overdue, closed without a root cause, a
-- corrective action or a verification of effectiveness, a metric that
-- does not show the action effective.
CREATE FUNCTION @extschema@.nonconformity_check(scope text DEFAULT NULL, as_of date DEFAULT CURRENT_DATE,
												major_deadline interval DEFAULT '6 months')
	RETURNS TABLE (scope_name text, nc_id text, rule text, severity text, message text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := CASE WHEN scope IS NOT NULL THEN @extschema@.soa_scope_id(scope) END;
BEGIN
	IF as_of IS NULL OR NOT isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite date'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF major_deadline IS NULL OR major_deadline <= interval '0' THEN
		RAISE EXCEPTION 'major_deadline must be a positive interval'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	WITH n AS (
		SELECT s.name, x.* FROM @extschema@.nonconformity x
		  JOIN @extschema@.soa_scope s ON s.scope_id = x.scope_id
		 WHERE (sid IS NULL OR x.scope_id = sid) AND x.raised_on <= as_of)
	SELECT f.name, f.nc_id, f.rule, f.severity, f.message FROM (
		SELECT n.name, n.nc_id, 'MAJOR_NOT_ACCEPTED_IN_TIME' AS rule, 'error' AS severity,
			   format('Major nonconformity %s (raised %s) needs its correction and corrective action accepted by the certification body by %s; %s.',
					  n.nc_id, n.raised_on, (n.raised_on + major_deadline)::date,
					  CASE WHEN n.accepted_on IS NULL OR n.accepted_on > as_of THEN 'not accepted as of ' || as_of
						   ELSE 'accepted only on ' || n.accepted_on END) AS message, 1 AS k
		  FROM n
		 WHERE n.grade = 'major' AND n.source = 'certification_audit'
		   -- an acceptance after as_of is not known on as_of
		   AND CASE WHEN n.accepted_on <= as_of THEN n.accepted_on > (n.raised_on + major_deadline)::date
					ELSE as_of > (n.raised_on + major_deadline)::date END
		UNION ALL
		SELECT n.name, n.nc_id, 'ACTION_OVERDUE',
			   CASE n.grade WHEN 'opportunity' THEN 'warning' ELSE 'error' END,
			   format('The corrective action of %s was due on %s and is not closed as of %s.', n.nc_id, n.due_date, as_of), 2
		  FROM n
		 WHERE n.due_date < as_of AND (n.closed_on IS NULL OR n.closed_on > as_of)
		UNION ALL
		SELECT n.name, n.nc_id, 'NO_DUE_DATE', 'warning',
			   format('Open nonconformity %s (%s) has no due date for its corrective action.', n.nc_id, n.grade), 3
		  FROM n
		 WHERE n.grade <> 'opportunity' AND n.due_date IS NULL AND (n.closed_on IS NULL OR n.closed_on > as_of)
		UNION ALL
		SELECT n.name, n.nc_id, 'CLOSED_WITHOUT_ROOT_CAUSE', 'error',
			   format('Nonconformity %s was closed on %s without %s (clause 10.2 b) and c)).', n.nc_id, n.closed_on,
					  concat_ws(' or ', CASE WHEN coalesce(btrim(n.root_cause), '') = '' THEN 'a root cause' END,
								CASE WHEN coalesce(btrim(n.corrective_action), '') = '' THEN 'a corrective action' END)), 4
		  FROM n
		 WHERE n.grade <> 'opportunity' AND n.closed_on <= as_of
		   AND (coalesce(btrim(n.root_cause), '') = '' OR coalesce(btrim(n.corrective_action), '') = '')
		UNION ALL
		SELECT n.name, n.nc_id, 'CLOSED_WITHOUT_VERIFICATION', 'error',
			   format('Nonconformity %s was closed on %s without a verification of the effectiveness of its corrective action (clause 10.2 d)).', n.nc_id, n.closed_on), 5
		  FROM n
		 WHERE n.grade <> 'opportunity' AND n.closed_on <= as_of
		   AND (n.verified_on IS NULL OR n.verified_on > as_of)
		UNION ALL
		SELECT n.name, n.nc_id, 'NOT_SHOWN_EFFECTIVE', 'warning',
			   format('The metric %s does not show the corrective action of %s effective: %s (%s %% before, %s %% after %s).',
					  e.metric, n.nc_id, e.verdict, round((e.rate_before * 100)::numeric, 1),
					  round((e.rate_after * 100)::numeric, 1), n.action_on), 6
		  FROM n
		 CROSS JOIN LATERAL @extschema@.nonconformity_effectiveness(n.name, n.nc_id) e
		 WHERE n.metric IS NOT NULL AND n.action_on IS NOT NULL AND n.closed_on <= as_of
		   AND e.verdict <> 'improved') f
	 ORDER BY f.name, f.nc_id, f.k;
END
$$;
COMMENT ON FUNCTION @extschema@.nonconformity_check(text, date, interval) IS
	'the rules of the nonconformity register as of a date: majors of a certification audit not accepted within the deadline (default 6 months), overdue or undated actions, closed without root cause, corrective action or verification, a metric not showing the action effective';

CREATE VIEW iso27001_bi.nonconformity WITH (security_invoker = true) AS
SELECT x.scope_id, s.name AS scope, x.nc_id, x.source, x.grade, x.clause,
	   x.control::text AS control_id, @extschema@.sort_key(x.control) AS sort_key,
	   x.description, x.raised_on, x.owner, x.due_date, x.action_on, x.closed_on, x.verified_on,
	   CASE WHEN x.closed_on IS NULL OR x.closed_on OPERATOR(pg_catalog.>) CURRENT_DATE THEN
				CASE WHEN x.due_date OPERATOR(pg_catalog.<) CURRENT_DATE THEN 'overdue' ELSE 'open' END
			WHEN x.verified_on IS NULL THEN 'closed, not verified'
			ELSE 'closed' END AS status,
	   (coalesce(x.closed_on, CURRENT_DATE) OPERATOR(pg_catalog.-) x.raised_on) AS days_open
  FROM @extschema@.nonconformity x
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) x.scope_id;
COMMENT ON VIEW iso27001_bi.nonconformity IS
	'nonconformities and corrective actions of every scope with their status as of today (open, overdue, closed, closed but not verified) and days open';
COMMENT ON COLUMN iso27001_bi.nonconformity.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.nonconformity.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.nonconformity.nc_id IS 'the nonconformity''s identifier within the scope';
COMMENT ON COLUMN iso27001_bi.nonconformity.source IS 'certification_audit, internal_audit, soa_finding, behaviour_metric, incident or other';
COMMENT ON COLUMN iso27001_bi.nonconformity.grade IS 'major, minor or opportunity (for improvement)';
COMMENT ON COLUMN iso27001_bi.nonconformity.clause IS 'the ISO/IEC 27001 clause concerned, if any';
COMMENT ON COLUMN iso27001_bi.nonconformity.control_id IS 'the Annex A control concerned, if any';
COMMENT ON COLUMN iso27001_bi.nonconformity.sort_key IS 'integer key for the natural order of controls (A.5.7: 50700)';
COMMENT ON COLUMN iso27001_bi.nonconformity.description IS 'what was found';
COMMENT ON COLUMN iso27001_bi.nonconformity.raised_on IS 'when it was raised';
COMMENT ON COLUMN iso27001_bi.nonconformity.owner IS 'who owns the corrective action';
COMMENT ON COLUMN iso27001_bi.nonconformity.due_date IS 'when the corrective action is due';
COMMENT ON COLUMN iso27001_bi.nonconformity.action_on IS 'when the corrective action took effect';
COMMENT ON COLUMN iso27001_bi.nonconformity.closed_on IS 'when it was closed';
COMMENT ON COLUMN iso27001_bi.nonconformity.verified_on IS 'when the effectiveness of the corrective action was verified';
COMMENT ON COLUMN iso27001_bi.nonconformity.status IS 'as of today: open, overdue, closed, or closed, not verified';
COMMENT ON COLUMN iso27001_bi.nonconformity.days_open IS 'days from raised to closed (to today while open)';
GRANT SELECT ON iso27001_bi.nonconformity, @extschema@.nonconformity TO iso27001_reader;



-- Issue 15 item 2: advisory locks any login can take
--
-- The register serialized changes of one (scope, control) with
-- pg_advisory_xact_lock on a key any role could compute (soa_lock_key was
-- executable by PUBLIC): a login without grants blocked another tenant's
-- writer, and create_scope took 93 lock-table entries a scope (200 scopes
-- in one transaction ran out of shared memory).  The triggers now lock
-- rows the writer may lock anyway: an insertion locks the row of its key
-- (waiting for its removal in flight) or, for a new key, the scope's row;
-- a removal, and a removal record, lock the scope's row.  Row locks take
-- no lock-table entry.
CREATE OR REPLACE FUNCTION @extschema@.soa_register_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	scope_edition integer;
	scope_name text;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE'
	   AND (NEW.scope_id <> OLD.scope_id OR NEW.control_key <> OLD.control_key
			OR NEW.control IS DISTINCT FROM OLD.control) THEN
		RAISE EXCEPTION 'the scope and control of an SoA entry cannot change'
			USING ERRCODE = 'check_violation',
				  HINT = 'Remove an organization-defined control and add it anew.';
	END IF;
	IF NEW.control IS NULL AND @extschema@.is_valid_control(NEW.control_key) THEN
		NEW.control := NEW.control_key::@extschema@.iso_control;
	END IF;
	IF NEW.control IS NOT NULL THEN
		NEW.control_key := NEW.control::text;
	ELSE
		NEW.control_key := btrim(NEW.control_key);
		IF NEW.control_key = '' THEN
			RAISE EXCEPTION 'an organization-defined control needs a key'
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;

	IF TG_OP = 'UPDATE' THEN
		IF (NEW.title, NEW.entry, NEW.justification, NEW.owner, NEW.evidence, NEW.needs_review)
		   IS NOT DISTINCT FROM
		   (OLD.title, OLD.entry, OLD.justification, OLD.owner, OLD.evidence, OLD.needs_review) THEN
			RETURN NULL;
		END IF;
	END IF;

	SELECT s.edition, s.name INTO scope_edition, scope_name
	  FROM @extschema@.soa_scope s WHERE s.scope_id = NEW.scope_id
	   FOR KEY SHARE;
	-- an insertion into a scope this role cannot see goes on, to be
	-- refused by row-level security (or by the foreign key)
	IF NOT FOUND AND TG_OP = 'UPDATE' THEN
		RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF TG_OP = 'INSERT' THEN
		-- an insertion takes its time after a removal of its key in flight:
		-- a row of the key is locked (waiting for its removal), and a key
		-- not in the register locks the scope's row against other new keys
		-- and removals (row locks: only roles that may change these rows
		-- take them, and they take no lock-table entry)
		PERFORM FROM @extschema@.soa_register g
		  WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key
		  FOR KEY SHARE;
		IF NOT FOUND THEN
			PERFORM FROM @extschema@.soa_scope s WHERE s.scope_id = NEW.scope_id
			  FOR NO KEY UPDATE;
		END IF;
	END IF;
	IF NEW.control IS NOT NULL AND @extschema@.edition(NEW.control) <> scope_edition THEN
		RAISE EXCEPTION 'control % is an ISO/IEC 27001:% control', NEW.control, @extschema@.edition(NEW.control)
			USING ERRCODE = 'check_violation',
				  DETAIL = format('The SoA of scope "%s" follows ISO/IEC 27001:%s Annex A.', scope_name, scope_edition),
				  HINT = 'Migrate a 2013 SoA with iso27001.soa_migrate_2013_to_2022().';
	END IF;
	-- the same blank test as the validator's (bit 2 of soa_entry_problems)
	IF NEW.entry IS NOT NULL
	   AND @extschema@.soa_entry_problems(NEW.entry, NEW.justification, NULL) & 2 <> 0 THEN
		RAISE EXCEPTION 'the SoA entry of % needs a justification', NEW.control_key
			USING ERRCODE = 'check_violation',
				  DETAIL = 'ISO/IEC 27001:2022 clause 6.1.3 d) requires the justification of every inclusion and exclusion.';
	END IF;

	NEW.changed_at := clock_timestamp();
	IF TG_OP = 'UPDATE' AND NEW.changed_at <= OLD.changed_at THEN
		NEW.changed_at := OLD.changed_at + interval '1 microsecond';
	END IF;
	NEW.changed_by := CURRENT_USER;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_register_check() IS
	'trigger: the integrity rules of a register row (edition, justification, key), and who changed it when';

CREATE OR REPLACE FUNCTION @extschema@.soa_register_guard_delete()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	PERFORM FROM @extschema@.soa_scope s WHERE s.scope_id = OLD.scope_id FOR NO KEY UPDATE;
	IF OLD.control IS NOT NULL AND NOT @extschema@.soa_administrator() THEN
		RAISE EXCEPTION 'Annex A control % cannot be removed from the SoA', OLD.control
			USING ERRCODE = 'check_violation',
				  DETAIL = 'Every Annex A control needs a decision: exclude it with a justification instead.';
	END IF;
	RETURN OLD;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_register_guard_delete() IS
	'trigger: Annex A controls cannot be removed from an SoA';

CREATE OR REPLACE FUNCTION @extschema@.soa_history_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	r @extschema@.soa_register;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		-- administrators delete whole scopes (delete_scope)
		IF TG_OP = 'DELETE' AND @extschema@.soa_administrator() THEN
			RETURN OLD;
		END IF;
		RAISE EXCEPTION 'the SoA history cannot be changed'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'soa_history is append-only: every change of the register adds a row.';
	END IF;

	IF NEW.removed THEN
		-- a removal: the control was in the SoA and is no more (the lock
		-- the removal of a register row takes: no key of the scope is
		-- added or removed meanwhile)
		PERFORM FROM @extschema@.soa_scope s WHERE s.scope_id = NEW.scope_id FOR NO KEY UPDATE;
		IF EXISTS (SELECT FROM @extschema@.soa_register g
					WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key) THEN
			RAISE EXCEPTION 'control % is still in the SoA', NEW.control_key
				USING ERRCODE = 'check_violation';
		END IF;
		SELECT h.control, h.title INTO NEW.control, NEW.title
		  FROM @extschema@.soa_history h
		 WHERE h.scope_id = NEW.scope_id AND h.control_key = NEW.control_key AND NOT h.removed
		   AND NOT EXISTS (SELECT FROM @extschema@.soa_history later
							WHERE later.scope_id = h.scope_id AND later.control_key = h.control_key
							  AND later.changed_at > h.changed_at)
		 LIMIT 1;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'control % was not in the SoA', NEW.control_key
				USING ERRCODE = 'check_violation';
		END IF;
		NEW.changed_at := clock_timestamp();
		NEW.changed_by := CURRENT_USER;
		NEW.entry := NULL;
		NEW.justification := NULL;
		NEW.owner := NULL;
		NEW.evidence := '{}';
		NEW.needs_review := false;
		RETURN NEW;
	END IF;
	SELECT * INTO r FROM @extschema@.soa_register g
	 WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key;
	IF NOT FOUND OR r.changed_at <> NEW.changed_at THEN
		RAISE EXCEPTION 'a history row must record a change of the register'
			USING ERRCODE = 'check_violation',
				  DETAIL = 'Change iso27001.soa_register; the history follows.';
	END IF;
	NEW.control := r.control;
	NEW.title := r.title;
	NEW.entry := r.entry;
	NEW.justification := r.justification;
	NEW.owner := r.owner;
	NEW.evidence := r.evidence;
	NEW.needs_review := r.needs_review;
	NEW.changed_by := r.changed_by;
	NEW.removed := false;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_history_check() IS
	'trigger: the history is append-only and each row copies the register row it records';

DROP FUNCTION @extschema@.soa_lock_key(bigint, text);


-- Issue 15 item 6: retries and destruction
--
-- Every write function of the SoA API is safe to retry: the same call
-- again succeeds and changes nothing (create_scope returns the scope its
-- role made with these arguments; soa_add_evidence returns the list that
-- already holds the link; soa_remove_custom of a control already removed,
-- delete_scope of a scope already deleted do nothing; soa_approve returns
-- the latest version when nothing changed since it and approver and note
-- are the same; soa_migrate_2013_to_2022 returns its report while the
-- draft is unchanged).  DROP EXTENSION iso27001 (or of its schema) is
-- refused while its tables hold data, unless iso27001.allow_drop is on.
-- The trigger functions are no longer executable by PUBLIC.
CREATE OR REPLACE FUNCTION @extschema@.create_scope(name text, edition integer DEFAULT 2022,
										 description text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	IF create_scope.name IS NULL OR create_scope.edition IS NULL THEN
		RAISE EXCEPTION 'scope name and edition must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF create_scope.edition NOT IN (2013, 2022) THEN
		RAISE EXCEPTION 'edition must be 2013 or 2022, not %', create_scope.edition
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF btrim(create_scope.name) = '' THEN
		RAISE EXCEPTION 'a scope needs a name that is not blank'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	BEGIN
		INSERT INTO @extschema@.soa_scope (name, edition, description)
		VALUES (create_scope.name, create_scope.edition, create_scope.description)
		RETURNING scope_id INTO id;
	EXCEPTION WHEN unique_violation THEN
		-- a retry: the scope this role created with these arguments
		SELECT s.scope_id INTO id FROM @extschema@.soa_scope s
		 WHERE s.name = create_scope.name AND s.edition = create_scope.edition
		   AND s.description IS NOT DISTINCT FROM create_scope.description
		   AND s.created_by = CURRENT_USER;
		IF FOUND THEN
			RETURN id;
		END IF;
		RAISE EXCEPTION 'ISMS scope "%" already exists', create_scope.name
			USING ERRCODE = 'unique_violation',
				  DETAIL = 'A call with the edition and description it was created with, by the role that created it, returns its scope_id.';
	END;
	INSERT INTO @extschema@.soa_register (scope_id, control_key, control)
	SELECT id, c.control::text, c.control
	  FROM (SELECT r.control FROM @extschema@.ref_control_2022 r WHERE create_scope.edition = 2022
			UNION ALL
			SELECT r.control FROM @extschema@.ref_control_2013 r WHERE create_scope.edition = 2013) c
	 ORDER BY c.control;
	RETURN id;
END
$$;
COMMENT ON FUNCTION @extschema@.create_scope(text, integer, text) IS
	'create an ISMS scope with an undecided SoA entry for every Annex A control of its edition; returns its scope_id (again for a retry: the same arguments by the role that created it)';

CREATE OR REPLACE FUNCTION @extschema@.delete_scope(scope text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	IF NOT @extschema@.soa_administrator() THEN
		RAISE EXCEPTION 'only an administrator of the SoA register can delete a scope'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Administrators are members of the role that owns the register''s tables.';
	END IF;
	-- a retry finds the scope gone: there is nothing more to do
	SELECT s.scope_id INTO id FROM @extschema@.soa_scope s WHERE s.name = delete_scope.scope;
	IF NOT FOUND THEN
		RAISE NOTICE 'ISMS scope "%" does not exist, skipping', scope;
		RETURN;
	END IF;
	DELETE FROM @extschema@.soa_version_entry e WHERE e.scope_id = id;
	DELETE FROM @extschema@.soa_version v WHERE v.scope_id = id;
	DELETE FROM @extschema@.soa_register r WHERE r.scope_id = id;
	DELETE FROM @extschema@.soa_history h WHERE h.scope_id = id;
	DELETE FROM @extschema@.soa_scope s WHERE s.scope_id = id;
END
$$;
COMMENT ON FUNCTION @extschema@.delete_scope(text) IS
	'delete a scope with its SoA, history and versions (administrators only; the only way to remove history and versions; an administrator''s own DELETE can remove an Annex A entry too, recorded as a removal and reported by the validator); a scope that does not exist is skipped with a notice';

CREATE OR REPLACE FUNCTION @extschema@.soa_remove_custom(scope text, key text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
BEGIN
	DELETE FROM @extschema@.soa_register r
	 WHERE r.scope_id = id AND r.control_key = btrim(soa_remove_custom.key);
	-- a retry: the control's latest history row is its removal
	IF NOT FOUND
	   AND NOT coalesce((SELECT h.removed FROM @extschema@.soa_history h
						  WHERE h.scope_id = id AND h.control_key = btrim(soa_remove_custom.key)
						  ORDER BY h.changed_at DESC LIMIT 1), false) THEN
		RAISE EXCEPTION 'scope "%" has no control "%"', scope, key
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_remove_custom(text, text) IS
	'remove an organization-defined control from the SoA (the history keeps it); one already removed stays so';

CREATE OR REPLACE FUNCTION @extschema@.soa_add_evidence(scope text, control text, link text)
	RETURNS text[]
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
	key text := btrim(soa_add_evidence.control);
	result text[];
BEGIN
	IF @extschema@.is_valid_control(key) THEN
		key := key::@extschema@.iso_control::text;
	END IF;
	IF btrim(link) = '' THEN
		RAISE EXCEPTION 'an evidence link must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- one statement: concurrent additions to the same entry wait for each
	-- other and none is lost
	UPDATE @extschema@.soa_register r
	   SET evidence = CASE WHEN link = ANY (r.evidence) THEN r.evidence
						   ELSE array_append(r.evidence, link) END
	 WHERE r.scope_id = id AND r.control_key = key
	RETURNING r.evidence INTO result;
	IF NOT FOUND THEN
		-- the link was there already: the update changed nothing, and the
		-- register skipped it
		SELECT r.evidence INTO result FROM @extschema@.soa_register r
		 WHERE r.scope_id = id AND r.control_key = key;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'scope "%" has no control "%"', scope, soa_add_evidence.control
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_add_evidence(text, text, text) IS
	'add a link to the operating evidence of a control (once); returns the entry''s links';

CREATE OR REPLACE FUNCTION @extschema@.soa_approve(scope text, approved_by text DEFAULT CURRENT_USER,
										note text DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint;
	result integer;
BEGIN
	IF soa_approve.scope IS NULL THEN
		RAISE EXCEPTION 'scope must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	id := @extschema@.soa_scope_id(soa_approve.scope);
	-- a retry: the latest version was approved by the same person with the
	-- same note, recorded by this role, and nothing changed since.  Under
	-- the lock the approval takes (other isolation levels are refused by
	-- the insertion below).
	IF current_setting('transaction_isolation') = 'read committed' THEN
		PERFORM FROM @extschema@.soa_scope s WHERE s.scope_id = id FOR UPDATE;
		SELECT v.version INTO result
		  FROM (SELECT * FROM @extschema@.soa_version v WHERE v.scope_id = id
				 ORDER BY v.version DESC LIMIT 1) v
		 WHERE v.approved_by = coalesce(nullif(btrim(soa_approve.approved_by), ''), CURRENT_USER)
		   AND v.note IS NOT DISTINCT FROM soa_approve.note
		   AND v.recorded_by = CURRENT_USER
		   AND NOT EXISTS (SELECT FROM @extschema@.soa_history h
							WHERE h.scope_id = id AND h.changed_at > v.approved_at);
		IF FOUND THEN
			RETURN result;
		END IF;
	END IF;
	BEGIN
		INSERT INTO @extschema@.soa_version (scope_id, version, approved_by, note)
		VALUES (id, 1, soa_approve.approved_by, soa_approve.note)
		RETURNING version INTO result;
	EXCEPTION WHEN OTHERS THEN
		-- the approval's own error (the validator's findings, a
		-- serialization failure), raised from here: without the trigger's
		-- internal statement in its context
		DECLARE
			e_state text;
			e_message text;
			e_detail text;
			e_hint text;
		BEGIN
			GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
									e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
			IF e_detail IS NOT NULL AND e_detail <> '' AND e_hint IS NOT NULL AND e_hint <> '' THEN
				RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message, DETAIL = e_detail, HINT = e_hint;
			ELSIF e_detail IS NOT NULL AND e_detail <> '' THEN
				RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message, DETAIL = e_detail;
			ELSIF e_hint IS NOT NULL AND e_hint <> '' THEN
				RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message, HINT = e_hint;
			END IF;
			RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message;
		END;
	END;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_approve(text, text, text) IS
	'approve the current SoA of a scope as its next version (refused while soa_validate reports errors); returns the version number (the latest one again when nothing changed since it and the approver and note are the same)';

CREATE OR REPLACE FUNCTION @extschema@.soa_migrate_2013_to_2022(from_scope text, to_scope text,
													 description text DEFAULT NULL)
	RETURNS TABLE (control @extschema@.iso_control, outcome text, predecessors text, detail text)
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	src bigint := @extschema@.soa_scope_id(from_scope);
	dst bigint;
	retry boolean;
BEGIN
	IF from_scope IS NULL OR to_scope IS NULL THEN
		RAISE EXCEPTION 'scope names must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF (SELECT s.edition FROM @extschema@.soa_scope s WHERE s.scope_id = src) <> 2013 THEN
		RAISE EXCEPTION 'scope "%" does not follow ISO/IEC 27001:2013', from_scope
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- a retry finds the draft made (create_scope returns it to the role
	-- that made it with the same description)
	retry := EXISTS (SELECT FROM @extschema@.soa_scope s WHERE s.name = to_scope);
	dst := @extschema@.create_scope(to_scope, 2022,
									coalesce(description, format('Draft migrated from "%s"', from_scope)));

	-- the decisions on each 2022 control's 2013 predecessors
	CREATE TEMP TABLE pg_temp.soa_migration ON COMMIT DROP AS
	SELECT m.control_2022 AS control,
		   count(*) AS n,
		   count(*) FILTER (WHERE r.entry IS NULL) AS undecided,
		   count(DISTINCT coalesce(@extschema@.implementation(r.entry), 'excluded'))
			   FILTER (WHERE r.entry IS NOT NULL) AS states,
		   min(coalesce(@extschema@.implementation(r.entry), 'excluded'))
			   FILTER (WHERE r.entry IS NOT NULL) AS state,
		   string_agg(m.control_2013::text, ', ' ORDER BY m.control_2013) AS predecessors,
		   string_agg(m.control_2013::text || ': ' || coalesce(r.entry::text, 'undecided'), '; '
					  ORDER BY m.control_2013) AS decisions,
		   string_agg(m.control_2013::text || ': ' || r.justification, '; '
					  ORDER BY m.control_2013) AS justification,
		   CASE WHEN count(DISTINCT r.owner) = 1 THEN min(r.owner) END AS owner
	  FROM @extschema@.ref_correspondence m
	  LEFT JOIN @extschema@.soa_register r
		ON r.scope_id = src AND r.control = m.control_2013
	 GROUP BY m.control_2022;

	-- the draft: one agreed decision is carried over, reasons and evidence
	-- merged; disagreeing predecessors leave the control undecided and
	-- flagged; the other controls stay undecided; organization-defined
	-- controls are copied as they are
	CREATE TEMP TABLE pg_temp.soa_migrated ON COMMIT DROP AS
	SELECT c.control::text AS control_key, c.control, NULL::text AS title,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN
				CASE WHEN g.state = 'excluded' THEN 'excluded'::@extschema@.soa_entry
					 ELSE @extschema@.make_soa_entry(true, g.state,
							ARRAY(SELECT DISTINCT x
									FROM @extschema@.ref_correspondence m
									JOIN @extschema@.soa_register p
									  ON p.scope_id = src AND p.control = m.control_2013,
										 unnest(@extschema@.reasons(p.entry)) AS x
								   WHERE m.control_2022 = g.control))
				END
		   END AS entry,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN g.justification
				WHEN g.states > 1 THEN 'Predecessors disagree: ' || g.decisions
		   END AS justification,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN g.owner END AS owner,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN
				ARRAY(SELECT DISTINCT x
						FROM @extschema@.ref_correspondence m
						JOIN @extschema@.soa_register p
						  ON p.scope_id = src AND p.control = m.control_2013,
							 unnest(p.evidence) AS x
					   WHERE m.control_2022 = g.control
					   ORDER BY x)
				ELSE '{}'::text[]
		   END AS evidence,
		   coalesce(g.states > 1, false) AS needs_review
	  FROM @extschema@.ref_control_2022 c
	  LEFT JOIN pg_temp.soa_migration g ON g.control = c.control
	UNION ALL
	SELECT p.control_key, NULL, p.title, p.entry, p.justification, p.owner, p.evidence, p.needs_review
	  FROM @extschema@.soa_register p
	 WHERE p.scope_id = src AND p.control IS NULL;

	IF retry THEN
		-- the draft must be what this migration makes, unchanged since
		IF EXISTS ((SELECT r.control_key, r.title, r.entry, r.justification, r.owner, r.evidence, r.needs_review
					  FROM @extschema@.soa_register r WHERE r.scope_id = dst
					EXCEPT
					SELECT m.control_key, m.title, m.entry, m.justification, m.owner, m.evidence, m.needs_review
					  FROM pg_temp.soa_migrated m)
				   UNION ALL
				   (SELECT m.control_key, m.title, m.entry, m.justification, m.owner, m.evidence, m.needs_review
					  FROM pg_temp.soa_migrated m
					EXCEPT
					SELECT r.control_key, r.title, r.entry, r.justification, r.owner, r.evidence, r.needs_review
					  FROM @extschema@.soa_register r WHERE r.scope_id = dst)) THEN
			RAISE EXCEPTION 'ISMS scope "%" already exists', to_scope
				USING ERRCODE = 'unique_violation',
					  DETAIL = format('It is not the draft migrated from "%s": it was changed since, or made otherwise.',
									  from_scope);
		END IF;
	ELSE
		-- an update that changes nothing (a control left undecided) is
		-- skipped by the register
		UPDATE @extschema@.soa_register r
		   SET entry = m.entry, justification = m.justification, owner = m.owner,
			   evidence = m.evidence, needs_review = m.needs_review
		  FROM pg_temp.soa_migrated m
		 WHERE r.scope_id = dst AND m.control IS NOT NULL AND r.control_key = m.control_key;
		INSERT INTO @extschema@.soa_register (scope_id, control_key, title, entry, justification,
											  owner, evidence, needs_review)
		SELECT dst, m.control_key, m.title, m.entry, m.justification, m.owner, m.evidence, m.needs_review
		  FROM pg_temp.soa_migrated m
		 WHERE m.control IS NULL;
	END IF;

	RETURN QUERY
	SELECT c.control,
		   CASE WHEN g.control IS NULL THEN 'new in 2022'
				WHEN g.states > 1 THEN 'conflict'
				WHEN g.undecided > 0 THEN 'undecided'
				WHEN g.n > 1 THEN 'merged'
				ELSE 'carried over' END,
		   g.predecessors,
		   CASE WHEN g.control IS NULL THEN 'No 2013 predecessor: decide anew.'
				WHEN g.states > 1 THEN 'Predecessors disagree: ' || g.decisions
				WHEN g.undecided > 0 THEN 'A predecessor is undecided: ' || g.decisions
				ELSE g.decisions END
	  FROM @extschema@.ref_control_2022 c
	  LEFT JOIN pg_temp.soa_migration g ON g.control = c.control
	UNION ALL
	SELECT NULL, 'organization-defined', NULL, p.control_key || ': ' || coalesce(p.entry::text, 'undecided')
	  FROM @extschema@.soa_register p
	 WHERE p.scope_id = src AND p.control IS NULL
	ORDER BY 1, 4;
	DROP TABLE pg_temp.soa_migration, pg_temp.soa_migrated;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_migrate_2013_to_2022(text, text, text) IS
	'draft a 2022 SoA from a 2013 one through the correspondence: agreed decisions carried over, the 11 new controls undecided, disagreeing merges undecided and flagged; returns what happened to each control (again for a retry, while the draft is unchanged)';

-- DROP EXTENSION iso27001 (or DROP SCHEMA of its schema, with CASCADE)
-- would delete every scope with its append-only history and approved
-- versions: refused while the extension's tables hold data, unless the
-- DBA sets iso27001.allow_drop on in the dropping session
CREATE FUNCTION @extschema@.soa_guard_drop()
	RETURNS event_trigger
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.soa_guard_drop() IS
	'event trigger: refuse DROP EXTENSION iso27001 (or of its schema) while its tables hold data, unless iso27001.allow_drop is on';

CREATE EVENT TRIGGER iso27001_guard_drop ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
	EXECUTE FUNCTION @extschema@.soa_guard_drop();
COMMENT ON EVENT TRIGGER iso27001_guard_drop IS
	'refuses DROP EXTENSION iso27001 while the SoA register or the other tables of the extension hold data (SET iso27001.allow_drop = on allows it)';

-- Internal functions are not callable by PUBLIC: the trigger functions
-- (a trigger fires without EXECUTE on its function).  The helpers that
-- the triggers and API functions call stay executable by everyone,
-- because those run with the caller's rights (no SECURITY DEFINER) and
-- any role may be granted the tables: soa_restoring(),
-- soa_administrator(), soa_written_by_current_transaction(xid) and
-- soa_scope_id(text) answer questions about the caller's own session and
-- rights, and change nothing.
REVOKE EXECUTE ON FUNCTION @extschema@.soa_register_check(), @extschema@.soa_register_guard_delete(),
	@extschema@.soa_register_log(), @extschema@.soa_history_check(), @extschema@.soa_version_check(),
	@extschema@.soa_refuse_truncate(), @extschema@.soa_version_snapshot(),
	@extschema@.soa_version_entry_check(), @extschema@.soa_guard_drop() FROM PUBLIC;


-- Issue 15 item 6 b: the history stores the change, not the list.  A
-- change that appends evidence links stores the links appended
-- (evidence_added, evidence NULL) while the links appended since the last
-- whole list stay within about half of it; otherwise the whole list (a
-- checkpoint).  soa_history_evidence() reads a list back; soa_as_of uses
-- it.  Existing rows are whole lists and stay as they are.
ALTER TABLE @extschema@.soa_history ALTER COLUMN evidence DROP NOT NULL;
ALTER TABLE @extschema@.soa_history ADD COLUMN evidence_added text[];
ALTER TABLE @extschema@.soa_history ADD CONSTRAINT soa_history_evidence_one_form
	CHECK ((evidence IS NULL) OPERATOR(pg_catalog.<>) (evidence_added IS NULL));
COMMENT ON COLUMN @extschema@.soa_history.evidence IS 'the whole list of evidence links (a checkpoint), or NULL when the row stores only the links added (evidence_added): read the list with soa_history_evidence()';
COMMENT ON COLUMN @extschema@.soa_history.evidence_added IS 'the links appended to the list by this change (the list is the last checkpoint''s and every addition since), or NULL in a checkpoint';

-- The evidence links of a control as the history has them at a time: the
-- last checkpoint's list (a row with the whole list) and the links every
-- later change appended, in order.  A change that only appends links
-- stores them alone (soa_history_check), so adding n links one by one
-- stores O(n) links instead of n^2 / 2.
CREATE FUNCTION @extschema@.soa_history_evidence(scope_id bigint, control_key text, at timestamptz)
	RETURNS text[]
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.evidence OPERATOR(pg_catalog.||)
		   coalesce((SELECT pg_catalog.array_agg(a.link ORDER BY h.changed_at, a.k)
					   FROM @extschema@.soa_history h
					  CROSS JOIN LATERAL pg_catalog.unnest(h.evidence_added) WITH ORDINALITY AS a(link, k)
					  WHERE h.scope_id OPERATOR(pg_catalog.=) soa_history_evidence.scope_id
						AND h.control_key OPERATOR(pg_catalog.=) soa_history_evidence.control_key
						AND h.changed_at OPERATOR(pg_catalog.>) c.changed_at
						AND h.changed_at OPERATOR(pg_catalog.<=) soa_history_evidence.at),
				   '{}'::text[])
	  FROM (SELECT h.evidence, h.changed_at FROM @extschema@.soa_history h
			 WHERE h.scope_id OPERATOR(pg_catalog.=) soa_history_evidence.scope_id
			   AND h.control_key OPERATOR(pg_catalog.=) soa_history_evidence.control_key
			   AND h.changed_at OPERATOR(pg_catalog.<=) soa_history_evidence.at
			   AND h.evidence IS NOT NULL
			 ORDER BY h.changed_at DESC LIMIT 1) c;
END;
COMMENT ON FUNCTION @extschema@.soa_history_evidence(bigint, text, timestamptz) IS
	'the evidence links of a control as the SoA history has them at a time (the last checkpoint and the links appended since); NULL before its first change';

CREATE OR REPLACE FUNCTION @extschema@.soa_history_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	r @extschema@.soa_register;
	cp_list text[];
	cp_at timestamptz;
	added text[];
	prev text[];
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		-- administrators delete whole scopes (delete_scope)
		IF TG_OP = 'DELETE' AND @extschema@.soa_administrator() THEN
			RETURN OLD;
		END IF;
		RAISE EXCEPTION 'the SoA history cannot be changed'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'soa_history is append-only: every change of the register adds a row.';
	END IF;

	IF NEW.removed THEN
		-- a removal: the control was in the SoA and is no more (the lock
		-- the removal of a register row takes: no key of the scope is
		-- added or removed meanwhile)
		PERFORM FROM @extschema@.soa_scope s WHERE s.scope_id = NEW.scope_id FOR NO KEY UPDATE;
		IF EXISTS (SELECT FROM @extschema@.soa_register g
					WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key) THEN
			RAISE EXCEPTION 'control % is still in the SoA', NEW.control_key
				USING ERRCODE = 'check_violation';
		END IF;
		SELECT h.control, h.title INTO NEW.control, NEW.title
		  FROM @extschema@.soa_history h
		 WHERE h.scope_id = NEW.scope_id AND h.control_key = NEW.control_key AND NOT h.removed
		   AND NOT EXISTS (SELECT FROM @extschema@.soa_history later
							WHERE later.scope_id = h.scope_id AND later.control_key = h.control_key
							  AND later.changed_at > h.changed_at)
		 LIMIT 1;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'control % was not in the SoA', NEW.control_key
				USING ERRCODE = 'check_violation';
		END IF;
		NEW.changed_at := clock_timestamp();
		NEW.changed_by := CURRENT_USER;
		NEW.entry := NULL;
		NEW.justification := NULL;
		NEW.owner := NULL;
		NEW.evidence := '{}';
		NEW.evidence_added := NULL;
		NEW.needs_review := false;
		RETURN NEW;
	END IF;
	SELECT * INTO r FROM @extschema@.soa_register g
	 WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key;
	IF NOT FOUND OR r.changed_at <> NEW.changed_at THEN
		RAISE EXCEPTION 'a history row must record a change of the register'
			USING ERRCODE = 'check_violation',
				  DETAIL = 'Change iso27001.soa_register; the history follows.';
	END IF;
	NEW.control := r.control;
	NEW.title := r.title;
	NEW.entry := r.entry;
	NEW.justification := r.justification;
	NEW.owner := r.owner;
	NEW.needs_review := r.needs_review;
	NEW.changed_by := r.changed_by;
	NEW.removed := false;
	-- the evidence: only the links appended when the change appends links
	-- (or none) to the list as it stood, while the links appended since
	-- the last checkpoint do not outnumber the list; else the whole list
	SELECT h.evidence, h.changed_at INTO cp_list, cp_at
	  FROM @extschema@.soa_history h
	 WHERE h.scope_id = NEW.scope_id AND h.control_key = NEW.control_key AND h.evidence IS NOT NULL
	 ORDER BY h.changed_at DESC LIMIT 1;
	IF FOUND THEN
		SELECT coalesce(array_agg(a.link ORDER BY h.changed_at, a.k), '{}') INTO added
		  FROM @extschema@.soa_history h
		 CROSS JOIN LATERAL unnest(h.evidence_added) WITH ORDINALITY AS a(link, k)
		 WHERE h.scope_id = NEW.scope_id AND h.control_key = NEW.control_key AND h.changed_at > cp_at;
		prev := cp_list || added;
		IF r.evidence[1:cardinality(prev)] IS NOT DISTINCT FROM prev
		   AND cardinality(r.evidence) >= cardinality(prev)
		   AND cardinality(r.evidence) - cardinality(cp_list) <= cardinality(r.evidence) / 2 + 1 THEN
			NEW.evidence := NULL;
			NEW.evidence_added := coalesce(r.evidence[cardinality(prev) + 1:], '{}');
			RETURN NEW;
		END IF;
	END IF;
	NEW.evidence := r.evidence;
	NEW.evidence_added := NULL;
	RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION iso27001.soa_as_of(scope text, at timestamptz)
	RETURNS TABLE (control_key text, control iso27001.iso_control, title text,
				   entry iso27001.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
-- PL/pgSQL rather than SQL so that the query's plan is kept between calls
DECLARE
	id bigint := iso27001.soa_scope_id(soa_as_of.scope);
	latest integer;
	latest_at timestamptz;
BEGIN
	-- the latest version approved by then: when nothing changed between its
	-- approval and then, it is the SoA of that time, read by its index
	SELECT v.version, v.approved_at INTO latest, latest_at
	  FROM iso27001.soa_version v
	 WHERE v.scope_id OPERATOR(pg_catalog.=) id
	   AND v.approved_at OPERATOR(pg_catalog.<=) soa_as_of.at
	 ORDER BY v.version DESC LIMIT 1;
	IF FOUND AND NOT EXISTS (SELECT FROM iso27001.soa_history h
							  WHERE h.scope_id OPERATOR(pg_catalog.=) id
								AND h.changed_at OPERATOR(pg_catalog.>) latest_at
								AND h.changed_at OPERATOR(pg_catalog.<=) soa_as_of.at) THEN
		RETURN QUERY SELECT * FROM iso27001.soa_as_of_version(soa_as_of.scope, latest);
		RETURN;
	END IF;

	RETURN QUERY
	-- the latest version approved by then, and the changes since
	WITH v AS (
		SELECT v.version, v.approved_at
		  FROM iso27001.soa_version v
		 WHERE v.scope_id OPERATOR(pg_catalog.=) id
		   AND v.approved_at OPERATOR(pg_catalog.<=) soa_as_of.at
		 ORDER BY v.version DESC LIMIT 1
	), base AS (
		SELECT e.* FROM iso27001.soa_version_entry e, v
		 WHERE e.scope_id OPERATOR(pg_catalog.=) id
		   AND e.version OPERATOR(pg_catalog.=) v.version
	), delta AS (
		SELECT DISTINCT ON (h.control_key) h.*
		  FROM iso27001.soa_history h
		 WHERE h.scope_id OPERATOR(pg_catalog.=) id
		   AND h.changed_at OPERATOR(pg_catalog.<=) soa_as_of.at
		   AND h.changed_at OPERATOR(pg_catalog.>)
			   coalesce((SELECT v.approved_at FROM v), '-infinity'::timestamptz)
		 ORDER BY h.control_key, h.changed_at DESC
	)
	SELECT coalesce(d.control_key, b.control_key), coalesce(d.control, b.control),
		   CASE WHEN d.control_key IS NULL THEN b.title
				ELSE coalesce(d.title, t.title) END,
		   CASE WHEN d.control_key IS NULL THEN b.entry ELSE d.entry END,
		   CASE WHEN d.control_key IS NULL THEN b.justification ELSE d.justification END,
		   CASE WHEN d.control_key IS NULL THEN b.owner ELSE d.owner END,
		   CASE WHEN d.control_key IS NULL THEN b.evidence
				ELSE coalesce(d.evidence, iso27001.soa_history_evidence(id, d.control_key, d.changed_at)) END,
		   CASE WHEN d.control_key IS NULL THEN b.needs_review ELSE d.needs_review END,
		   coalesce(d.changed_at, b.changed_at), coalesce(d.changed_by, b.changed_by)
	  FROM base b
	  FULL JOIN delta d ON d.control_key OPERATOR(pg_catalog.=) b.control_key
	  -- titles by a join: title() per row would run a query per row
	  -- (= of controls by the pinned search_path: its schema is not known here)
	  LEFT JOIN iso27001.annex_a_titles t ON t.control = d.control
	 WHERE NOT coalesce(d.removed, false)
	 ORDER BY coalesce(d.control, b.control), coalesce(d.control_key, b.control_key);
END
$$;


-- Issue 15 item 3: "read-only" history queries that write.  The C function
-- certification_cycle_check_query now runs its query in a read-only
-- subtransaction that is always rolled back, and reads it by a cursor
-- (the new module); only the comment changes here.
COMMENT ON FUNCTION @extschema@.certification_cycle_check_query(date, text, date, integer, text, boolean, integer, integer, text, integer) IS
	'the certification-cycle rules an audit history breaks, the history read from a query returning (kind, on_date), run read-only and rolled back';

-- Issue 15 item 5: confidentiality defaults
--
-- The extension no longer grants anything to the cluster-wide role
-- iso27001_reader: a role granted it for one database read every database
-- that had installed the extension.  The DBA grants a reader per database
-- with grant_reader (docs/security.md).  The update revokes what 0.2.0 and
-- 0.2.1 granted the role here (so that the database equals a fresh
-- install, and pg_dump keeps a grant made again by grant_reader), and
-- warns, naming the role's members, when anyone relied on it.

-- What a BI reader may read, granted by the DBA in each database: nothing
-- by default (a role is cluster-wide, so a role granted here by the
-- install would read every database that installs the extension; see
-- docs/security.md).  The reader's tables are listed once, here, by name
-- (a name this version does not have is skipped); test/pgtap/bi_rls.sql
-- checks that they are every table with a scope_id but soa_history.
CREATE FUNCTION @extschema@.reader_tables()
	RETURNS regclass[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(c.oid::regclass ORDER BY c.relname)
	  FROM pg_catalog.pg_class c
	 WHERE c.relnamespace OPERATOR(pg_catalog.=) '@extschema@'::regnamespace
	   AND c.relkind OPERATOR(pg_catalog.=) 'r'
	   AND c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['soa_scope', 'soa_register', 'soa_version',
			'soa_version_entry', 'certificate', 'certificate_event', 'certification_audit',
			'behaviour_observation', 'behaviour_target', 'nonconformity']::name[]);
END;
COMMENT ON FUNCTION @extschema@.reader_tables() IS
	'the tables under the BI views that grant_reader grants SELECT on: every table with a scope_id but the change history (soa_history)';

-- The role checked before its privileges change: not a predefined role
-- (pg_*, whose members the DBA does not choose one by one), and the
-- caller may grant every privilege a reader needs (else nothing changes)
CREATE FUNCTION @extschema@.reader_check(reader regrole)
	RETURNS void
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	t regclass;
BEGIN
	IF reader IS NULL THEN
		RAISE EXCEPTION 'reader role must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = reader) LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'role "%" is a predefined role', reader
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Grant the reader''s privileges to a role of your own: CREATE ROLE bi_reader NOLOGIN.';
	END IF;
	IF NOT pg_catalog.has_schema_privilege('iso27001_bi', 'USAGE WITH GRANT OPTION') THEN
		RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s reader privileges'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The current role may not grant USAGE on schema iso27001_bi.';
	END IF;
	FOREACH t IN ARRAY @extschema@.reader_tables() OPERATOR(pg_catalog.||)
			ARRAY(SELECT c.oid::regclass FROM pg_catalog.pg_class c
				   WHERE c.relnamespace OPERATOR(pg_catalog.=) 'iso27001_bi'::regnamespace AND c.relkind = 'v'
				   ORDER BY c.relname) LOOP
		IF NOT pg_catalog.has_table_privilege(t, 'SELECT WITH GRANT OPTION') THEN
			RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s reader privileges'
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = pg_catalog.format('The current role may not grant SELECT on %s.', t);
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.reader_check(regrole) IS
	'refuses (22023) a predefined role as a BI reader, and (42501) a caller that may not grant every privilege a reader needs';

-- Makes a role a BI reader in this database: USAGE on iso27001_bi, SELECT
-- on its views and on the tables under them (reader_tables), no writes,
-- no change history.  A dashboard's login: CREATE ROLE metabase LOGIN;
-- SELECT iso27001.grant_reader('metabase');
CREATE FUNCTION @extschema@.grant_reader(reader regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	PERFORM @extschema@.reader_check(reader);
	EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA iso27001_bi TO %s', reader);
	EXECUTE pg_catalog.format('GRANT SELECT ON ALL TABLES IN SCHEMA iso27001_bi TO %s', reader);
	EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %s',
		pg_catalog.array_to_string(@extschema@.reader_tables(), ', '), reader);
	IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.oid = reader) THEN
		RAISE WARNING 'role "%" bypasses row-level security: it reads every scope', reader;
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.grant_reader(regrole) IS
	'grants a role what a BI reader needs in this database only: USAGE on schema iso27001_bi, SELECT on its views and on the tables under them (reader_tables()); no writes, no change history';

-- Takes back exactly what grant_reader gives, in this database
CREATE FUNCTION @extschema@.revoke_reader(reader regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	PERFORM @extschema@.reader_check(reader);
	EXECUTE pg_catalog.format('REVOKE SELECT ON %s FROM %s',
		pg_catalog.array_to_string(@extschema@.reader_tables(), ', '), reader);
	EXECUTE pg_catalog.format('REVOKE SELECT ON ALL TABLES IN SCHEMA iso27001_bi FROM %s', reader);
	EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA iso27001_bi FROM %s', reader);
END
$$;
COMMENT ON FUNCTION @extschema@.revoke_reader(regrole) IS
	'revokes from a role, in this database, what grant_reader gives: USAGE on schema iso27001_bi, SELECT on its views and on reader_tables()';

DO $$
DECLARE
	members text;
BEGIN
	IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'iso27001_reader') THEN
		PERFORM @extschema@.revoke_reader('iso27001_reader');
		SELECT pg_catalog.string_agg(pg_catalog.quote_ident(r.rolname), ', ' ORDER BY r.rolname) INTO members
		  FROM pg_catalog.pg_auth_members m
		  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) m.member
		 WHERE m.roleid OPERATOR(pg_catalog.=) 'iso27001_reader'::regrole;
		IF members IS NOT NULL THEN
			RAISE WARNING 'role iso27001_reader no longer reads iso27001''s data in database %',
				pg_catalog.quote_ident(pg_catalog.current_database())
				USING DETAIL = pg_catalog.format('Its members (%s) lost access to the BI views here: from 0.2.2 the extension grants nothing by default, since a role belongs to every database of the cluster.', members),
					  HINT = 'To keep them reading this database, run SELECT iso27001.grant_reader(''iso27001_reader''); in the transaction of the update (CHANGELOG.md, Upgrading).';
		END IF;
	END IF;
END
$$;


-- Issue 16 item 3: an auditor (grant_auditor, revoke_auditor)
-- Makes a role an auditor in this database: what a reader has, and SELECT
-- on the SoA's change history, so that every read and export function
-- runs for it (evidence_pack, evidence_chart, soa_export, soa_export_json,
-- soa_as_of, soa_as_of_version, soa_diff, soa_diff_at, soa_validate, the
-- OSCAL exports, nonconformity_check); no writes.  The scopes it sees are
-- those its row-level security policies allow (docs/scope_policies.sql).
CREATE FUNCTION @extschema@.grant_auditor(auditor regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	PERFORM @extschema@.reader_check(auditor);
	IF NOT pg_catalog.has_table_privilege('@extschema@.soa_history', 'SELECT WITH GRANT OPTION') THEN
		RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s auditor privileges'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The current role may not grant SELECT on iso27001.soa_history.';
	END IF;
	PERFORM @extschema@.grant_reader(auditor);
	EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.soa_history TO %s', auditor);
END
$$;
COMMENT ON FUNCTION @extschema@.grant_auditor(regrole) IS
	'grants a role what an auditor needs in this database only: what grant_reader gives and SELECT on the SoA''s change history, so that every read and export function runs for it; no writes';

-- Takes back exactly what grant_auditor gives, in this database
CREATE FUNCTION @extschema@.revoke_auditor(auditor regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	PERFORM @extschema@.reader_check(auditor);
	EXECUTE pg_catalog.format('REVOKE SELECT ON @extschema@.soa_history FROM %s', auditor);
	PERFORM @extschema@.revoke_reader(auditor);
END
$$;
COMMENT ON FUNCTION @extschema@.revoke_auditor(regrole) IS
	'takes back exactly what grant_auditor gives, in this database';


-- Issue 17 item 6: oscal_poam, the open nonconformities as an OSCAL POA&M
-- The open nonconformities of a scope (not closed, or closed without a
-- verification of effectiveness) as an OSCAL plan of action and
-- milestones: one risk per nonconformity with its corrective action as a
-- remediation and the due date as its milestone, and one POA&M item
-- pointing to it.  UUIDs from documented names, times from the data.
CREATE FUNCTION @extschema@.oscal_poam(scope text)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := @extschema@.soa_scope_id(scope);
	ns CONSTANT text := 'https://pgxn.org/dist/iso27001/ns/oscal';
	ssp uuid := @extschema@.oscal_uuid('ssp/' || scope || '/current');
	ssp_resource uuid := @extschema@.oscal_uuid('resource/ssp/' || scope);
	risks jsonb;
	items jsonb;
	last_change timestamptz;
BEGIN
	WITH n AS (
		SELECT x.*, @extschema@.oscal_uuid('nonconformity-risk/' || scope || '/' || x.nc_id) AS risk_uuid
		  FROM @extschema@.nonconformity x
		 WHERE x.scope_id = sid AND (x.closed_on IS NULL OR x.verified_on IS NULL))
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', n.risk_uuid,
			   'title', 'Nonconformity ' || n.nc_id,
			   'description', n.description,
			   'statement', coalesce(nullif(btrim(n.root_cause), ''), 'Root cause not yet determined.'),
			   'status', CASE WHEN n.closed_on IS NOT NULL THEN 'closed'
							  WHEN nullif(btrim(n.corrective_action), '') IS NOT NULL THEN 'remediating'
							  ELSE 'open' END,
			   'deadline', to_char(n.due_date, 'YYYY-MM-DD') || 'T00:00:00Z',
			   'remediations', CASE WHEN nullif(btrim(n.corrective_action), '') IS NOT NULL THEN
					jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
						'uuid', @extschema@.oscal_uuid('nonconformity-remediation/' || scope || '/' || n.nc_id),
						'lifecycle', CASE WHEN n.closed_on IS NOT NULL THEN 'completed' ELSE 'planned' END,
						'title', 'Corrective action',
						'description', n.corrective_action,
						'tasks', CASE WHEN n.due_date IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
							'uuid', @extschema@.oscal_uuid('nonconformity-milestone/' || scope || '/' || n.nc_id),
							'type', 'milestone',
							'title', 'Corrective action due',
							'timing', jsonb_build_object('on-date', jsonb_build_object(
								'date', to_char(n.due_date, 'YYYY-MM-DD') || 'T00:00:00Z')))) END))) END))
			   ORDER BY n.raised_on, n.nc_id),
		   jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', @extschema@.oscal_uuid('poam-item/' || scope || '/' || n.nc_id),
			   'title', 'Nonconformity ' || n.nc_id || ' (' || n.grade || ')',
			   'description', n.description,
			   'props', jsonb_build_array(
							jsonb_build_object('name', 'nonconformity-grade', 'ns', ns, 'value', n.grade),
							jsonb_build_object('name', 'nonconformity-source', 'ns', ns, 'value', replace(n.source, '_', '-')),
							jsonb_build_object('name', 'raised-on', 'ns', ns, 'value', n.raised_on::text))
						|| CASE WHEN n.clause IS NOT NULL THEN jsonb_build_array(
							   jsonb_build_object('name', 'clause', 'ns', ns, 'value', n.clause)) ELSE '[]' END
						|| CASE WHEN n.control IS NOT NULL THEN jsonb_build_array(
							   jsonb_build_object('name', 'control-id', 'ns', ns, 'value', lower(n.control::text))) ELSE '[]' END,
			   'related-risks', jsonb_build_array(jsonb_build_object('risk-uuid', n.risk_uuid)),
			   'remarks', nullif(concat_ws(' ', 'Correction: ' || nullif(btrim(n.correction), '') || '.',
											'Owner: ' || nullif(btrim(n.owner), '') || '.'), '')))
			   ORDER BY n.raised_on, n.nc_id),
		   max(n.recorded_at)
	  INTO risks, items, last_change
	  FROM n;
	IF items IS NULL THEN
		RAISE EXCEPTION 'scope "%" has no open nonconformity', scope
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An OSCAL plan of action and milestones holds at least one item.';
	END IF;
	RETURN jsonb_build_object('plan-of-action-and-milestones', jsonb_build_object(
		'uuid', @extschema@.oscal_uuid('poam/' || scope),
		'metadata', jsonb_build_object(
			'title', 'Open nonconformities and corrective actions of ' || scope || ' (ISO/IEC 27001 clause 10.2)',
			'last-modified', to_char(last_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', 'current',
			'oscal-version', '1.2.1'),
		'import-ssp', jsonb_build_object('href', '#' || ssp_resource),
		'system-id', jsonb_build_object('identifier-type', 'https://ietf.org/rfc/rfc4122',
										'id', @extschema@.oscal_uuid('scope/' || scope)::text),
		'risks', risks,
		'poam-items', items,
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', ssp_resource,
			'title', 'The SoA of ' || scope || ' as an OSCAL SSP (iso27001.oscal_ssp)',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'urn:uuid:' || ssp, 'media-type', 'application/oscal.ssp+json')))))));
END
$$;
COMMENT ON FUNCTION @extschema@.oscal_poam(text) IS
	'a scope''s open nonconformities (not closed, or not verified) as an OSCAL plan of action and milestones: a risk per nonconformity with its corrective action and due-date milestone, a POA&M item pointing to it';

-- 0.2.2: the comparison operators and min/max of iso_control and soa_entry
-- move to schema public, on the default search_path, where a fresh install
-- puts them (CREATE EXTENSION's schema; docs/security.md §5).  The
-- extension stays recorded in schema iso27001: PostgreSQL keeps that of an
-- installed extension.  The functions' pinned search_path gains public, as
-- a fresh install's gains its schema.  Without a schema public, or with one
-- that another role owns, the operators stay where they were, with a
-- warning that says how to move them.
DO $$
DECLARE
	owner name;
	item text;
BEGIN
	SELECT r.rolname INTO owner
	  FROM pg_catalog.pg_namespace n
	  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
	 WHERE n.nspname OPERATOR(pg_catalog.=) 'public';
	IF NOT FOUND OR (owner OPERATOR(pg_catalog.<>) CURRENT_USER
					 AND owner OPERATOR(pg_catalog.<>) 'pg_database_owner'
					 AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles r
									  WHERE r.rolname OPERATOR(pg_catalog.=) owner AND r.rolsuper)) THEN
		RAISE WARNING 'the operators of iso27001 stay in schema iso27001'
			USING DETAIL = CASE WHEN owner IS NULL THEN 'This database has no schema public.'
								ELSE pg_catalog.format('Schema public is owned by role %I.', owner) END,
				  HINT = 'Queries comparing controls need schema iso27001 on their search_path, or ALTER OPERATOR ... SET SCHEMA to a schema on it (docs/security.md §5).';
		RETURN;
	END IF;
	FOR item IN
		SELECT o.oid::pg_catalog.regoperator::text
		  FROM pg_catalog.pg_operator o
		 WHERE o.oprnamespace OPERATOR(pg_catalog.=) 'iso27001'::pg_catalog.regnamespace
		   AND o.oprleft IN ('iso27001.iso_control'::pg_catalog.regtype, 'iso27001.soa_entry'::pg_catalog.regtype)
	LOOP
		EXECUTE pg_catalog.format('ALTER OPERATOR %s SET SCHEMA public', item);
	END LOOP;
	ALTER AGGREGATE iso27001.min(iso27001.iso_control) SET SCHEMA public;
	ALTER AGGREGATE iso27001.max(iso27001.iso_control) SET SCHEMA public;
	FOR item IN
		SELECT p.oid::pg_catalog.regprocedure::text
		  FROM pg_catalog.pg_proc p
		  JOIN pg_catalog.pg_depend d
			ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
		   AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
		  JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
		 WHERE e.extname OPERATOR(pg_catalog.=) 'iso27001'
		   AND p.proconfig OPERATOR(pg_catalog.@>) ARRAY['search_path=pg_catalog, iso27001, pg_temp']
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = pg_catalog, iso27001, public, pg_temp', item);
	END LOOP;
END
$$;

-- 0.2.2, issue 16 item 4: refusals raised from the function called, and a
-- message of its own for every rule a row can break.  soa_set and
-- soa_set_custom check the register's rules before they write
-- (soa_entry_check, which the register's trigger calls too), so that the
-- context of their errors holds no internal statement; soa_remove_custom
-- refuses an Annex A control itself; reader_check returns the role it
-- checked, so that the grant functions call it in an expression; the
-- OSCAL exports look their scope up in one.  The tables written by plain
-- INSERT get row triggers that say which rule a row breaks (the
-- observations' fires only for a row its checks refuse).
CREATE FUNCTION iso27001.soa_entry_check(scope_name text, scope_edition integer, control_key text,
										 control iso27001.iso_control, title text,
										 entry iso27001.soa_entry, justification text, evidence text[])
	RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF control IS NOT NULL AND iso27001.edition(control) <> scope_edition THEN
		RAISE EXCEPTION 'control % is an ISO/IEC 27001:% control', control, iso27001.edition(control)
			USING ERRCODE = 'check_violation',
				  DETAIL = format('The SoA of scope "%s" follows ISO/IEC 27001:%s Annex A.', scope_name, scope_edition),
				  HINT = 'Migrate a 2013 SoA with iso27001.soa_migrate_2013_to_2022().';
	END IF;
	IF control IS NOT NULL AND title IS NOT NULL THEN
		RAISE EXCEPTION 'the title of Annex A control % comes from the catalogue', control
			USING ERRCODE = 'check_violation',
				  HINT = 'Leave title NULL for an Annex A control; iso27001.title(control) gives it.';
	END IF;
	IF control IS NULL AND btrim(coalesce(title, '')) = '' THEN
		RAISE EXCEPTION 'organization-defined control % needs a title', control_key
			USING ERRCODE = 'check_violation';
	END IF;
	IF array_position(evidence, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'the evidence links of % must not be null', control_key
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- the same blank test as the validator's (bit 2 of soa_entry_problems)
	IF entry IS NOT NULL AND iso27001.soa_entry_problems(entry, justification, NULL) & 2 <> 0 THEN
		RAISE EXCEPTION 'the SoA entry of % needs a justification', control_key
			USING ERRCODE = 'check_violation',
				  DETAIL = 'ISO/IEC 27001:2022 clause 6.1.3 d) requires the justification of every inclusion and exclusion.',
				  HINT = 'Say why the control is included (the risk treatment or requirement behind it) or excluded.';
	END IF;
	RETURN true;
END
$$;
COMMENT ON FUNCTION iso27001.soa_entry_check(text, integer, text, iso27001.iso_control, text, iso27001.soa_entry, text, text[]) IS
	'the rules of one SoA entry a client can break (edition, title, evidence links, justification), each raised with its own message; true otherwise';

CREATE OR REPLACE FUNCTION iso27001.soa_register_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	scope_edition integer;
	scope_name text;
	checked boolean;
BEGIN
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE'
	   AND (NEW.scope_id <> OLD.scope_id OR NEW.control_key <> OLD.control_key
			OR NEW.control IS DISTINCT FROM OLD.control) THEN
		RAISE EXCEPTION 'the scope and control of an SoA entry cannot change'
			USING ERRCODE = 'check_violation',
				  HINT = 'Remove an organization-defined control and add it anew.';
	END IF;
	IF NEW.control IS NULL AND iso27001.is_valid_control(NEW.control_key) THEN
		NEW.control := NEW.control_key::iso27001.iso_control;
	END IF;
	IF NEW.control IS NOT NULL THEN
		NEW.control_key := NEW.control::text;
	ELSE
		NEW.control_key := btrim(NEW.control_key);
		IF NEW.control_key = '' THEN
			RAISE EXCEPTION 'an organization-defined control needs a key'
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;

	IF TG_OP = 'UPDATE' THEN
		IF (NEW.title, NEW.entry, NEW.justification, NEW.owner, NEW.evidence, NEW.needs_review)
		   IS NOT DISTINCT FROM
		   (OLD.title, OLD.entry, OLD.justification, OLD.owner, OLD.evidence, OLD.needs_review) THEN
			RETURN NULL;
		END IF;
	END IF;

	SELECT s.edition, s.name INTO scope_edition, scope_name
	  FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id
	   FOR KEY SHARE;
	-- an insertion into a scope this role cannot see goes on, to be
	-- refused by row-level security (or by the foreign key)
	IF NOT FOUND AND TG_OP = 'UPDATE' THEN
		RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF TG_OP = 'INSERT' THEN
		-- an insertion takes its time after a removal of its key in flight:
		-- a row of the key is locked (waiting for its removal), and a key
		-- not in the register locks the scope's row against other new keys
		-- and removals (row locks: only roles that may change these rows
		-- take them, and they take no lock-table entry)
		PERFORM FROM iso27001.soa_register g
		  WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key
		  FOR KEY SHARE;
		IF NOT FOUND THEN
			PERFORM FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id
			  FOR NO KEY UPDATE;
		END IF;
	END IF;
	checked := iso27001.soa_entry_check(scope_name, scope_edition, NEW.control_key, NEW.control,
										NEW.title, NEW.entry, NEW.justification, NEW.evidence);

	NEW.changed_at := clock_timestamp();
	IF TG_OP = 'UPDATE' AND NEW.changed_at <= OLD.changed_at THEN
		NEW.changed_at := OLD.changed_at + interval '1 microsecond';
	END IF;
	NEW.changed_by := CURRENT_USER;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.soa_register_check() IS
	'trigger: the integrity rules of a register row (edition, justification, key), and who changed it when';

CREATE FUNCTION iso27001.soa_scope_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF btrim(NEW.name) = '' THEN
		RAISE EXCEPTION 'a scope needs a name that is not blank'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.edition NOT IN (2013, 2022) THEN
		RAISE EXCEPTION 'edition must be 2013 or 2022, not %', NEW.edition
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.soa_scope_row_check() IS
	'trigger: the rules of a scope row (a name that is not blank, edition 2013 or 2022), each with its own message';

CREATE TRIGGER soa_scope_row_check
	BEFORE INSERT OR UPDATE OF name, edition ON iso27001.soa_scope
	FOR EACH ROW EXECUTE FUNCTION iso27001.soa_scope_row_check();

CREATE OR REPLACE FUNCTION iso27001.soa_set(scope text, control iso27001.iso_control,
									entry iso27001.soa_entry, justification text,
									owner text DEFAULT NULL, evidence text[] DEFAULT NULL,
									needs_review boolean DEFAULT false)
	RETURNS iso27001.soa_register
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	id bigint := iso27001.soa_scope_id(soa_set.scope);
	scope_edition integer;
	checked boolean;
	result iso27001.soa_register;
BEGIN
	IF soa_set.scope IS NULL OR soa_set.control IS NULL THEN
		RAISE EXCEPTION 'scope and control must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- the register's rules, refused from here rather than from its trigger
	SELECT s.edition INTO scope_edition FROM iso27001.soa_scope s WHERE s.scope_id = id;
	checked := iso27001.soa_entry_check(soa_set.scope, scope_edition, soa_set.control::text, soa_set.control,
										NULL, soa_set.entry, soa_set.justification, soa_set.evidence);
	INSERT INTO iso27001.soa_register AS r
		(scope_id, control_key, control, entry, justification, owner, evidence, needs_review)
	VALUES (id, soa_set.control::text, soa_set.control, soa_set.entry, soa_set.justification,
			soa_set.owner, coalesce(soa_set.evidence, '{}'), coalesce(soa_set.needs_review, false))
	ON CONFLICT (scope_id, control_key) DO UPDATE
	   SET entry = excluded.entry,
		   justification = excluded.justification,
		   owner = coalesce(soa_set.owner, r.owner),
		   evidence = coalesce(soa_set.evidence, r.evidence),
		   needs_review = excluded.needs_review;
	SELECT * INTO result FROM iso27001.soa_register r
	 WHERE r.scope_id = id AND r.control_key = soa_set.control::text;
	RETURN result;
END
$$;
COMMENT ON FUNCTION iso27001.soa_set(text, iso27001.iso_control, iso27001.soa_entry, text, text, text[], boolean) IS
	'record the decision on an Annex A control (NULL entry: undecided); owner and evidence are kept when NULL; returns the register row';

CREATE OR REPLACE FUNCTION iso27001.soa_set_custom(scope text, key text, title text,
										   entry iso27001.soa_entry, justification text,
										   owner text DEFAULT NULL, evidence text[] DEFAULT NULL,
										   needs_review boolean DEFAULT false)
	RETURNS iso27001.soa_register
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	id bigint := iso27001.soa_scope_id(soa_set_custom.scope);
	checked boolean;
	result iso27001.soa_register;
BEGIN
	IF soa_set_custom.scope IS NULL OR soa_set_custom.key IS NULL THEN
		RAISE EXCEPTION 'scope and key must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF iso27001.is_valid_control(soa_set_custom.key) THEN
		RAISE EXCEPTION '"%" is an Annex A control, not an organization-defined one', soa_set_custom.key
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use iso27001.soa_set() for Annex A controls.';
	END IF;
	-- the register's rules, refused from here rather than from its trigger
	checked := iso27001.soa_entry_check(soa_set_custom.scope, NULL, btrim(soa_set_custom.key), NULL,
										soa_set_custom.title, soa_set_custom.entry,
										soa_set_custom.justification, soa_set_custom.evidence);
	INSERT INTO iso27001.soa_register AS r
		(scope_id, control_key, title, entry, justification, owner, evidence, needs_review)
	VALUES (id, btrim(soa_set_custom.key), soa_set_custom.title, soa_set_custom.entry,
			soa_set_custom.justification, soa_set_custom.owner,
			coalesce(soa_set_custom.evidence, '{}'), coalesce(soa_set_custom.needs_review, false))
	ON CONFLICT (scope_id, control_key) DO UPDATE
	   SET title = excluded.title,
		   entry = excluded.entry,
		   justification = excluded.justification,
		   owner = coalesce(soa_set_custom.owner, r.owner),
		   evidence = coalesce(soa_set_custom.evidence, r.evidence),
		   needs_review = excluded.needs_review;
	SELECT * INTO result FROM iso27001.soa_register r
	 WHERE r.scope_id = id AND r.control_key = btrim(soa_set_custom.key);
	RETURN result;
END
$$;
COMMENT ON FUNCTION iso27001.soa_set_custom(text, text, text, iso27001.soa_entry, text, text, text[], boolean) IS
	'add or change an organization-defined control (Annex A is not exhaustive, clause 6.1.3 c); returns the register row';

CREATE OR REPLACE FUNCTION iso27001.soa_remove_custom(scope text, key text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	id bigint := iso27001.soa_scope_id(scope);
BEGIN
	IF iso27001.is_valid_control(key) THEN
		RAISE EXCEPTION '"%" is an Annex A control, not an organization-defined one', key
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Every Annex A control keeps its entry in the SoA.',
				  HINT = 'Exclude it with iso27001.soa_set(), with a justification.';
	END IF;
	DELETE FROM iso27001.soa_register r
	 WHERE r.scope_id = id AND r.control_key = btrim(soa_remove_custom.key);
	-- a retry: the control's latest history row is its removal
	IF NOT FOUND
	   AND NOT coalesce((SELECT h.removed FROM iso27001.soa_history h
						  WHERE h.scope_id = id AND h.control_key = btrim(soa_remove_custom.key)
						  ORDER BY h.changed_at DESC LIMIT 1), false) THEN
		RAISE EXCEPTION 'scope "%" has no control "%"', scope, key
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;
COMMENT ON FUNCTION iso27001.soa_remove_custom(text, text) IS
	'remove an organization-defined control from the SoA (the history keeps it); one already removed stays so';

CREATE OR REPLACE FUNCTION iso27001.oscal_profile(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	s iso27001.soa_scope;
	ids jsonb;
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
	sid bigint := iso27001.soa_scope_id(scope);	-- an unknown scope: 22023
BEGIN
	SELECT * INTO s FROM iso27001.soa_scope x WHERE x.name = scope;
	SELECT jsonb_agg(lower(e.control::text) ORDER BY e.control) FILTER (WHERE is_applicable(e.entry)),
		   max(e.as_of)
	  INTO ids, as_of
	  FROM iso27001.oscal_entries(scope, version) e;
	IF ids IS NULL THEN
		RAISE EXCEPTION 'the SoA of scope "%" (%) has no applicable control', scope, tag
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An OSCAL profile selects at least one control.';
	END IF;
	RETURN jsonb_build_object('profile', jsonb_build_object(
		'uuid', oscal_uuid('profile/' || scope || '/' || tag),
		'metadata', jsonb_build_object(
			'title', 'Applicable ISO/IEC 27001:' || s.edition || ' Annex A controls of ' || scope || ' (' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1'),
		'imports', jsonb_build_array(jsonb_build_object(
			'href', '#' || oscal_uuid('resource/catalog/iso27001:' || s.edition),
			'include-controls', jsonb_build_array(jsonb_build_object('with-ids', ids)))),
		'merge', jsonb_build_object('as-is', true),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', oscal_uuid('resource/catalog/iso27001:' || s.edition),
			'title', 'ISO/IEC 27001:' || s.edition || ' Annex A catalogue (iso27001.oscal_catalog(' || s.edition || '))',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'iso27001-' || s.edition || '-catalog.json',
				'media-type', 'application/oscal.catalog+json')))))));
END
$$;
COMMENT ON FUNCTION iso27001.oscal_profile(text, integer) IS
	'the applicable Annex A controls of a scope''s SoA (current, or an approved version) as an OSCAL profile of the catalogue';

CREATE OR REPLACE FUNCTION iso27001.oscal_ssp(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	s iso27001.soa_scope;
	v iso27001.soa_version;
	reqs jsonb;
	owners text[];
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
	ns CONSTANT text := 'https://pgxn.org/dist/iso27001/ns/oscal';
	component uuid;
	profile uuid := oscal_uuid('profile/' || scope || '/' || tag);
	roles jsonb := '[]';
	parties jsonb := '[]';
	users jsonb := '[]';
	actions jsonb;
	sid bigint := iso27001.soa_scope_id(scope);	-- an unknown scope: 22023
BEGIN
	SELECT * INTO s FROM iso27001.soa_scope x WHERE x.name = scope;
	component := oscal_uuid('component/' || scope);
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', oscal_uuid('requirement/' || scope || '/' || tag || '/' || e.control::text),
			   'control-id', lower(e.control::text),
			   'props', jsonb_build_array(jsonb_build_object(
							'name', 'soa-decision', 'ns', ns,
							'value', CASE WHEN e.entry IS NULL THEN 'undecided'
										  WHEN is_applicable(e.entry) THEN 'applicable'
										  ELSE 'excluded' END))
						|| coalesce((SELECT jsonb_agg(jsonb_build_object(
											 'name', 'inclusion-reason', 'ns', ns,
											 'value', replace(r, ' ', '-')) ORDER BY k)
									   FROM unnest(reasons(e.entry)) WITH ORDINALITY AS u(r, k)), '[]'),
			   -- the evidence links, in the register's order
			   'links', (SELECT jsonb_agg(jsonb_build_object('href', oscal_href(l), 'rel', 'evidence',
															 'text', l) ORDER BY k)
						   FROM unnest(e.evidence) WITH ORDINALITY AS u(l, k)),
			   'responsible-roles', CASE WHEN nullif(btrim(e.owner), '') IS NOT NULL THEN
					jsonb_build_array(jsonb_build_object(
						'role-id', 'control-owner',
						'party-uuids', jsonb_build_array(oscal_uuid('party/' || btrim(e.owner))))) END,
			   'remarks', nullif(btrim(e.justification), ''),
			   'by-components', CASE WHEN e.entry IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
					'component-uuid', component,
					'uuid', oscal_uuid('by-component/' || scope || '/' || tag || '/' || e.control::text),
					'description', coalesce(nullif(btrim(e.justification), ''), e.entry::text),
					'implementation-status', jsonb_build_object('state', oscal_status(e.entry)))) END))
			   ORDER BY e.control),
		   max(e.as_of),
		   array_agg(DISTINCT btrim(e.owner)) FILTER (WHERE nullif(btrim(e.owner), '') IS NOT NULL)
	  INTO reqs, as_of, owners
	  FROM iso27001.oscal_entries(scope, version) e;

	-- the approval: of the version exported, or the latest for the current SoA
	SELECT * INTO v FROM iso27001.soa_version x
	 WHERE x.scope_id = s.scope_id AND (oscal_ssp.version IS NULL OR x.version = oscal_ssp.version)
	 ORDER BY x.version DESC LIMIT 1;

	-- roles and parties: the control owners as the register names them, and
	-- the approver; parties are named by their text alone, so one person is
	-- one party in every scope's document
	IF owners IS NOT NULL THEN
		roles := roles || jsonb_build_object('id', 'control-owner', 'title', 'Control owner');
		users := users || jsonb_build_object('uuid', oscal_uuid('user/' || scope || '/control-owner'),
											 'title', 'Control owners', 'role-ids', jsonb_build_array('control-owner'));
	END IF;
	IF v.version IS NOT NULL THEN
		roles := roles || jsonb_build_object('id', 'soa-approver',
											 'title', 'Approver of the Statement of Applicability');
		users := users || jsonb_build_object('uuid', oscal_uuid('user/' || scope || '/soa-approver'),
											 'title', 'SoA approver', 'role-ids', jsonb_build_array('soa-approver'));
		actions := jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
			'uuid', oscal_uuid('approval/' || scope || '/' || v.version),
			'date', to_char(v.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
			'type', 'approval',
			'system', ns,
			'props', jsonb_build_array(jsonb_build_object('name', 'soa-version', 'ns', ns, 'value', v.version::text)),
			'responsible-parties', jsonb_build_array(jsonb_build_object(
				'role-id', 'soa-approver',
				'party-uuids', jsonb_build_array(oscal_uuid('party/' || btrim(v.approved_by))))),
			'remarks', nullif(concat_ws(' ', nullif(btrim(v.note), ''),
										CASE WHEN oscal_ssp.version IS NULL AND as_of > v.approved_at
											 THEN 'The SoA has changed since this approval; the changes are in this document and not approved.' END),
							  ''))));
	END IF;
	SELECT coalesce(jsonb_agg(jsonb_build_object('uuid', oscal_uuid('party/' || p), 'type', 'person', 'name', p)
							  ORDER BY p), '[]')
	  INTO parties
	  FROM (SELECT unnest(owners) UNION SELECT btrim(v.approved_by) WHERE v.version IS NOT NULL) q(p);
	IF users = '[]' THEN
		users := jsonb_build_array(jsonb_build_object('uuid', oscal_uuid('user/' || scope), 'title', 'ISMS owner'));
	END IF;

	RETURN jsonb_build_object('system-security-plan', jsonb_build_object(
		'uuid', oscal_uuid('ssp/' || scope || '/' || tag),
		'metadata', jsonb_strip_nulls(jsonb_build_object(
			'title', 'Statement of Applicability of ' || scope || ' (ISO/IEC 27001:' || s.edition || ', ' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1',
			'roles', nullif(roles, '[]'),
			'parties', nullif(parties, '[]'),
			'actions', actions,
			'remarks', 'Exported by the iso27001 PostgreSQL extension from its SoA register. Organization-defined controls are not part of the Annex A catalogue and are not exported here.')),
		'import-profile', jsonb_build_object('href', '#' || profile),
		'system-characteristics', jsonb_build_object(
			'system-ids', jsonb_build_array(jsonb_build_object(
				'identifier-type', 'https://ietf.org/rfc/rfc4122',
				'id', oscal_uuid('scope/' || scope)::text)),
			'system-name', scope,
			'description', coalesce(nullif(btrim(s.description), ''), 'The ISMS scope ' || scope || '.'),
			'system-information', jsonb_build_object('information-types', jsonb_build_array(jsonb_build_object(
				'uuid', oscal_uuid('information-type/' || scope),
				'title', 'Information within the ISMS scope',
				'description', 'The information the ISMS scope ' || scope || ' protects.'))),
			-- operational once an SoA version is approved
			'status', CASE WHEN v.version IS NOT NULL
						   THEN jsonb_build_object('state', 'operational')
						   ELSE jsonb_build_object('state', 'under-development',
												   'remarks', 'No version of the Statement of Applicability is approved yet.') END,
			'authorization-boundary', jsonb_build_object(
				'description', 'The scope of the information security management system ' || scope
							   || ', as its Statement of Applicability states.')),
		'system-implementation', jsonb_build_object(
			'users', users,
			'components', jsonb_build_array(jsonb_build_object(
				'uuid', component, 'type', 'this-system', 'title', scope,
				'description', 'The whole ISMS scope ' || scope || '.',
				'status', jsonb_build_object('state', 'operational')))),
		'control-implementation', jsonb_build_object(
			'description', 'Statement of Applicability (ISO/IEC 27001:2022 clause 6.1.3 d)): every Annex A control, '
						   || 'applicable or excluded with its justification, its implementation status and reasons for inclusion.',
			'implemented-requirements', reqs),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', profile,
			'title', 'Applicable controls of ' || scope || ' (iso27001.oscal_profile)',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'urn:uuid:' || profile, 'media-type', 'application/oscal.profile+json')))))));
END
$$;
COMMENT ON FUNCTION iso27001.oscal_ssp(text, integer) IS
	'a scope''s SoA (current, or an approved version) as an OSCAL system security plan: one implemented requirement per Annex A control with its decision, inclusion reasons, justification (remarks), implementation status, owner (responsible role and party) and evidence links; the approval as a metadata action';

DROP FUNCTION iso27001.reader_check(regrole);
CREATE FUNCTION iso27001.reader_check(reader regrole)
	RETURNS regrole
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	t regclass;
BEGIN
	IF reader IS NULL THEN
		RAISE EXCEPTION 'reader role must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = reader) LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'role "%" is a predefined role', reader
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Grant the reader''s privileges to a role of your own: CREATE ROLE bi_reader NOLOGIN.';
	END IF;
	IF NOT pg_catalog.has_schema_privilege('iso27001_bi', 'USAGE WITH GRANT OPTION') THEN
		RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s reader privileges'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The current role may not grant USAGE on schema iso27001_bi.';
	END IF;
	FOREACH t IN ARRAY iso27001.reader_tables() OPERATOR(pg_catalog.||)
			ARRAY(SELECT c.oid::regclass FROM pg_catalog.pg_class c
				   WHERE c.relnamespace OPERATOR(pg_catalog.=) 'iso27001_bi'::regnamespace AND c.relkind = 'v'
				   ORDER BY c.relname) LOOP
		IF NOT pg_catalog.has_table_privilege(t, 'SELECT WITH GRANT OPTION') THEN
			RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s reader privileges'
				USING ERRCODE = 'insufficient_privilege',
					  DETAIL = pg_catalog.format('The current role may not grant SELECT on %s.', t);
		END IF;
	END LOOP;
	RETURN reader;
END
$$;
COMMENT ON FUNCTION iso27001.reader_check(regrole) IS
	'refuses (22023) a predefined role as a BI reader, and (42501) a caller that may not grant every privilege a reader needs; returns the role';

CREATE OR REPLACE FUNCTION iso27001.grant_reader(reader regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(reader);	-- refusals raised from here
BEGIN
	EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA iso27001_bi TO %s', reader);
	EXECUTE pg_catalog.format('GRANT SELECT ON ALL TABLES IN SCHEMA iso27001_bi TO %s', reader);
	EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %s',
		pg_catalog.array_to_string(iso27001.reader_tables(), ', '), reader);
	IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.oid = reader) THEN
		RAISE WARNING 'role "%" bypasses row-level security: it reads every scope', reader;
	END IF;
END
$$;
COMMENT ON FUNCTION iso27001.grant_reader(regrole) IS
	'grants a role what a BI reader needs in this database only: USAGE on schema iso27001_bi, SELECT on its views and on the tables under them (reader_tables()); no writes, no change history';

CREATE OR REPLACE FUNCTION iso27001.revoke_reader(reader regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(reader);	-- refusals raised from here
BEGIN
	EXECUTE pg_catalog.format('REVOKE SELECT ON %s FROM %s',
		pg_catalog.array_to_string(iso27001.reader_tables(), ', '), reader);
	EXECUTE pg_catalog.format('REVOKE SELECT ON ALL TABLES IN SCHEMA iso27001_bi FROM %s', reader);
	EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA iso27001_bi FROM %s', reader);
END
$$;
COMMENT ON FUNCTION iso27001.revoke_reader(regrole) IS
	'revokes from a role, in this database, what grant_reader gives: USAGE on schema iso27001_bi, SELECT on its views and on reader_tables()';

CREATE OR REPLACE FUNCTION iso27001.grant_auditor(auditor regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(auditor);	-- refusals raised from here
BEGIN
	IF NOT pg_catalog.has_table_privilege('iso27001.soa_history', 'SELECT WITH GRANT OPTION') THEN
		RAISE EXCEPTION 'permission denied to grant or revoke iso27001''s auditor privileges'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The current role may not grant SELECT on iso27001.soa_history.';
	END IF;
	PERFORM iso27001.grant_reader(auditor);
	EXECUTE pg_catalog.format('GRANT SELECT ON iso27001.soa_history TO %s', auditor);
END
$$;
COMMENT ON FUNCTION iso27001.grant_auditor(regrole) IS
	'grants a role what an auditor needs in this database only: what grant_reader gives and SELECT on the SoA''s change history, so that every read and export function runs for it; no writes';

CREATE OR REPLACE FUNCTION iso27001.revoke_auditor(auditor regrole)
	RETURNS void
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	checked regrole := iso27001.reader_check(auditor);	-- refusals raised from here
BEGIN
	EXECUTE pg_catalog.format('REVOKE SELECT ON iso27001.soa_history FROM %s', auditor);
	PERFORM iso27001.revoke_reader(auditor);
END
$$;
COMMENT ON FUNCTION iso27001.revoke_auditor(regrole) IS
	'takes back exactly what grant_auditor gives, in this database';

-- trigger: a certificate's edition, finite dates and scope
CREATE FUNCTION iso27001.certificate_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF NEW.edition NOT IN (2013, 2022) THEN
		RAISE EXCEPTION 'edition must be 2013 or 2022, not %', NEW.edition
			USING ERRCODE = 'check_violation';
	END IF;
	IF NOT isfinite(NEW.certification_decision) THEN
		RAISE EXCEPTION 'the certification decision must be a finite date'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NOT isfinite(NEW.withdrawn_on) THEN
		RAISE EXCEPTION 'the withdrawal date must be finite'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NOT iso27001.soa_restoring()
	   AND NOT EXISTS (SELECT FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id) THEN
		RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.certificate_row_check() IS
	'trigger: the rules of a certificate row (edition 2013 or 2022, finite dates, an existing scope), each with its own message';
CREATE TRIGGER certificate_row_check
	BEFORE INSERT OR UPDATE ON iso27001.certificate
	FOR EACH ROW EXECUTE FUNCTION iso27001.certificate_row_check();

-- trigger: an audit's kind, finite date and the certificate it belongs to
CREATE FUNCTION iso27001.certification_audit_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	kinds text[] := ARRAY['stage1', 'stage2', 'stage2_major_nonconformity', 'surveillance',
						  'recertification_audit', 'recertification_decision', 'restoration_decision',
						  'suspension_start', 'suspension_end', 'transition_audit', 'special_audit'];
	scope_name text;
BEGIN
	IF NOT NEW.kind = ANY (kinds) THEN
		RAISE EXCEPTION 'unknown certification audit kind "%"', NEW.kind
			USING ERRCODE = 'check_violation',
				  DETAIL = 'The kinds are: ' || array_to_string(kinds, ', ') || '.';
	END IF;
	IF NOT isfinite(NEW.on_date) THEN
		RAISE EXCEPTION 'the date of a certification audit must be finite'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NOT iso27001.soa_restoring()
	   AND NOT EXISTS (SELECT FROM iso27001.certificate c WHERE c.scope_id = NEW.scope_id) THEN
		SELECT s.name INTO scope_name FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id;
		IF scope_name IS NULL THEN
			RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
				USING ERRCODE = 'foreign_key_violation';
		END IF;
		RAISE EXCEPTION 'scope "%" has no certificate', scope_name
			USING ERRCODE = 'foreign_key_violation',
				  HINT = 'Record its issue first: iso27001.certificate_record(scope, ''issued'', on_date, number, body).';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.certification_audit_row_check() IS
	'trigger: the rules of a certification audit row (a known kind, a finite date, a scope with a certificate), each with its own message';
CREATE TRIGGER certification_audit_row_check
	BEFORE INSERT OR UPDATE ON iso27001.certification_audit
	FOR EACH ROW EXECUTE FUNCTION iso27001.certification_audit_row_check();

-- trigger: a metric's key, name, kind, direction, control and smallest
-- material change
CREATE FUNCTION iso27001.behaviour_metric_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF NEW.metric !~ '^[a-z][a-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'metric key "%" is not a lower-case identifier', NEW.metric
			USING ERRCODE = 'check_violation',
				  DETAIL = 'A metric key is a lower-case letter followed by up to 62 lower-case letters, digits or underscores.';
	END IF;
	IF btrim(NEW.name) = '' THEN
		RAISE EXCEPTION 'metric "%" needs a name that is not blank', NEW.metric
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.kind NOT IN ('rate', 'value') THEN
		RAISE EXCEPTION 'the kind of metric "%" must be rate or value, not "%"', NEW.metric, NEW.kind
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.better NOT IN ('lower', 'higher') THEN
		RAISE EXCEPTION 'better of metric "%" must be lower or higher, not "%"', NEW.metric, NEW.better
			USING ERRCODE = 'check_violation';
	END IF;
	IF iso27001.edition(NEW.control) <> 2022 THEN
		RAISE EXCEPTION 'metric "%" must evidence an ISO/IEC 27001:2022 control, not %', NEW.metric, NEW.control
			USING ERRCODE = 'check_violation';
	END IF;
	IF NOT (NEW.min_effect >= 0 AND NEW.min_effect <> 'Infinity') THEN
		RAISE EXCEPTION 'the min_effect of metric "%" must be a finite number >= 0, not %', NEW.metric, NEW.min_effect
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.behaviour_metric_row_check() IS
	'trigger: the rules of a behaviour metric row (key, name, kind, direction, a 2022 control, min_effect), each with its own message';
CREATE TRIGGER behaviour_metric_row_check
	BEFORE INSERT OR UPDATE ON iso27001.behaviour_metric
	FOR EACH ROW EXECUTE FUNCTION iso27001.behaviour_metric_row_check();

-- trigger: why an observation breaks the table's rules (it fires only for
-- a row that does, so that loading millions of rows costs nothing more)
CREATE FUNCTION iso27001.behaviour_observation_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	part text;
	label text;
BEGIN
	IF NOT isfinite(NEW.observed_at) THEN
		RAISE EXCEPTION 'the time of an observation must be finite'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NEW.value IS NOT NULL AND (NEW.events IS NOT NULL OR NEW.trials IS NOT NULL) THEN
		RAISE EXCEPTION 'an observation holds events and trials (a rate) or a value, not both'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.value IS NULL AND (NEW.events IS NULL OR NEW.trials IS NULL) THEN
		RAISE EXCEPTION 'an observation needs events and trials (a rate) or a value'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.value IS NULL AND NOT (NEW.trials > 0 AND NEW.events >= 0 AND NEW.events <= NEW.trials) THEN
		RAISE EXCEPTION 'an observation of a rate needs 0 <= events <= trials, not % events out of %', NEW.events, NEW.trials
			USING ERRCODE = 'check_violation',
				  DETAIL = 'Trials (messages, people) must be positive.';
	END IF;
	IF NEW.value IN ('NaN', 'Infinity', '-Infinity') THEN
		RAISE EXCEPTION 'the value of an observation must be finite, not %', NEW.value
			USING ERRCODE = 'check_violation';
	END IF;
	FOREACH label IN ARRAY ARRAY['cohort', 'difficulty'] LOOP
		part := CASE label WHEN 'cohort' THEN NEW.cohort ELSE NEW.difficulty END;
		IF length(part) > 200 THEN
			RAISE EXCEPTION '% "%..." is longer than 200 characters', label, left(part, 40)
				USING ERRCODE = 'check_violation';
		ELSIF part <> btrim(part) THEN
			RAISE EXCEPTION '% "%" has surrounding white space', label, part
				USING ERRCODE = 'check_violation';
		ELSIF part ~ '[\x01-\x1f\x7f-\x9f]' THEN
			RAISE EXCEPTION 'a % must not hold control characters', label
				USING ERRCODE = 'check_violation',
					  DETAIL = format('It holds U+%s.', upper(lpad(to_hex(ascii(substring(part FROM '[\x01-\x1f\x7f-\x9f]'))), 4, '0')));
		END IF;
	END LOOP;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.behaviour_observation_row_check() IS
	'trigger, for a row the table''s checks refuse: which rule it breaks (finite time, a rate''s 0 <= events <= trials or a finite value, cohort and difficulty), each with its own message';
CREATE TRIGGER behaviour_observation_row_check
	BEFORE INSERT OR UPDATE ON iso27001.behaviour_observation
	FOR EACH ROW
	WHEN (NOT pg_catalog.isfinite(NEW.observed_at)
		  OR NOT ((NEW.trials IS NOT NULL AND NEW.events IS NOT NULL AND NEW.value IS NULL
				   AND NEW.trials OPERATOR(pg_catalog.>) 0 AND NEW.events OPERATOR(pg_catalog.>=) 0
				   AND NEW.events OPERATOR(pg_catalog.<=) NEW.trials)
				  OR (NEW.trials IS NULL AND NEW.events IS NULL AND NEW.value IS NOT NULL
					  AND NEW.value OPERATOR(pg_catalog.<>) ALL (ARRAY['NaN', 'Infinity', '-Infinity']::double precision[])))
		  OR (NEW.cohort OPERATOR(pg_catalog.<>) ''
			  AND NOT (pg_catalog.length(NEW.cohort) OPERATOR(pg_catalog.<=) 200
					   AND NEW.cohort OPERATOR(pg_catalog.=) pg_catalog.btrim(NEW.cohort)
					   AND NEW.cohort OPERATOR(pg_catalog.!~) '[\x01-\x1f\x7f-\x9f]'))
		  OR (NEW.difficulty OPERATOR(pg_catalog.<>) ''
			  AND NOT (pg_catalog.length(NEW.difficulty) OPERATOR(pg_catalog.<=) 200
					   AND NEW.difficulty OPERATOR(pg_catalog.=) pg_catalog.btrim(NEW.difficulty)
					   AND NEW.difficulty OPERATOR(pg_catalog.!~) '[\x01-\x1f\x7f-\x9f]')))
	EXECUTE FUNCTION iso27001.behaviour_observation_row_check();

-- trigger: a target's finite value and date, its metric and scope
CREATE FUNCTION iso27001.behaviour_target_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF NEW.target IN ('NaN', 'Infinity', '-Infinity') THEN
		RAISE EXCEPTION 'a target must be a finite number, not %', NEW.target
			USING ERRCODE = 'check_violation';
	END IF;
	IF NOT isfinite(NEW.due_date) THEN
		RAISE EXCEPTION 'the due date of a target must be finite'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NOT iso27001.soa_restoring() THEN
		IF NOT EXISTS (SELECT FROM iso27001.behaviour_metric m WHERE m.metric = NEW.metric) THEN
			RAISE EXCEPTION 'behaviour metric "%" does not exist', NEW.metric
				USING ERRCODE = 'foreign_key_violation',
					  HINT = 'The metrics are the rows of iso27001.behaviour_metric.';
		END IF;
		IF NOT EXISTS (SELECT FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id) THEN
			RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
				USING ERRCODE = 'foreign_key_violation';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.behaviour_target_row_check() IS
	'trigger: the rules of a behaviour target row (a finite target and due date, an existing metric and scope), each with its own message';
CREATE TRIGGER behaviour_target_row_check
	BEFORE INSERT OR UPDATE ON iso27001.behaviour_target
	FOR EACH ROW EXECUTE FUNCTION iso27001.behaviour_target_row_check();

REVOKE EXECUTE ON FUNCTION iso27001.certificate_row_check(), iso27001.certification_audit_row_check(),
	iso27001.behaviour_metric_row_check(), iso27001.behaviour_observation_row_check(),
	iso27001.behaviour_target_row_check() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION iso27001.soa_scope_row_check() FROM PUBLIC;

-- Issue 17 item 4: the internal audit programme (clause 9.2).  The
-- catalogue of the clauses 4 to 10 (seeded in a fresh install by
-- data/seed.pl from data/iso27001_2022_clauses.csv: the same rows), the
-- programme and audit tables, the link of a nonconformity to the internal
-- audit that found it, and their functions and BI views:
-- sql/catalogue.sql and sql/internal_audit.sql as they are.  After the
-- operators' move: the functions' search_path names public, as a fresh
-- install's does.
-- The clauses of ISO/IEC 27001:2022 that state requirements of the
-- management system (4 to 10): numbers and short headings only, for the
-- internal audit programme (data/SOURCES.md, file 5)
CREATE TABLE iso27001.ref_isms_clause_2022 (
	clause text PRIMARY KEY
		CHECK (clause OPERATOR(pg_catalog.~) '^(4|5|6|7|8|9|10)(\.[1-9]){0,2}$'),
	title text NOT NULL
);
COMMENT ON TABLE iso27001.ref_isms_clause_2022 IS
	'reference data: ISO/IEC 27001:2022 clauses 4 to 10 with their headings (read through view isms_clauses_2022)';

INSERT INTO iso27001.ref_isms_clause_2022 (clause, title) VALUES
	('4', 'Context of the organization'),
	('4.1', 'Understanding the organization and its context'),
	('4.2', 'Understanding the needs and expectations of interested parties'),
	('4.3', 'Determining the scope of the information security management system'),
	('4.4', 'Information security management system'),
	('5', 'Leadership'),
	('5.1', 'Leadership and commitment'),
	('5.2', 'Policy'),
	('5.3', 'Organizational roles, responsibilities and authorities'),
	('6', 'Planning'),
	('6.1', 'Actions to address risks and opportunities'),
	('6.1.1', 'General'),
	('6.1.2', 'Information security risk assessment'),
	('6.1.3', 'Information security risk treatment'),
	('6.2', 'Information security objectives and planning to achieve them'),
	('6.3', 'Planning of changes'),
	('7', 'Support'),
	('7.1', 'Resources'),
	('7.2', 'Competence'),
	('7.3', 'Awareness'),
	('7.4', 'Communication'),
	('7.5', 'Documented information'),
	('7.5.1', 'General'),
	('7.5.2', 'Creating and updating'),
	('7.5.3', 'Control of documented information'),
	('8', 'Operation'),
	('8.1', 'Operational planning and control'),
	('8.2', 'Information security risk assessment'),
	('8.3', 'Information security risk treatment'),
	('9', 'Performance evaluation'),
	('9.1', 'Monitoring, measurement, analysis and evaluation'),
	('9.2', 'Internal audit'),
	('9.2.1', 'General'),
	('9.2.2', 'Internal audit programme'),
	('9.3', 'Management review'),
	('9.3.1', 'General'),
	('9.3.2', 'Management review inputs'),
	('9.3.3', 'Management review results'),
	('10', 'Improvement'),
	('10.1', 'Continual improvement'),
	('10.2', 'Nonconformity and corrective action');
REVOKE ALL ON iso27001.ref_isms_clause_2022 FROM PUBLIC;
GRANT SELECT ON iso27001.ref_isms_clause_2022 TO PUBLIC;

CREATE VIEW iso27001.isms_clauses_2022 AS
SELECT c.clause, c.title,
	   pg_catalog.split_part(c.clause, '.', 1)::integer AS section,
	   NOT EXISTS (SELECT FROM iso27001.ref_isms_clause_2022 s
				   WHERE s.clause OPERATOR(pg_catalog.^@) (c.clause OPERATOR(pg_catalog.||) '.')) AS is_requirement,
	   ((pg_catalog.split_part(c.clause, '.', 1)::integer OPERATOR(pg_catalog.*) 10000)
		OPERATOR(pg_catalog.+) (coalesce(nullif(pg_catalog.split_part(c.clause, '.', 2), '')::integer, 0) OPERATOR(pg_catalog.*) 100)
		OPERATOR(pg_catalog.+) coalesce(nullif(pg_catalog.split_part(c.clause, '.', 3), '')::integer, 0)) AS sort_key
  FROM iso27001.ref_isms_clause_2022 c;
COMMENT ON VIEW iso27001.isms_clauses_2022 IS
	'ISO/IEC 27001:2022 clauses 4 to 10 (the management system''s requirements): number and heading; the 30 without subclauses are what an internal audit programme covers';
COMMENT ON COLUMN iso27001.isms_clauses_2022.clause IS 'the clause, 4 to 10.2 (as 6.1.3)';
COMMENT ON COLUMN iso27001.isms_clauses_2022.title IS 'its heading';
COMMENT ON COLUMN iso27001.isms_clauses_2022.section IS 'the main clause it belongs to, 4 to 10';
COMMENT ON COLUMN iso27001.isms_clauses_2022.is_requirement IS 'true for a clause without subclauses (4.1, 6.1.2, 10.2): an item of the internal audit programme';
COMMENT ON COLUMN iso27001.isms_clauses_2022.sort_key IS 'integer key for the natural order (6.1.2: 60102, 10.1: 100100)';
GRANT SELECT ON iso27001.isms_clauses_2022 TO PUBLIC;

-- sql/internal_audit.sql
CREATE TABLE iso27001.internal_audit_programme (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	programme_id text NOT NULL,
	period_start date NOT NULL,
	period_end date NOT NULL,
	description text,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, programme_id)
);
COMMENT ON TABLE iso27001.internal_audit_programme IS
	'internal audit programmes (ISO/IEC 27001:2022 clause 9.2.2): the period within which every clause 4 to 10 requirement and every applicable Annex A control is to be audited; the programmes of a scope do not overlap';
COMMENT ON COLUMN iso27001.internal_audit_programme.programme_id IS 'the programme''s identifier within the scope (IAP-2025)';
COMMENT ON COLUMN iso27001.internal_audit_programme.period_start IS 'first day of the programme; by default the start of the certificate''s current three-year cycle (the certification decision, plus 3 years per completed cycle)';
COMMENT ON COLUMN iso27001.internal_audit_programme.period_end IS 'last day of the programme; by default the day before the third anniversary of period_start';
SELECT pg_catalog.pg_extension_config_dump('iso27001.internal_audit_programme', '');

CREATE TABLE iso27001.internal_audit (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	audit_id text NOT NULL,
	title text,
	planned_on date NOT NULL,
	held_on date,
	auditor text,
	status text NOT NULL,
	clauses text[] NOT NULL DEFAULT '{}',
	controls text[] NOT NULL DEFAULT '{}',
	report text,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, audit_id)
);
COMMENT ON TABLE iso27001.internal_audit IS
	'internal audits (ISO/IEC 27001:2022 clause 9.2): when each is planned and held, by whom, and the clauses and controls it covers; its findings are nonconformities naming it';
COMMENT ON COLUMN iso27001.internal_audit.audit_id IS 'the audit''s identifier within the scope (IA-2025-1)';
COMMENT ON COLUMN iso27001.internal_audit.planned_on IS 'the day the audit is planned for';
COMMENT ON COLUMN iso27001.internal_audit.held_on IS 'the day it was held (its last day)';
COMMENT ON COLUMN iso27001.internal_audit.auditor IS 'the auditor, or lead auditor (required once held); should not own a control the audit covers (clause 9.2.2 b)';
COMMENT ON COLUMN iso27001.internal_audit.status IS 'planned, held or cancelled (by default held when held_on is set, else planned; an update of held_on alone sets it so)';
COMMENT ON COLUMN iso27001.internal_audit.clauses IS 'the ISO/IEC 27001:2022 clauses it covers (isms_clauses_2022; a clause with subclauses covers them all: 9.2 covers 9.2.1 and 9.2.2)';
COMMENT ON COLUMN iso27001.internal_audit.controls IS 'the controls it covers: Annex A controls of the scope''s edition (written A.5.7) or keys of the scope''s organization-defined controls';
COMMENT ON COLUMN iso27001.internal_audit.report IS 'the audit report or a link to it';
SELECT pg_catalog.pg_extension_config_dump('iso27001.internal_audit', '');

-- The identifier of a programme or an audit: 1 to 100 characters, no
-- control characters, trimmed
CREATE FUNCTION iso27001.internal_audit_programme_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	decision date;
	other iso27001.internal_audit_programme;
BEGIN
	-- a superuser's restore of a dump keeps the rows as they were
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	NEW.programme_id := btrim(NEW.programme_id);
	IF NEW.programme_id IS NULL OR NEW.programme_id = '' OR NEW.programme_id ~ '[[:cntrl:]]' OR length(NEW.programme_id) > 100 THEN
		RAISE EXCEPTION 'an internal audit programme needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.period_start IS NULL THEN
		SELECT c.certification_decision INTO decision FROM iso27001.certificate c
		 WHERE c.scope_id = NEW.scope_id AND c.withdrawn_on IS NULL;
		IF decision IS NULL THEN
			RAISE EXCEPTION 'internal audit programme % needs a period_start: its scope has no certificate in force to take the cycle from', NEW.programme_id
				USING ERRCODE = 'not_null_violation',
					  HINT = 'Give period_start, or record the certificate first (certificate_record).';
		END IF;
		-- the start of the three-year cycle of the certificate that holds today
		NEW.period_start := (decision + make_interval(years => 3 * greatest(0,
			(extract(year FROM age(CURRENT_DATE, decision))::integer / 3))))::date;
	END IF;
	IF NOT isfinite(NEW.period_start) OR NOT isfinite(NEW.period_end) THEN
		RAISE EXCEPTION 'the period of internal audit programme % must have finite dates', NEW.programme_id
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NEW.period_end IS NULL THEN
		NEW.period_end := (NEW.period_start + interval '3 years')::date - 1;
	END IF;
	IF NEW.period_end < NEW.period_start THEN
		RAISE EXCEPTION 'internal audit programme % ends (%) before it starts (%)', NEW.programme_id, NEW.period_end, NEW.period_start
			USING ERRCODE = 'check_violation';
	END IF;
	SELECT * INTO other FROM iso27001.internal_audit_programme p
	 WHERE p.scope_id = NEW.scope_id AND p.programme_id <> NEW.programme_id
	   AND (TG_OP = 'INSERT' OR p.programme_id <> OLD.programme_id)
	   AND p.period_start <= NEW.period_end AND NEW.period_start <= p.period_end
	 ORDER BY p.period_start LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'internal audit programme % (% to %) overlaps programme % (% to %) of the same scope',
						NEW.programme_id, NEW.period_start, NEW.period_end, other.programme_id, other.period_start, other.period_end
			USING ERRCODE = 'check_violation',
				  HINT = 'The programmes of a scope follow one another: end the earlier one before the next starts.';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.internal_audit_programme_row_check() IS
	'trigger: the rules of an internal audit programme row (an identifier, a period defaulting to the certificate''s current three-year cycle, finite and in order, no overlap with another programme of the scope), each with its own message';

CREATE TRIGGER internal_audit_programme_row_check
	BEFORE INSERT OR UPDATE ON iso27001.internal_audit_programme
	FOR EACH ROW EXECUTE FUNCTION iso27001.internal_audit_programme_row_check();
REVOKE EXECUTE ON FUNCTION iso27001.internal_audit_programme_row_check() FROM PUBLIC;

-- The rules of an internal audit row, each with its own message; the
-- clauses and controls are checked against the catalogue and the scope's
-- SoA and stored canonical (9.2 stays 9.2: it covers its subclauses)
CREATE FUNCTION iso27001.internal_audit_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	edition integer;
	scope_name text;
	k text;
	canonical text;
	c iso27001.iso_control;
	keys text[] := '{}';
BEGIN
	-- a superuser's restore of a dump keeps the rows as they were (the
	-- register's rows the controls are checked against may come later)
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	NEW.audit_id := btrim(NEW.audit_id);
	IF NEW.audit_id IS NULL OR NEW.audit_id = '' OR NEW.audit_id ~ '[[:cntrl:]]' OR length(NEW.audit_id) > 100 THEN
		RAISE EXCEPTION 'an internal audit needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.planned_on IS NULL THEN
		RAISE EXCEPTION 'internal audit % needs the date it is planned for', NEW.audit_id
			USING ERRCODE = 'not_null_violation';
	END IF;
	IF NOT isfinite(NEW.planned_on) OR NOT isfinite(NEW.held_on) THEN
		RAISE EXCEPTION 'the dates of internal audit % must be finite', NEW.audit_id
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	-- an update that sets or clears held_on alone moves a planned or held
	-- audit to held or planned
	IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.status <> 'cancelled'
	   AND NEW.held_on IS DISTINCT FROM OLD.held_on THEN
		NEW.status := NULL;
	END IF;
	NEW.status := coalesce(NEW.status, CASE WHEN NEW.held_on IS NOT NULL THEN 'held' ELSE 'planned' END);
	IF NEW.status NOT IN ('planned', 'held', 'cancelled') THEN
		RAISE EXCEPTION 'unknown status of an internal audit: "%"', NEW.status
			USING ERRCODE = 'check_violation',
				  HINT = 'Statuses: planned, held, cancelled.';
	END IF;
	IF (NEW.status = 'held') <> (NEW.held_on IS NOT NULL) THEN
		RAISE EXCEPTION 'internal audit % is % %', NEW.audit_id, NEW.status,
						CASE WHEN NEW.held_on IS NULL THEN 'and has no held_on date' ELSE 'and has a held_on date (' || NEW.held_on || ')' END
			USING ERRCODE = 'check_violation',
				  HINT = 'An audit is held when, and only when, held_on is set.';
	END IF;
	IF NEW.held_on > CURRENT_DATE THEN
		RAISE EXCEPTION 'internal audit % cannot have been held on % (after today)', NEW.audit_id, NEW.held_on
			USING ERRCODE = 'check_violation';
	END IF;
	NEW.auditor := nullif(btrim(NEW.auditor), '');
	IF NEW.status = 'held' AND NEW.auditor IS NULL THEN
		RAISE EXCEPTION 'held internal audit % names no auditor', NEW.audit_id
			USING ERRCODE = 'check_violation',
				  HINT = 'Clause 9.2.2 b): the auditors are selected for objectivity and impartiality; say who audited.';
	END IF;
	IF array_position(NEW.clauses, NULL) IS NOT NULL OR array_position(NEW.controls, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'the clauses and controls of internal audit % must not contain NULL', NEW.audit_id
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- the clauses: of the catalogue, once each, in the standard's order
	SELECT k2 INTO k FROM unnest(NEW.clauses) u(k2)
	 WHERE NOT EXISTS (SELECT FROM iso27001.ref_isms_clause_2022 r WHERE r.clause = btrim(u.k2)) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'internal audit % names "%", which is not a clause of ISO/IEC 27001:2022 from 4 to 10.2', NEW.audit_id, k
			USING ERRCODE = 'check_violation',
				  HINT = 'The clauses are those of view iso27001.isms_clauses_2022 (as 6.1.2 or 9.2).';
	END IF;
	NEW.clauses := ARRAY(SELECT r.clause FROM iso27001.isms_clauses_2022 r
						  WHERE r.clause IN (SELECT btrim(u.k2) FROM unnest(NEW.clauses) u(k2))
						  ORDER BY r.sort_key);
	-- the controls: a key of the scope's SoA, Annex A controls written
	-- canonically (A.5.7) and of the scope's edition
	SELECT s.edition, s.name INTO edition, scope_name FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id;
	FOREACH k IN ARRAY NEW.controls LOOP
		canonical := btrim(k);
		IF NOT EXISTS (SELECT FROM iso27001.soa_register r WHERE r.scope_id = NEW.scope_id AND r.control_key = canonical) THEN
			BEGIN
				c := canonical::iso27001.iso_control;
			EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value OR numeric_value_out_of_range THEN
				c := NULL;
			END;
			IF c IS NOT NULL AND iso27001.edition(c) <> edition THEN
				RAISE EXCEPTION 'internal audit % names control %, an ISO/IEC 27001:% control, and scope "%" follows the % edition',
								NEW.audit_id, c, iso27001.edition(c), scope_name, edition
					USING ERRCODE = 'check_violation';
			END IF;
			canonical := c::text;
			IF c IS NULL OR NOT EXISTS (SELECT FROM iso27001.soa_register r WHERE r.scope_id = NEW.scope_id AND r.control_key = canonical) THEN
				RAISE EXCEPTION 'internal audit % names control "%", which is not in the SoA of scope "%"', NEW.audit_id, k, scope_name
					USING ERRCODE = 'check_violation',
						  HINT = 'Name Annex A controls of the scope''s edition (A.5.7) or keys of its organization-defined controls.';
			END IF;
		END IF;
		IF NOT canonical = ANY (keys) THEN
			keys := keys || canonical;
		END IF;
	END LOOP;
	NEW.controls := keys;
	IF cardinality(NEW.clauses) = 0 AND cardinality(NEW.controls) = 0 THEN
		RAISE EXCEPTION 'internal audit % covers no clause and no control', NEW.audit_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.internal_audit_row_check() IS
	'trigger: the rules of an internal audit row (an identifier, finite dates, a known status agreeing with held_on, an auditor once held, clauses of isms_clauses_2022 and controls of the scope''s SoA, at least one of them), each with its own message';

CREATE TRIGGER internal_audit_row_check
	BEFORE INSERT OR UPDATE ON iso27001.internal_audit
	FOR EACH ROW EXECUTE FUNCTION iso27001.internal_audit_row_check();
REVOKE EXECUTE ON FUNCTION iso27001.internal_audit_row_check() FROM PUBLIC;

-- The findings of an internal audit are nonconformities that name it
ALTER TABLE iso27001.nonconformity ADD COLUMN internal_audit_id text;
ALTER TABLE iso27001.nonconformity ADD CONSTRAINT nonconformity_internal_audit_fkey
	FOREIGN KEY (scope_id, internal_audit_id) REFERENCES iso27001.internal_audit (scope_id, audit_id)
	ON UPDATE CASCADE;
COMMENT ON COLUMN iso27001.nonconformity.internal_audit_id IS 'the internal audit that found it (source internal_audit; its audit_on defaults to the day the audit was held)';

-- Every item of an internal audit programme and how the audits of a
-- period cover it: each requirement of clauses 4 to 10 (the clauses
-- without subclauses of isms_clauses_2022) and each applicable Annex A
-- control of the scope's SoA, audited (by an audit held in the period by
-- as_of), planned (by an audit planned in the period, not yet due),
-- overdue (only by planned audits whose day has passed) or not covered.
-- The period defaults to the scope's programme in force on as_of (else the
-- latest that started, else the first to come).
CREATE FUNCTION iso27001.internal_audit_items(scope text, period_start date DEFAULT NULL,
											   period_end date DEFAULT NULL, as_of date DEFAULT CURRENT_DATE)
	RETURNS TABLE (scope_name text, programme_id text, first_day date, last_day date,
				   kind text, item text, title text, sort_key integer, coverage text,
				   audits text[], last_held_on date, next_planned_on date)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	sid bigint := iso27001.soa_scope_id(scope);
	prog iso27001.internal_audit_programme;
	ps date := period_start;
	pe date := period_end;
BEGIN
	IF as_of IS NULL OR NOT isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite date'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT isfinite(ps) OR NOT isfinite(pe) THEN
		RAISE EXCEPTION 'period_start and period_end must be finite dates'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO prog FROM iso27001.internal_audit_programme p
	 WHERE p.scope_id = sid
	 ORDER BY as_of BETWEEN p.period_start AND p.period_end DESC, p.period_start <= as_of DESC,
			  CASE WHEN p.period_start <= as_of THEN p.period_start END DESC, p.period_start
	 LIMIT 1;
	IF ps IS NULL OR pe IS NULL THEN
		IF prog.programme_id IS NULL THEN
			RAISE EXCEPTION 'scope "%" has no internal audit programme', scope
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  HINT = 'Insert one into iso27001.internal_audit_programme, or give period_start and period_end.';
		END IF;
		ps := coalesce(ps, prog.period_start);
		pe := coalesce(pe, prog.period_end);
	END IF;
	IF pe < ps THEN
		RAISE EXCEPTION 'period_end (%) is before period_start (%)', pe, ps
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	WITH a AS (
		SELECT x.audit_id, x.status, x.clauses, x.controls,
			   CASE WHEN x.status = 'held' THEN x.held_on ELSE x.planned_on END AS on_day
		  FROM iso27001.internal_audit x
		 WHERE x.scope_id = sid
		   AND ((x.status = 'held' AND x.held_on BETWEEN ps AND least(pe, as_of))
				OR (x.status = 'planned' AND x.planned_on BETWEEN ps AND pe))),
	items AS (
		SELECT 'clause' AS kind, r.clause AS item, r.title, r.sort_key
		  FROM iso27001.isms_clauses_2022 r
		 WHERE r.is_requirement
		UNION ALL
		SELECT 'control', g.control_key, iso27001.title(g.control), iso27001.sort_key(g.control)
		  FROM iso27001.soa_register g
		 WHERE g.scope_id = sid AND g.control IS NOT NULL AND iso27001.is_applicable(g.entry)),
	covered AS (
		SELECT 'clause' AS kind, r.clause AS item, a.audit_id, a.status, a.on_day
		  FROM a CROSS JOIN LATERAL unnest(a.clauses) u(clause)
		  JOIN iso27001.isms_clauses_2022 r
			ON r.is_requirement AND (r.clause = u.clause OR r.clause ^@ (u.clause || '.'))
		UNION ALL
		SELECT 'control', u.control_key, a.audit_id, a.status, a.on_day
		  FROM a CROSS JOIN LATERAL unnest(a.controls) u(control_key))
	SELECT scope, prog.programme_id, ps, pe, i.kind, i.item, i.title, i.sort_key,
		   CASE WHEN bool_or(c.status = 'held') THEN 'audited'
				WHEN bool_or(c.status = 'planned' AND c.on_day >= as_of) THEN 'planned'
				WHEN bool_or(c.status = 'planned') THEN 'overdue'
				ELSE 'not covered' END,
		   coalesce(array_agg(c.audit_id ORDER BY c.on_day, c.audit_id) FILTER (WHERE c.audit_id IS NOT NULL), '{}'),
		   max(c.on_day) FILTER (WHERE c.status = 'held'),
		   min(c.on_day) FILTER (WHERE c.status = 'planned' AND c.on_day >= as_of)
	  FROM items i
	  LEFT JOIN covered c ON c.kind = i.kind AND c.item = i.item
	 GROUP BY i.kind, i.item, i.title, i.sort_key
	 ORDER BY i.kind, i.sort_key, i.item;
END
$$;
COMMENT ON FUNCTION iso27001.internal_audit_items(text, date, date, date) IS
	'every item of a scope''s internal audit programme (the 30 requirements of clauses 4 to 10, the applicable Annex A controls of its SoA) and its coverage in the period (default: the programme in force on as_of): audited, planned, overdue (only planned audits past their day) or not covered, with the audits covering it';

-- What the audits of a period do not cover: the items of
-- internal_audit_items that no audit held in it covers, with planned
-- (covered by an audit still to come), overdue or not covered
CREATE FUNCTION iso27001.internal_audit_coverage(scope text, period_start date DEFAULT NULL,
												  period_end date DEFAULT NULL)
	RETURNS TABLE (scope_name text, kind text, item text, title text, coverage text,
				   planned_audits text[], next_planned_on date)
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
	SELECT i.scope_name, i.kind, i.item, i.title, i.coverage, i.audits, i.next_planned_on
	  FROM iso27001.internal_audit_items(scope, period_start, period_end) i
	 WHERE i.coverage <> 'audited'
	 ORDER BY i.kind, i.sort_key, i.item
$$;
COMMENT ON FUNCTION iso27001.internal_audit_coverage(text, date, date) IS
	'the clause 4 to 10 requirements and applicable Annex A controls of a scope that no audit held in the period covers (default: its programme in force today): planned (an audit to come covers it), overdue (only audits past their day) or not covered';

-- The rules of the internal audit programme as of a date: a certified
-- scope without a programme in force, a requirement or applicable control
-- the programme in force does not cover (held, or planned and not yet
-- due), a planned audit past its day and not held, an auditor who owns a
-- control the audit covers (clause 9.2.2 b)
CREATE FUNCTION iso27001.internal_audit_check(scope text DEFAULT NULL, as_of date DEFAULT CURRENT_DATE)
	RETURNS TABLE (scope_name text, audit_id text, rule text, severity text, item text, message text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	sid bigint := CASE WHEN scope IS NOT NULL THEN iso27001.soa_scope_id(scope) END;
BEGIN
	IF as_of IS NULL OR NOT isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite date'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	WITH s AS (
		SELECT x.scope_id, x.name FROM iso27001.soa_scope x WHERE sid IS NULL OR x.scope_id = sid),
	p AS (
		SELECT s.name, g.* FROM s JOIN iso27001.internal_audit_programme g ON g.scope_id = s.scope_id
		 WHERE as_of BETWEEN g.period_start AND g.period_end)
	SELECT f.name, f.audit_id, f.rule, f.severity, f.item, f.message FROM (
		SELECT s.name, NULL::text AS audit_id, 'NO_PROGRAMME' AS rule, 'warning' AS severity, NULL::text AS item,
			   format('Scope %s is certified (%s) and has no internal audit programme in force on %s (clause 9.2.2).',
					  s.name, c.certificate_number, as_of) AS message, 1 AS k, 0 AS sk
		  FROM s JOIN iso27001.certificate c ON c.scope_id = s.scope_id
		 WHERE c.certification_decision <= as_of AND (c.withdrawn_on IS NULL OR c.withdrawn_on > as_of)
		   AND NOT EXISTS (SELECT FROM p WHERE p.scope_id = s.scope_id)
		UNION ALL
		SELECT p.name, NULL, 'NOT_COVERED', 'error', i.item,
			   format('%s %s (%s) is not covered by programme %s (%s to %s)%s.',
					  CASE i.kind WHEN 'clause' THEN 'Clause' ELSE 'Control' END, i.item, i.title,
					  p.programme_id, p.period_start, p.period_end,
					  CASE WHEN i.coverage = 'overdue' THEN ': only by audits past their day and not held ('
															|| array_to_string(i.audits, ', ') || ')'
						   ELSE ': no audit held or planned covers it' END),
			   2, CASE i.kind WHEN 'clause' THEN 0 ELSE 1 END * 1000000 + i.sort_key
		  FROM p CROSS JOIN LATERAL iso27001.internal_audit_items(p.name, p.period_start, p.period_end, as_of) i
		 WHERE i.coverage IN ('not covered', 'overdue')
		UNION ALL
		SELECT s.name, a.audit_id, 'AUDIT_OVERDUE', 'error', NULL,
			   format('Internal audit %s was planned for %s and is not held as of %s.', a.audit_id, a.planned_on, as_of), 3, 0
		  FROM s JOIN iso27001.internal_audit a ON a.scope_id = s.scope_id
		 WHERE a.status = 'planned' AND a.planned_on < as_of
		UNION ALL
		SELECT s.name, a.audit_id, 'AUDITOR_NOT_INDEPENDENT', 'warning', NULL,
			   format('Auditor %s of internal audit %s owns %s it covers (%s): auditors do not audit their own work (clause 9.2.2 b)).',
					  a.auditor, a.audit_id, CASE WHEN count(*) = 1 THEN 'a control' ELSE 'controls' END,
					  string_agg(r.control_key, ', ' ORDER BY iso27001.sort_key(r.control), r.control_key)), 4, 0
		  FROM s JOIN iso27001.internal_audit a ON a.scope_id = s.scope_id
		  JOIN iso27001.soa_register r ON r.scope_id = a.scope_id AND r.control_key = ANY (a.controls)
		 WHERE a.status <> 'cancelled' AND lower(btrim(r.owner)) = lower(a.auditor)
		 GROUP BY s.name, a.audit_id, a.auditor) f
	 ORDER BY f.name, f.k, f.sk, f.item, f.audit_id;
END
$$;
COMMENT ON FUNCTION iso27001.internal_audit_check(text, date) IS
	'the rules of the internal audit programme as of a date: NO_PROGRAMME (a certified scope without one in force), NOT_COVERED (a clause 4 to 10 requirement or applicable control no audit held or still to come covers), AUDIT_OVERDUE (planned, past its day, not held), AUDITOR_NOT_INDEPENDENT (the auditor owns a control the audit covers)';

-- The findings of an internal audit: the nonconformities that name it
CREATE FUNCTION iso27001.internal_audit_findings(scope text, audit_id text)
	RETURNS TABLE (nc_id text, grade text, clause text, control text, description text,
				   raised_on date, due_date date, closed_on date, verified_on date)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	sid bigint := iso27001.soa_scope_id(scope);
BEGIN
	IF NOT EXISTS (SELECT FROM iso27001.internal_audit a
					WHERE a.scope_id = sid AND a.audit_id = internal_audit_findings.audit_id) THEN
		RAISE EXCEPTION 'scope "%" has no internal audit "%"', scope, audit_id
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT x.nc_id, x.grade, x.clause, x.control::text, x.description, x.raised_on, x.due_date,
		   x.closed_on, x.verified_on
	  FROM iso27001.nonconformity x
	 WHERE x.scope_id = sid AND x.internal_audit_id = internal_audit_findings.audit_id
	 ORDER BY x.raised_on, x.nc_id;
END
$$;
COMMENT ON FUNCTION iso27001.internal_audit_findings(text, text) IS
	'the findings of an internal audit: the nonconformities that name it (internal_audit_id), in the order they were raised';

CREATE VIEW iso27001_bi.internal_audit WITH (security_invoker = true) AS
SELECT a.scope_id, s.name AS scope, a.audit_id, a.title, a.planned_on, a.held_on, a.auditor,
	   CASE WHEN a.status OPERATOR(pg_catalog.=) 'planned' AND a.planned_on OPERATOR(pg_catalog.<) CURRENT_DATE
			THEN 'overdue' ELSE a.status END AS status,
	   pg_catalog.cardinality(a.clauses) AS clauses, pg_catalog.cardinality(a.controls) AS controls,
	   (SELECT pg_catalog.count(*) FROM iso27001.nonconformity x
		 WHERE x.scope_id OPERATOR(pg_catalog.=) a.scope_id
		   AND x.internal_audit_id OPERATOR(pg_catalog.=) a.audit_id) AS findings,
	   (SELECT pg_catalog.count(*) FROM iso27001.nonconformity x
		 WHERE x.scope_id OPERATOR(pg_catalog.=) a.scope_id
		   AND x.internal_audit_id OPERATOR(pg_catalog.=) a.audit_id
		   AND (x.closed_on IS NULL OR x.closed_on OPERATOR(pg_catalog.>) CURRENT_DATE)) AS open_findings
  FROM iso27001.internal_audit a
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) a.scope_id;
COMMENT ON VIEW iso27001_bi.internal_audit IS
	'internal audits of every scope with their status as of today (planned, overdue, held, cancelled), what they cover and their findings';
COMMENT ON COLUMN iso27001_bi.internal_audit.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.internal_audit.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.internal_audit.audit_id IS 'the audit''s identifier within the scope';
COMMENT ON COLUMN iso27001_bi.internal_audit.title IS 'what the audit is about';
COMMENT ON COLUMN iso27001_bi.internal_audit.planned_on IS 'the day it is planned for';
COMMENT ON COLUMN iso27001_bi.internal_audit.held_on IS 'the day it was held';
COMMENT ON COLUMN iso27001_bi.internal_audit.auditor IS 'the auditor or lead auditor';
COMMENT ON COLUMN iso27001_bi.internal_audit.status IS 'as of today: planned, overdue (planned, past its day), held or cancelled';
COMMENT ON COLUMN iso27001_bi.internal_audit.clauses IS 'number of clauses it names';
COMMENT ON COLUMN iso27001_bi.internal_audit.controls IS 'number of controls it names';
COMMENT ON COLUMN iso27001_bi.internal_audit.findings IS 'nonconformities raised by it';
COMMENT ON COLUMN iso27001_bi.internal_audit.open_findings IS 'those not closed as of today';

CREATE VIEW iso27001_bi.internal_audit_coverage WITH (security_invoker = true) AS
SELECT p.scope_id, s.name AS scope, p.programme_id, p.period_start, p.period_end,
	   i.kind, i.item, i.title, i.sort_key, i.coverage,
	   pg_catalog.cardinality(i.audits) AS audits, i.last_held_on, i.next_planned_on
  FROM iso27001.internal_audit_programme p
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) p.scope_id
 CROSS JOIN LATERAL iso27001.internal_audit_items(s.name, p.period_start, p.period_end) i
 WHERE CURRENT_DATE OPERATOR(pg_catalog.>=) p.period_start AND CURRENT_DATE OPERATOR(pg_catalog.<=) p.period_end;
COMMENT ON VIEW iso27001_bi.internal_audit_coverage IS
	'the internal audit programme in force today of every scope, one row per item (each clause 4 to 10 requirement and applicable Annex A control) with its coverage: audited, planned, overdue or not covered';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.programme_id IS 'the programme in force today';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.period_start IS 'its first day';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.period_end IS 'its last day';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.kind IS 'clause (a requirement of clauses 4 to 10) or control (an applicable Annex A control)';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.item IS 'the clause (6.1.2) or control (A.5.7)';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.title IS 'its heading or title';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.sort_key IS 'integer key for the natural order within the kind (6.1.2: 60102; A.5.7: 50700)';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.coverage IS 'audited (by an audit held in the period), planned (by one to come), overdue (only by planned audits past their day) or not covered';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.audits IS 'number of audits of the period, held or planned, that cover it';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.last_held_on IS 'the last day a held audit of the period covered it';
COMMENT ON COLUMN iso27001_bi.internal_audit_coverage.next_planned_on IS 'the next day a planned audit covers it';
-- read by a BI reader through grant_reader (reader_tables() names the tables)

-- a nonconformity may name the internal audit that found it (sql/nonconformity.sql)
-- The rules of a nonconformity row, each with its own message (a CHECK
-- constraint would only name itself)
CREATE OR REPLACE FUNCTION iso27001.nonconformity_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	d record;
	held date;
BEGIN
	NEW.nc_id := btrim(NEW.nc_id);
	IF NEW.nc_id IS NULL OR NEW.nc_id = '' OR NEW.nc_id ~ '[[:cntrl:]]' OR length(NEW.nc_id) > 100 THEN
		RAISE EXCEPTION 'a nonconformity needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.raised_on IS NULL THEN
		RAISE EXCEPTION 'nonconformity % needs the date it was raised', NEW.nc_id
			USING ERRCODE = 'not_null_violation';
	END IF;
	IF NEW.source IS NULL OR NEW.source NOT IN ('certification_audit', 'internal_audit', 'soa_finding', 'behaviour_metric',
						  'incident', 'other') THEN
		RAISE EXCEPTION 'unknown source of a nonconformity: %', coalesce('"' || NEW.source || '"', 'NULL')
			USING ERRCODE = 'check_violation',
				  HINT = 'Sources: certification_audit, internal_audit, soa_finding, behaviour_metric, incident, other.';
	END IF;
	IF NEW.grade IS NULL OR NEW.grade NOT IN ('major', 'minor', 'opportunity') THEN
		RAISE EXCEPTION 'unknown grade of a nonconformity: %', coalesce('"' || NEW.grade || '"', 'NULL')
			USING ERRCODE = 'check_violation',
				  HINT = 'Grades: major, minor, opportunity (an opportunity for improvement).';
	END IF;
	IF NEW.clause IS NOT NULL AND NEW.clause !~ '^(4|5|6|7|8|9|10)(\.[1-9][0-9]?){0,2}$' THEN
		RAISE EXCEPTION 'clause "%" is not a clause of ISO/IEC 27001 (4 to 10, as 6.1.3)', NEW.clause
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.clause IS NULL AND NEW.control IS NULL THEN
		RAISE EXCEPTION 'nonconformity % names neither a clause nor a control', NEW.nc_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF coalesce(btrim(NEW.description), '') = '' THEN
		RAISE EXCEPTION 'nonconformity % needs a description', NEW.nc_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.source = 'behaviour_metric' AND NEW.metric IS NULL THEN
		RAISE EXCEPTION 'nonconformity % comes from a behaviour metric and names none', NEW.nc_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.metric IS NOT NULL AND NOT EXISTS (SELECT FROM iso27001.behaviour_metric m
											   WHERE m.metric = NEW.metric AND m.kind = 'rate') THEN
		RAISE EXCEPTION 'metric "%" is not a rate metric', NEW.metric
			USING ERRCODE = 'check_violation',
				  DETAIL = 'The effectiveness of an action is shown by a rate before and after it.';
	END IF;
	-- a finding of an internal audit: an audit of the scope that was held
	-- (its day is the finding's audit_on unless given); a superuser's
	-- restore of a dump keeps the link as it was
	IF NEW.internal_audit_id IS NOT NULL AND NOT iso27001.soa_restoring() THEN
		IF NEW.source <> 'internal_audit' THEN
			RAISE EXCEPTION 'nonconformity % names internal audit % and its source is %', NEW.nc_id, NEW.internal_audit_id, NEW.source
				USING ERRCODE = 'check_violation',
					  HINT = 'The findings of an internal audit have source internal_audit.';
		END IF;
		SELECT a.held_on INTO held FROM iso27001.internal_audit a
		 WHERE a.scope_id = NEW.scope_id AND a.audit_id = NEW.internal_audit_id;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'nonconformity % names internal audit %, which its scope does not have', NEW.nc_id, NEW.internal_audit_id
				USING ERRCODE = 'foreign_key_violation';
		END IF;
		IF held IS NULL THEN
			RAISE EXCEPTION 'nonconformity % names internal audit %, which is not held', NEW.nc_id, NEW.internal_audit_id
				USING ERRCODE = 'check_violation',
					  HINT = 'Record the audit as held (held_on) before its findings.';
		END IF;
		NEW.audit_on := coalesce(NEW.audit_on, held);
	END IF;
	-- every date finite and none before the nonconformity was raised
	-- (the audit that found it comes first)
	FOR d IN SELECT * FROM (VALUES ('raised_on', NEW.raised_on), ('audit_on', NEW.audit_on),
								   ('due_date', NEW.due_date), ('action_on', NEW.action_on),
								   ('accepted_on', NEW.accepted_on), ('closed_on', NEW.closed_on),
								   ('verified_on', NEW.verified_on)) v(name, day)
			  WHERE v.day IS NOT NULL LOOP
		IF NOT isfinite(d.day) THEN
			RAISE EXCEPTION '% of nonconformity % must be a finite date', d.name, NEW.nc_id
				USING ERRCODE = 'datetime_field_overflow';
		END IF;
		IF d.name NOT IN ('raised_on', 'audit_on') AND d.day < NEW.raised_on THEN
			RAISE EXCEPTION '% of nonconformity % (%) is before it was raised (%)', d.name, NEW.nc_id, d.day, NEW.raised_on
				USING ERRCODE = 'check_violation';
		END IF;
	END LOOP;
	IF NEW.audit_on > NEW.raised_on THEN
		RAISE EXCEPTION 'nonconformity % was raised (%) before the audit that found it (%)', NEW.nc_id, NEW.raised_on, NEW.audit_on
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.verified_on IS NOT NULL AND coalesce(btrim(NEW.verification), '') = '' THEN
		RAISE EXCEPTION 'nonconformity % has a verification date and no verification', NEW.nc_id
			USING ERRCODE = 'check_violation',
				  HINT = 'Say how the effectiveness was verified.';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.nonconformity_row_check() IS
	'trigger: the rules of a nonconformity row (known source and grade, a clause of 4 to 10 or a control, a description, an internal audit of the scope that was held for a finding of source internal_audit, finite dates in order), each with its own message';


-- 0.2.2, issue 17 item 3: the risks behind the SoA.  A risk register per
-- scope (risk, risk_scale) with its rules, levels and checks; the exports
-- carry the risks that rely on each control (soa_export gains a column
-- risks, so it is dropped and made again), and the OSCAL plan of action
-- the open risks; readers read the new tables through two BI views.
CREATE TABLE iso27001.risk_scale (
	scope_id bigint PRIMARY KEY REFERENCES iso27001.soa_scope,
	likelihood_levels integer NOT NULL DEFAULT 5,
	impact_levels integer NOT NULL DEFAULT 5,
	acceptance_level integer,
	likelihood_labels text[],
	impact_labels text[]
);
COMMENT ON TABLE iso27001.risk_scale IS
	'a scope''s risk scales: how many likelihood and impact levels (5 by default, without a row), their names, and the highest risk level (likelihood × impact) accepted without treatment';
COMMENT ON COLUMN iso27001.risk_scale.acceptance_level IS
	'the highest level (likelihood × impact) accepted without treatment (the risk acceptance criteria of clause 6.1.2 a); NULL: none set';
COMMENT ON COLUMN iso27001.risk_scale.likelihood_labels IS 'the names of the likelihood levels, lowest first (rare, unlikely, ...), one per level';
COMMENT ON COLUMN iso27001.risk_scale.impact_labels IS 'the names of the impact levels, lowest first, one per level';
SELECT pg_catalog.pg_extension_config_dump('iso27001.risk_scale', '');

CREATE TABLE iso27001.risk (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	risk_id text NOT NULL,
	description text NOT NULL,
	owner text,
	likelihood integer,
	impact integer,
	treatment text,
	controls text[] NOT NULL DEFAULT '{}',
	residual_likelihood integer,
	residual_impact integer,
	status text NOT NULL DEFAULT 'open',
	identified_on date NOT NULL DEFAULT CURRENT_DATE,
	accepted_on date,
	accepted_by text,
	closed_on date,
	note text,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, risk_id)
);
COMMENT ON TABLE iso27001.risk IS
	'the risk register of a scope (ISO/IEC 27001:2022 6.1.2, 6.1.3): each risk''s owner, likelihood and impact before and after treatment, treatment option, the SoA controls its treatment relies on, and status';
COMMENT ON COLUMN iso27001.risk.risk_id IS 'the risk''s identifier within the scope (R-014)';
COMMENT ON COLUMN iso27001.risk.owner IS 'the risk owner (6.1.2 c 2), who approves the treatment plan and accepts the residual risk';
COMMENT ON COLUMN iso27001.risk.likelihood IS 'likelihood before treatment, 1 to the scope''s likelihood levels';
COMMENT ON COLUMN iso27001.risk.impact IS 'impact (consequences) before treatment, 1 to the scope''s impact levels';
COMMENT ON COLUMN iso27001.risk.treatment IS 'the treatment option: modify (apply controls), retain, avoid or share';
COMMENT ON COLUMN iso27001.risk.controls IS 'the SoA controls the treatment relies on (Annex A as A.5.7, or organization-defined keys)';
COMMENT ON COLUMN iso27001.risk.status IS 'open, in treatment, accepted (the owner accepted the residual risk) or closed';
COMMENT ON COLUMN iso27001.risk.accepted_on IS 'when the owner accepted the residual risk (6.1.3 f)';
SELECT pg_catalog.pg_extension_config_dump('iso27001.risk', '');

-- trigger: the rules of a scale row (2 to 10 levels, a name per level, an
-- acceptance level on the grid), each with its own message
CREATE FUNCTION iso27001.risk_scale_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF NEW.likelihood_levels NOT BETWEEN 2 AND 10 OR NEW.impact_levels NOT BETWEEN 2 AND 10 THEN
		RAISE EXCEPTION 'a risk scale has 2 to 10 levels, not % × %', NEW.likelihood_levels, NEW.impact_levels
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.acceptance_level NOT BETWEEN 1 AND NEW.likelihood_levels * NEW.impact_levels THEN
		RAISE EXCEPTION 'the acceptance level must be between 1 and %, not %',
			NEW.likelihood_levels * NEW.impact_levels, NEW.acceptance_level
			USING ERRCODE = 'check_violation',
				  DETAIL = 'A risk''s level is its likelihood times its impact.';
	END IF;
	IF cardinality(NEW.likelihood_labels) <> NEW.likelihood_levels
	   OR cardinality(NEW.impact_labels) <> NEW.impact_levels THEN
		RAISE EXCEPTION 'a risk scale names each of its levels once'
			USING ERRCODE = 'check_violation',
				  DETAIL = format('%s likelihood and %s impact levels; %s and %s names given.',
								  NEW.likelihood_levels, NEW.impact_levels,
								  cardinality(NEW.likelihood_labels), cardinality(NEW.impact_labels));
	END IF;
	IF array_position(NEW.likelihood_labels, NULL) IS NOT NULL OR array_position(NEW.impact_labels, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'the names of a risk scale''s levels must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT iso27001.soa_restoring() AND TG_OP = 'UPDATE' THEN
		IF EXISTS (SELECT FROM iso27001.risk r
					WHERE r.scope_id = NEW.scope_id
					  AND (greatest(r.likelihood, r.residual_likelihood) > NEW.likelihood_levels
						   OR greatest(r.impact, r.residual_impact) > NEW.impact_levels)) THEN
			RAISE EXCEPTION 'the scope''s risks use levels beyond % × %', NEW.likelihood_levels, NEW.impact_levels
				USING ERRCODE = 'check_violation',
					  HINT = 'Re-assess them on the new scale first.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.risk_scale_row_check() IS
	'trigger: the rules of a risk scale row (2 to 10 levels, one name per level, an acceptance level on the grid, no risk left beyond it), each with its own message';
CREATE TRIGGER risk_scale_row_check
	BEFORE INSERT OR UPDATE ON iso27001.risk_scale
	FOR EACH ROW EXECUTE FUNCTION iso27001.risk_scale_row_check();

-- trigger: the rules of a risk row, each with its own message; the linked
-- controls are written as the register keys them (5.7 becomes A.5.7)
CREATE FUNCTION iso27001.risk_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	l_levels integer := 5;
	i_levels integer := 5;
	scope_name text;
	d record;
	k text;
	keys text[] := '{}';
BEGIN
	NEW.risk_id := btrim(NEW.risk_id);
	IF NEW.risk_id IS NULL OR NEW.risk_id = '' OR NEW.risk_id ~ '[[:cntrl:]]' OR length(NEW.risk_id) > 100 THEN
		RAISE EXCEPTION 'a risk needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF coalesce(btrim(NEW.description), '') = '' THEN
		RAISE EXCEPTION 'risk % needs a description', NEW.risk_id
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.treatment NOT IN ('modify', 'retain', 'avoid', 'share') THEN
		RAISE EXCEPTION 'unknown treatment option of risk %: "%"', NEW.risk_id, NEW.treatment
			USING ERRCODE = 'check_violation',
				  HINT = 'Options: modify (apply controls), retain, avoid, share.';
	END IF;
	IF NEW.status IS NULL OR NEW.status NOT IN ('open', 'in treatment', 'accepted', 'closed') THEN
		RAISE EXCEPTION 'unknown status of risk %: %', NEW.risk_id, coalesce('"' || NEW.status || '"', 'NULL')
			USING ERRCODE = 'check_violation',
				  HINT = 'Statuses: open, in treatment, accepted, closed.';
	END IF;
	IF array_position(NEW.controls, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'the controls of risk % must not be null', NEW.risk_id
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NEW.treatment = 'modify' AND cardinality(NEW.controls) = 0 THEN
		RAISE EXCEPTION 'risk % is modified by controls and names none', NEW.risk_id
			USING ERRCODE = 'check_violation',
				  HINT = 'List the SoA controls its treatment applies in controls.';
	END IF;
	IF NEW.status = 'accepted' AND (NEW.accepted_on IS NULL OR coalesce(btrim(NEW.accepted_by), '') = '') THEN
		RAISE EXCEPTION 'risk % is accepted without the date and who accepted it', NEW.risk_id
			USING ERRCODE = 'check_violation',
				  DETAIL = 'ISO/IEC 27001:2022 6.1.3 f) asks for the risk owners'' acceptance of the residual risks.';
	END IF;
	IF NEW.status = 'closed' AND NEW.closed_on IS NULL THEN
		RAISE EXCEPTION 'risk % is closed without the date it was closed', NEW.risk_id
			USING ERRCODE = 'check_violation';
	END IF;
	FOR d IN SELECT * FROM (VALUES ('identified_on', NEW.identified_on), ('accepted_on', NEW.accepted_on),
								   ('closed_on', NEW.closed_on)) v(name, day)
			  WHERE v.day IS NOT NULL LOOP
		IF NOT isfinite(d.day) THEN
			RAISE EXCEPTION '% of risk % must be a finite date', d.name, NEW.risk_id
				USING ERRCODE = 'datetime_field_overflow';
		END IF;
		IF d.day < NEW.identified_on THEN
			RAISE EXCEPTION '% of risk % (%) is before it was identified (%)', d.name, NEW.risk_id, d.day, NEW.identified_on
				USING ERRCODE = 'check_violation';
		END IF;
	END LOOP;
	-- what other tables hold: not looked up during a superuser's restore
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	SELECT s.name INTO scope_name FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id;
	IF scope_name IS NULL THEN
		RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	SELECT s.likelihood_levels, s.impact_levels INTO l_levels, i_levels
	  FROM iso27001.risk_scale s WHERE s.scope_id = NEW.scope_id;
	l_levels := coalesce(l_levels, 5);
	i_levels := coalesce(i_levels, 5);
	IF NEW.likelihood NOT BETWEEN 1 AND l_levels OR NEW.residual_likelihood NOT BETWEEN 1 AND l_levels THEN
		RAISE EXCEPTION 'the likelihood of risk % must be between 1 and %', NEW.risk_id, l_levels
			USING ERRCODE = 'check_violation',
				  DETAIL = format('The risk scale of scope "%s" has %s likelihood levels.', scope_name, l_levels);
	END IF;
	IF NEW.impact NOT BETWEEN 1 AND i_levels OR NEW.residual_impact NOT BETWEEN 1 AND i_levels THEN
		RAISE EXCEPTION 'the impact of risk % must be between 1 and %', NEW.risk_id, i_levels
			USING ERRCODE = 'check_violation',
				  DETAIL = format('The risk scale of scope "%s" has %s impact levels.', scope_name, i_levels);
	END IF;
	FOREACH k IN ARRAY NEW.controls LOOP
		k := btrim(k);
		IF iso27001.is_valid_control(k) THEN
			k := k::iso27001.iso_control::text;
		END IF;
		IF NOT EXISTS (SELECT FROM iso27001.soa_register g
						WHERE g.scope_id = NEW.scope_id AND g.control_key = k) THEN
			RAISE EXCEPTION 'risk % names control %, which the SoA of scope "%" does not have', NEW.risk_id, k, scope_name
				USING ERRCODE = 'foreign_key_violation',
					  HINT = 'Annex A controls of the scope''s edition (A.5.7) and its organization-defined controls can be named.';
		END IF;
		IF NOT k = ANY (keys) THEN
			keys := keys || k;
		END IF;
	END LOOP;
	NEW.controls := keys;
	NEW.recorded_at := clock_timestamp();
	NEW.recorded_by := CURRENT_USER;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.risk_row_check() IS
	'trigger: the rules of a risk row (identifier, description, treatment option and status, levels on the scope''s scale, linked controls in its SoA, acceptance and closing dates), each with its own message';
CREATE TRIGGER risk_row_check
	BEFORE INSERT OR UPDATE ON iso27001.risk
	FOR EACH ROW EXECUTE FUNCTION iso27001.risk_row_check();

REVOKE EXECUTE ON FUNCTION iso27001.risk_scale_row_check(), iso27001.risk_row_check() FROM PUBLIC;

-- The risks of a scope (or of all) with their levels on the scope's scale:
-- level = likelihood × impact, above_acceptance against its acceptance
-- level, open while not accepted or closed
CREATE VIEW iso27001.risk_level WITH (security_invoker = true) AS
SELECT r.scope_id, r.risk_id, r.description, r.owner, r.likelihood, r.impact,
	   r.likelihood OPERATOR(pg_catalog.*) r.impact AS level,
	   r.residual_likelihood, r.residual_impact,
	   r.residual_likelihood OPERATOR(pg_catalog.*) r.residual_impact AS residual_level,
	   coalesce(s.likelihood_levels, 5) AS likelihood_levels, coalesce(s.impact_levels, 5) AS impact_levels,
	   s.acceptance_level,
	   r.likelihood OPERATOR(pg_catalog.*) r.impact OPERATOR(pg_catalog.>) s.acceptance_level AS above_acceptance,
	   r.treatment, r.controls, r.status,
	   r.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'in treatment']) AS is_open,
	   r.identified_on, r.accepted_on, r.accepted_by, r.closed_on
  FROM iso27001.risk r
  LEFT JOIN iso27001.risk_scale s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id;
COMMENT ON VIEW iso27001.risk_level IS
	'the risks with their levels (likelihood × impact, before and after treatment) on their scope''s scale, whether above the acceptance level, and whether open (open or in treatment)';
GRANT SELECT ON iso27001.risk_level TO PUBLIC;	-- security_invoker: the tables' privileges and policies apply
COMMENT ON COLUMN iso27001.risk_level.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001.risk_level.risk_id IS 'the risk''s identifier within the scope';
COMMENT ON COLUMN iso27001.risk_level.description IS 'what the risk is';
COMMENT ON COLUMN iso27001.risk_level.owner IS 'the risk owner';
COMMENT ON COLUMN iso27001.risk_level.likelihood IS 'likelihood before treatment';
COMMENT ON COLUMN iso27001.risk_level.impact IS 'impact before treatment';
COMMENT ON COLUMN iso27001.risk_level.level IS 'likelihood × impact before treatment';
COMMENT ON COLUMN iso27001.risk_level.residual_likelihood IS 'likelihood after treatment';
COMMENT ON COLUMN iso27001.risk_level.residual_impact IS 'impact after treatment';
COMMENT ON COLUMN iso27001.risk_level.residual_level IS 'likelihood × impact after treatment';
COMMENT ON COLUMN iso27001.risk_level.likelihood_levels IS 'the likelihood levels of the scope''s scale (5 without a scale row)';
COMMENT ON COLUMN iso27001.risk_level.impact_levels IS 'the impact levels of the scope''s scale (5 without a scale row)';
COMMENT ON COLUMN iso27001.risk_level.acceptance_level IS 'the highest level accepted without treatment (NULL: none set)';
COMMENT ON COLUMN iso27001.risk_level.above_acceptance IS 'level above the acceptance level (NULL when either is unknown)';
COMMENT ON COLUMN iso27001.risk_level.treatment IS 'modify, retain, avoid or share';
COMMENT ON COLUMN iso27001.risk_level.controls IS 'the SoA controls the treatment relies on';
COMMENT ON COLUMN iso27001.risk_level.status IS 'open, in treatment, accepted or closed';
COMMENT ON COLUMN iso27001.risk_level.is_open IS 'open or in treatment';
COMMENT ON COLUMN iso27001.risk_level.identified_on IS 'when the risk was identified';
COMMENT ON COLUMN iso27001.risk_level.accepted_on IS 'when the owner accepted the residual risk';
COMMENT ON COLUMN iso27001.risk_level.accepted_by IS 'who accepted the residual risk';
COMMENT ON COLUMN iso27001.risk_level.closed_on IS 'when the risk was closed';

-- The rules of the risk register as of now: each open risk has an owner,
-- an assessment, and above the acceptance level a treatment
CREATE FUNCTION iso27001.risk_check(scope text DEFAULT NULL)
	RETURNS TABLE (scope_name text, risk_id text, rule text, severity text, message text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	sid bigint := CASE WHEN scope IS NOT NULL THEN iso27001.soa_scope_id(scope) END;
BEGIN
	RETURN QUERY
	SELECT s.name, r.risk_id, f.rule, f.severity, f.message
	  FROM iso27001.risk_level r
	  JOIN iso27001.soa_scope s ON s.scope_id = r.scope_id
	 CROSS JOIN LATERAL (VALUES
		('NO_TREATMENT', 'error',
		 format('Risk %s is above the acceptance level (%s > %s) and has no treatment option (clause 6.1.3 a).',
				r.risk_id, r.level, r.acceptance_level),
		 r.above_acceptance AND r.treatment IS NULL),
		('NO_OWNER', 'warning', format('Risk %s has no owner (clause 6.1.2 c 2).', r.risk_id),
		 coalesce(btrim(r.owner), '') = ''),
		('NOT_ASSESSED', 'warning', format('Risk %s has no likelihood or impact (clause 6.1.2 d).', r.risk_id),
		 r.likelihood IS NULL OR r.impact IS NULL)) f(rule, severity, message, found)
	 WHERE f.found AND r.is_open AND (sid IS NULL OR r.scope_id = sid)
	 ORDER BY s.name, f.severity, r.risk_id, f.rule;
END
$$;
COMMENT ON FUNCTION iso27001.risk_check(text) IS
	'the rules of a scope''s risk register (or of all), over its open risks: NO_TREATMENT (error: above the acceptance level without a treatment option), NO_OWNER and NOT_ASSESSED (warnings)';

DROP FUNCTION iso27001.soa_export(text, integer);
CREATE FUNCTION iso27001.soa_export(scope text, version integer DEFAULT NULL)
	RETURNS TABLE (scope text, version integer, control text, title text, theme text,
				   applicable text, implementation text, implemented text, reasons text,
				   justification text, owner text, evidence text, needs_review boolean,
				   changed_at timestamptz, changed_by text, risks text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT soa_export.scope, soa_export.version, a.control_key, a.title,
		   coalesce(c22.theme::text, c13.clause, 'Organization-defined'),
		   CASE WHEN a.entry IS NULL THEN 'undecided'
				WHEN iso27001.is_applicable(a.entry) THEN 'yes' ELSE 'no' END,
		   iso27001.implementation(a.entry),
		   CASE iso27001.is_implemented(a.entry) WHEN true THEN 'yes' WHEN false THEN 'no' END,
		   pg_catalog.array_to_string(iso27001.reasons(a.entry), '; '),
		   a.justification, a.owner,
		   pg_catalog.array_to_string(a.evidence, ' '),
		   a.needs_review, a.changed_at, a.changed_by,
		   (SELECT pg_catalog.string_agg(r.risk_id, ' ' ORDER BY r.risk_id)
			  FROM iso27001.risk r
			 WHERE r.scope_id OPERATOR(pg_catalog.=) iso27001.soa_scope_id(soa_export.scope)
			   AND a.control_key OPERATOR(pg_catalog.=) ANY (r.controls))
	  FROM iso27001.soa_as_of(soa_export.scope,
			 CASE WHEN soa_export.version IS NULL THEN 'infinity'::timestamptz
				  ELSE iso27001.soa_version_time(soa_export.scope, soa_export.version) END) a
	  LEFT JOIN iso27001.ref_control_2022 c22 ON c22.control::text OPERATOR(pg_catalog.=) a.control_key
	  LEFT JOIN iso27001.annex_a_2013 c13 ON c13.control::text OPERATOR(pg_catalog.=) a.control_key
	 ORDER BY a.control, a.control_key;
END;
COMMENT ON FUNCTION iso27001.soa_export(text, integer) IS
	'a scope''s SoA (current, or an approved version) as plain text columns, with the risks of the risk register (as it stands now) that rely on each control, for COPY (SELECT * FROM iso27001.soa_export(''scope'')) TO STDOUT (FORMAT csv, HEADER)';

CREATE OR REPLACE FUNCTION iso27001.soa_export_json(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_object(
			'scope', s.name,
			'standard', 'ISO/IEC 27001:' OPERATOR(pg_catalog.||) s.edition,
			'version', soa_export_json.version,
			'approved_at', v.approved_at,
			'approved_by', v.approved_by,
			'generated_at', pg_catalog.now(),
			'summary', (SELECT pg_catalog.to_jsonb(iso27001.soa_summary(a.entry))
						  FROM iso27001.soa_as_of(s.name, coalesce(v.approved_at, 'infinity')) a),
			'controls', coalesce((
				SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
						'control', a.control_key,
						'title', a.title,
						'annex_a', a.control IS NOT NULL,
						'applicable', iso27001.is_applicable(a.entry),
						'implementation', iso27001.implementation(a.entry),
						'reasons', pg_catalog.to_jsonb(iso27001.reasons(a.entry)),
						'oscal_status', iso27001.oscal_status(a.entry),
						'justification', a.justification,
						'owner', a.owner,
						'evidence', pg_catalog.to_jsonb(a.evidence),
						'needs_review', a.needs_review,
						'changed_at', a.changed_at,
						'changed_by', a.changed_by,
						'risks', (SELECT coalesce(pg_catalog.jsonb_agg(r.risk_id ORDER BY r.risk_id), '[]')
									FROM iso27001.risk r
								   WHERE r.scope_id OPERATOR(pg_catalog.=) s.scope_id
									 AND a.control_key OPERATOR(pg_catalog.=) ANY (r.controls)))
						ORDER BY a.control, a.control_key)
				  FROM iso27001.soa_as_of(s.name, coalesce(v.approved_at, 'infinity')) a),
				'[]'::jsonb))
	  FROM iso27001.soa_scope s
	  LEFT JOIN iso27001.soa_version v
		ON v.scope_id OPERATOR(pg_catalog.=) s.scope_id
	   AND v.version OPERATOR(pg_catalog.=) soa_export_json.version
	 WHERE s.scope_id OPERATOR(pg_catalog.=) iso27001.soa_scope_id(soa_export_json.scope)
	   AND (soa_export_json.version IS NULL
			OR iso27001.soa_version_time(soa_export_json.scope, soa_export_json.version) IS NOT NULL);
END;
COMMENT ON FUNCTION iso27001.soa_export_json(text, integer) IS
	'a scope''s SoA (current, or an approved version) as one jsonb document with its summary and, per control, the risks of the risk register (as it stands now) that rely on it, for GRC applications';

CREATE OR REPLACE FUNCTION iso27001.oscal_poam(scope text)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	sid bigint := iso27001.soa_scope_id(scope);
	ns CONSTANT text := 'https://pgxn.org/dist/iso27001/ns/oscal';
	ssp uuid := iso27001.oscal_uuid('ssp/' || scope || '/current');
	ssp_resource uuid := iso27001.oscal_uuid('resource/ssp/' || scope);
	risks jsonb;
	items jsonb;
	last_change timestamptz;
	reg_risks jsonb;
	reg_items jsonb;
	reg_change timestamptz;
BEGIN
	WITH n AS (
		SELECT x.*, iso27001.oscal_uuid('nonconformity-risk/' || scope || '/' || x.nc_id) AS risk_uuid
		  FROM iso27001.nonconformity x
		 WHERE x.scope_id = sid AND (x.closed_on IS NULL OR x.verified_on IS NULL))
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', n.risk_uuid,
			   'title', 'Nonconformity ' || n.nc_id,
			   'description', n.description,
			   'statement', coalesce(nullif(btrim(n.root_cause), ''), 'Root cause not yet determined.'),
			   'status', CASE WHEN n.closed_on IS NOT NULL THEN 'closed'
							  WHEN nullif(btrim(n.corrective_action), '') IS NOT NULL THEN 'remediating'
							  ELSE 'open' END,
			   'deadline', to_char(n.due_date, 'YYYY-MM-DD') || 'T00:00:00Z',
			   'remediations', CASE WHEN nullif(btrim(n.corrective_action), '') IS NOT NULL THEN
					jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
						'uuid', iso27001.oscal_uuid('nonconformity-remediation/' || scope || '/' || n.nc_id),
						'lifecycle', CASE WHEN n.closed_on IS NOT NULL THEN 'completed' ELSE 'planned' END,
						'title', 'Corrective action',
						'description', n.corrective_action,
						'tasks', CASE WHEN n.due_date IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
							'uuid', iso27001.oscal_uuid('nonconformity-milestone/' || scope || '/' || n.nc_id),
							'type', 'milestone',
							'title', 'Corrective action due',
							'timing', jsonb_build_object('on-date', jsonb_build_object(
								'date', to_char(n.due_date, 'YYYY-MM-DD') || 'T00:00:00Z')))) END))) END))
			   ORDER BY n.raised_on, n.nc_id),
		   jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', iso27001.oscal_uuid('poam-item/' || scope || '/' || n.nc_id),
			   'title', 'Nonconformity ' || n.nc_id || ' (' || n.grade || ')',
			   'description', n.description,
			   'props', jsonb_build_array(
							jsonb_build_object('name', 'nonconformity-grade', 'ns', ns, 'value', n.grade),
							jsonb_build_object('name', 'nonconformity-source', 'ns', ns, 'value', replace(n.source, '_', '-')),
							jsonb_build_object('name', 'raised-on', 'ns', ns, 'value', n.raised_on::text))
						|| CASE WHEN n.clause IS NOT NULL THEN jsonb_build_array(
							   jsonb_build_object('name', 'clause', 'ns', ns, 'value', n.clause)) ELSE '[]' END
						|| CASE WHEN n.control IS NOT NULL THEN jsonb_build_array(
							   jsonb_build_object('name', 'control-id', 'ns', ns, 'value', lower(n.control::text))) ELSE '[]' END,
			   'related-risks', jsonb_build_array(jsonb_build_object('risk-uuid', n.risk_uuid)),
			   'remarks', nullif(concat_ws(' ', 'Correction: ' || nullif(btrim(n.correction), '') || '.',
											'Owner: ' || nullif(btrim(n.owner), '') || '.'), '')))
			   ORDER BY n.raised_on, n.nc_id),
		   max(n.recorded_at)
	  INTO risks, items, last_change
	  FROM n;
	-- the open risks of the risk register: their levels, treatment and the
	-- SoA controls it relies on
	WITH r AS (
		SELECT x.*, iso27001.oscal_uuid('risk/' || scope || '/' || x.risk_id) AS risk_uuid
		  FROM iso27001.risk_level x
		 WHERE x.scope_id = sid AND x.is_open)
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', r.risk_uuid,
			   'title', 'Risk ' || r.risk_id,
			   'description', r.description,
			   'statement', CASE WHEN r.level IS NULL THEN 'Not yet assessed.'
								 ELSE format('Likelihood %s of %s, impact %s of %s: level %s%s.', r.likelihood,
											 r.likelihood_levels, r.impact, r.impact_levels, r.level,
											 CASE WHEN r.above_acceptance THEN ', above the acceptance level ' || r.acceptance_level
												  WHEN r.acceptance_level IS NOT NULL THEN ', within the acceptance level ' || r.acceptance_level
												  ELSE '' END) END,
			   'props', jsonb_build_array(jsonb_build_object('name', 'risk-id', 'ns', ns, 'value', r.risk_id))
						|| CASE WHEN r.level IS NOT NULL THEN jsonb_build_array(
							   jsonb_build_object('name', 'likelihood', 'ns', ns, 'value', r.likelihood::text),
							   jsonb_build_object('name', 'impact', 'ns', ns, 'value', r.impact::text),
							   jsonb_build_object('name', 'risk-level', 'ns', ns, 'value', r.level::text)) ELSE '[]' END
						|| CASE WHEN r.treatment IS NOT NULL THEN jsonb_build_array(
							   jsonb_build_object('name', 'treatment-option', 'ns', ns, 'value', r.treatment)) ELSE '[]' END
						|| (SELECT coalesce(jsonb_agg(jsonb_build_object('name', 'control-id', 'ns', ns,
																		 'value', lower(c.key)) ORDER BY c.ord), '[]')
							  FROM unnest(r.controls) WITH ORDINALITY c(key, ord)),
			   'status', CASE r.status WHEN 'in treatment' THEN 'remediating' ELSE 'open' END,
			   'remediations', CASE WHEN r.treatment IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
					'uuid', iso27001.oscal_uuid('risk-remediation/' || scope || '/' || r.risk_id),
					'lifecycle', 'planned',
					'title', 'Risk treatment: ' || r.treatment,
					'description', CASE WHEN cardinality(r.controls) > 0
										THEN 'Controls of the SoA: ' || array_to_string(r.controls, ', ') || '.'
										ELSE 'No control of the SoA.' END)) END))
			   ORDER BY r.identified_on, r.risk_id),
		   jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', iso27001.oscal_uuid('poam-item/' || scope || '/risk/' || r.risk_id),
			   'title', 'Risk ' || r.risk_id,
			   'description', r.description,
			   'related-risks', jsonb_build_array(jsonb_build_object('risk-uuid', r.risk_uuid)),
			   'remarks', 'Owner: ' || nullif(btrim(r.owner), '') || '.'))
			   ORDER BY r.identified_on, r.risk_id),
		   (SELECT max(x.recorded_at) FROM iso27001.risk x WHERE x.scope_id = sid)
	  INTO reg_risks, reg_items, reg_change
	  FROM r;
	IF items IS NULL AND reg_items IS NULL THEN
		RAISE EXCEPTION 'scope "%" has no open nonconformity or risk', scope
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An OSCAL plan of action and milestones holds at least one item.';
	END IF;
	risks := coalesce(risks, '[]') || coalesce(reg_risks, '[]');
	items := coalesce(items, '[]') || coalesce(reg_items, '[]');
	last_change := greatest(last_change, reg_change);
	RETURN jsonb_build_object('plan-of-action-and-milestones', jsonb_build_object(
		'uuid', iso27001.oscal_uuid('poam/' || scope),
		'metadata', jsonb_build_object(
			'title', 'Open nonconformities, corrective actions and risks of ' || scope || ' (ISO/IEC 27001 clauses 10.2, 6.1)',
			'last-modified', to_char(last_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', 'current',
			'oscal-version', '1.2.1'),
		'import-ssp', jsonb_build_object('href', '#' || ssp_resource),
		'system-id', jsonb_build_object('identifier-type', 'https://ietf.org/rfc/rfc4122',
										'id', iso27001.oscal_uuid('scope/' || scope)::text),
		'risks', risks,
		'poam-items', items,
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', ssp_resource,
			'title', 'The SoA of ' || scope || ' as an OSCAL SSP (iso27001.oscal_ssp)',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'urn:uuid:' || ssp, 'media-type', 'application/oscal.ssp+json')))))));
END
$$;
COMMENT ON FUNCTION iso27001.oscal_poam(text) IS
	'a scope''s open nonconformities (not closed, or not verified) and open risks of its risk register as an OSCAL plan of action and milestones: a risk per nonconformity with its corrective action and due-date milestone, a risk per register risk with its levels, treatment and controls, and a POA&M item pointing to each';


-- BI: the risk register with its levels (a heat map: likelihood against
-- impact, counted), and one row per risk and control it relies on
CREATE VIEW iso27001_bi.risk WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, r.risk_id, r.description, r.owner,
	   r.likelihood, r.impact, r.level, r.residual_likelihood, r.residual_impact, r.residual_level,
	   r.likelihood_levels, r.impact_levels, r.acceptance_level, r.above_acceptance,
	   r.treatment, r.status, r.is_open,
	   pg_catalog.array_to_string(r.controls, ', ') AS controls,
	   pg_catalog.cardinality(r.controls) AS control_count,
	   r.identified_on, r.accepted_on, r.closed_on
  FROM iso27001.risk_level r
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id;
COMMENT ON VIEW iso27001_bi.risk IS
	'one row per risk of a scope''s register: levels before and after treatment (likelihood × impact), above the acceptance level or not, treatment option, status, the controls it relies on (a heat map: count by likelihood and impact)';

CREATE VIEW iso27001_bi.risk_control WITH (security_invoker = true) AS
SELECT r.scope_id, s.name AS scope, r.risk_id, r.status, r.is_open, c.control_key AS control_id,
	   iso27001.sort_key(g.control) AS sort_key, g.control IS NOT NULL AS is_annex_a,
	   coalesce(iso27001.title(g.control), g.title) AS title,
	   CASE WHEN g.entry IS NULL THEN NULL ELSE iso27001.is_applicable(g.entry) END AS applicable,
	   iso27001.implementation(g.entry) AS implementation
  FROM iso27001.risk_level r
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
 CROSS JOIN LATERAL pg_catalog.unnest(r.controls) c(control_key)
  LEFT JOIN iso27001.soa_register g
	ON g.scope_id OPERATOR(pg_catalog.=) r.scope_id AND g.control_key OPERATOR(pg_catalog.=) c.control_key;
COMMENT ON VIEW iso27001_bi.risk_control IS
	'one row per risk and SoA control its treatment relies on, with the control''s decision and implementation: a drill-down from a risk to its controls, and from a control to the risks behind it';
COMMENT ON COLUMN iso27001_bi.risk.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.risk.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.risk.risk_id IS 'the risk''s identifier within the scope';
COMMENT ON COLUMN iso27001_bi.risk.description IS 'what the risk is';
COMMENT ON COLUMN iso27001_bi.risk.owner IS 'the risk owner';
COMMENT ON COLUMN iso27001_bi.risk.likelihood IS 'likelihood before treatment (1 = lowest)';
COMMENT ON COLUMN iso27001_bi.risk.impact IS 'impact before treatment (1 = lowest)';
COMMENT ON COLUMN iso27001_bi.risk.level IS 'likelihood × impact before treatment';
COMMENT ON COLUMN iso27001_bi.risk.residual_likelihood IS 'likelihood after treatment';
COMMENT ON COLUMN iso27001_bi.risk.residual_impact IS 'impact after treatment';
COMMENT ON COLUMN iso27001_bi.risk.residual_level IS 'likelihood × impact after treatment';
COMMENT ON COLUMN iso27001_bi.risk.likelihood_levels IS 'the number of likelihood levels of the scope''s scale';
COMMENT ON COLUMN iso27001_bi.risk.impact_levels IS 'the number of impact levels of the scope''s scale';
COMMENT ON COLUMN iso27001_bi.risk.acceptance_level IS 'the highest level accepted without treatment (NULL: none set)';
COMMENT ON COLUMN iso27001_bi.risk.above_acceptance IS 'level above the acceptance level';
COMMENT ON COLUMN iso27001_bi.risk.treatment IS 'modify, retain, avoid or share';
COMMENT ON COLUMN iso27001_bi.risk.status IS 'open, in treatment, accepted or closed';
COMMENT ON COLUMN iso27001_bi.risk.is_open IS 'open or in treatment';
COMMENT ON COLUMN iso27001_bi.risk.controls IS 'the SoA controls the treatment relies on, comma-separated';
COMMENT ON COLUMN iso27001_bi.risk.control_count IS 'how many SoA controls the treatment relies on';
COMMENT ON COLUMN iso27001_bi.risk.identified_on IS 'when the risk was identified';
COMMENT ON COLUMN iso27001_bi.risk.accepted_on IS 'when the owner accepted the residual risk';
COMMENT ON COLUMN iso27001_bi.risk.closed_on IS 'when the risk was closed';
COMMENT ON COLUMN iso27001_bi.risk_control.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.risk_control.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.risk_control.risk_id IS 'the risk''s identifier within the scope';
COMMENT ON COLUMN iso27001_bi.risk_control.status IS 'the risk''s status: open, in treatment, accepted or closed';
COMMENT ON COLUMN iso27001_bi.risk_control.is_open IS 'the risk is open or in treatment';
COMMENT ON COLUMN iso27001_bi.risk_control.control_id IS 'a control the risk''s treatment relies on (A.5.7, or an organization-defined key)';
COMMENT ON COLUMN iso27001_bi.risk_control.sort_key IS 'integer key for the natural order of Annex A controls (A.5.7: 50700; NULL for organization-defined controls)';
COMMENT ON COLUMN iso27001_bi.risk_control.is_annex_a IS 'an Annex A control';
COMMENT ON COLUMN iso27001_bi.risk_control.title IS 'the control''s title';
COMMENT ON COLUMN iso27001_bi.risk_control.applicable IS 'the SoA includes the control (NULL: undecided)';
COMMENT ON COLUMN iso27001_bi.risk_control.implementation IS 'the control''s implementation state (NULL when excluded or undecided)';
-- A role that reads the register reads the risk register too, as the
-- exports it runs (soa_export, soa_export_json, oscal_poam) now do: the
-- update gives SELECT on the two new tables to every role that has
-- SELECT on soa_register (grant_reader's and grant_auditor's roles, a
-- GRC application's), so that no export stops working.
DO $$
DECLARE
	grantee oid;
BEGIN
	FOR grantee IN
		SELECT DISTINCT a.grantee
		  FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
		 WHERE c.oid OPERATOR(pg_catalog.=) 'iso27001.soa_register'::pg_catalog.regclass
		   AND a.privilege_type OPERATOR(pg_catalog.=) 'SELECT'
		   AND a.grantee OPERATOR(pg_catalog.<>) c.relowner
	LOOP
		EXECUTE pg_catalog.format('GRANT SELECT ON iso27001.risk, iso27001.risk_scale TO %s',
								  CASE WHEN grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
									   ELSE grantee::pg_catalog.regrole::text END);
	END LOOP;
END
$$;

-- Issue 17 item 5: the management review (clause 9.3): the reviews, their
-- actions, the review's input pack and a BI view (sql/management_review.sql)

CREATE TABLE iso27001.management_review (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	review_id text NOT NULL,
	held_on date,
	chair text,
	attendees text[] NOT NULL DEFAULT '{}',
	issues_changes text,
	interested_parties_changes text,
	interested_parties_feedback text,
	note text,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, review_id)
);
COMMENT ON TABLE iso27001.management_review IS
	'management reviews (ISO/IEC 27001:2022 clause 9.3): when each was held (NULL while being prepared), who chaired and attended, and the changes noted for inputs 9.3.2 b), c) and e); its decisions are management_review_action rows';
COMMENT ON COLUMN iso27001.management_review.review_id IS 'the review''s identifier within the scope (MR-2026)';
COMMENT ON COLUMN iso27001.management_review.held_on IS 'the day it was held; NULL while it is being prepared';
COMMENT ON COLUMN iso27001.management_review.chair IS 'who chaired it (top management; required once held)';
COMMENT ON COLUMN iso27001.management_review.attendees IS 'who attended';
COMMENT ON COLUMN iso27001.management_review.issues_changes IS 'input 9.3.2 b): changes in the external and internal issues relevant to the ISMS';
COMMENT ON COLUMN iso27001.management_review.interested_parties_changes IS 'input 9.3.2 c): changes in the needs and expectations of interested parties relevant to the ISMS';
COMMENT ON COLUMN iso27001.management_review.interested_parties_feedback IS 'input 9.3.2 e): feedback from interested parties';
COMMENT ON COLUMN iso27001.management_review.note IS 'minutes, or a link to them';
SELECT pg_catalog.pg_extension_config_dump('iso27001.management_review', '');

CREATE TABLE iso27001.management_review_action (
	scope_id bigint NOT NULL,
	review_id text NOT NULL,
	action_id text NOT NULL,
	kind text NOT NULL,
	action text NOT NULL,
	owner text,
	due_date date,
	done_on date,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, review_id, action_id),
	FOREIGN KEY (scope_id, review_id) REFERENCES iso27001.management_review ON UPDATE CASCADE
);
COMMENT ON TABLE iso27001.management_review_action IS
	'the decisions of management reviews (ISO/IEC 27001:2022 clause 9.3.3) and the actions they call for: an improvement opportunity, a change to the ISMS or a resource need, with owner, due date and the day it was done';
COMMENT ON COLUMN iso27001.management_review_action.action_id IS 'the action''s identifier within its review (1, MR-2026-3)';
COMMENT ON COLUMN iso27001.management_review_action.kind IS 'improvement (a continual improvement opportunity), isms_change (a need for change to the ISMS) or resource_need';
COMMENT ON COLUMN iso27001.management_review_action.action IS 'the decision and the action it calls for';
COMMENT ON COLUMN iso27001.management_review_action.owner IS 'who owns the action';
COMMENT ON COLUMN iso27001.management_review_action.due_date IS 'when it is due';
COMMENT ON COLUMN iso27001.management_review_action.done_on IS 'when it was done (NULL while open)';
SELECT pg_catalog.pg_extension_config_dump('iso27001.management_review_action', '');

-- The rules of a management review row, each with its own message
CREATE FUNCTION iso27001.management_review_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	first_action date;
BEGIN
	-- a superuser's restore of a dump keeps the rows as they were
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	NEW.review_id := btrim(NEW.review_id);
	IF NEW.review_id IS NULL OR NEW.review_id = '' OR NEW.review_id ~ '[[:cntrl:]]' OR length(NEW.review_id) > 100 THEN
		RAISE EXCEPTION 'a management review needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NOT isfinite(NEW.held_on) THEN
		RAISE EXCEPTION 'held_on of management review % must be a finite date', NEW.review_id
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NEW.held_on > CURRENT_DATE THEN
		RAISE EXCEPTION 'management review % cannot have been held on % (after today)', NEW.review_id, NEW.held_on
			USING ERRCODE = 'check_violation',
				  HINT = 'Leave held_on NULL while the review is being prepared.';
	END IF;
	NEW.chair := nullif(btrim(NEW.chair), '');
	IF NEW.held_on IS NOT NULL AND NEW.chair IS NULL THEN
		RAISE EXCEPTION 'held management review % names no chair', NEW.review_id
			USING ERRCODE = 'check_violation',
				  HINT = 'Clause 9.3.1: top management reviews the ISMS; say who chaired.';
	END IF;
	IF array_position(NEW.attendees, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'the attendees of management review % must not contain NULL', NEW.review_id
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		-- its decisions need it held, and not after they were due or done
		SELECT min(least(a.due_date, a.done_on)) INTO first_action FROM iso27001.management_review_action a
		 WHERE a.scope_id = OLD.scope_id AND a.review_id = OLD.review_id;
		IF EXISTS (SELECT FROM iso27001.management_review_action a
					WHERE a.scope_id = OLD.scope_id AND a.review_id = OLD.review_id) THEN
			IF NEW.held_on IS NULL THEN
				RAISE EXCEPTION 'management review % has decided actions and cannot be unheld', NEW.review_id
					USING ERRCODE = 'check_violation';
			END IF;
			IF first_action < NEW.held_on THEN
				RAISE EXCEPTION 'management review % cannot be held on %: one of its actions is due or done on %', NEW.review_id, NEW.held_on, first_action
					USING ERRCODE = 'check_violation';
			END IF;
		END IF;
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.management_review_row_check() IS
	'trigger: the rules of a management review row (an identifier, held_on finite and not after today, a chair once held, no NULL attendee, held on or before its actions'' dates), each with its own message';

CREATE TRIGGER management_review_row_check
	BEFORE INSERT OR UPDATE ON iso27001.management_review
	FOR EACH ROW EXECUTE FUNCTION iso27001.management_review_row_check();
REVOKE EXECUTE ON FUNCTION iso27001.management_review_row_check() FROM PUBLIC;

-- The rules of a management review action row, each with its own message
CREATE FUNCTION iso27001.management_review_action_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	held date;
	d record;
BEGIN
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	NEW.action_id := btrim(NEW.action_id);
	IF NEW.action_id IS NULL OR NEW.action_id = '' OR NEW.action_id ~ '[[:cntrl:]]' OR length(NEW.action_id) > 100 THEN
		RAISE EXCEPTION 'a management review action needs an identifier of 1 to 100 characters without control characters'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.kind IS NULL OR NEW.kind NOT IN ('improvement', 'isms_change', 'resource_need') THEN
		RAISE EXCEPTION 'unknown kind of a management review action: %', coalesce('"' || NEW.kind || '"', 'NULL')
			USING ERRCODE = 'check_violation',
				  HINT = 'Kinds (clause 9.3.3): improvement, isms_change, resource_need.';
	END IF;
	IF coalesce(btrim(NEW.action), '') = '' THEN
		RAISE EXCEPTION 'management review action % needs the decision or action it records', NEW.action_id
			USING ERRCODE = 'check_violation';
	END IF;
	SELECT r.held_on INTO held FROM iso27001.management_review r
	 WHERE r.scope_id = NEW.scope_id AND r.review_id = NEW.review_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'management review action % names review %, which its scope does not have', NEW.action_id, NEW.review_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF held IS NULL THEN
		RAISE EXCEPTION 'management review action % names review %, which is not held', NEW.action_id, NEW.review_id
			USING ERRCODE = 'check_violation',
				  HINT = 'A review''s decisions are recorded once it is held (held_on).';
	END IF;
	FOR d IN SELECT * FROM (VALUES ('due_date', NEW.due_date), ('done_on', NEW.done_on)) v(name, day)
			  WHERE v.day IS NOT NULL LOOP
		IF NOT isfinite(d.day) THEN
			RAISE EXCEPTION '% of management review action % must be a finite date', d.name, NEW.action_id
				USING ERRCODE = 'datetime_field_overflow';
		END IF;
		IF d.day < held THEN
			RAISE EXCEPTION '% of management review action % (%) is before review % was held (%)', d.name, NEW.action_id, d.day, NEW.review_id, held
				USING ERRCODE = 'check_violation';
		END IF;
	END LOOP;
	IF NEW.done_on > CURRENT_DATE THEN
		RAISE EXCEPTION 'management review action % cannot have been done on % (after today)', NEW.action_id, NEW.done_on
			USING ERRCODE = 'check_violation';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.management_review_action_row_check() IS
	'trigger: the rules of a management review action row (an identifier, a known kind, the decision''s text, a held review of the scope, finite dates not before the review, done not after today), each with its own message';

CREATE TRIGGER management_review_action_row_check
	BEFORE INSERT OR UPDATE ON iso27001.management_review_action
	FOR EACH ROW EXECUTE FUNCTION iso27001.management_review_action_row_check();
REVOKE EXECUTE ON FUNCTION iso27001.management_review_action_row_check() FROM PUBLIC;

-- The input of a management review (clause 9.3.2 a) to g)) over a period
-- (dates inclusive, as of its last day), from the register: the actions
-- of earlier reviews, the changes noted and the SoA's changes, the
-- nonconformities, the behaviour trends, the audits, the objectives, the
-- risk treatment controls of the SoA and the opportunities.  The digest
-- covers the text PostgreSQL writes for the jsonb object of the keys
-- scope, period and inputs (keys in jsonb's order, no white space
-- variation), not the time of generation: the same data give the same
-- digest.
CREATE FUNCTION iso27001.management_review_pack(scope text, period_start date, period_end date)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
	SET extra_float_digits = 1
AS $$
DECLARE
	sid bigint;
	ps date := period_start;
	pe date := period_end;
	t0 timestamptz;
	t1 timestamptz;
	prog iso27001.internal_audit_programme;
	a jsonb;
	bce jsonb;
	soa jsonb;
	d1 jsonb;
	d2 jsonb;
	d3 jsonb;
	d4 jsonb;
	f jsonb;
	g jsonb;
	data jsonb;
BEGIN
	IF scope IS NULL THEN
		RAISE EXCEPTION 'scope must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF ps IS NULL OR pe IS NULL THEN
		RAISE EXCEPTION 'period_start and period_end must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT isfinite(ps) OR NOT isfinite(pe) THEN
		RAISE EXCEPTION 'period_start and period_end must be finite dates'
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF pe < ps THEN
		RAISE EXCEPTION 'period_end (%) is before period_start (%)', pe, ps
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	sid := iso27001.soa_scope_id(scope);
	-- the period's instants: from the start of its first day to the start
	-- of the day after its last, in the session's time zone
	t0 := ps::timestamptz;
	t1 := (pe + 1)::timestamptz;

	-- a) the actions of the reviews held by the period's end that were
	-- not done before it started, with their status on its last day
	WITH x AS (
		SELECT r.review_id, r.held_on, x.action_id, x.kind, x.action, x.owner, x.due_date, x.done_on,
			   CASE WHEN x.done_on <= pe THEN 'done' WHEN x.due_date < pe THEN 'overdue' ELSE 'open' END AS status
		  FROM iso27001.management_review r
		  JOIN iso27001.management_review_action x ON x.scope_id = r.scope_id AND x.review_id = r.review_id
		 WHERE r.scope_id = sid AND r.held_on <= pe AND (x.done_on IS NULL OR x.done_on >= ps))
	SELECT jsonb_build_object(
			'clause', '9.3.2 a)', 'label', 'status of actions from previous management reviews',
			'last_review', (SELECT jsonb_build_object('review_id', r.review_id, 'held_on', r.held_on)
							  FROM iso27001.management_review r
							 WHERE r.scope_id = sid AND r.held_on <= pe
							 ORDER BY r.held_on DESC, r.review_id DESC LIMIT 1),
			'done', count(*) FILTER (WHERE x.status = 'done'),
			'open', count(*) FILTER (WHERE x.status = 'open'),
			'overdue', count(*) FILTER (WHERE x.status = 'overdue'),
			'actions', coalesce(jsonb_agg(jsonb_build_object(
							'review_id', x.review_id, 'action_id', x.action_id, 'kind', x.kind,
							'action', x.action, 'owner', x.owner, 'due_date', x.due_date,
							'done_on', x.done_on, 'status', x.status,
							'days_overdue', CASE WHEN x.status = 'overdue' THEN pe - x.due_date END)
						ORDER BY x.held_on, x.review_id, x.action_id), '[]'))
	  INTO a FROM x;

	-- b), c), e): the changes noted on the reviews held in the period and
	-- on those being prepared (not held yet)
	WITH r AS (
		SELECT r.* FROM iso27001.management_review r
		 WHERE r.scope_id = sid AND (r.held_on BETWEEN ps AND pe OR r.held_on IS NULL))
	SELECT jsonb_build_object(
			'b', coalesce(jsonb_agg(jsonb_build_object('review_id', r.review_id, 'held_on', r.held_on, 'change', r.issues_changes)
								ORDER BY r.held_on NULLS LAST, r.review_id)
						  FILTER (WHERE nullif(btrim(r.issues_changes), '') IS NOT NULL), '[]'),
			'c', coalesce(jsonb_agg(jsonb_build_object('review_id', r.review_id, 'held_on', r.held_on, 'change', r.interested_parties_changes)
								ORDER BY r.held_on NULLS LAST, r.review_id)
						  FILTER (WHERE nullif(btrim(r.interested_parties_changes), '') IS NOT NULL), '[]'),
			'e', coalesce(jsonb_agg(jsonb_build_object('review_id', r.review_id, 'held_on', r.held_on, 'feedback', r.interested_parties_feedback)
								ORDER BY r.held_on NULLS LAST, r.review_id)
						  FILTER (WHERE nullif(btrim(r.interested_parties_feedback), '') IS NOT NULL), '[]'))
	  INTO bce FROM r;

	-- the SoA's changes in the period (its state at the period's start
	-- against its state at its end) and the versions approved in it
	WITH c AS (
		SELECT * FROM iso27001.soa_diff_at(scope, t0, t1))
	SELECT jsonb_build_object(
			're_decided', count(*) FILTER (WHERE c.change = 're-decided'),
			'added', count(*) FILTER (WHERE c.change = 'added'),
			'removed', count(*) FILTER (WHERE c.change = 'removed'),
			're_justified', count(*) FILTER (WHERE c.change = 're-justified'),
			'details_changed', count(*) FILTER (WHERE c.change = 'details changed'),
			'decisions', coalesce(jsonb_agg(jsonb_build_object('control', c.control_key, 'change', c.change,
													  'from', c.old_entry::text, 'to', c.new_entry::text)
							ORDER BY c.control, c.control_key)
						FILTER (WHERE c.change IN ('re-decided', 'added', 'removed')), '[]'),
			'approved_versions', (SELECT coalesce(jsonb_agg(jsonb_build_object(
										'version', v.version,
										'approved_at', to_char(v.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
										'approved_by', v.approved_by) ORDER BY v.version), '[]')
									FROM iso27001.soa_version v
								   WHERE v.scope_id = sid AND v.approved_at >= t0 AND v.approved_at < t1))
	  INTO soa FROM c;

	-- d) 1) nonconformities by grade: raised and closed in the period, open
	-- and overdue on its last day, and the register's rules on that day
	WITH n AS (
		SELECT x.grade, x.raised_on, x.closed_on, x.due_date,
			   x.raised_on <= pe AND (x.closed_on IS NULL OR x.closed_on > pe) AS open
		  FROM iso27001.nonconformity x
		 WHERE x.scope_id = sid),
	grades AS (
		SELECT v.grade, v.k FROM (VALUES ('major', 1), ('minor', 2), ('opportunity', 3)) v(grade, k))
	SELECT jsonb_build_object(
			'clause', '9.3.2 d) 1)', 'label', 'nonconformities and corrective actions',
			'by_grade', (SELECT jsonb_object_agg(gr.grade, jsonb_build_object(
								'raised', (SELECT count(*) FROM n WHERE n.grade = gr.grade AND n.raised_on BETWEEN ps AND pe),
								'closed', (SELECT count(*) FROM n WHERE n.grade = gr.grade AND n.closed_on BETWEEN ps AND pe),
								'open', (SELECT count(*) FROM n WHERE n.grade = gr.grade AND n.open),
								'overdue', (SELECT count(*) FROM n WHERE n.grade = gr.grade AND n.open AND n.due_date < pe)))
						   FROM grades gr),
			'check', (SELECT coalesce(jsonb_agg(jsonb_build_object('rule', k.rule, 'severity', k.severity, 'count', k.n)
											   ORDER BY k.rule), '[]')
						FROM (SELECT c.rule, c.severity, count(*) AS n
								FROM iso27001.nonconformity_check(scope, pe) c
							   GROUP BY c.rule, c.severity) k))
	  INTO d1;

	-- d) 2) the behaviour trends of the scope's metrics over the period
	-- (the whole scope), and d) 4) the targets (the objectives) with
	-- their status by the same trends
	SELECT coalesce(jsonb_agg(jsonb_build_object(
				'metric', t.metric, 'verdict', t.verdict, 'n', t.n,
				'slope_per_month', t.slope_per_month, 'p_value', t.p_value,
				'fitted_last', t.fitted_last, 'target', t.target, 'target_status', t.target_status)
			ORDER BY t.metric), '[]')
	  INTO d2
	  FROM iso27001.behaviour_trend_between(ps, pe) t
	 WHERE t.scope_id = sid AND t.cohort = '';
	d2 := jsonb_build_object('clause', '9.3.2 d) 2)', 'label', 'monitoring and measurement results',
							 'metrics', d2);

	SELECT jsonb_build_object('clause', '9.3.2 d) 4)', 'label', 'fulfilment of information security objectives',
			'targets', coalesce(jsonb_agg(jsonb_build_object(
							'metric', bt.metric, 'target', bt.target, 'due_date', bt.due_date,
							'fitted_last', tr.fitted_last,
							'met', CASE WHEN m.better = 'lower' THEN tr.fitted_last <= bt.target
										ELSE tr.fitted_last >= bt.target END,
							'status', CASE WHEN tr.metric IS NULL THEN 'no observations'
										   ELSE coalesce(tr.target_status, 'no due date') END)
						ORDER BY bt.metric), '[]'))
	  INTO d4
	  FROM iso27001.behaviour_target bt
	  JOIN iso27001.behaviour_metric m ON m.metric = bt.metric
	  LEFT JOIN (SELECT x.metric, x.fitted_last, x.target_status FROM jsonb_to_recordset(d2 -> 'metrics')
					 AS x(metric text, fitted_last double precision, target_status text)) tr
		ON tr.metric = bt.metric
	 WHERE bt.scope_id = sid;

	-- d) 3) audit results: the certification audits of the period, the
	-- internal audits held in it with their findings, and the coverage of
	-- the internal audit programme in force on its last day
	SELECT * INTO prog FROM iso27001.internal_audit_programme p
	 WHERE p.scope_id = sid AND pe BETWEEN p.period_start AND p.period_end;
	SELECT jsonb_build_object('clause', '9.3.2 d) 3)', 'label', 'audit results',
			'certification_audits', (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', c.kind, 'on_date', c.on_date, 'note', c.note)
															  ORDER BY c.on_date, c.kind), '[]')
									   FROM iso27001.certification_audit c
									  WHERE c.scope_id = sid AND c.on_date BETWEEN ps AND pe),
			'internal_audits', (SELECT coalesce(jsonb_agg(jsonb_build_object(
											'audit_id', i.audit_id, 'title', i.title, 'held_on', i.held_on,
											'auditor', i.auditor, 'findings', i.findings, 'open_findings', i.open_findings)
										ORDER BY i.held_on, i.audit_id), '[]')
								  FROM (SELECT x.audit_id, x.title, x.held_on, x.auditor,
											   (SELECT count(*) FROM iso27001.nonconformity n
												 WHERE n.scope_id = x.scope_id AND n.internal_audit_id = x.audit_id
												   AND n.raised_on <= pe) AS findings,
											   (SELECT count(*) FROM iso27001.nonconformity n
												 WHERE n.scope_id = x.scope_id AND n.internal_audit_id = x.audit_id
												   AND n.raised_on <= pe AND (n.closed_on IS NULL OR n.closed_on > pe)) AS open_findings
										  FROM iso27001.internal_audit x
										 WHERE x.scope_id = sid AND x.status = 'held' AND x.held_on BETWEEN ps AND pe) i),
			'programme', CASE WHEN prog.programme_id IS NOT NULL THEN
							(SELECT jsonb_build_object(
									'programme_id', prog.programme_id, 'period_start', prog.period_start,
									'period_end', prog.period_end,
									'audited', count(*) FILTER (WHERE i.coverage = 'audited'),
									'planned', count(*) FILTER (WHERE i.coverage = 'planned'),
									'overdue', count(*) FILTER (WHERE i.coverage = 'overdue'),
									'not_covered', count(*) FILTER (WHERE i.coverage = 'not covered'),
									'gaps', coalesce(jsonb_agg(jsonb_build_object('kind', i.kind, 'item', i.item, 'coverage', i.coverage)
															   ORDER BY i.kind, i.sort_key, i.item)
													 FILTER (WHERE i.coverage IN ('overdue', 'not covered')), '[]'))
							   FROM iso27001.internal_audit_items(scope, prog.period_start, prog.period_end, pe) i) END,
			'check', (SELECT coalesce(jsonb_agg(jsonb_build_object('rule', k.rule, 'severity', k.severity, 'count', k.n)
											   ORDER BY k.rule), '[]')
						FROM (SELECT c.rule, c.severity, count(*) AS n
								FROM iso27001.internal_audit_check(scope, pe) c
							   GROUP BY c.rule, c.severity) k))
	  INTO d3;

	-- f) the controls the SoA includes for risk treatment on the period's
	-- last day, by implementation state, and those not implemented; and
	-- the risk register: the risks identified by then, those identified,
	-- accepted and closed in the period, and those open (as their status
	-- stands now) above the acceptance level
	SELECT jsonb_build_object('clause', '9.3.2 f)', 'label', 'status of the risk treatment plan (controls of the SoA included for risk treatment, and the risk register)',
			'controls', count(*),
			'implemented', count(*) FILTER (WHERE implementation(s.entry) = 'implemented'),
			'partially_implemented', count(*) FILTER (WHERE implementation(s.entry) = 'partially implemented'),
			'planned', count(*) FILTER (WHERE implementation(s.entry) = 'planned'),
			'not_implemented', count(*) FILTER (WHERE implementation(s.entry) = 'not implemented'),
			'to_do', coalesce(jsonb_agg(jsonb_build_object('control', s.control_key,
											'implementation', implementation(s.entry), 'owner', s.owner)
									ORDER BY s.control, s.control_key)
							  FILTER (WHERE implementation(s.entry) <> 'implemented'), '[]'),
			'risks', (SELECT jsonb_build_object(
							'identified', count(*),
							'identified_in_period', count(*) FILTER (WHERE r.identified_on >= ps),
							'accepted_in_period', count(*) FILTER (WHERE r.accepted_on BETWEEN ps AND pe),
							'closed_in_period', count(*) FILTER (WHERE r.closed_on BETWEEN ps AND pe),
							'open', count(*) FILTER (WHERE r.is_open),
							'open_above_acceptance', coalesce(jsonb_agg(jsonb_build_object(
									'risk_id', r.risk_id, 'level', r.level, 'acceptance_level', r.acceptance_level,
									'treatment', r.treatment, 'owner', r.owner)
								ORDER BY r.level DESC, r.risk_id) FILTER (WHERE r.is_open AND r.above_acceptance), '[]'))
						FROM iso27001.risk_level r
					   WHERE r.scope_id = sid AND r.identified_on <= pe))
	  INTO f
	  FROM iso27001.soa_as_of(scope, t1) s
	 WHERE 'risk treatment' = ANY (reasons(s.entry));

	-- g) opportunities: the nonconformities graded opportunity raised in
	-- the period or open on its last day, and the improvement actions of
	-- reviews still open on that day
	SELECT jsonb_build_object('clause', '9.3.2 g)', 'label', 'opportunities for continual improvement',
			'nonconformities', (SELECT coalesce(jsonb_agg(jsonb_build_object(
											'nc_id', n.nc_id, 'description', n.description, 'raised_on', n.raised_on,
											'closed_on', CASE WHEN n.closed_on <= pe THEN n.closed_on END)
										ORDER BY n.raised_on, n.nc_id), '[]')
								  FROM iso27001.nonconformity n
								 WHERE n.scope_id = sid AND n.grade = 'opportunity' AND n.raised_on <= pe
								   AND (n.raised_on >= ps OR n.closed_on IS NULL OR n.closed_on > pe)),
			'improvement_actions', (SELECT coalesce(jsonb_agg(jsonb_build_object(
											'review_id', x.review_id, 'action_id', x.action_id, 'action', x.action,
											'owner', x.owner, 'due_date', x.due_date)
										ORDER BY r.held_on, x.review_id, x.action_id), '[]')
									  FROM iso27001.management_review r
									  JOIN iso27001.management_review_action x ON x.scope_id = r.scope_id AND x.review_id = r.review_id
									 WHERE r.scope_id = sid AND r.held_on <= pe AND x.kind = 'improvement'
									   AND (x.done_on IS NULL OR x.done_on > pe)))
	  INTO g;

	data := jsonb_build_object(
		'scope', scope,
		'period', jsonb_build_object('start', ps, 'end', pe, 'dates_in_time_zone', current_setting('TimeZone')),
		'inputs', jsonb_build_object(
			'previous_actions', a,
			'issues_changes', jsonb_build_object('clause', '9.3.2 b)', 'label', 'changes in external and internal issues',
												 'reviews', bce -> 'b', 'soa_changes', soa),
			'interested_parties_changes', jsonb_build_object('clause', '9.3.2 c)', 'label', 'changes in needs and expectations of interested parties',
															 'reviews', bce -> 'c'),
			'nonconformities', d1,
			'monitoring', d2,
			'audits', d3,
			'objectives', d4,
			'interested_parties_feedback', jsonb_build_object('clause', '9.3.2 e)', 'label', 'feedback from interested parties',
															  'reviews', bce -> 'e'),
			'risk_treatment', f,
			'opportunities', g));
	RETURN data || jsonb_build_object(
		'document', 'iso27001 management review input',
		'format_version', 1,
		'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'generated_by', current_user,
		'data_sha256', encode(sha256(convert_to(data::text, 'UTF8')), 'hex'),
		'digest_of', 'the text of jsonb_build_object(''scope'', pack->''scope'', ''period'', pack->''period'', ''inputs'', pack->''inputs'') (UTF-8)');
END
$$;
COMMENT ON FUNCTION iso27001.management_review_pack(text, date, date) IS
	'the input of a management review (ISO/IEC 27001:2022 clause 9.3.2 a) to g)) over a period (dates inclusive, as of its last day): earlier reviews'' actions, changes noted and the SoA''s changes, nonconformities by grade, behaviour trends, audits and programme coverage, targets, risk treatment controls, opportunities; with the SHA-256 of its data (scope, period, inputs)';

CREATE VIEW iso27001_bi.management_review_action WITH (security_invoker = true) AS
SELECT x.scope_id, s.name AS scope, x.review_id, r.held_on AS review_held_on, x.action_id, x.kind,
	   x.action, x.owner, x.due_date, x.done_on,
	   CASE WHEN x.done_on IS NOT NULL AND x.done_on OPERATOR(pg_catalog.<=) CURRENT_DATE THEN 'done'
			WHEN x.due_date OPERATOR(pg_catalog.<) CURRENT_DATE THEN 'overdue'
			ELSE 'open' END AS status,
	   CASE WHEN (x.done_on IS NULL OR x.done_on OPERATOR(pg_catalog.>) CURRENT_DATE)
				 AND x.due_date OPERATOR(pg_catalog.<) CURRENT_DATE
			THEN CURRENT_DATE OPERATOR(pg_catalog.-) x.due_date END AS days_overdue
  FROM iso27001.management_review_action x
  JOIN iso27001.management_review r
	ON r.scope_id OPERATOR(pg_catalog.=) x.scope_id AND r.review_id OPERATOR(pg_catalog.=) x.review_id
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) x.scope_id;
COMMENT ON VIEW iso27001_bi.management_review_action IS
	'the actions decided by the management reviews of every scope with their status as of today (done, open, overdue) and days overdue';
COMMENT ON COLUMN iso27001_bi.management_review_action.scope_id IS 'the scope''s key';
COMMENT ON COLUMN iso27001_bi.management_review_action.scope IS 'the scope''s name';
COMMENT ON COLUMN iso27001_bi.management_review_action.review_id IS 'the review that decided it';
COMMENT ON COLUMN iso27001_bi.management_review_action.review_held_on IS 'the day that review was held';
COMMENT ON COLUMN iso27001_bi.management_review_action.action_id IS 'the action''s identifier within its review';
COMMENT ON COLUMN iso27001_bi.management_review_action.kind IS 'improvement, isms_change or resource_need';
COMMENT ON COLUMN iso27001_bi.management_review_action.action IS 'the decision and the action it calls for';
COMMENT ON COLUMN iso27001_bi.management_review_action.owner IS 'who owns it';
COMMENT ON COLUMN iso27001_bi.management_review_action.due_date IS 'when it is due';
COMMENT ON COLUMN iso27001_bi.management_review_action.done_on IS 'when it was done';
COMMENT ON COLUMN iso27001_bi.management_review_action.status IS 'as of today: done, open or overdue (due before today and not done)';
COMMENT ON COLUMN iso27001_bi.management_review_action.days_overdue IS 'days since it was due, while overdue';
-- read by a BI reader through grant_reader (reader_tables() names the tables)




-- Issue 17 item 1: evidence records.  The tables evidence and
-- evidence_requirement with their row rules, the register's links recorded
-- as evidence (sql/evidence_records.sql as it is), soa_validate with the
-- date evidence is judged on (EVIDENCE_STALE; a new signature: DROP and
-- CREATE, with the BI view over it), the approval judged on its day, the
-- BI view evidence_freshness and the reader's tables.  After the
-- operators' move: the functions pin the search_path a fresh install
-- gives, and name the schema iso27001.
-- The canonical keys of the controls named by an evidence record or a
-- requirement: an Annex A control as the catalogue writes it (a.5.7 is
-- A.5.7), an organization-defined control as the scope's register keys
-- it; each once, in the order given
CREATE FUNCTION iso27001.evidence_control_keys(scope_id bigint, keys text[])
	RETURNS text[]
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	result text[] := '{}';
	k text;
	key text;
BEGIN
	IF keys IS NULL OR cardinality(keys) = 0 THEN
		RAISE EXCEPTION 'evidence names no control'
			USING ERRCODE = 'check_violation',
				  HINT = 'Name one or more controls: Annex A ids such as A.5.7 or the scope''s organization-defined keys.';
	END IF;
	FOREACH k IN ARRAY keys LOOP
		key := btrim(k);
		IF key IS NULL OR key = '' THEN
			RAISE EXCEPTION 'a control of evidence must not be empty or NULL'
				USING ERRCODE = 'check_violation';
		END IF;
		IF iso27001.is_valid_control(key) THEN
			key := key::iso27001.iso_control::text;
		ELSIF NOT EXISTS (SELECT FROM iso27001.soa_register r
						   WHERE r.scope_id = evidence_control_keys.scope_id
							 AND r.control_key = key AND r.control IS NULL) THEN
			RAISE EXCEPTION 'control "%" is neither an Annex A control nor an organization-defined control of the scope', key
				USING ERRCODE = 'check_violation';
		END IF;
		IF NOT key = ANY (result) THEN
			result := result || key;
		END IF;
	END LOOP;
	RETURN result;
END
$$;
COMMENT ON FUNCTION iso27001.evidence_control_keys(bigint, text[]) IS
	'the canonical keys of the controls an evidence record or requirement names (Annex A as the catalogue writes it, organization-defined as the scope''s register keys it), each once; an unknown or empty key raises 23514';

CREATE TABLE iso27001.evidence (
	evidence_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope ON DELETE CASCADE,
	control_keys text[] NOT NULL,
	uri text NOT NULL,
	title text,
	collected_at timestamptz NOT NULL,
	valid_until date,
	recurrence interval,
	owner text,
	sha256 bytea,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER
);
-- the validator and the views read a scope's records
CREATE INDEX evidence_scope ON iso27001.evidence (scope_id);
COMMENT ON TABLE iso27001.evidence IS
	'dated operating evidence of a scope''s controls: an artefact (a link), when it was collected, until when it is valid (or its recurrence), its owner and optional SHA-256; the validator''s EVIDENCE_STALE reads it';
COMMENT ON COLUMN iso27001.evidence.evidence_id IS 'the record''s identifier';
COMMENT ON COLUMN iso27001.evidence.control_keys IS 'the controls it is evidence of: Annex A ids (A.5.7) and the scope''s organization-defined keys, as the register keys them';
COMMENT ON COLUMN iso27001.evidence.uri IS 'where the artefact is (a URL, a document reference)';
COMMENT ON COLUMN iso27001.evidence.title IS 'what the artefact is';
COMMENT ON COLUMN iso27001.evidence.collected_at IS 'when the artefact was collected (produced, exported, signed)';
COMMENT ON COLUMN iso27001.evidence.valid_until IS 'the last day the artefact shows the control operating (inclusive); computed from recurrence when that is set';
COMMENT ON COLUMN iso27001.evidence.recurrence IS 'how often the artefact is collected again (90 days, 1 year): valid_until is then the day collected_at + recurrence falls on';
COMMENT ON COLUMN iso27001.evidence.owner IS 'who collects the artefact';
COMMENT ON COLUMN iso27001.evidence.sha256 IS 'SHA-256 digest of the artefact (32 bytes; 64 hexadecimal characters are accepted and decoded)';
COMMENT ON COLUMN iso27001.evidence.recorded_at IS 'when the record was written';
COMMENT ON COLUMN iso27001.evidence.recorded_by IS 'database role that wrote the record';
SELECT pg_catalog.pg_extension_config_dump('iso27001.evidence', '');
SELECT pg_catalog.pg_extension_config_dump(
	pg_catalog.pg_get_serial_sequence('iso27001.evidence', 'evidence_id'), '');
COMMENT ON SEQUENCE iso27001.evidence_evidence_id_seq IS 'identity of evidence.evidence_id';

-- The rules of an evidence record, each with its own message
CREATE FUNCTION iso27001.evidence_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	computed date;
	digits text;
BEGIN
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	NEW.control_keys := iso27001.evidence_control_keys(NEW.scope_id, NEW.control_keys);
	IF NEW.uri IS NULL OR btrim(NEW.uri) = '' THEN
		RAISE EXCEPTION 'evidence needs a URI (a link or document reference)'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.collected_at IS NULL THEN
		RAISE EXCEPTION 'evidence % needs the time it was collected', NEW.uri
			USING ERRCODE = 'not_null_violation';
	END IF;
	IF NOT isfinite(NEW.collected_at) THEN
		RAISE EXCEPTION 'collected_at of evidence % must be a finite time', NEW.uri
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NEW.valid_until IS NOT NULL AND NOT isfinite(NEW.valid_until) THEN
		RAISE EXCEPTION 'valid_until of evidence % must be a finite date', NEW.uri
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	IF NEW.recurrence IS NOT NULL THEN
		IF NEW.recurrence < interval '1 day' THEN
			RAISE EXCEPTION 'the recurrence of evidence % must be at least a day, not %', NEW.uri, NEW.recurrence
				USING ERRCODE = 'check_violation';
		END IF;
		computed := (NEW.collected_at + NEW.recurrence)::date;
		-- an explicit valid_until that disagrees with the recurrence is
		-- refused; one left as it was (an update of collected_at) follows it
		IF NEW.valid_until IS DISTINCT FROM computed
		   AND NEW.valid_until IS NOT NULL
		   AND (TG_OP = 'INSERT' OR NEW.valid_until IS DISTINCT FROM OLD.valid_until) THEN
			RAISE EXCEPTION 'evidence % gives valid_until % and a recurrence of % (which gives %)', NEW.uri, NEW.valid_until, NEW.recurrence, computed
				USING ERRCODE = 'check_violation',
					  HINT = 'Give valid_until or a recurrence, not both.';
		END IF;
		NEW.valid_until := computed;
	ELSIF NEW.valid_until IS NULL THEN
		RAISE EXCEPTION 'evidence % needs valid_until or a recurrence', NEW.uri
			USING ERRCODE = 'check_violation',
				  HINT = 'Say until when it is valid (valid_until) or how often it is collected (recurrence, such as 90 days).';
	END IF;
	IF NEW.valid_until < NEW.collected_at::date THEN
		RAISE EXCEPTION 'evidence % is valid until % but was collected on %', NEW.uri, NEW.valid_until, NEW.collected_at::date
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.sha256 IS NOT NULL THEN
		IF octet_length(NEW.sha256) = 64 THEN
			digits := encode(NEW.sha256, 'escape');
			IF digits ~ '^[0-9A-Fa-f]{64}$' THEN
				NEW.sha256 := decode(digits, 'hex');
			END IF;
		END IF;
		IF octet_length(NEW.sha256) <> 32 THEN
			RAISE EXCEPTION 'the SHA-256 of evidence % must be 32 bytes or 64 hexadecimal characters (it has % bytes)', NEW.uri, octet_length(NEW.sha256)
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.evidence_row_check() IS
	'trigger: the rules of an evidence record (known controls, a URI, finite dates, valid_until from a recurrence and not before collected_at, a SHA-256 of 32 bytes), each with its own message';

CREATE TRIGGER evidence_row_check
	BEFORE INSERT OR UPDATE ON iso27001.evidence
	FOR EACH ROW EXECUTE FUNCTION iso27001.evidence_row_check();
REVOKE EXECUTE ON FUNCTION iso27001.evidence_row_check() FROM PUBLIC;

CREATE TABLE iso27001.evidence_requirement (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope ON DELETE CASCADE,
	control_key text NOT NULL,
	note text,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, control_key)
);
COMMENT ON TABLE iso27001.evidence_requirement IS
	'the controls a scope requires current evidence for: the validator''s EVIDENCE_STALE is then an error (it blocks approval), not a warning';
COMMENT ON COLUMN iso27001.evidence_requirement.control_key IS 'the control, as the register keys it (A.5.7, an organization-defined key)';
COMMENT ON COLUMN iso27001.evidence_requirement.note IS 'why (a certification body''s request, a contract)';
SELECT pg_catalog.pg_extension_config_dump('iso27001.evidence_requirement', '');

CREATE FUNCTION iso27001.evidence_requirement_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF iso27001.soa_restoring() THEN
		RETURN NEW;
	END IF;
	NEW.control_key := (iso27001.evidence_control_keys(NEW.scope_id, ARRAY[NEW.control_key]))[1];
	IF TG_OP = 'UPDATE' THEN
		NEW.recorded_at := OLD.recorded_at;
		NEW.recorded_by := OLD.recorded_by;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.evidence_requirement_check() IS
	'trigger: a requirement of current evidence names a known control, keyed as the register keys it';

CREATE TRIGGER evidence_requirement_check
	BEFORE INSERT OR UPDATE ON iso27001.evidence_requirement
	FOR EACH ROW EXECUTE FUNCTION iso27001.evidence_requirement_check();
REVOKE EXECUTE ON FUNCTION iso27001.evidence_requirement_check() FROM PUBLIC;

-- Every link new to a control's list of evidence (soa_set(evidence =>),
-- soa_set_custom, soa_add_evidence, a plain UPDATE) is recorded as
-- evidence collected at the change, valid for a year (the annual
-- surveillance audit), owned by the control's owner.  A restore keeps the
-- dumped records as they are.
CREATE FUNCTION iso27001.soa_register_evidence_record()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF iso27001.soa_restoring() THEN
		RETURN NULL;
	END IF;
	INSERT INTO iso27001.evidence (scope_id, control_keys, uri, collected_at, recurrence, owner)
	SELECT NEW.scope_id, ARRAY[NEW.control_key], l.link, NEW.changed_at, interval '1 year', NEW.owner
	  FROM unnest(NEW.evidence) WITH ORDINALITY AS l(link, k)
	 WHERE (TG_OP = 'INSERT' OR NOT l.link = ANY (OLD.evidence))
	   AND btrim(l.link) <> ''
	 ORDER BY l.k;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION iso27001.soa_register_evidence_record() IS
	'trigger: record every link new to a control''s evidence list as evidence collected at the change, valid for a year';

CREATE TRIGGER soa_register_evidence_insert
	AFTER INSERT ON iso27001.soa_register
	FOR EACH ROW WHEN (pg_catalog.cardinality(NEW.evidence) OPERATOR(pg_catalog.>) 0)
	EXECUTE FUNCTION iso27001.soa_register_evidence_record();
CREATE TRIGGER soa_register_evidence_update
	AFTER UPDATE OF evidence ON iso27001.soa_register
	FOR EACH ROW WHEN (NOT NEW.evidence OPERATOR(pg_catalog.<@) OLD.evidence)
	EXECUTE FUNCTION iso27001.soa_register_evidence_record();
REVOKE EXECUTE ON FUNCTION iso27001.soa_register_evidence_record() FROM PUBLIC;

-- The roles granted the register keep what they did: who reads it reads
-- the evidence records and requirements (soa_validate and the BI views
-- read them), who writes it records the links it adds (the register's
-- trigger inserts them)
DO $$
DECLARE
	g record;
BEGIN
	FOR g IN
		SELECT a.grantee::pg_catalog.regrole AS grantee,
			   pg_catalog.bool_or(a.privilege_type OPERATOR(pg_catalog.=) 'SELECT') AS reads,
			   pg_catalog.bool_or(a.privilege_type OPERATOR(pg_catalog.=) ANY (ARRAY['INSERT', 'UPDATE'])) AS writes
		  FROM pg_catalog.pg_class c
		 CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
		 WHERE c.oid OPERATOR(pg_catalog.=) 'iso27001.soa_register'::pg_catalog.regclass
		   AND a.grantee OPERATOR(pg_catalog.<>) c.relowner
		   AND a.grantee OPERATOR(pg_catalog.<>) 0
		 GROUP BY a.grantee
	LOOP
		IF g.reads THEN
			EXECUTE pg_catalog.format('GRANT SELECT ON iso27001.evidence, iso27001.evidence_requirement TO %s', g.grantee);
		END IF;
		IF g.writes THEN
			EXECUTE pg_catalog.format('GRANT INSERT ON iso27001.evidence TO %s', g.grantee);
		END IF;
	END LOOP;
END
$$;

-- Today's links become evidence records, each collected when the SoA
-- history shows it first added to its control (the register's last change
-- when the history has no trace of it), valid for a year as the register
-- records new links; blank links are not recorded.
INSERT INTO iso27001.evidence (scope_id, control_keys, uri, collected_at, recurrence, owner)
SELECT r.scope_id, ARRAY[r.control_key], l.link,
	   coalesce((SELECT pg_catalog.min(h.changed_at) FROM iso27001.soa_history h
				  WHERE h.scope_id OPERATOR(pg_catalog.=) r.scope_id
					AND h.control_key OPERATOR(pg_catalog.=) r.control_key
					AND (l.link OPERATOR(pg_catalog.=) ANY (h.evidence)
						 OR l.link OPERATOR(pg_catalog.=) ANY (h.evidence_added))),
				r.changed_at),
	   interval '1 year', r.owner
  FROM iso27001.soa_register r
 CROSS JOIN LATERAL pg_catalog.unnest(r.evidence) WITH ORDINALITY AS l(link, k)
 WHERE pg_catalog.btrim(l.link) OPERATOR(pg_catalog.<>) ''
 ORDER BY r.scope_id, r.control_key, l.k;

-- soa_validate gains as_of: the BI view over it is dropped and created
-- again, with the SELECT its readers had
SELECT pg_catalog.set_config('iso27001.update_soa_finding_readers',
	   coalesce((SELECT pg_catalog.string_agg(pg_catalog.quote_ident(r.rolname), ', ')
				   FROM pg_catalog.pg_class c
				  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
				   JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) a.grantee
				  WHERE c.oid OPERATOR(pg_catalog.=) 'iso27001_bi.soa_finding'::pg_catalog.regclass
					AND a.privilege_type OPERATOR(pg_catalog.=) 'SELECT'
					AND a.grantee OPERATOR(pg_catalog.<>) c.relowner), ''), true);
DROP VIEW iso27001_bi.soa_finding;
DROP FUNCTION iso27001.soa_validate(text);

-- The date evidence is judged valid on: a finite date, else an error
-- (soa_validate is plain SQL and cannot raise one itself)
CREATE FUNCTION iso27001.validation_date(as_of date)
	RETURNS date
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
BEGIN
	IF as_of IS NULL THEN
		RAISE EXCEPTION 'as_of must not be null'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Validate as of a date: CURRENT_DATE by default.';
	END IF;
	IF NOT isfinite(as_of) THEN
		RAISE EXCEPTION 'as_of must be a finite date, not %', as_of
			USING ERRCODE = 'datetime_field_overflow';
	END IF;
	RETURN as_of;
END
$$;
COMMENT ON FUNCTION iso27001.validation_date(date) IS
	'the date the validator judges evidence valid on: as_of itself, or 22004 for NULL and 22008 for an infinite date';

-- The validator's risk and evidence rules read sets and one pass over the
-- evidence records, no longer the register row by row (issue 17's
-- benchmark): soa_census gains the sets of Annex A controls by decision.
--
-- Sets of Annex A controls as bit strings (src/annex_a_set.c): one bit a
-- control, the 93 of 2022 then the 114 of 2013, in catalogue order; the
-- validator compares them with PostgreSQL's bit string operators
CREATE FUNCTION iso27001.annex_a_bits(keys text[])
	RETURNS bit varying
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_bits(text[]) IS
	'the set of the Annex A controls among register keys (A.5.7, A.12.6.1; other keys are not in it), as a bit string of 207 bits in catalogue order (2022, then 2013)';

CREATE FUNCTION iso27001.annex_a_members(bits bit varying)
	RETURNS iso27001.iso_control[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_members(bit varying) IS
	'the Annex A controls of a set made by annex_a_bits or soa_census_agg, in catalogue order';

CREATE FUNCTION iso27001.annex_a_set_accum(bit varying, keys text[])
	RETURNS bit varying
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_set_accum(bit varying, text[]) IS
	'annex_a_set_agg transition: add the Annex A controls among a row''s keys to the set';

CREATE FUNCTION iso27001.annex_a_set_combine(bit varying, bit varying)
	RETURNS bit varying
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_set_combine(bit varying, bit varying) IS
	'annex_a_set_agg combine: the union of two partial sets';

CREATE AGGREGATE iso27001.annex_a_set_agg(keys text[]) (
	SFUNC = iso27001.annex_a_set_accum,
	STYPE = bit varying,
	COMBINEFUNC = iso27001.annex_a_set_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.annex_a_set_agg(text[]) IS
	'the set (as annex_a_bits makes) of the Annex A controls among the keys of all rows: the union of their annex_a_bits';

ALTER TYPE iso27001.soa_census
	ADD ATTRIBUTE risk_treatment bit varying,
	ADD ATTRIBUTE excluded bit varying,
	ADD ATTRIBUTE implemented bit varying,
	ADD ATTRIBUTE partially_implemented bit varying;
-- and its aggregate says how large its state is, so that the planner
-- groups the register by hashing (no aggregate's SSPACE can be altered)
DROP AGGREGATE iso27001.soa_census_agg(text, iso27001.iso_control, text, iso27001.soa_entry, text, text[], boolean);
CREATE AGGREGATE iso27001.soa_census_agg(control_key text, control iso27001.iso_control,
											title text, entry iso27001.soa_entry,
											justification text, evidence text[],
											needs_review boolean) (
	SFUNC = iso27001.soa_census_accum,
	STYPE = internal,
	SSPACE = 160,				-- bytes a scope: the counts and sets (src/soa_census.c)
	FINALFUNC = iso27001.soa_census_final,
	COMBINEFUNC = iso27001.soa_census_combine,
	SERIALFUNC = iso27001.soa_census_serialize,
	DESERIALFUNC = iso27001.soa_census_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.soa_census_agg(text, iso27001.iso_control, text, iso27001.soa_entry, text, text[], boolean) IS
	'the validator''s pass over register rows (grouped by scope): Annex A entries by edition, and the entries with a problem, flagged for review or organization-defined';
COMMENT ON TYPE iso27001.soa_census IS
	'result of soa_census_agg: Annex A entries of each edition, the entries to report on as parallel arrays (problems: the bits of soa_entry_problems, 8 flagged for review, 16 organization-defined), and the sets (annex_a_bits) of the Annex A controls included for risk treatment, excluded, implemented and partially implemented';

-- The validator's one pass over the evidence records (src/evidence_census.c):
-- grouped by scope, with the scope's requirements as rows marked required,
-- the controls whose evidence is stale on a day
CREATE TYPE iso27001.evidence_census AS (
	control_key text[],
	last_valid date[],
	required boolean[]
);
COMMENT ON TYPE iso27001.evidence_census IS
	'result of evidence_census_agg: the stale controls as parallel arrays: key, the latest expiry of their records (NULL when none was collected) and whether current evidence is required';

CREATE FUNCTION iso27001.evidence_census_accum(internal, control_keys text[],
												  collected_at timestamptz, valid_until date,
												  required boolean, as_of date)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.evidence_census_accum(internal, text[], timestamptz, date, boolean, date) IS
	'evidence_census_agg transition: what one evidence record (or one requirement) says of its controls on as_of';

CREATE FUNCTION iso27001.evidence_census_combine(internal, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.evidence_census_combine(internal, internal) IS
	'evidence_census_agg combine: fold the Annex A controls, append the organization-defined keys';

CREATE FUNCTION iso27001.evidence_census_serialize(internal)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.evidence_census_serialize(internal) IS
	'evidence_census_agg state to bytes, for parallel workers';

CREATE FUNCTION iso27001.evidence_census_deserialize(bytea, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.evidence_census_deserialize(bytea, internal) IS
	'evidence_census_agg state from bytes, every size and value checked';

CREATE FUNCTION iso27001.evidence_census_final(internal)
	RETURNS iso27001.evidence_census
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.evidence_census_final(internal) IS
	'evidence_census_agg final: the stale controls as an evidence_census row';

CREATE AGGREGATE iso27001.evidence_census_agg(control_keys text[], collected_at timestamptz,
												 valid_until date, required boolean, as_of date) (
	SFUNC = iso27001.evidence_census_accum,
	STYPE = internal,
	SSPACE = 600,				-- bytes a scope, about (src/evidence_census.c)
	FINALFUNC = iso27001.evidence_census_final,
	COMBINEFUNC = iso27001.evidence_census_combine,
	SERIALFUNC = iso27001.evidence_census_serialize,
	DESERIALFUNC = iso27001.evidence_census_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.evidence_census_agg(text[], timestamptz, date, boolean, date) IS
	'the validator''s pass over evidence records and requirements (grouped by scope): the controls with no record valid on as_of that a record collected by then names or a requirement asks for';

CREATE FUNCTION iso27001.soa_validate(scope text DEFAULT NULL, as_of date DEFAULT CURRENT_DATE)
	RETURNS TABLE (scope text, rule text, severity text, control_key text, message text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	-- One pass over the register, kept to the scopes asked for (all of
	-- them, or one read by key; one branch each, so that a cached plan
	-- serves both): soa_census_agg counts each scope's Annex A entries by
	-- edition and keeps the few that break a per-entry rule or are
	-- flagged for review (at most one per control of the catalogue: its
	-- memory does not grow with the organization-defined controls); the
	-- same pass counts the organization-defined controls.  Only the scopes
	-- whose counts are off, or that have organization-defined controls,
	-- are read again, as rows: every step after the pass groups, sorts or
	-- hashes on keys, which spill to disk, and none pairs a control with
	-- the whole register.
	--
	-- Evidence records (EVIDENCE_STALE) are read in one pass too, grouped
	-- by scope (evidence_census_agg, with the requirements): it gives the
	-- few stale controls, which the census' sets say are implemented or
	-- not.  The risk rules compare the census' sets of controls included
	-- for risk treatment and excluded with the sets the scope's risks
	-- name (annex_a_set_agg), joined to each scope once; the risks behind
	-- an excluded control, and organization-defined controls (read as rows
	-- anyway), are looked for among the scope's risks one by one.
	WITH s AS (
		SELECT s.scope_id, s.name, s.edition FROM iso27001.soa_scope s
		 WHERE (soa_validate.scope IS NULL
				OR s.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_validate.scope)))
		   AND (SELECT iso27001.validation_date(soa_validate.as_of)) IS NOT NULL
	), pass AS (
		SELECT g.scope_id,
			   iso27001.soa_census_agg(g.control_key, g.control, g.title, g.entry,
										  g.justification, g.evidence, g.needs_review)
				   FILTER (WHERE g.control IS NOT NULL) AS c,
			   pg_catalog.count(*) FILTER (WHERE g.control IS NULL) AS norg
		  FROM iso27001.soa_register g
		 WHERE soa_validate.scope IS NULL
		 GROUP BY g.scope_id
		UNION ALL
		SELECT g.scope_id,
			   iso27001.soa_census_agg(g.control_key, g.control, g.title, g.entry,
										  g.justification, g.evidence, g.needs_review)
				   FILTER (WHERE g.control IS NOT NULL),
			   pg_catalog.count(*) FILTER (WHERE g.control IS NULL)
		  FROM iso27001.soa_register g
		 WHERE soa_validate.scope IS NOT NULL
		   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_validate.scope))
		 GROUP BY g.scope_id
	), rk AS (
		-- each scope's risks: the set of Annex A controls they name, and
		-- that of the open ones (open, in treatment) (one branch each way)
		SELECT r.scope_id, iso27001.annex_a_set_agg(r.controls) AS named,
			   iso27001.annex_a_set_agg(r.controls)
				   FILTER (WHERE r.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'in treatment'])) AS open_named
		  FROM iso27001.risk r
		 WHERE soa_validate.scope IS NULL
		 GROUP BY r.scope_id
		UNION ALL
		SELECT r.scope_id, iso27001.annex_a_set_agg(r.controls),
			   iso27001.annex_a_set_agg(r.controls)
				   FILTER (WHERE r.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'in treatment']))
		  FROM iso27001.risk r
		 WHERE soa_validate.scope IS NOT NULL
		   AND r.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_validate.scope))
		 GROUP BY r.scope_id
	), checked AS (
		-- each scope with its census and its risks' sets (risk_named is
		-- NULL in a scope without risks, risk_open_named without open ones)
		SELECT s.scope_id, s.name, s.edition, p.c, coalesce(p.norg, 0) AS norg,
			   coalesce(CASE s.edition WHEN 2022 THEN (p.c).annex_2022 ELSE (p.c).annex_2013 END, 0) AS nright,
			   coalesce(CASE s.edition WHEN 2022 THEN (p.c).annex_2013 ELSE (p.c).annex_2022 END, 0) AS nwrong,
			   k.named AS risk_named, k.open_named AS risk_open_named
		  FROM s
		  LEFT JOIN pass p ON p.scope_id OPERATOR(pg_catalog.=) s.scope_id
		  LEFT JOIN rk k ON k.scope_id OPERATOR(pg_catalog.=) s.scope_id
	), own AS (
		-- the organization-defined controls of the scopes that have some
		-- (one branch each way again: one scope is read by key)
		SELECT c.scope_id, c.name, c.edition, g.control_key, g.title, g.entry,
			   g.justification, g.evidence, g.needs_review, c.risk_named IS NOT NULL AS keeps_risks
		  FROM checked c
		  JOIN iso27001.soa_register g ON g.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.norg OPERATOR(pg_catalog.>) 0
		   AND g.control IS NULL
		   AND soa_validate.scope IS NULL
		UNION ALL
		SELECT c.scope_id, c.name, c.edition, g.control_key, g.title, g.entry,
			   g.justification, g.evidence, g.needs_review, c.risk_named IS NOT NULL
		  FROM checked c
		  JOIN iso27001.soa_register g ON g.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.norg OPERATOR(pg_catalog.>) 0
		   AND g.control IS NULL
		   AND soa_validate.scope IS NOT NULL
		   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_validate.scope))
	), scoped AS (
		-- their own problems, and the keys the duplicate rule groups on: the
		-- key up to case, the title up to case and surrounding spaces
		SELECT o.scope_id, o.name, o.edition AS scope_edition, o.control_key, o.title, o.entry,
			   iso27001.soa_entry_problems(o.entry, o.justification, o.evidence)
				   OPERATOR(pg_catalog.|) CASE WHEN o.needs_review THEN 8 ELSE 0 END AS problems,
			   pg_catalog.lower(o.control_key) AS same_key,
			   pg_catalog.lower(pg_catalog.btrim(o.title)) AS same_title
		  FROM own o
		UNION ALL
		-- and the scope's Annex A controls that have one of their titles
		-- (of either edition: the register may hold the other's), each
		-- looked up by key (a scalar subquery: the planner keeps it a probe
		-- of the primary key, never a join with the whole register)
		SELECT m.scope_id, m.name, m.edition, t.control::text, NULL, NULL, 0, NULL, m.same_title
		  FROM (SELECT DISTINCT o.scope_id, o.name, o.edition,
						pg_catalog.lower(pg_catalog.btrim(o.title)) AS same_title
				  FROM own o) m
		  JOIN iso27001.annex_a_titles t
			ON pg_catalog.lower(pg_catalog.btrim(t.title)) OPERATOR(pg_catalog.=) m.same_title
		 WHERE (SELECT true FROM iso27001.soa_register g
				 WHERE g.scope_id OPERATOR(pg_catalog.=) m.scope_id
				   AND g.control_key OPERATOR(pg_catalog.=) t.control::text)
	), suspect AS (
		-- the kept Annex A entries, one row each (the arrays have one length)
		SELECT x.scope_id, x.name, x.scope_edition, x.control_key, x.control,
			   coalesce(x.title, t.title) AS title, x.entry, x.problems
		  FROM (SELECT c.scope_id, c.name, c.edition AS scope_edition,
					   pg_catalog.unnest((c.c).control_key) AS control_key,
					   pg_catalog.unnest((c.c).control) AS control,
					   pg_catalog.unnest((c.c).title) AS title,
					   pg_catalog.unnest((c.c).entry) AS entry,
					   pg_catalog.unnest((c.c).problems) AS problems
				  FROM checked c) x
		  -- (compared as text: a control's text is its key in the catalogue)
		  LEFT JOIN iso27001.annex_a_titles t ON t.control::text OPERATOR(pg_catalog.=) x.control_key
		UNION ALL
		-- and the organization-defined controls with a problem
		SELECT r.scope_id, r.name, r.scope_edition, r.control_key, NULL, r.title, r.entry,
			   r.problems
		  FROM scoped r
		 WHERE r.problems OPERATOR(pg_catalog.<>) 0
	), ranked AS (
		-- each control's place among the controls of its scope with the same
		-- key up to case, the same title, and both
		SELECT r.scope_id, r.name, r.scope_edition, r.control_key, r.same_key, r.same_title,
			   pg_catalog.row_number() OVER (by_key ORDER BY r.control_key) AS key_rank,
			   pg_catalog.count(*) OVER by_key AS same_keys,
			   pg_catalog.row_number() OVER (by_title ORDER BY r.control_key) AS title_rank,
			   pg_catalog.count(*) OVER by_title AS same_titles,
			   pg_catalog.count(*) OVER (PARTITION BY r.scope_id, r.same_key, r.same_title) AS same_both
		  FROM scoped r
		-- (the counts over whole partitions: no ORDER BY, no running count)
		WINDOW by_key AS (PARTITION BY r.scope_id, r.same_key),
			   by_title AS (PARTITION BY r.scope_id, r.same_title)
	), duplicated AS (
		-- organization-defined controls that repeat another control's key
		-- (up to case) or title, with how many they repeat
		SELECT x.scope_id, x.name, x.scope_edition, x.control_key, x.same_key, x.same_title,
			   (x.same_keys OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.+) x.same_titles
				   OPERATOR(pg_catalog.-) x.same_both AS others
		  FROM ranked x
		 WHERE x.same_key IS NOT NULL
		   AND (x.same_keys OPERATOR(pg_catalog.>) 1 OR x.same_titles OPERATOR(pg_catalog.>) 1)
	), listed AS (
		-- the first 10 of them by key: among the first 11 of each group
		SELECT o.scope_id, o.control_key, o.other,
			   pg_catalog.row_number() OVER (PARTITION BY o.scope_id, o.control_key
											 ORDER BY o.other) AS i
		  FROM (SELECT x.scope_id, x.control_key, h.control_key AS other
				  FROM duplicated x
				  JOIN ranked h
					ON h.scope_id OPERATOR(pg_catalog.=) x.scope_id
				   AND h.same_key OPERATOR(pg_catalog.=) x.same_key
				   AND h.key_rank OPERATOR(pg_catalog.<=) 11
				 WHERE h.control_key OPERATOR(pg_catalog.<>) x.control_key
				UNION
				SELECT x.scope_id, x.control_key, h.control_key
				  FROM duplicated x
				  JOIN ranked h
					ON h.scope_id OPERATOR(pg_catalog.=) x.scope_id
				   AND h.same_title OPERATOR(pg_catalog.=) x.same_title
				   AND h.title_rank OPERATOR(pg_catalog.<=) 11
				 WHERE h.control_key OPERATOR(pg_catalog.<>) x.control_key) o
	), ev AS (
		-- the stale controls of each scope: one pass over its evidence
		-- records and its requirements of current evidence (rows marked
		-- required), grouped by scope (one branch each way)
		SELECT x.scope_id,
			   iso27001.evidence_census_agg(x.control_keys, x.collected_at, x.valid_until,
											x.required, soa_validate.as_of) AS v
		  FROM (SELECT e.scope_id, e.control_keys, e.collected_at, e.valid_until, false AS required
				  FROM iso27001.evidence e
				 WHERE soa_validate.scope IS NULL
				UNION ALL
				SELECT q.scope_id, ARRAY[q.control_key], NULL, NULL, true
				  FROM iso27001.evidence_requirement q
				 WHERE soa_validate.scope IS NULL
				UNION ALL
				SELECT e.scope_id, e.control_keys, e.collected_at, e.valid_until, false
				  FROM iso27001.evidence e
				 WHERE soa_validate.scope IS NOT NULL
				   AND e.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_validate.scope))
				UNION ALL
				SELECT q.scope_id, ARRAY[q.control_key], NULL, NULL, true
				  FROM iso27001.evidence_requirement q
				 WHERE soa_validate.scope IS NOT NULL
				   AND q.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_validate.scope))) x
		 GROUP BY x.scope_id
	), stale AS (
		-- those implemented (fully or partly): Annex A controls by the
		-- census' sets, organization-defined ones by their entries
		SELECT y.name, y.control_key, y.control, y.edition, y.last_valid, y.required, y.implementation
		  FROM (SELECT t.name, x.control_key, (iso27001.annex_a_members(b.bits))[1] AS control,
					   t.edition, x.last_valid, x.required,
					   CASE WHEN pg_catalog.bit_count(b.bits OPERATOR(pg_catalog.&) (t.c).implemented)
								 OPERATOR(pg_catalog.>) 0 THEN 'implemented'
							WHEN pg_catalog.bit_count(b.bits OPERATOR(pg_catalog.&) (t.c).partially_implemented)
								 OPERATOR(pg_catalog.>) 0 THEN 'partially implemented'
							ELSE iso27001.implementation(o.entry) END AS implementation
				  FROM ev
				  JOIN checked t ON t.scope_id OPERATOR(pg_catalog.=) ev.scope_id
				 CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest((ev.v).control_key),
											   pg_catalog.unnest((ev.v).last_valid),
											   pg_catalog.unnest((ev.v).required)) x(control_key, last_valid, required)
				 CROSS JOIN LATERAL (SELECT iso27001.annex_a_bits(ARRAY[x.control_key]) AS bits) b
				  LEFT JOIN own o
					ON o.scope_id OPERATOR(pg_catalog.=) t.scope_id
				   AND o.control_key OPERATOR(pg_catalog.=) x.control_key) y
		 WHERE y.implementation OPERATOR(pg_catalog.=) ANY (ARRAY['implemented', 'partially implemented'])
	), finding AS (
		-- the per-entry rules, one branch per bit of the census' problems
		-- (tested as "bits & b = b": the planner expects few rows of such
		-- a test, and few there are)
		SELECT x.name, 'UNDECIDED' AS rule, x.control_key, x.control, x.entry, x.title,
			   -- (other: the control a duplicate repeats, the risks of an
			   -- excluded control, the implementation of a stale one)
			   x.scope_edition, NULL::text AS other, NULL::bigint AS others,
			   NULL::date AS last_valid, NULL::boolean AS required
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 1 OPERATOR(pg_catalog.=) 1
		UNION ALL
		SELECT x.name,
			   CASE WHEN iso27001.is_applicable(x.entry) THEN 'INCLUSION_WITHOUT_JUSTIFICATION'
					ELSE 'EXCLUSION_WITHOUT_JUSTIFICATION' END,
			   x.control_key, x.control, x.entry, x.title, x.scope_edition, NULL, NULL, NULL, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 2 OPERATOR(pg_catalog.=) 2
		UNION ALL
		SELECT x.name, 'NO_EVIDENCE', x.control_key, x.control, x.entry, x.title, x.scope_edition,
			   NULL, NULL, NULL, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 4 OPERATOR(pg_catalog.=) 4
		   -- no link, and no evidence record collected by as_of either
		   AND NOT EXISTS (SELECT FROM iso27001.evidence e
							WHERE e.scope_id OPERATOR(pg_catalog.=) x.scope_id
							  AND x.control_key OPERATOR(pg_catalog.=) ANY (e.control_keys)
							  AND e.collected_at OPERATOR(pg_catalog.<) (soa_validate.as_of OPERATOR(pg_catalog.+) 1)::timestamptz)
		UNION ALL
		SELECT x.name, 'EVIDENCE_STALE', x.control_key, x.control, NULL, NULL, x.edition,
			   x.implementation, NULL, x.last_valid, x.required
		  FROM stale x
		UNION ALL
		SELECT x.name, 'NEEDS_REVIEW', x.control_key, x.control, x.entry, x.title, x.scope_edition,
			   NULL, NULL, NULL, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 8 OPERATOR(pg_catalog.=) 8
		UNION ALL
		-- organization-defined controls that repeat another control: one
		-- finding for each of the first 10 others, then one that counts them
		-- all when there are more
		SELECT x.name, 'DUPLICATE', x.control_key, NULL, NULL, NULL, x.scope_edition,
			   l.other, NULL, NULL, NULL
		  FROM duplicated x
		  JOIN listed l
			ON l.scope_id OPERATOR(pg_catalog.=) x.scope_id
		   AND l.control_key OPERATOR(pg_catalog.=) x.control_key
		 WHERE l.i OPERATOR(pg_catalog.<=) 10
		UNION ALL
		SELECT x.name, 'DUPLICATE', x.control_key, NULL, NULL, NULL, x.scope_edition,
			   NULL, x.others, NULL, NULL
		  FROM duplicated x
		 WHERE x.others OPERATOR(pg_catalog.>) 10
		UNION ALL
		-- entries of the other edition, in the scopes that have some
		SELECT c.name, 'WRONG_EDITION', r.control_key, r.control, r.entry, NULL, c.edition,
			   NULL, NULL, NULL, NULL
		  FROM checked c
		  JOIN iso27001.soa_register r ON r.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.nwrong OPERATOR(pg_catalog.>) 0
		   AND iso27001.edition(r.control) OPERATOR(pg_catalog.<>) c.edition
		UNION ALL
		-- Annex A controls without an entry, in the scopes short of some
		SELECT c.name, 'ANNEX_A_MISSING', t.control::text, t.control, NULL, t.title, c.edition,
			   NULL, NULL, NULL, NULL
		  FROM checked c
		  JOIN iso27001.annex_a_titles t ON t.edition OPERATOR(pg_catalog.=) c.edition
		 WHERE c.nright OPERATOR(pg_catalog.<) CASE c.edition WHEN 2022 THEN 93 ELSE 114 END
		   AND NOT EXISTS (SELECT FROM iso27001.soa_register g
							WHERE g.scope_id OPERATOR(pg_catalog.=) c.scope_id
							  AND g.control_key OPERATOR(pg_catalog.=) t.control::text)
		UNION ALL
		-- Annex A controls included for risk treatment that no risk of the
		-- register relies on, in the scopes that keep a risk register (one
		-- with no risk at all is not kept here): a difference of sets
		SELECT c.name, 'RISK_TREATMENT_WITHOUT_RISK', m.control::text, m.control, NULL, NULL, c.edition,
			   NULL, NULL, NULL, NULL
		  FROM checked c
		 CROSS JOIN LATERAL pg_catalog.unnest(iso27001.annex_a_members(
				   (c.c).risk_treatment OPERATOR(pg_catalog.&) (OPERATOR(pg_catalog.~) c.risk_named))) m(control)
		 WHERE c.risk_named IS NOT NULL
		UNION ALL
		-- and organization-defined ones, each looked for among the risks
		SELECT o.name, 'RISK_TREATMENT_WITHOUT_RISK', o.control_key, NULL, o.entry, NULL, o.edition,
			   NULL, NULL, NULL, NULL
		  FROM own o
		 WHERE o.keeps_risks
		   AND iso27001.is_applicable(o.entry)
		   AND 'risk treatment' OPERATOR(pg_catalog.=) ANY (iso27001.reasons(o.entry))
		   AND NOT EXISTS (SELECT FROM iso27001.risk r
							WHERE r.scope_id OPERATOR(pg_catalog.=) o.scope_id
							  AND o.control_key OPERATOR(pg_catalog.=) ANY (r.controls))
		UNION ALL
		-- excluded Annex A controls that open risks rely on (an intersection
		-- of sets), with those risks, read among the scope's risks
		SELECT c.name, 'EXCLUDED_WITH_OPEN_RISK', m.control::text, m.control, NULL, NULL, c.edition,
			   pg_catalog.string_agg(r.risk_id, ', ' ORDER BY r.risk_id), NULL, NULL, NULL
		  FROM checked c
		 CROSS JOIN LATERAL pg_catalog.unnest(iso27001.annex_a_members(
				   (c.c).excluded OPERATOR(pg_catalog.&) c.risk_open_named)) m(control)
		  JOIN iso27001.risk r ON r.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.risk_open_named IS NOT NULL
		   AND r.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'in treatment'])
		   AND m.control::text OPERATOR(pg_catalog.=) ANY (r.controls)
		 GROUP BY c.scope_id, c.name, m.control, c.edition
		UNION ALL
		-- and excluded organization-defined ones
		SELECT o.name, 'EXCLUDED_WITH_OPEN_RISK', o.control_key, NULL, o.entry, NULL, o.edition,
			   x.risks, NULL, NULL, NULL
		  FROM own o
		 CROSS JOIN LATERAL (SELECT pg_catalog.string_agg(r.risk_id, ', ' ORDER BY r.risk_id) AS risks
							   FROM iso27001.risk r
							  WHERE r.scope_id OPERATOR(pg_catalog.=) o.scope_id
								AND r.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'in treatment'])
								AND o.control_key OPERATOR(pg_catalog.=) ANY (r.controls)) x
		 WHERE o.keeps_risks
		   AND NOT iso27001.is_applicable(o.entry)
		   AND x.risks IS NOT NULL
	)
	SELECT f.name, f.rule,
		   CASE WHEN f.rule OPERATOR(pg_catalog.=) ANY (ARRAY['NO_EVIDENCE', 'NEEDS_REVIEW', 'DUPLICATE',
																  'RISK_TREATMENT_WITHOUT_RISK'])
					 OR NOT coalesce(f.required, true)
				THEN 'warning' ELSE 'error' END,
		   f.control_key,
		   CASE f.rule
			WHEN 'UNDECIDED' THEN pg_catalog.format(
				'No decision on %s "%s": include it with its reasons or exclude it, with a justification.',
				f.control_key, f.title)
			WHEN 'EXCLUSION_WITHOUT_JUSTIFICATION' THEN pg_catalog.format(
				'%s is excluded without a justification (clause 6.1.3 d).', f.control_key)
			WHEN 'INCLUSION_WITHOUT_JUSTIFICATION' THEN pg_catalog.format(
				'%s is included without a justification (clause 6.1.3 d).', f.control_key)
			WHEN 'WRONG_EDITION' THEN pg_catalog.format(
				'%s is an ISO/IEC 27001:%s control in an ISO/IEC 27001:%s SoA.',
				f.control, iso27001.edition(f.control), f.scope_edition)
			WHEN 'NO_EVIDENCE' THEN pg_catalog.format(
				'%s is %s but no evidence is linked.', f.control_key, iso27001.implementation(f.entry))
			WHEN 'EVIDENCE_STALE' THEN CASE
				WHEN f.last_valid IS NULL THEN pg_catalog.format(
				'%s is %s and requires current evidence, but none was collected by %s.',
				f.control_key, f.other, soa_validate.as_of)
				WHEN f.required THEN pg_catalog.format(
				'%s is %s and requires current evidence, but none is valid on %s: the latest expired on %s.',
				f.control_key, f.other, soa_validate.as_of, f.last_valid)
				ELSE pg_catalog.format(
				'%s is %s but none of its evidence is valid on %s: the latest expired on %s.',
				f.control_key, f.other, soa_validate.as_of, f.last_valid) END
			WHEN 'NEEDS_REVIEW' THEN pg_catalog.format('%s is flagged for review.', f.control_key)
			WHEN 'DUPLICATE' THEN CASE WHEN f.others IS NULL THEN pg_catalog.format(
				'Organization-defined control %s duplicates %s.', f.control_key, f.other)
				ELSE pg_catalog.format(
				'Organization-defined control %s duplicates %s controls in all; the first 10 are listed.',
				f.control_key, f.others) END
			WHEN 'ANNEX_A_MISSING' THEN pg_catalog.format(
				'Annex A control %s "%s" has no entry in the SoA.', f.control, f.title)
			WHEN 'RISK_TREATMENT_WITHOUT_RISK' THEN pg_catalog.format(
				'%s is included for risk treatment, but no risk of the register relies on it (clause 6.1.3 b).',
				f.control_key)
			WHEN 'EXCLUDED_WITH_OPEN_RISK' THEN pg_catalog.format(
				'%s is excluded, but the treatment of open %s %s relies on it (clause 6.1.3 b, d).',
				f.control_key, CASE WHEN f.other LIKE '%, %' THEN 'risks' ELSE 'risk' END, f.other)
		   END
	  FROM finding f
	 -- by scope, errors first, then in catalogue order (organization-defined
	 -- controls last, by key; a control's count of duplicates after the
	 -- ones listed)
	 ORDER BY 1, 3, f.control, 4, 2, f.others IS NOT NULL, 5;
END;
COMMENT ON FUNCTION iso27001.soa_validate(text, date) IS
	'what an auditor would find wrong in a scope''s SoA (all scopes when NULL), with evidence judged valid or stale as of a date (today by default): rule, severity (errors block approval), control and message';

CREATE VIEW iso27001_bi.soa_finding WITH (security_invoker = true) AS
SELECT s.scope_id, f.scope, f.rule, f.severity, f.control_key AS control_id,
	   CASE WHEN f.control_key IS NULL THEN NULL
			WHEN iso27001.is_valid_control(f.control_key)
			THEN iso27001.sort_key(f.control_key::iso27001.iso_control)
			ELSE 999999 END AS sort_key,
	   f.message
  FROM iso27001.soa_validate() f
  JOIN iso27001.soa_scope s ON s.name OPERATOR(pg_catalog.=) f.scope;
COMMENT ON VIEW iso27001_bi.soa_finding IS
	'the SoA validator''s findings for every scope: rule, severity (error, warning), control and message';
COMMENT ON COLUMN iso27001_bi.soa_finding.scope_id IS 'identifier of the ISMS scope';
COMMENT ON COLUMN iso27001_bi.soa_finding.scope IS 'name of the ISMS scope';
COMMENT ON COLUMN iso27001_bi.soa_finding.rule IS 'identifier of the rule';
COMMENT ON COLUMN iso27001_bi.soa_finding.severity IS 'error or warning';
COMMENT ON COLUMN iso27001_bi.soa_finding.control_id IS 'the control as text: A.5.7 for Annex A (OSCAL: a.5.7), the organization''s key otherwise';
COMMENT ON COLUMN iso27001_bi.soa_finding.sort_key IS 'integer for natural order: A.5.7 is 50700, A.12.6.1 is 120601 (organization-defined: 999999)';
COMMENT ON COLUMN iso27001_bi.soa_finding.message IS 'what the validator found, in a sentence';
DO $$
BEGIN
	IF pg_catalog.current_setting('iso27001.update_soa_finding_readers') OPERATOR(pg_catalog.<>) '' THEN
		EXECUTE 'GRANT SELECT ON iso27001_bi.soa_finding TO '
				OPERATOR(pg_catalog.||) pg_catalog.current_setting('iso27001.update_soa_finding_readers');
	END IF;
END
$$;

-- At approval, evidence is judged on the day of the approval
CREATE OR REPLACE FUNCTION iso27001.soa_version_snapshot()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	scope_name text;
	errors bigint;
	first_error text;
BEGIN
	IF iso27001.soa_restoring() THEN
		RETURN NULL;
	END IF;
	SELECT s.name INTO scope_name FROM iso27001.soa_scope s WHERE s.scope_id = NEW.scope_id;
	IF EXISTS (SELECT FROM iso27001.soa_register r
				WHERE r.scope_id = NEW.scope_id AND r.changed_at > NEW.approved_at) THEN
		RAISE EXCEPTION 'the SoA of scope "%" changed during its approval', scope_name
			USING ERRCODE = 'check_violation',
				  HINT = 'Approve in a statement of its own.';
	END IF;
	-- evidence is judged on the day of the approval
	SELECT count(*), min(v.control_key || ': ' || v.message) INTO errors, first_error
	  FROM iso27001.soa_validate(scope_name, NEW.approved_at::date) v WHERE v.severity = 'error';
	IF errors > 0 THEN
		RAISE EXCEPTION 'the SoA of scope "%" has % error(s) and cannot be approved', scope_name, errors
			USING ERRCODE = 'check_violation',
				  DETAIL = 'First: ' || first_error,
				  HINT = format('SELECT * FROM iso27001.soa_validate(%L) lists them.', scope_name);
	END IF;

	INSERT INTO iso27001.soa_version_entry
		(scope_id, version, control_key, control, title, entry, justification,
		 owner, evidence, needs_review, changed_at, changed_by)
	SELECT r.scope_id, NEW.version, r.control_key, r.control, coalesce(r.title, t.title),
		   r.entry, r.justification, r.owner, r.evidence, r.needs_review,
		   r.changed_at, r.changed_by
	  FROM iso27001.soa_register r
	  LEFT JOIN iso27001.annex_a_titles t ON t.control = r.control
	 WHERE r.scope_id = NEW.scope_id;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION iso27001.soa_version_snapshot() IS
	'trigger: refuse an approval while soa_validate reports errors (evidence judged on the day of the approval), then copy the register into the entries of the new version';

-- The freshness of every scope's evidence records as of today, per control
-- and owner (a record of several controls counts for each): how many are
-- valid beyond the next 30 days, due within them, expired, and the
-- control's status; a control the scope requires current evidence for
-- shows with no record as missing.  Records collected after today are not
-- counted (the validator's rule, EVIDENCE_STALE, as of today).
CREATE VIEW iso27001_bi.evidence_freshness WITH (security_invoker = true) AS
SELECT coalesce(a.scope_id, q.scope_id) AS scope_id, s.name AS scope,
	   coalesce(a.control_key, q.control_key) AS control_id,
	   CASE WHEN iso27001.is_valid_control(coalesce(a.control_key, q.control_key))
			THEN iso27001.sort_key(coalesce(a.control_key, q.control_key)::iso27001.iso_control)
			ELSE 999999 END AS sort_key,
	   a.owner, coalesce(a.records, 0) AS records, coalesce(a.valid_records, 0) AS valid_records,
	   coalesce(a.due_records, 0) AS due_records, coalesce(a.expired_records, 0) AS expired_records,
	   a.latest_valid_until, (a.latest_valid_until OPERATOR(pg_catalog.-) CURRENT_DATE) AS days_left,
	   CASE WHEN a.latest_valid_until IS NULL THEN 'missing'
			WHEN a.latest_valid_until OPERATOR(pg_catalog.<) CURRENT_DATE THEN 'overdue'
			WHEN a.latest_valid_until OPERATOR(pg_catalog.<=) (CURRENT_DATE OPERATOR(pg_catalog.+) 30) THEN 'due'
			ELSE 'current' END AS status,
	   q.scope_id IS NOT NULL AS required
  FROM (SELECT e.scope_id, k.control_key, e.owner, pg_catalog.count(*) AS records,
			   pg_catalog.count(*) FILTER (WHERE e.valid_until OPERATOR(pg_catalog.>)
										   (CURRENT_DATE OPERATOR(pg_catalog.+) 30)) AS valid_records,
			   pg_catalog.count(*) FILTER (WHERE e.valid_until OPERATOR(pg_catalog.>=) CURRENT_DATE
										     AND e.valid_until OPERATOR(pg_catalog.<=)
												 (CURRENT_DATE OPERATOR(pg_catalog.+) 30)) AS due_records,
			   pg_catalog.count(*) FILTER (WHERE e.valid_until OPERATOR(pg_catalog.<) CURRENT_DATE) AS expired_records,
			   pg_catalog.max(e.valid_until) AS latest_valid_until
		  FROM iso27001.evidence e
		 CROSS JOIN LATERAL pg_catalog.unnest(e.control_keys) AS k(control_key)
		 WHERE e.collected_at OPERATOR(pg_catalog.<) (CURRENT_DATE OPERATOR(pg_catalog.+) 1)::timestamptz
		 GROUP BY e.scope_id, k.control_key, e.owner) a
  FULL JOIN iso27001.evidence_requirement q
	ON q.scope_id OPERATOR(pg_catalog.=) a.scope_id AND q.control_key OPERATOR(pg_catalog.=) a.control_key
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) coalesce(a.scope_id, q.scope_id);
COMMENT ON VIEW iso27001_bi.evidence_freshness IS
	'the freshness of every scope''s evidence records as of today, per control and owner: records valid beyond 30 days, due within 30 days, expired, the latest valid_until with days left, and the status (current, due, overdue; missing for a required control without a record)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.scope_id IS 'identifier of the ISMS scope';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.scope IS 'name of the ISMS scope';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.control_id IS 'the control as text: A.5.7 for Annex A (OSCAL: a.5.7), the organization''s key otherwise';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.sort_key IS 'integer for natural order: A.5.7 is 50700, A.12.6.1 is 120601 (organization-defined: 999999)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.owner IS 'who collects the evidence (the records'' owner)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.records IS 'number of evidence records of the control collected by today (a record of several controls counts for each)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.valid_records IS 'records valid beyond the next 30 days';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.due_records IS 'records whose validity ends within the next 30 days (today included)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.expired_records IS 'records whose validity ended before today';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.latest_valid_until IS 'the last day the freshest record is valid; empty without a record';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.days_left IS 'days from today to latest_valid_until (negative: overdue)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.status IS 'current, due (within 30 days), overdue (expired), or missing (a required control without a record)';
COMMENT ON COLUMN iso27001_bi.evidence_freshness.required IS 'the scope requires current evidence for the control (evidence_requirement): EVIDENCE_STALE is then an error';



-- The tables under the BI views, with those of every section above: the
-- programme and audits, the risks, the reviews, the evidence records
CREATE OR REPLACE FUNCTION iso27001.reader_tables()
	RETURNS regclass[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(c.oid::regclass ORDER BY c.relname)
	  FROM pg_catalog.pg_class c
	 WHERE c.relnamespace OPERATOR(pg_catalog.=) 'iso27001'::regnamespace
	   AND c.relkind OPERATOR(pg_catalog.=) 'r'
	   AND c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['soa_scope', 'soa_register', 'soa_version',
			'soa_version_entry', 'certificate', 'certificate_event', 'certification_audit',
			'behaviour_observation', 'behaviour_target', 'nonconformity', 'internal_audit_programme',
			'internal_audit', 'risk', 'risk_scale', 'management_review', 'management_review_action',
			'evidence', 'evidence_requirement']::name[]);
END;
COMMENT ON FUNCTION iso27001.reader_tables() IS
	'the tables under the BI views that grant_reader grants SELECT on: every table with a scope_id but the change history (soa_history)';


-- issue 16 item 4: the observations' foreign key on (metric, kind) says
-- what it checks in its name, which PostgreSQL's message shows
ALTER TABLE iso27001.behaviour_observation
	RENAME CONSTRAINT behaviour_observation_metric_kind_fkey TO metric_known_and_of_this_kind;
COMMENT ON CONSTRAINT metric_known_and_of_this_kind ON iso27001.behaviour_observation IS
	'the metric exists, and the columns filled match its kind: events and trials for a rate, value for a value (kind is computed from them)';

-- delete_scope deletes everything a scope holds: the tables added in 0.2.2
-- reference the scope, and stopped it at their foreign keys
CREATE OR REPLACE FUNCTION iso27001.delete_scope(scope text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, public, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	IF NOT iso27001.soa_administrator() THEN
		RAISE EXCEPTION 'only an administrator of the SoA register can delete a scope'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Administrators are members of the role that owns the register''s tables.';
	END IF;
	-- a retry finds the scope gone: there is nothing more to do
	SELECT s.scope_id INTO id FROM iso27001.soa_scope s WHERE s.name = delete_scope.scope;
	IF NOT FOUND THEN
		RAISE NOTICE 'ISMS scope "%" does not exist, skipping', scope;
		RETURN;
	END IF;
	-- what the scope holds besides its SoA, rows that others reference
	-- after them (every table with a scope_id is named here: the test
	-- register_writes.sql checks it)
	DELETE FROM iso27001.management_review_action x WHERE x.scope_id = id;
	DELETE FROM iso27001.management_review x WHERE x.scope_id = id;
	DELETE FROM iso27001.nonconformity x WHERE x.scope_id = id;
	DELETE FROM iso27001.internal_audit x WHERE x.scope_id = id;
	DELETE FROM iso27001.internal_audit_programme x WHERE x.scope_id = id;
	DELETE FROM iso27001.risk x WHERE x.scope_id = id;
	DELETE FROM iso27001.risk_scale x WHERE x.scope_id = id;
	DELETE FROM iso27001.evidence_requirement x WHERE x.scope_id = id;
	DELETE FROM iso27001.evidence x WHERE x.scope_id = id;
	DELETE FROM iso27001.certification_audit x WHERE x.scope_id = id;
	DELETE FROM iso27001.certificate_event x WHERE x.scope_id = id;
	DELETE FROM iso27001.certificate x WHERE x.scope_id = id;
	DELETE FROM iso27001.behaviour_target x WHERE x.scope_id = id;
	DELETE FROM iso27001.behaviour_observation x WHERE x.scope_id = id;
	DELETE FROM iso27001.soa_version_entry e WHERE e.scope_id = id;
	DELETE FROM iso27001.soa_version v WHERE v.scope_id = id;
	DELETE FROM iso27001.soa_register r WHERE r.scope_id = id;
	DELETE FROM iso27001.soa_history h WHERE h.scope_id = id;
	DELETE FROM iso27001.soa_scope s WHERE s.scope_id = id;
END
$$;
COMMENT ON FUNCTION iso27001.delete_scope(text) IS
	'delete a scope with everything it holds: its SoA, history and versions, certificate, audits, observations, targets, evidence records, risks, nonconformities, internal audits and management reviews (administrators only; the only way to remove history and versions; an administrator''s own DELETE can remove an Annex A entry too, recorded as a removal and reported by the validator); a scope that does not exist is skipped with a notice';

-- Issue 17: the validator reads the organization-defined controls of the
-- scopes through a small partial index, not a scan of the whole register
CREATE INDEX soa_register_organization ON iso27001.soa_register (scope_id) WHERE control IS NULL;
COMMENT ON INDEX iso27001.soa_register_organization IS
	'the organization-defined controls of each scope, which the validator reads apart from the Annex A entries';
