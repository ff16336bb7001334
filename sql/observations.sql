--
-- Certificates and behaviour observations: the data the reports read.
-- User data, kept by pg_dump; writable by whom the DBA grants, like the
-- register.
--

CREATE FUNCTION iso27001.uuid_v5(namespace uuid, name text)
	RETURNS uuid
	AS 'MODULE_PATHNAME', 'uuid_v5'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.uuid_v5(uuid, text) IS
	'the name-based (version 5, SHA-1) UUID of a name in a namespace (RFC 9562): the same input always gives the same UUID';

CREATE TABLE iso27001.certificate (
	scope_id bigint PRIMARY KEY REFERENCES iso27001.soa_scope,
	certification_decision date NOT NULL
		CHECK (pg_catalog.isfinite(certification_decision)),
	certificate_number text,
	certification_body text,
	edition integer NOT NULL DEFAULT 2022
		CHECK (edition OPERATOR(pg_catalog.=) ANY (ARRAY[2013, 2022])),
	note text,
	withdrawn_on date CHECK (pg_catalog.isfinite(withdrawn_on))
);
COMMENT ON TABLE iso27001.certificate IS
	'the ISO/IEC 27001 certificate of a scope: its initial certification decision (the cycle''s anchor), number and certification body';
COMMENT ON COLUMN iso27001.certificate.certification_decision IS 'date of the initial certification decision';
COMMENT ON COLUMN iso27001.certificate.edition IS 'edition the certificate is issued against (2013 certificates expired on 2025-10-31)';
COMMENT ON COLUMN iso27001.certificate.withdrawn_on IS 'date the certificate was withdrawn (NULL: in force); a new issue starts a new cycle';

-- What happened to a scope's certificate, in order: issued, reissued,
-- scope changed, transferred to another body, withdrawn.  Written by
-- certificate_record(), which keeps the certificate row in step; the
-- suspensions and restorations the cycle rules read are audit events
-- (certification_audit).
CREATE TABLE iso27001.certificate_event (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
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
COMMENT ON TABLE iso27001.certificate_event IS
	'the history of a scope''s certificate, one row per event in date order (issued, reissued, scope_changed, transferred, withdrawn): record with certificate_record()';
COMMENT ON COLUMN iso27001.certificate_event.seq IS 'the event''s place in the scope''s history (1 first)';
COMMENT ON COLUMN iso27001.certificate_event.certificate_number IS 'the certificate''s number after the event';
COMMENT ON COLUMN iso27001.certificate_event.certification_body IS 'the certification body after the event';
COMMENT ON COLUMN iso27001.certificate_event.note IS 'what changed (required for a scope change)';
COMMENT ON COLUMN iso27001.certificate_event.recorded_by IS 'database role that recorded the event';

-- Record an event of a scope's certificate, after checking it against the
-- certificate's state, and keep the certificate row in step: issued
-- (a new certificate and cycle: number and body required), reissued (a
-- new number, the same body), scope_changed (a note saying what), transferred
-- (another body), withdrawn.  Events come in date order.  Returns the
-- event's place in the history.
CREATE FUNCTION iso27001.certificate_record(scope text, kind text, on_date date,
											   certificate_number text DEFAULT NULL,
											   certification_body text DEFAULT NULL,
											   note text DEFAULT NULL,
											   edition integer DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint;
	c iso27001.certificate;
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
	sid := iso27001.soa_scope_id(scope);

	-- the certificate row serializes its writers
	SELECT * INTO c FROM iso27001.certificate x WHERE x.scope_id = sid FOR UPDATE;
	SELECT e.seq, e.kind, e.on_date INTO last_seq, last_kind, last_date
	  FROM iso27001.certificate_event e WHERE e.scope_id = sid
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
			INSERT INTO iso27001.certificate AS x (scope_id, certification_decision, certificate_number,
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
		UPDATE iso27001.certificate x
		   SET certificate_number = coalesce(number, x.certificate_number),
			   certification_body = coalesce(body, x.certification_body),
			   withdrawn_on = CASE WHEN kind = 'withdrawn' THEN on_date END
		 WHERE x.scope_id = sid;
	END IF;

	SELECT * INTO c FROM iso27001.certificate x WHERE x.scope_id = sid;
	INSERT INTO iso27001.certificate_event (scope_id, seq, kind, on_date, certificate_number,
											   certification_body, note)
	VALUES (sid, coalesce(last_seq, 0) + 1, kind, on_date, c.certificate_number, c.certification_body, what);
	RETURN coalesce(last_seq, 0) + 1;
END
$$;
COMMENT ON FUNCTION iso27001.certificate_record(text, text, date, text, text, text, integer) IS
	'record an event of a scope''s certificate (issued, reissued, scope_changed, transferred, withdrawn) after checking it against the certificate''s state, keeping the certificate row in step; returns its place in the history';

CREATE TABLE iso27001.certification_audit (
	scope_id bigint NOT NULL REFERENCES iso27001.certificate,
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY[
		'stage1', 'stage2', 'stage2_major_nonconformity', 'surveillance',
		'recertification_audit', 'recertification_decision', 'restoration_decision',
		'suspension_start', 'suspension_end', 'transition_audit', 'special_audit'])),
	on_date date NOT NULL CHECK (pg_catalog.isfinite(on_date)),
	note text,
	PRIMARY KEY (scope_id, on_date, kind)
);
COMMENT ON TABLE iso27001.certification_audit IS
	'the audit history of a certificate: one row per event (the kinds of certification_event), read by the calendar and the cycle check';

CREATE TABLE iso27001.behaviour_metric (
	metric text PRIMARY KEY
		CHECK (metric OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
	name text NOT NULL CHECK (pg_catalog.btrim(name) OPERATOR(pg_catalog.<>) ''),
	description text NOT NULL,
	kind text NOT NULL CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY['rate', 'value'])),
	better text NOT NULL CHECK (better OPERATOR(pg_catalog.=) ANY (ARRAY['lower', 'higher'])),
	unit text NOT NULL,
	control iso27001.iso_control
		CHECK (iso27001.edition(control) OPERATOR(pg_catalog.=) 2022),
	builtin boolean NOT NULL DEFAULT false,
	min_effect double precision
		CHECK (min_effect OPERATOR(pg_catalog.>=) 0
			   AND min_effect OPERATOR(pg_catalog.<>) 'Infinity'::double precision),
	UNIQUE (metric, kind)
);
COMMENT ON TABLE iso27001.behaviour_metric IS
	'behaviour metrics: a rate (events out of trials, such as clicks out of phishing messages) or a value, which direction is better, and the Annex A control it evidences';
COMMENT ON COLUMN iso27001.behaviour_metric.kind IS 'rate: observations are events out of trials; value: observations are numbers';
COMMENT ON COLUMN iso27001.behaviour_metric.better IS 'lower or higher: which direction is an improvement';
COMMENT ON COLUMN iso27001.behaviour_metric.control IS 'the ISO/IEC 27001:2022 control the metric is evidence for';
COMMENT ON COLUMN iso27001.behaviour_metric.builtin IS 'shipped with the extension (not dumped by pg_dump)';
COMMENT ON COLUMN iso27001.behaviour_metric.min_effect IS
	'the smallest change a year that counts as material, in the metric''s unit (a rate as a fraction: 0.02 is two percentage points a year); a smaller significant trend is "no material change"; NULL: every significant trend counts';

-- The built-in metrics: the awareness catalogue of docs/metrics.md, with
-- their smallest material change a year (docs/trend_statistics.md §8.4)
INSERT INTO iso27001.behaviour_metric (metric, name, description, kind, better, unit, control, builtin, min_effect) VALUES
('phishing_click_rate', 'Phishing click rate',
 'share of simulated phishing messages whose link was clicked', 'rate', 'lower', 'share of messages', 'A.6.3', true, 0.02),
('phishing_report_rate', 'Phishing report rate',
 'share of simulated phishing messages reported to the security team', 'rate', 'higher', 'share of messages', 'A.6.8', true, 0.02),
('training_overdue_rate', 'Overdue awareness training',
 'share of people whose information security awareness training is overdue', 'rate', 'lower', 'share of people', 'A.6.3', true, 0.02),
('time_to_report_hours', 'Time to report',
 'median hours from a simulated phishing delivery to its first report', 'value', 'lower', 'hours', 'A.6.8', true, 1),
('phish_prone_rate', 'Phish-prone percentage',
 'share of recipients of simulated phishing who failed it: clicked its link, opened its attachment or entered data (each recipient once)', 'rate', 'lower', 'share of recipients', 'A.6.3', true, 0.02),
('phishing_miss_rate', 'Phishing miss rate',
 'share of recipients of simulated phishing who neither reported nor failed it: the messages nobody acted on', 'rate', 'lower', 'share of recipients', 'A.6.8', true, 0.02),
('resilience_ratio', 'Resilience ratio',
 'reports per failure of a simulated phishing campaign: reports divided by clicks, opens and entries', 'value', 'higher', 'reports per failure', 'A.6.8', true, 0.5),
('repeat_failures_per_person', 'Repeat failures per person',
 'failures of simulated phishing beyond each person''s first in the period, per person targeted', 'value', 'lower', 'failures per person', 'A.6.3', true, 0.05),
('training_completion_rate', 'Awareness training completed',
 'share of people who have completed their required information security awareness training (a snapshot, to show beside the behaviour it should change)', 'rate', 'higher', 'share of people', 'A.6.3', true, 0.02);

CREATE TABLE iso27001.behaviour_observation (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	metric text NOT NULL,
	observed_at timestamptz NOT NULL CHECK (pg_catalog.isfinite(observed_at)),
	events bigint,
	trials bigint,
	value double precision,
	kind text GENERATED ALWAYS AS (CASE WHEN trials IS NULL THEN 'value' ELSE 'rate' END) STORED,
	-- added in 0.2.2, after the columns of 0.2.1, so that a fresh and an
	-- updated table have their columns in the same order
	cohort text NOT NULL DEFAULT ''
		CONSTRAINT behaviour_observation_cohort_check CHECK (
			cohort OPERATOR(pg_catalog.=) ''
			OR (pg_catalog.length(cohort) OPERATOR(pg_catalog.<=) 200
				AND cohort OPERATOR(pg_catalog.=) pg_catalog.btrim(cohort)
				AND cohort OPERATOR(pg_catalog.!~) '[\x01-\x1f\x7f-\x9f]')),
	difficulty text NOT NULL DEFAULT ''
		CONSTRAINT behaviour_observation_difficulty_check CHECK (
			difficulty OPERATOR(pg_catalog.=) ''
			OR (pg_catalog.length(difficulty) OPERATOR(pg_catalog.<=) 200
				AND difficulty OPERATOR(pg_catalog.=) pg_catalog.btrim(difficulty)
				AND difficulty OPERATOR(pg_catalog.!~) '[\x01-\x1f\x7f-\x9f]')),
	PRIMARY KEY (scope_id, metric, cohort, difficulty, observed_at),
	CONSTRAINT metric_known_and_of_this_kind
		FOREIGN KEY (metric, kind) REFERENCES iso27001.behaviour_metric (metric, kind),
	CHECK ((trials IS NOT NULL AND events IS NOT NULL AND value IS NULL
			AND trials OPERATOR(pg_catalog.>) 0 AND events OPERATOR(pg_catalog.>=) 0
			AND events OPERATOR(pg_catalog.<=) trials)
		   OR (trials IS NULL AND events IS NULL AND value IS NOT NULL
			   AND value OPERATOR(pg_catalog.<>) ALL (ARRAY['NaN', 'Infinity', '-Infinity']::double precision[])))
);
COMMENT ON TABLE iso27001.behaviour_observation IS
	'behaviour observations per scope, metric, cohort, difficulty and period: events out of trials for a rate metric (say 12 clicks out of 400 messages of one campaign), or a value';
COMMENT ON COLUMN iso27001.behaviour_observation.observed_at IS 'when the period observed starts (a campaign''s send time, the week''s Monday)';
COMMENT ON COLUMN iso27001.behaviour_observation.kind IS 'rate or value, from the columns filled; must match the metric''s kind';
COMMENT ON COLUMN iso27001.behaviour_observation.cohort IS
	'the part of the scope observed (a department, site or role); '''' (the default) is the whole scope: a campaign not split, or its total beside a breakdown by cohort';
COMMENT ON COLUMN iso27001.behaviour_observation.difficulty IS
	'the campaign''s template or difficulty level (say ''1'' to ''5''), by which the adjusted trend is stratified; '''' (the default) is not given';
COMMENT ON CONSTRAINT metric_known_and_of_this_kind ON iso27001.behaviour_observation IS
	'the metric exists, and the columns filled match its kind: events and trials for a rate, value for a value (kind is computed from them)';
COMMENT ON CONSTRAINT behaviour_observation_cohort_check ON iso27001.behaviour_observation IS
	'a cohort is '''' or up to 200 characters without control characters or surrounding white space';
COMMENT ON CONSTRAINT behaviour_observation_difficulty_check ON iso27001.behaviour_observation IS
	'a difficulty is '''' or up to 200 characters without control characters or surrounding white space';

CREATE TABLE iso27001.behaviour_target (
	scope_id bigint NOT NULL REFERENCES iso27001.soa_scope,
	metric text NOT NULL REFERENCES iso27001.behaviour_metric,
	target double precision NOT NULL
		CHECK (target OPERATOR(pg_catalog.<>) ALL (ARRAY['NaN', 'Infinity', '-Infinity']::double precision[])),
	due_date date CHECK (pg_catalog.isfinite(due_date)),
	note text,
	PRIMARY KEY (scope_id, metric)
);
COMMENT ON TABLE iso27001.behaviour_target IS
	'a scope''s target for a metric (a rate as a fraction: 0.05 is 5 %) and when it should be met';

SELECT pg_catalog.pg_extension_config_dump('iso27001.certificate', '');
SELECT pg_catalog.pg_extension_config_dump('iso27001.certification_audit', '');
SELECT pg_catalog.pg_extension_config_dump('iso27001.certificate_event', '');
SELECT pg_catalog.pg_extension_config_dump('iso27001.behaviour_metric', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('iso27001.behaviour_observation', '');
SELECT pg_catalog.pg_extension_config_dump('iso27001.behaviour_target', '');
REVOKE ALL ON iso27001.behaviour_metric FROM PUBLIC;
GRANT SELECT ON iso27001.behaviour_metric TO PUBLIC;

-- The rules of the rows written by plain INSERT and UPDATE, each with its
-- own message (the constraints above stay, for rows that come with the
-- triggers disabled).  What another table must hold (a certificate, a
-- metric) is not looked up during a superuser's restore, whose tables
-- arrive in any order.

-- trigger: a certificate's edition, finite dates and scope
CREATE FUNCTION iso27001.certificate_row_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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

-- The campaigns (or periods) the trends read, per scope, metric and
-- cohort: each cohort's own rows, and for the whole scope (cohort '') one
-- row per time and difficulty: the scope's own row ('') where there is
-- one, else, for a rate, the sum of its cohorts' events and trials.  A
-- value (a median time to report, say) cannot be summed: the whole scope
-- has only the values loaded for it, and a campaign with its cohorts'
-- values only has none (NULL; the trends skip it, the lists of
-- observations leave it out).  docs/trend_statistics.md §13.1.
CREATE VIEW iso27001.behaviour_campaign WITH (security_invoker = true) AS
-- the whole scope's own rows, as loaded
SELECT o.scope_id, o.metric, ''::text AS cohort, o.observed_at, o.difficulty, o.events, o.trials, o.value
  FROM iso27001.behaviour_observation o
 WHERE o.cohort OPERATOR(pg_catalog.=) ''
UNION ALL
-- a campaign loaded by cohort only: the sum of its cohorts (no value)
SELECT o.scope_id, o.metric, '', o.observed_at, o.difficulty,
	   pg_catalog.sum(o.events)::bigint, pg_catalog.sum(o.trials)::bigint, NULL::double precision
  FROM iso27001.behaviour_observation o
 WHERE o.cohort OPERATOR(pg_catalog.<>) ''
   AND NOT EXISTS (SELECT FROM iso27001.behaviour_observation w
					WHERE w.scope_id OPERATOR(pg_catalog.=) o.scope_id
					  AND w.metric OPERATOR(pg_catalog.=) o.metric
					  AND w.cohort OPERATOR(pg_catalog.=) ''
					  AND w.difficulty OPERATOR(pg_catalog.=) o.difficulty
					  AND w.observed_at OPERATOR(pg_catalog.=) o.observed_at)
 GROUP BY o.scope_id, o.metric, o.observed_at, o.difficulty
UNION ALL
-- each cohort's own rows
SELECT o.scope_id, o.metric, o.cohort, o.observed_at, o.difficulty, o.events, o.trials, o.value
  FROM iso27001.behaviour_observation o
 WHERE o.cohort OPERATOR(pg_catalog.<>) '';
COMMENT ON VIEW iso27001.behaviour_campaign IS
	'the rows the trends read: each cohort''s observations, and the whole scope''s (cohort ''''): its own row per time and difficulty where loaded, else the sum of its cohorts'' events and trials (rates only)';
COMMENT ON COLUMN iso27001.behaviour_campaign.scope_id IS 'identifier of the ISMS scope';
COMMENT ON COLUMN iso27001.behaviour_campaign.metric IS 'key of the behaviour metric';
COMMENT ON COLUMN iso27001.behaviour_campaign.cohort IS 'the cohort; '''' is the whole scope';
COMMENT ON COLUMN iso27001.behaviour_campaign.observed_at IS 'start of the period observed (a campaign''s send time)';
COMMENT ON COLUMN iso27001.behaviour_campaign.difficulty IS 'the campaign''s template or difficulty level ('''': not given)';
COMMENT ON COLUMN iso27001.behaviour_campaign.events IS 'events (rate metrics): the whole scope''s own row, or the sum over its cohorts';
COMMENT ON COLUMN iso27001.behaviour_campaign.trials IS 'trials (rate metrics): the whole scope''s own row, or the sum over its cohorts';
COMMENT ON COLUMN iso27001.behaviour_campaign.value IS 'the value (value metrics); for the whole scope only a value loaded for it (cohort ''''), else NULL';
-- security_invoker: the reader's own privileges and row-level security apply
GRANT SELECT ON iso27001.behaviour_campaign TO PUBLIC;

-- A rate metric's observations as fractions, a value metric's as values,
-- between two dates (inclusive; NULL or infinite is open); the scope and
-- metric must exist
CREATE FUNCTION iso27001.evidence_period_check(scope text, metric text,
												  period_start date, period_end date)
	RETURNS bigint
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
BEGIN
	IF scope IS NULL OR metric IS NULL THEN
		RAISE EXCEPTION 'scope and metric must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT FROM iso27001.behaviour_metric m WHERE m.metric = evidence_period_check.metric) THEN
		RAISE EXCEPTION 'behaviour metric "%" does not exist', metric
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The metrics are the rows of iso27001.behaviour_metric.';
	END IF;
	IF period_start > period_end THEN
		RAISE EXCEPTION 'period ends (%) before it starts (%)', period_end, period_start
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN iso27001.soa_scope_id(scope);
END
$$;
COMMENT ON FUNCTION iso27001.evidence_period_check(text, text, date, date) IS
	'the scope_id of an evidence request, after checking scope, metric and period (SQLSTATE 22023 or 22004)';

CREATE FUNCTION iso27001.evidence_observations(scope text, metric text,
												  period_start date DEFAULT NULL,
												  period_end date DEFAULT NULL)
	RETURNS TABLE (observed_at text, events bigint, trials bigint, value text)
	LANGUAGE sql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
	SET extra_float_digits = 1
AS $$
	-- the whole scope's campaigns (docs/trend_statistics.md §13.1): for
	-- observations not split by cohort, the rows as stored
	SELECT pg_catalog.to_char(o.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		   o.events, o.trials, o.value::text
	  FROM iso27001.behaviour_campaign o
	 WHERE o.scope_id = (SELECT iso27001.evidence_period_check($1, $2, $3, $4))
	   AND o.metric = $2
	   AND o.cohort = ''
	   AND (o.trials IS NOT NULL OR o.value IS NOT NULL)
	   AND ($3 IS NULL OR o.observed_at >= $3::timestamptz)
	   AND ($4 IS NULL OR o.observed_at < ($4 + 1)::timestamptz)
	 ORDER BY o.observed_at, o.difficulty
$$;
COMMENT ON FUNCTION iso27001.evidence_observations(text, text, date, date) IS
	'the observations an evidence pack digests, in canonical text (UTC times, shortest exact numbers), in order of time and difficulty: the whole scope''s campaigns (a campaign split by cohort summed); its SHA-256 is that of this function''s CSV output with header';

-- The trend of a scope's rate metric adjusted for difficulty, for the
-- whole scope (cohort '') or one cohort, over a period
CREATE FUNCTION iso27001.trend_adjusted(scope text, metric text, cohort text DEFAULT '',
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
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	sid bigint := iso27001.evidence_period_check(scope, metric, period_start, period_end);
	m iso27001.behaviour_metric;
	states iso27001.trend_rate[];
BEGIN
	SELECT * INTO m FROM iso27001.behaviour_metric b WHERE b.metric = trend_adjusted.metric;
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
			SELECT FROM iso27001.behaviour_observation o
			 WHERE o.scope_id = sid AND o.metric = trend_adjusted.metric AND o.cohort = trend_adjusted.cohort) THEN
		RAISE EXCEPTION 'cohort "%" has no observations of metric "%" in scope "%"', trend_adjusted.cohort, metric, scope
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The whole scope is the cohort ''''.';
	END IF;
	-- one rate trend per difficulty level
	SELECT array_agg(g.state) INTO states
	  FROM (SELECT iso27001.trend_rate_agg(c.events, c.trials, c.observed_at) AS state
			  FROM iso27001.behaviour_campaign c
			 WHERE c.scope_id = sid AND c.metric = trend_adjusted.metric
			   AND c.cohort = trend_adjusted.cohort
			   AND (period_start IS NULL OR c.observed_at >= period_start::timestamptz)
			   AND (period_end IS NULL OR c.observed_at < (period_end + 1)::timestamptz)
			 GROUP BY c.difficulty) g;
	RETURN QUERY
	SELECT a.n, a.first_time, a.last_time, a.slope, a.slope_lower, a.slope_upper, a.p_value,
		   iso27001.material_verdict(a.verdict, y.slope, m.min_effect),
		   a.slope_stderr, a.df, a.strata, a.strata_left_out
	  FROM iso27001.stratified_trend(states, m.better, unit, alpha) a,
		   iso27001.stratified_trend(states, m.better, '1 year', alpha) y;
END
$$;
COMMENT ON FUNCTION iso27001.trend_adjusted(text, text, text, date, date, interval, double precision) IS
	'the trend of a scope''s rate metric adjusted for difficulty, for the whole scope (cohort '''') or one cohort, between two dates (inclusive; NULL open): one rate trend per difficulty level, pooled (stratified_trend); the verdict is no material change below the metric''s min_effect a year';
