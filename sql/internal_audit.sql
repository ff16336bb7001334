--
-- The internal audit programme (ISO/IEC 27001:2022 clause 9.2): the
-- programme's period (by default the certificate's three-year cycle), the
-- audits planned and held in it with the clauses and controls each covers,
-- the check that every requirement of clauses 4 to 10 and every applicable
-- Annex A control of the SoA is audited within the period, and the audits'
-- findings as nonconformities (iso27001.nonconformity.internal_audit_id).
--

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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
