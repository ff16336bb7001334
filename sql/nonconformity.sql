--
-- Nonconformities and corrective actions (ISO/IEC 27001:2022 clause 10.2):
-- the register of what was found, its correction, cause and corrective
-- action, and the verification of their effectiveness; the rules an
-- auditor checks (nonconformity_check), and the effectiveness of an action
-- shown by a behaviour metric before and after it (rate_change).
--

-- The change of a rate between two sets of campaigns (before and after a
-- corrective action): the trial-weighted rates, their difference with a
-- confidence interval and a two-sided test allowing for the variance
-- between campaigns (binomial plus a random campaign effect, its variance
-- estimated by moments pooled over both sets, Student t with k - 2 degrees
-- of freedom: docs/trend_statistics.md §14).  Fewer than 3 campaigns on a
-- side: insufficient data.
CREATE FUNCTION iso27001.rate_change(before_events bigint[], before_trials bigint[],
										after_events bigint[], after_trials bigint[],
										better text, alpha double precision DEFAULT 0.05)
	RETURNS TABLE (campaigns_before integer, campaigns_after integer,
				   rate_before double precision, rate_after double precision,
				   change double precision, change_lower double precision,
				   change_upper double precision, p_value double precision,
				   between_campaign_variance double precision, verdict text)
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	crit := iso27001.student_t_critical(1 - alpha, df);
	change_lower := change - crit * se;
	change_upper := change + crit * se;
	p_value := CASE WHEN se > 0 THEN iso27001.student_t_p(change / se, df)
					WHEN change = 0 THEN 1 ELSE 0 END;
	good := CASE better WHEN 'lower' THEN change < 0 ELSE change > 0 END;
	verdict := CASE WHEN p_value >= alpha OR change = 0 THEN 'no significant change'
					WHEN good THEN 'improved' ELSE 'worsened' END;
	RETURN NEXT;
END
$$;
COMMENT ON FUNCTION iso27001.rate_change(bigint[], bigint[], bigint[], bigint[], text, double precision) IS
	'the change of a rate between two sets of campaigns (before and after an action): the trial-weighted rates, their difference with its interval and p-value allowing for the variance between campaigns (Student t, k - 2 df), and improved, worsened, no significant change or insufficient data (fewer than 3 campaigns a side)';

CREATE TABLE iso27001.nonconformity (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	nc_id text NOT NULL,
	source text NOT NULL,
	grade text NOT NULL,
	clause text,
	control iso27001.iso_control,
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
	metric text REFERENCES iso27001.behaviour_metric,
	recorded_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, nc_id)
);
COMMENT ON TABLE iso27001.nonconformity IS
	'nonconformities and their corrective actions (ISO/IEC 27001:2022 clause 10.2): what was found where, its grade, correction, root cause, corrective action, owner, dates, and the verification of effectiveness';
COMMENT ON COLUMN iso27001.nonconformity.nc_id IS 'the nonconformity''s identifier within the scope (NC-2026-03, a CB''s finding number)';
COMMENT ON COLUMN iso27001.nonconformity.source IS 'certification_audit, internal_audit, soa_finding, behaviour_metric, incident or other';
COMMENT ON COLUMN iso27001.nonconformity.grade IS 'major, minor or opportunity (an opportunity for improvement)';
COMMENT ON COLUMN iso27001.nonconformity.clause IS 'the ISO/IEC 27001 clause not conformed to (4 to 10, as 6.1.3), if any';
COMMENT ON COLUMN iso27001.nonconformity.control IS 'the Annex A control concerned, if any';
COMMENT ON COLUMN iso27001.nonconformity.audit_on IS 'date of the audit that found it (certification and internal audits)';
COMMENT ON COLUMN iso27001.nonconformity.correction IS 'what was done at once to contain the nonconformity';
COMMENT ON COLUMN iso27001.nonconformity.corrective_action IS 'what removes its cause, so that it does not recur';
COMMENT ON COLUMN iso27001.nonconformity.due_date IS 'when the corrective action is due';
COMMENT ON COLUMN iso27001.nonconformity.action_on IS 'when the corrective action took effect: the behaviour metric is compared before and after this date';
COMMENT ON COLUMN iso27001.nonconformity.accepted_on IS 'when the certification body accepted the correction and corrective action (a major nonconformity of a certification audit)';
COMMENT ON COLUMN iso27001.nonconformity.verification IS 'how the effectiveness of the corrective action was verified';
COMMENT ON COLUMN iso27001.nonconformity.metric IS 'a behaviour metric whose change before and after action_on shows the action''s effectiveness';
SELECT pg_catalog.pg_extension_config_dump('iso27001.nonconformity', '');

-- The rules of a nonconformity row, each with its own message (a CHECK
-- constraint would only name itself)
CREATE FUNCTION iso27001.nonconformity_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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

CREATE TRIGGER nonconformity_row_check
	BEFORE INSERT OR UPDATE ON iso27001.nonconformity
	FOR EACH ROW EXECUTE FUNCTION iso27001.nonconformity_row_check();
REVOKE EXECUTE ON FUNCTION iso27001.nonconformity_row_check() FROM PUBLIC;

-- The effectiveness of a nonconformity's corrective action shown by its
-- metric: the whole scope's campaigns of the year before action_on against
-- those from action_on on, up to a year (rate_change)
CREATE FUNCTION iso27001.nonconformity_effectiveness(scope text, nc_id text,
														alpha double precision DEFAULT 0.05)
	RETURNS TABLE (metric text, campaigns_before integer, campaigns_after integer,
				   rate_before double precision, rate_after double precision,
				   change double precision, change_lower double precision,
				   change_upper double precision, p_value double precision, verdict text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := iso27001.soa_scope_id(scope);
	nc iso27001.nonconformity;
	m iso27001.behaviour_metric;
BEGIN
	SELECT * INTO nc FROM iso27001.nonconformity x
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
	SELECT * INTO m FROM iso27001.behaviour_metric b WHERE b.metric = nc.metric;
	RETURN QUERY
	SELECT nc.metric, r.campaigns_before, r.campaigns_after, r.rate_before, r.rate_after, r.change,
		   r.change_lower, r.change_upper, r.p_value, r.verdict
	  FROM (SELECT array_agg(c.events ORDER BY c.observed_at) FILTER (WHERE c.observed_at < nc.action_on::timestamptz) AS be,
				   array_agg(c.trials ORDER BY c.observed_at) FILTER (WHERE c.observed_at < nc.action_on::timestamptz) AS bt,
				   array_agg(c.events ORDER BY c.observed_at) FILTER (WHERE c.observed_at >= nc.action_on::timestamptz) AS ae,
				   array_agg(c.trials ORDER BY c.observed_at) FILTER (WHERE c.observed_at >= nc.action_on::timestamptz) AS at
			  FROM iso27001.behaviour_campaign c
			 WHERE c.scope_id = sid AND c.metric = nc.metric AND c.cohort = '' AND c.trials IS NOT NULL
			   AND c.observed_at >= (nc.action_on - interval '1 year')
			   AND c.observed_at < (nc.action_on + interval '1 year')) q
	 CROSS JOIN LATERAL iso27001.rate_change(coalesce(q.be, '{}'), coalesce(q.bt, '{}'),
												 coalesce(q.ae, '{}'), coalesce(q.at, '{}'),
												 m.better, alpha) r;
END
$$;
COMMENT ON FUNCTION iso27001.nonconformity_effectiveness(text, text, double precision) IS
	'the effectiveness of a nonconformity''s corrective action by its metric: the whole scope''s campaigns of the year before action_on against the year from it (rate_change)';

-- The rules an auditor checks on the nonconformity register as of a date:
-- a major nonconformity of a certification audit with its correction and
-- corrective action accepted within the certification body's deadline
-- (default 6 months, ISO/IEC 17021-1 9.4.9 and the cycle checker's
-- stage 2 rule), actions overdue, closed without a root cause, a
-- corrective action or a verification of effectiveness, a metric that
-- does not show the action effective.
CREATE FUNCTION iso27001.nonconformity_check(scope text DEFAULT NULL, as_of date DEFAULT CURRENT_DATE,
												major_deadline interval DEFAULT '6 months')
	RETURNS TABLE (scope_name text, nc_id text, rule text, severity text, message text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := CASE WHEN scope IS NOT NULL THEN iso27001.soa_scope_id(scope) END;
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
		SELECT s.name, x.* FROM iso27001.nonconformity x
		  JOIN iso27001.soa_scope s ON s.scope_id = x.scope_id
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
		 CROSS JOIN LATERAL iso27001.nonconformity_effectiveness(n.name, n.nc_id) e
		 WHERE n.metric IS NOT NULL AND n.action_on IS NOT NULL AND n.closed_on <= as_of
		   AND e.verdict <> 'improved') f
	 ORDER BY f.name, f.nc_id, f.k;
END
$$;
COMMENT ON FUNCTION iso27001.nonconformity_check(text, date, interval) IS
	'the rules of the nonconformity register as of a date: majors of a certification audit not accepted within the deadline (default 6 months), overdue or undated actions, closed without root cause, corrective action or verification, a metric not showing the action effective';

CREATE VIEW iso27001_bi.nonconformity WITH (security_invoker = true) AS
SELECT x.scope_id, s.name AS scope, x.nc_id, x.source, x.grade, x.clause,
	   x.control::text AS control_id, iso27001.sort_key(x.control) AS sort_key,
	   x.description, x.raised_on, x.owner, x.due_date, x.action_on, x.closed_on, x.verified_on,
	   CASE WHEN x.closed_on IS NULL OR x.closed_on OPERATOR(pg_catalog.>) CURRENT_DATE THEN
				CASE WHEN x.due_date OPERATOR(pg_catalog.<) CURRENT_DATE THEN 'overdue' ELSE 'open' END
			WHEN x.verified_on IS NULL THEN 'closed, not verified'
			ELSE 'closed' END AS status,
	   (coalesce(x.closed_on, CURRENT_DATE) OPERATOR(pg_catalog.-) x.raised_on) AS days_open
  FROM iso27001.nonconformity x
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) x.scope_id;
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
-- read by a BI reader through grant_reader (reader_tables() names the table)

-- The open nonconformities of a scope (not closed, or closed without a
-- verification of effectiveness) as an OSCAL plan of action and
-- milestones: one risk per nonconformity with its corrective action as a
-- remediation and the due date as its milestone, and one POA&M item
-- pointing to it.  UUIDs from documented names, times from the data.
CREATE FUNCTION iso27001.oscal_poam(scope text)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
