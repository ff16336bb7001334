--
-- SoA API: scopes and changes
--

CREATE FUNCTION iso27001.create_scope(name text, edition integer DEFAULT 2022,
										 description text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
		INSERT INTO iso27001.soa_scope (name, edition, description)
		VALUES (create_scope.name, create_scope.edition, create_scope.description)
		RETURNING scope_id INTO id;
	EXCEPTION WHEN unique_violation THEN
		-- a retry: the scope this role created with these arguments
		SELECT s.scope_id INTO id FROM iso27001.soa_scope s
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
	INSERT INTO iso27001.soa_register (scope_id, control_key, control)
	SELECT id, c.control::text, c.control
	  FROM (SELECT r.control FROM iso27001.ref_control_2022 r WHERE create_scope.edition = 2022
			UNION ALL
			SELECT r.control FROM iso27001.ref_control_2013 r WHERE create_scope.edition = 2013) c
	 ORDER BY c.control;
	RETURN id;
END
$$;
COMMENT ON FUNCTION iso27001.create_scope(text, integer, text) IS
	'create an ISMS scope with an undecided SoA entry for every Annex A control of its edition; returns its scope_id (again for a retry: the same arguments by the role that created it)';

CREATE FUNCTION iso27001.delete_scope(scope text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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

CREATE FUNCTION iso27001.soa_set(scope text, control iso27001.iso_control,
									entry iso27001.soa_entry, justification text,
									owner text DEFAULT NULL, evidence text[] DEFAULT NULL,
									needs_review boolean DEFAULT false)
	RETURNS iso27001.soa_register
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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

CREATE FUNCTION iso27001.soa_set_custom(scope text, key text, title text,
										   entry iso27001.soa_entry, justification text,
										   owner text DEFAULT NULL, evidence text[] DEFAULT NULL,
										   needs_review boolean DEFAULT false)
	RETURNS iso27001.soa_register
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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

CREATE FUNCTION iso27001.soa_remove_custom(scope text, key text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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

CREATE FUNCTION iso27001.soa_add_evidence(scope text, control text, link text)
	RETURNS text[]
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := iso27001.soa_scope_id(scope);
	key text := btrim(soa_add_evidence.control);
	result text[];
BEGIN
	IF iso27001.is_valid_control(key) THEN
		key := key::iso27001.iso_control::text;
	END IF;
	IF btrim(link) = '' THEN
		RAISE EXCEPTION 'an evidence link must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- one statement: concurrent additions to the same entry wait for each
	-- other and none is lost
	UPDATE iso27001.soa_register r
	   SET evidence = CASE WHEN link = ANY (r.evidence) THEN r.evidence
						   ELSE array_append(r.evidence, link) END
	 WHERE r.scope_id = id AND r.control_key = key
	RETURNING r.evidence INTO result;
	IF NOT FOUND THEN
		-- the link was there already: the update changed nothing, and the
		-- register skipped it
		SELECT r.evidence INTO result FROM iso27001.soa_register r
		 WHERE r.scope_id = id AND r.control_key = key;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'scope "%" has no control "%"', scope, soa_add_evidence.control
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION iso27001.soa_add_evidence(text, text, text) IS
	'add a link to the operating evidence of a control (once); returns the entry''s links';

CREATE FUNCTION iso27001.soa_approve(scope text, approved_by text DEFAULT CURRENT_USER,
										note text DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	id bigint;
	result integer;
BEGIN
	IF soa_approve.scope IS NULL THEN
		RAISE EXCEPTION 'scope must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	id := iso27001.soa_scope_id(soa_approve.scope);
	-- a retry: the latest version was approved by the same person with the
	-- same note, recorded by this role, and nothing changed since.  Under
	-- the lock the approval takes (other isolation levels are refused by
	-- the insertion below).
	IF current_setting('transaction_isolation') = 'read committed' THEN
		PERFORM FROM iso27001.soa_scope s WHERE s.scope_id = id FOR UPDATE;
		SELECT v.version INTO result
		  FROM (SELECT * FROM iso27001.soa_version v WHERE v.scope_id = id
				 ORDER BY v.version DESC LIMIT 1) v
		 WHERE v.approved_by = coalesce(nullif(btrim(soa_approve.approved_by), ''), CURRENT_USER)
		   AND v.note IS NOT DISTINCT FROM soa_approve.note
		   AND v.recorded_by = CURRENT_USER
		   AND NOT EXISTS (SELECT FROM iso27001.soa_history h
							WHERE h.scope_id = id AND h.changed_at > v.approved_at);
		IF FOUND THEN
			RETURN result;
		END IF;
	END IF;
	BEGIN
		INSERT INTO iso27001.soa_version (scope_id, version, approved_by, note)
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
COMMENT ON FUNCTION iso27001.soa_approve(text, text, text) IS
	'approve the current SoA of a scope as its next version (refused while soa_validate reports errors); returns the version number (the latest one again when nothing changed since it and the approver and note are the same)';

--
-- SoA API: reading, comparing, checking
--

-- Titles of the controls of both editions
CREATE VIEW iso27001.annex_a_titles AS
SELECT control, title, 2022 AS edition FROM iso27001.ref_control_2022
UNION ALL
SELECT control, title, 2013 FROM iso27001.ref_control_2013;
COMMENT ON VIEW iso27001.annex_a_titles IS
	'every Annex A control of both editions with its title and edition';
COMMENT ON COLUMN iso27001.annex_a_titles.control IS 'the control';
COMMENT ON COLUMN iso27001.annex_a_titles.title IS 'its short title';
COMMENT ON COLUMN iso27001.annex_a_titles.edition IS '2013 or 2022';
GRANT SELECT ON iso27001.annex_a_titles TO PUBLIC;

-- The section of every control: its theme (2022) or clause (2013), with
-- the section's place in the catalogue
CREATE VIEW iso27001.annex_a_sections AS
SELECT c.control, 2022 AS edition, c.theme::text AS section,
	   pg_catalog.array_position(pg_catalog.enum_range(NULL::iso27001.annex_a_theme), c.theme) AS section_order
  FROM iso27001.ref_control_2022 c
UNION ALL
SELECT c.control, 2013, o.clause OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) cl.title,
	   pg_catalog.substr(o.clause, 3)::integer
  FROM iso27001.ref_control_2013 c
  JOIN iso27001.ref_objective_2013 o ON o.objective OPERATOR(pg_catalog.=) c.objective
  JOIN iso27001.ref_clause_2013 cl ON cl.clause OPERATOR(pg_catalog.=) o.clause;
COMMENT ON VIEW iso27001.annex_a_sections IS
	'the section of every Annex A control: its theme (2022) or clause with title (2013), and the section''s order';
COMMENT ON COLUMN iso27001.annex_a_sections.control IS 'the control';
COMMENT ON COLUMN iso27001.annex_a_sections.edition IS '2013 or 2022';
COMMENT ON COLUMN iso27001.annex_a_sections.section IS 'theme (2022), or clause and its title (2013)';
COMMENT ON COLUMN iso27001.annex_a_sections.section_order IS 'order of the section in the catalogue';
GRANT SELECT ON iso27001.annex_a_sections TO PUBLIC;

CREATE FUNCTION iso27001.soa_as_of(scope text, at timestamptz)
	RETURNS TABLE (control_key text, control iso27001.iso_control, title text,
				   entry iso27001.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
COMMENT ON FUNCTION iso27001.soa_as_of(text, timestamptz) IS
	'the SoA of a scope as it stood at a point in time, from the history';

-- When a version was approved, or an error: the one look-up of a version,
-- which soa_as_of_version uses too (src/soa_register.c)
CREATE FUNCTION iso27001.soa_version_time(scope text, version integer)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_version_time(text, integer) IS
	'when a version of a scope''s SoA was approved; an unknown version raises SQLSTATE 22023';

CREATE FUNCTION iso27001.soa_as_of_version(scope text, version integer)
	RETURNS TABLE (control_key text, control iso27001.iso_control, title text,
				   entry iso27001.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 100;
COMMENT ON FUNCTION iso27001.soa_as_of_version(text, integer) IS
	'an approved version of a scope''s SoA, by number';

CREATE VIEW iso27001.soa_versions WITH (security_invoker = true) AS
SELECT s.name AS scope, v.version, v.approved_at, v.approved_by, v.recorded_by, v.note
  FROM iso27001.soa_version v
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) v.scope_id;
COMMENT ON VIEW iso27001.soa_versions IS 'approved SoA versions of every scope, by scope name';
COMMENT ON COLUMN iso27001.soa_versions.scope IS 'scope name';
COMMENT ON COLUMN iso27001.soa_versions.version IS 'version number, 1, 2, ...';
COMMENT ON COLUMN iso27001.soa_versions.approved_at IS 'time of approval';
COMMENT ON COLUMN iso27001.soa_versions.approved_by IS 'who approved it';
COMMENT ON COLUMN iso27001.soa_versions.recorded_by IS 'database role that recorded the approval';
COMMENT ON COLUMN iso27001.soa_versions.note IS 'note given at approval';
-- security_invoker: the reader's own privileges and row-level security apply
GRANT SELECT ON iso27001.soa_versions TO PUBLIC;

CREATE VIEW iso27001.soa_version_entries WITH (security_invoker = true) AS
SELECT s.name AS scope, e.version, e.control_key, e.control, e.title, e.entry,
	   e.justification, e.owner, e.evidence, e.needs_review, e.changed_at, e.changed_by
  FROM iso27001.soa_version_entry e
  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) e.scope_id;
COMMENT ON VIEW iso27001.soa_version_entries IS
	'the entries of every approved SoA version, by scope name: WHERE scope = ... AND version = ... reads one version by key';
COMMENT ON COLUMN iso27001.soa_version_entries.scope IS 'scope name';
COMMENT ON COLUMN iso27001.soa_version_entries.version IS 'version number';
COMMENT ON COLUMN iso27001.soa_version_entries.control_key IS 'the control: "A.5.7", or the organization''s key';
COMMENT ON COLUMN iso27001.soa_version_entries.control IS 'the Annex A control (NULL for an organization-defined one)';
COMMENT ON COLUMN iso27001.soa_version_entries.title IS 'title of the control';
COMMENT ON COLUMN iso27001.soa_version_entries.entry IS 'the decision (NULL: undecided)';
COMMENT ON COLUMN iso27001.soa_version_entries.justification IS 'justification of the inclusion or exclusion';
COMMENT ON COLUMN iso27001.soa_version_entries.owner IS 'who is responsible for the control';
COMMENT ON COLUMN iso27001.soa_version_entries.evidence IS 'links to the operating evidence';
COMMENT ON COLUMN iso27001.soa_version_entries.needs_review IS 'flagged for review';
COMMENT ON COLUMN iso27001.soa_version_entries.changed_at IS 'time of the entry''s last change before the approval';
COMMENT ON COLUMN iso27001.soa_version_entries.changed_by IS 'database role of that change';
GRANT SELECT ON iso27001.soa_version_entries TO PUBLIC;

CREATE FUNCTION iso27001.soa_diff_at(scope text, from_at timestamptz, to_at timestamptz)
	RETURNS TABLE (control_key text, control iso27001.iso_control, title text, change text,
				   old_entry iso27001.soa_entry, new_entry iso27001.soa_entry,
				   old_justification text, new_justification text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(n.control_key, o.control_key), coalesce(n.control, o.control),
		   coalesce(n.title, o.title),
		   CASE WHEN o.control_key IS NULL THEN 'added'
				WHEN n.control_key IS NULL THEN 'removed'
				WHEN o.entry IS DISTINCT FROM n.entry THEN 're-decided'
				WHEN o.justification IS DISTINCT FROM n.justification THEN 're-justified'
				ELSE 'details changed'
		   END,
		   o.entry, n.entry, o.justification, n.justification
	  FROM iso27001.soa_as_of(soa_diff_at.scope, soa_diff_at.from_at) o
	  FULL JOIN iso27001.soa_as_of(soa_diff_at.scope, soa_diff_at.to_at) n
		ON n.control_key OPERATOR(pg_catalog.=) o.control_key
	 WHERE (o.title, o.entry, o.justification, o.owner, o.evidence, o.needs_review)
		   IS DISTINCT FROM (n.title, n.entry, n.justification, n.owner, n.evidence, n.needs_review)
		OR o.control_key IS NULL OR n.control_key IS NULL
	 ORDER BY coalesce(n.control, o.control), coalesce(n.control_key, o.control_key);
END;
COMMENT ON FUNCTION iso27001.soa_diff_at(text, timestamptz, timestamptz) IS
	'what changed in a scope''s SoA between two points in time: added, removed, re-decided, re-justified or details changed (owner, evidence, title, review flag)';

CREATE FUNCTION iso27001.soa_diff(scope text, from_version integer, to_version integer)
	RETURNS TABLE (control_key text, control iso27001.iso_control, title text, change text,
				   old_entry iso27001.soa_entry, new_entry iso27001.soa_entry,
				   old_justification text, new_justification text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT * FROM iso27001.soa_diff_at(soa_diff.scope,
			iso27001.soa_version_time(soa_diff.scope, soa_diff.from_version),
			iso27001.soa_version_time(soa_diff.scope, soa_diff.to_version));
END;
COMMENT ON FUNCTION iso27001.soa_diff(text, integer, integer) IS
	'what changed in a scope''s SoA between two approved versions (what an auditor asks at each surveillance audit)';

CREATE FUNCTION iso27001.soa_coverage(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, theme text, controls bigint, undecided bigint,
				   excluded bigint, applicable bigint, not_implemented bigint,
				   planned bigint, partially_implemented bigint, implemented bigint,
				   implemented_share numeric)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	-- counted in one pass by scope, edition and first number of the control
	-- (A.5.7: theme 5, Organizational; A.12.6.1: clause A.12), which C
	-- functions give without a join; the sections' names are joined after
	SELECT s.name, coalesce(x.section, 'Organization-defined'), (g.c).total, (g.c).undecided,
		   (g.c).excluded, (g.c).applicable, (g.c).not_implemented, (g.c).planned,
		   (g.c).partially_implemented, (g.c).implemented,
		   pg_catalog.round((g.c).implemented::numeric
							OPERATOR(pg_catalog./) NULLIF((g.c).applicable, 0)::numeric, 4)
	  FROM (SELECT r.scope_id, iso27001.edition(r.control) AS edition,
				   iso27001.sort_key(r.control) OPERATOR(pg_catalog./) 10000 AS head,
				   iso27001.soa_summary(r.entry) AS c
			  FROM iso27001.soa_register r
			 WHERE soa_coverage.scope IS NULL
				OR r.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_coverage.scope))
			 GROUP BY 1, 2, 3) g
	  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
	  LEFT JOIN (SELECT DISTINCT a.edition, iso27001.sort_key(a.control) OPERATOR(pg_catalog./) 10000 AS head,
					    a.section, a.section_order
				   FROM iso27001.annex_a_sections a) x
		ON x.edition OPERATOR(pg_catalog.=) g.edition AND x.head OPERATOR(pg_catalog.=) g.head
	 ORDER BY s.name, coalesce(x.section_order, 1000);
END;
COMMENT ON FUNCTION iso27001.soa_coverage(text) IS
	'SoA coverage of a scope (every scope when NULL) by theme (2022) or clause (2013), organization-defined controls last: counts by applicability and implementation, and the implemented share of applicable controls';

CREATE FUNCTION iso27001.soa_coverage_by_attribute(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, attribute text, value text, controls bigint,
				   excluded bigint, applicable bigint, implemented bigint,
				   implemented_share numeric)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT s.name, a.attribute, a.value,
		   pg_catalog.count(*),
		   pg_catalog.count(*) FILTER (WHERE NOT iso27001.is_applicable(r.entry)),
		   pg_catalog.count(*) FILTER (WHERE iso27001.is_applicable(r.entry)),
		   pg_catalog.count(*) FILTER (WHERE iso27001.is_implemented(r.entry)),
		   pg_catalog.round(pg_catalog.count(*) FILTER (WHERE iso27001.is_implemented(r.entry))::numeric
							OPERATOR(pg_catalog./)
							NULLIF(pg_catalog.count(*) FILTER (WHERE iso27001.is_applicable(r.entry)), 0)::numeric, 4)
	  FROM iso27001.soa_register r
	  JOIN iso27001.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
	  JOIN iso27001.ref_control_2022 c ON c.control OPERATOR(@extschema@.=) r.control
	  CROSS JOIN LATERAL (
			SELECT 1 AS attribute_order, 'control_type' AS attribute, v::text AS value,
				   pg_catalog.array_position(pg_catalog.enum_range(v), v) AS value_order
			  FROM pg_catalog.unnest(c.control_type) AS v
			UNION ALL
			SELECT 2, 'security_properties', v::text, pg_catalog.array_position(pg_catalog.enum_range(v), v)
			  FROM pg_catalog.unnest(c.security_properties) AS v
			UNION ALL
			SELECT 3, 'cybersecurity_concepts', v::text, pg_catalog.array_position(pg_catalog.enum_range(v), v)
			  FROM pg_catalog.unnest(c.cybersecurity_concepts) AS v
			UNION ALL
			SELECT 4, 'operational_capabilities', v::text, pg_catalog.array_position(pg_catalog.enum_range(v), v)
			  FROM pg_catalog.unnest(c.operational_capabilities) AS v
			UNION ALL
			SELECT 5, 'security_domains', v::text, pg_catalog.array_position(pg_catalog.enum_range(v), v)
			  FROM pg_catalog.unnest(c.security_domains) AS v) a
	 WHERE soa_coverage_by_attribute.scope IS NULL
		OR r.scope_id OPERATOR(pg_catalog.=) (SELECT iso27001.soa_scope_id(soa_coverage_by_attribute.scope))
	 GROUP BY s.name, a.attribute_order, a.attribute, a.value_order, a.value
	 ORDER BY s.name, a.attribute_order, a.value_order;
END;
COMMENT ON FUNCTION iso27001.soa_coverage_by_attribute(text) IS
	'SoA coverage of a 2022 scope (every scope when NULL) by ISO/IEC 27002:2022 attribute value (for example the implemented share of applicable #Detective controls)';

--
-- SoA API: migration from ISO/IEC 27001:2013 and export
--

CREATE FUNCTION iso27001.soa_migrate_2013_to_2022(from_scope text, to_scope text,
													 description text DEFAULT NULL)
	RETURNS TABLE (control iso27001.iso_control, outcome text, predecessors text, detail text)
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	src bigint := iso27001.soa_scope_id(from_scope);
	dst bigint;
	retry boolean;
BEGIN
	IF from_scope IS NULL OR to_scope IS NULL THEN
		RAISE EXCEPTION 'scope names must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF (SELECT s.edition FROM iso27001.soa_scope s WHERE s.scope_id = src) <> 2013 THEN
		RAISE EXCEPTION 'scope "%" does not follow ISO/IEC 27001:2013', from_scope
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- a retry finds the draft made (create_scope returns it to the role
	-- that made it with the same description)
	retry := EXISTS (SELECT FROM iso27001.soa_scope s WHERE s.name = to_scope);
	dst := iso27001.create_scope(to_scope, 2022,
									coalesce(description, format('Draft migrated from "%s"', from_scope)));

	-- the decisions on each 2022 control's 2013 predecessors
	CREATE TEMP TABLE pg_temp.soa_migration ON COMMIT DROP AS
	SELECT m.control_2022 AS control,
		   count(*) AS n,
		   count(*) FILTER (WHERE r.entry IS NULL) AS undecided,
		   count(DISTINCT coalesce(iso27001.implementation(r.entry), 'excluded'))
			   FILTER (WHERE r.entry IS NOT NULL) AS states,
		   min(coalesce(iso27001.implementation(r.entry), 'excluded'))
			   FILTER (WHERE r.entry IS NOT NULL) AS state,
		   string_agg(m.control_2013::text, ', ' ORDER BY m.control_2013) AS predecessors,
		   string_agg(m.control_2013::text || ': ' || coalesce(r.entry::text, 'undecided'), '; '
					  ORDER BY m.control_2013) AS decisions,
		   string_agg(m.control_2013::text || ': ' || r.justification, '; '
					  ORDER BY m.control_2013) AS justification,
		   CASE WHEN count(DISTINCT r.owner) = 1 THEN min(r.owner) END AS owner
	  FROM iso27001.ref_correspondence m
	  LEFT JOIN iso27001.soa_register r
		ON r.scope_id = src AND r.control = m.control_2013
	 GROUP BY m.control_2022;

	-- the draft: one agreed decision is carried over, reasons and evidence
	-- merged; disagreeing predecessors leave the control undecided and
	-- flagged; the other controls stay undecided; organization-defined
	-- controls are copied as they are
	CREATE TEMP TABLE pg_temp.soa_migrated ON COMMIT DROP AS
	SELECT c.control::text AS control_key, c.control, NULL::text AS title,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN
				CASE WHEN g.state = 'excluded' THEN 'excluded'::iso27001.soa_entry
					 ELSE iso27001.make_soa_entry(true, g.state,
							ARRAY(SELECT DISTINCT x
									FROM iso27001.ref_correspondence m
									JOIN iso27001.soa_register p
									  ON p.scope_id = src AND p.control = m.control_2013,
										 unnest(iso27001.reasons(p.entry)) AS x
								   WHERE m.control_2022 = g.control))
				END
		   END AS entry,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN g.justification
				WHEN g.states > 1 THEN 'Predecessors disagree: ' || g.decisions
		   END AS justification,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN g.owner END AS owner,
		   CASE WHEN g.undecided = 0 AND g.states = 1 THEN
				ARRAY(SELECT DISTINCT x
						FROM iso27001.ref_correspondence m
						JOIN iso27001.soa_register p
						  ON p.scope_id = src AND p.control = m.control_2013,
							 unnest(p.evidence) AS x
					   WHERE m.control_2022 = g.control
					   ORDER BY x)
				ELSE '{}'::text[]
		   END AS evidence,
		   coalesce(g.states > 1, false) AS needs_review
	  FROM iso27001.ref_control_2022 c
	  LEFT JOIN pg_temp.soa_migration g ON g.control = c.control
	UNION ALL
	SELECT p.control_key, NULL, p.title, p.entry, p.justification, p.owner, p.evidence, p.needs_review
	  FROM iso27001.soa_register p
	 WHERE p.scope_id = src AND p.control IS NULL;

	IF retry THEN
		-- the draft must be what this migration makes, unchanged since
		IF EXISTS ((SELECT r.control_key, r.title, r.entry, r.justification, r.owner, r.evidence, r.needs_review
					  FROM iso27001.soa_register r WHERE r.scope_id = dst
					EXCEPT
					SELECT m.control_key, m.title, m.entry, m.justification, m.owner, m.evidence, m.needs_review
					  FROM pg_temp.soa_migrated m)
				   UNION ALL
				   (SELECT m.control_key, m.title, m.entry, m.justification, m.owner, m.evidence, m.needs_review
					  FROM pg_temp.soa_migrated m
					EXCEPT
					SELECT r.control_key, r.title, r.entry, r.justification, r.owner, r.evidence, r.needs_review
					  FROM iso27001.soa_register r WHERE r.scope_id = dst)) THEN
			RAISE EXCEPTION 'ISMS scope "%" already exists', to_scope
				USING ERRCODE = 'unique_violation',
					  DETAIL = format('It is not the draft migrated from "%s": it was changed since, or made otherwise.',
									  from_scope);
		END IF;
	ELSE
		-- an update that changes nothing (a control left undecided) is
		-- skipped by the register
		UPDATE iso27001.soa_register r
		   SET entry = m.entry, justification = m.justification, owner = m.owner,
			   evidence = m.evidence, needs_review = m.needs_review
		  FROM pg_temp.soa_migrated m
		 WHERE r.scope_id = dst AND m.control IS NOT NULL AND r.control_key = m.control_key;
		INSERT INTO iso27001.soa_register (scope_id, control_key, title, entry, justification,
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
	  FROM iso27001.ref_control_2022 c
	  LEFT JOIN pg_temp.soa_migration g ON g.control = c.control
	UNION ALL
	SELECT NULL, 'organization-defined', NULL, p.control_key || ': ' || coalesce(p.entry::text, 'undecided')
	  FROM iso27001.soa_register p
	 WHERE p.scope_id = src AND p.control IS NULL
	ORDER BY 1, 4;
	DROP TABLE pg_temp.soa_migration, pg_temp.soa_migrated;
END
$$;
COMMENT ON FUNCTION iso27001.soa_migrate_2013_to_2022(text, text, text) IS
	'draft a 2022 SoA from a 2013 one through the correspondence: agreed decisions carried over, the 11 new controls undecided, disagreeing merges undecided and flagged; returns what happened to each control (again for a retry, while the draft is unchanged)';

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

CREATE FUNCTION iso27001.soa_export_json(scope text, version integer DEFAULT NULL)
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
