--
-- Management review (ISO/IEC 27001:2022 clause 9.3): the reviews held (or
-- being prepared) with the changes they noted, the actions they decided
-- (clause 9.3.3: improvement opportunities, changes to the ISMS, resource
-- needs) and their status, and the review's input pack: for each input of
-- clause 9.3.2 a) to g), what the register knows of a period, with the
-- SHA-256 of its data.
--

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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
