--
-- The validator (ISO/IEC 27001:2022 clause 6.1.3 d) and what an auditor
-- checks around it): soa_validate, its rules over the register, the
-- evidence records and the risk register, for one scope or all of them.
-- soa_approve refuses an SoA while it reports errors.
--

-- The date evidence is judged valid on: a finite date, else an error
-- (soa_validate is plain SQL and cannot raise one itself)
CREATE FUNCTION iso27001.validation_date(as_of date)
	RETURNS date
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
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
