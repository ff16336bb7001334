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
