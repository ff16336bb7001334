--
-- Risks behind the SoA (ISO/IEC 27001:2022 clauses 6.1.2, 6.1.3, 8.2 and
-- 8.3): a scope's risk register with its scales, each risk's owner,
-- likelihood and impact before and after treatment, its treatment option,
-- the controls the treatment relies on and its status.  The validator's
-- rules RISK_TREATMENT_WITHOUT_RISK and EXCLUDED_WITH_OPEN_RISK read it.
--

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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
