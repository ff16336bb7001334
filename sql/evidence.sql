--
-- Evidence for an auditor (controls 6.3 and 6.8, clause 10): one document
-- per scope, metric and period, and its chart.  Both only read.
--

-- The trend states of a scope's metric over a period: least squares and
-- robust over the per-period value (a rate as a fraction), the rate trend
-- over events out of trials; the whole scope's campaigns (a campaign split
-- by cohort summed, docs/trend_statistics.md §13.1)
CREATE FUNCTION iso27001.evidence_states(scope_id bigint, metric text,
											period_start date, period_end date,
											OUT ols iso27001.trend_ols,
											OUT rate iso27001.trend_rate,
											OUT robust iso27001.trend_robust)
	RETURNS record
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT iso27001.trend_ols_agg(x.y, x.observed_at),
		   iso27001.trend_rate_agg(x.events, x.trials, x.observed_at),
		   iso27001.trend_robust_agg(x.y, x.observed_at)
	  FROM (SELECT o.observed_at, o.events, o.trials,
				   CASE WHEN o.trials IS NULL THEN o.value
						ELSE o.events::double precision OPERATOR(pg_catalog./) o.trials END AS y
			  FROM iso27001.behaviour_campaign o
			 WHERE o.scope_id OPERATOR(pg_catalog.=) evidence_states.scope_id
			   AND o.metric OPERATOR(pg_catalog.=) evidence_states.metric
			   AND o.cohort OPERATOR(pg_catalog.=) ''
			   AND (evidence_states.period_start IS NULL
					OR o.observed_at OPERATOR(pg_catalog.>=) evidence_states.period_start::timestamptz)
			   AND (evidence_states.period_end IS NULL
					OR o.observed_at OPERATOR(pg_catalog.<)
					   (evidence_states.period_end OPERATOR(pg_catalog.+) 1)::timestamptz)) x;
END;
COMMENT ON FUNCTION iso27001.evidence_states(bigint, text, date, date) IS
	'the least-squares, rate and robust trend states of a scope''s metric between two dates (inclusive; NULL is open), over the whole scope''s campaigns (behaviour_campaign, cohort '''')';

CREATE FUNCTION iso27001.evidence_pack(scope text, metric text,
										  period_start date DEFAULT NULL,
										  period_end date DEFAULT NULL,
										  alpha double precision DEFAULT 0.05,
										  max_observations integer DEFAULT 100000)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
DECLARE
	sid bigint := iso27001.evidence_period_check(scope, metric, period_start, period_end);
	m iso27001.behaviour_metric;
	s iso27001.soa_scope;
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
	SELECT * INTO m FROM iso27001.behaviour_metric b WHERE b.metric = evidence_pack.metric;
	SELECT * INTO s FROM iso27001.soa_scope x WHERE x.scope_id = sid;

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
	  FROM iso27001.evidence_observations(scope, metric, period_start, period_end)
		   WITH ORDINALITY AS e(observed_at, events, trials, value, k);

	st := iso27001.evidence_states(sid, metric, period_start, period_end);
	IF n(st.ols) > 0 THEN
		families := families || jsonb_build_object('least_squares', jsonb_build_object(
			'method', 'ordinary least squares of the per-period ' || CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'value' END,
			'n', n(st.ols), 'slope_per_month', slope(st.ols, '1 month'),
			'slope_lower', slope_lower(st.ols, '1 month', level), 'slope_upper', slope_upper(st.ols, '1 month', level),
			'slope_stderr', slope_stderr(st.ols, '1 month'), 't_value', t_value(st.ols),
			'p_value', p_value(st.ols), 'r2', r2(st.ols),
			'fitted_first', fitted_first(st.ols), 'fitted_last', fitted_last(st.ols),
			'verdict', iso27001.verdict(st.ols, m.better, alpha)));
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
			'verdict', iso27001.verdict(st.rate, m.better, alpha)));
	END IF;
	IF n(st.robust) > 0 THEN
		families := families || jsonb_build_object('robust', jsonb_build_object(
			'method', 'Theil-Sen slope with its rank interval; Mann-Kendall test',
			'n', n(st.robust), 'slope_per_month', slope(st.robust, '1 month'),
			'slope_lower', slope_lower(st.robust, '1 month', level), 'slope_upper', slope_upper(st.robust, '1 month', level),
			'mk_s', mk_s(st.robust), 'mk_var_s', mk_var_s(st.robust), 'mk_z', mk_z(st.robust),
			'p_value', p_value(st.robust), 'kendall_tau_b', kendall_tau_b(st.robust),
			'verdict', iso27001.verdict(st.robust, m.better, alpha)));
	END IF;

	-- the family the verdict comes from: the rate trend for rates, the
	-- robust trend for values
	primary_family := CASE m.kind WHEN 'rate' THEN 'rate' ELSE 'robust' END;
	verdict := iso27001.material_verdict(
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
	  FROM iso27001.behaviour_target t
	  LEFT JOIN LATERAL (
			SELECT * FROM iso27001.target_projection(st.rate, t.target, t.due_date::timestamptz,
														m.better, level)
			 WHERE m.kind = 'rate' AND t.due_date IS NOT NULL
			UNION ALL
			SELECT * FROM iso27001.target_projection(st.ols, t.target, t.due_date::timestamptz,
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
		  FROM iso27001.soa_register r
		 WHERE r.scope_id = sid AND r.control = m.control;
		control := coalesce(control, jsonb_build_object('id', m.control::text, 'title', title(m.control),
														 'soa_entry', NULL));
	END IF;

	SELECT jsonb_build_object('version', v.version, 'approved_at', v.approved_at,
							  'approved_by', v.approved_by,
							  'soa_entry', (SELECT ve.entry::text FROM iso27001.soa_version_entry ve
											 WHERE ve.scope_id = v.scope_id AND ve.version = v.version
											   AND ve.control = m.control))
	  INTO version
	  FROM iso27001.soa_version v
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
COMMENT ON FUNCTION iso27001.evidence_pack(text, text, date, date, double precision, integer) IS
	'the auditor''s evidence pack of a scope''s behaviour metric over a period (dates inclusive, NULL open): metric, observations (listed up to max_observations) with their SHA-256, every trend family that applies, verdict, target, the related control''s SoA entry';

-- Text made safe for SVG (XML) content and attribute values
CREATE FUNCTION iso27001.svg_text(t text)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
		   pg_catalog.replace(svg_text.t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
		   '"', '&quot;'), '''', '&#39;');
END;
COMMENT ON FUNCTION iso27001.svg_text(text) IS
	'text escaped for SVG (XML) content and attribute values';

-- Round tick values covering lo .. hi, about five of them
CREATE FUNCTION iso27001.chart_ticks(lo double precision, hi double precision)
	RETURNS double precision[]
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	raw double precision := (hi - lo) / 5;
	mag double precision;
	step double precision;
	v double precision;
	ticks double precision[] := '{}';
BEGIN
	-- NaN compares equal to itself and above everything: keep it out
	IF lo IN ('NaN', 'Infinity', '-Infinity') OR hi IN ('NaN', 'Infinity', '-Infinity') OR hi < lo THEN
		RETURN '{}';
	END IF;
	IF NOT (raw > 0) OR raw = 'Infinity' THEN
		RETURN ARRAY[lo];
	END IF;
	mag := power(10, floor(log(raw)));
	step := mag * CASE WHEN raw / mag < 1.5 THEN 1 WHEN raw / mag < 3 THEN 2
					   WHEN raw / mag < 7 THEN 5 ELSE 10 END;
	v := ceil(lo / step) * step;
	WHILE v <= hi + step * 1e-9 LOOP
		ticks := ticks || (round((v / step)::numeric) * step::numeric)::double precision;
		v := v + step;
	END LOOP;
	RETURN ticks;
END
$$;
COMMENT ON FUNCTION iso27001.chart_ticks(double precision, double precision) IS
	'round axis tick values (steps of 1, 2 or 5 times a power of ten) covering an interval';

CREATE FUNCTION iso27001.evidence_chart(scope text, metric text,
										   period_start date DEFAULT NULL,
										   period_end date DEFAULT NULL,
										   alpha double precision DEFAULT 0.05,
										   width integer DEFAULT 800,
										   height integer DEFAULT 450)
	RETURNS text
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := iso27001.evidence_period_check(scope, metric, period_start, period_end);
	m iso27001.behaviour_metric;
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
	SELECT * INTO m FROM iso27001.behaviour_metric b WHERE b.metric = evidence_chart.metric;
	scale := CASE m.kind WHEN 'rate' THEN 100 ELSE 1 END;
	title := m.name || ' — ' || scope;
	y_label := m.name || CASE m.kind WHEN 'rate' THEN ' (%)' ELSE ' (' || m.unit || ')' END;

	-- the whole scope's campaigns (docs/trend_statistics.md §13.1)
	SELECT min(o.observed_at),
		   array_agg(extract(epoch FROM o.observed_at)::double precision ORDER BY o.observed_at, o.difficulty),
		   array_agg(scale * CASE WHEN o.trials IS NULL THEN o.value
								  ELSE o.events::double precision / o.trials END ORDER BY o.observed_at, o.difficulty)
	  INTO t_first, ts, ys
	  FROM iso27001.behaviour_campaign o
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
	st := iso27001.evidence_states(sid, evidence_chart.metric, period_start, period_end);
	IF m.kind = 'rate' THEN
		fit_b := slope(st.rate, '1 day') * scale;
		verdict := iso27001.material_verdict(iso27001.verdict(st.rate, m.better, alpha),
											   slope(st.rate, '1 year'), m.min_effect);
		summary := format('rate trend %s pp/month (%s %% interval %s .. %s), p = %s, dispersion %s: %s',
						  to_char(slope(st.rate, '1 month') * 100, 'FMS990.00'), trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  coalesce(to_char(slope_lower(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'), '?'),
						  coalesce(to_char(slope_upper(st.rate, '1 month', 1 - alpha) * 100, 'FMS990.00'), '?'),
						  coalesce(to_char(p_value(st.rate), '9.9EEEE'), 'none'),
						  coalesce(to_char(dispersion(st.rate), 'FM9990.0'), 'unknown (fewer than 5 campaigns)'), verdict);
	ELSE
		fit_b := slope(st.ols, '1 day');
		verdict := iso27001.material_verdict(iso27001.verdict(st.robust, m.better, alpha),
											   slope(st.robust, '1 year'), m.min_effect);
		summary := format('least-squares trend %s %s/month (%s %% interval %s .. %s); Mann-Kendall p = %s: %s',
						  to_char(slope(st.ols, '1 month'), 'FMS999990.00'), m.unit, trim_scale(round(((1 - alpha) * 100)::numeric, 1)),
						  to_char(slope_lower(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(slope_upper(st.ols, '1 month', 1 - alpha), 'FMS999990.00'),
						  to_char(p_value(st.robust), '9.9EEEE'), verdict);
	END IF;
	SELECT t.target * scale INTO target FROM iso27001.behaviour_target t
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
COMMENT ON FUNCTION iso27001.evidence_chart(text, text, date, date, double precision, integer, integer) IS
	'an SVG line chart of a scope''s behaviour metric over a period: the observations, the fitted trend with its pointwise confidence band, the target, title, axis labels and verdict';
