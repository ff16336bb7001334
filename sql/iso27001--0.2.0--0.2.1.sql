/* sql/iso27001--0.2.0--0.2.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION iso27001 UPDATE TO '0.2.1'" to load this file. \quit

-- 0.2.1 makes the SoA's reads faster without changing what they return
-- (but for the order of the validator's findings, now the catalogue's):
-- soa_validate() passes over the register once, with the soa_census_agg
-- aggregate; soa_as_of_version() reads a version's entries through their
-- index in C, and soa_as_of() reads a version so when nothing changed
-- after it; soa_coverage() and the BI view of coverage by theme find a
-- control's theme or clause without a join.
--
-- Those functions and the view are replaced in place (CREATE OR REPLACE,
-- same signatures and columns): views and other functions depend on them,
-- and dropping them would drop or break those.  New objects are created
-- with plain CREATE.

-- The validator's one pass over the register (src/soa_census.c): grouped
-- by scope, the counts of Annex A entries by edition and the entries the
-- validator reports on
CREATE TYPE @extschema@.soa_census AS (
	annex_2022 bigint,
	annex_2013 bigint,
	control_key text[],
	control @extschema@.iso_control[],
	title text[],
	entry @extschema@.soa_entry[],
	problems integer[]
);
COMMENT ON TYPE @extschema@.soa_census IS
	'result of soa_census_agg: Annex A entries of each edition, and the entries to report on as parallel arrays (problems: the bits of soa_entry_problems, 8 flagged for review, 16 organization-defined)';

CREATE FUNCTION @extschema@.soa_census_accum(internal, control_key text,
											 control @extschema@.iso_control, title text,
											 entry @extschema@.soa_entry, justification text,
											 evidence text[], needs_review boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_census_accum(internal, text, @extschema@.iso_control, text, @extschema@.soa_entry, text, text[], boolean) IS
	'soa_census_agg transition: count one register row, keep it if the validator reports on it';

CREATE FUNCTION @extschema@.soa_census_combine(internal, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_census_combine(internal, internal) IS
	'soa_census_agg combine: add the counts, append the kept entries';

CREATE FUNCTION @extschema@.soa_census_serialize(internal)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_census_serialize(internal) IS
	'soa_census_agg state to bytes, for parallel workers';

CREATE FUNCTION @extschema@.soa_census_deserialize(bytea, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_census_deserialize(bytea, internal) IS
	'soa_census_agg state from bytes, every size and value checked';

CREATE FUNCTION @extschema@.soa_census_final(internal)
	RETURNS @extschema@.soa_census
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_census_final(internal) IS
	'soa_census_agg final: the counts and the kept entries as a soa_census row';

CREATE AGGREGATE @extschema@.soa_census_agg(control_key text, control @extschema@.iso_control,
											title text, entry @extschema@.soa_entry,
											justification text, evidence text[],
											needs_review boolean) (
	SFUNC = @extschema@.soa_census_accum,
	STYPE = internal,
	FINALFUNC = @extschema@.soa_census_final,
	COMBINEFUNC = @extschema@.soa_census_combine,
	SERIALFUNC = @extschema@.soa_census_serialize,
	DESERIALFUNC = @extschema@.soa_census_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.soa_census_agg(text, @extschema@.iso_control, text, @extschema@.soa_entry, text, text[], boolean) IS
	'the validator''s pass over register rows (grouped by scope): Annex A entries by edition, and the entries with a problem, flagged for review or organization-defined';

CREATE OR REPLACE FUNCTION @extschema@.soa_as_of_version(scope text, version integer)
	RETURNS TABLE (control_key text, control @extschema@.iso_control, title text,
				   entry @extschema@.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE
	ROWS 100;

CREATE OR REPLACE FUNCTION @extschema@.soa_as_of(scope text, at timestamptz)
	RETURNS TABLE (control_key text, control @extschema@.iso_control, title text,
				   entry @extschema@.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
-- PL/pgSQL rather than SQL so that the query's plan is kept between calls
DECLARE
	id bigint := @extschema@.soa_scope_id(soa_as_of.scope);
	latest integer;
	latest_at timestamptz;
BEGIN
	-- the latest version approved by then: when nothing changed between its
	-- approval and then, it is the SoA of that time, read by its index
	SELECT v.version, v.approved_at INTO latest, latest_at
	  FROM @extschema@.soa_version v
	 WHERE v.scope_id OPERATOR(pg_catalog.=) id
	   AND v.approved_at OPERATOR(pg_catalog.<=) soa_as_of.at
	 ORDER BY v.version DESC LIMIT 1;
	IF FOUND AND NOT EXISTS (SELECT FROM @extschema@.soa_history h
							  WHERE h.scope_id OPERATOR(pg_catalog.=) id
								AND h.changed_at OPERATOR(pg_catalog.>) latest_at
								AND h.changed_at OPERATOR(pg_catalog.<=) soa_as_of.at) THEN
		RETURN QUERY SELECT * FROM @extschema@.soa_as_of_version(soa_as_of.scope, latest);
		RETURN;
	END IF;

	RETURN QUERY
	-- the latest version approved by then, and the changes since
	WITH v AS (
		SELECT v.version, v.approved_at
		  FROM @extschema@.soa_version v
		 WHERE v.scope_id OPERATOR(pg_catalog.=) id
		   AND v.approved_at OPERATOR(pg_catalog.<=) soa_as_of.at
		 ORDER BY v.version DESC LIMIT 1
	), base AS (
		SELECT e.* FROM @extschema@.soa_version_entry e, v
		 WHERE e.scope_id OPERATOR(pg_catalog.=) id
		   AND e.version OPERATOR(pg_catalog.=) v.version
	), delta AS (
		SELECT DISTINCT ON (h.control_key) h.*
		  FROM @extschema@.soa_history h
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
		   CASE WHEN d.control_key IS NULL THEN b.evidence ELSE d.evidence END,
		   CASE WHEN d.control_key IS NULL THEN b.needs_review ELSE d.needs_review END,
		   coalesce(d.changed_at, b.changed_at), coalesce(d.changed_by, b.changed_by)
	  FROM base b
	  FULL JOIN delta d ON d.control_key OPERATOR(pg_catalog.=) b.control_key
	  -- titles by a join: title() per row would run a query per row
	  LEFT JOIN @extschema@.annex_a_titles t ON t.control OPERATOR(@extschema@.=) d.control
	 WHERE NOT coalesce(d.removed, false)
	 ORDER BY coalesce(d.control, b.control), coalesce(d.control_key, b.control_key);
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.soa_validate(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, rule text, severity text, control_key text, message text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	-- One pass over the register, kept to the scopes asked for (all of
	-- them, or one read by key; one branch each, so that a cached plan
	-- serves both): soa_census_agg counts each scope's Annex A entries by
	-- edition and keeps the few entries that break a per-entry rule, are
	-- flagged for review or are organization-defined.  Only the scopes
	-- whose counts are off are read again.
	WITH s AS (
		SELECT s.scope_id, s.name, s.edition FROM @extschema@.soa_scope s
		 WHERE soa_validate.scope IS NULL
			OR s.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))
	), pass AS (
		SELECT g.scope_id,
			   @extschema@.soa_census_agg(g.control_key, g.control, g.title, g.entry,
										  g.justification, g.evidence, g.needs_review) AS c
		  FROM @extschema@.soa_register g
		 WHERE soa_validate.scope IS NULL
		 GROUP BY g.scope_id
		UNION ALL
		SELECT g.scope_id,
			   @extschema@.soa_census_agg(g.control_key, g.control, g.title, g.entry,
										  g.justification, g.evidence, g.needs_review)
		  FROM @extschema@.soa_register g
		 WHERE soa_validate.scope IS NOT NULL
		   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))
		 GROUP BY g.scope_id
	), checked AS (
		SELECT s.scope_id, s.name, s.edition, p.c,
			   coalesce(CASE s.edition WHEN 2022 THEN (p.c).annex_2022 ELSE (p.c).annex_2013 END, 0) AS nright,
			   coalesce(CASE s.edition WHEN 2022 THEN (p.c).annex_2013 ELSE (p.c).annex_2022 END, 0) AS nwrong
		  FROM s LEFT JOIN pass p ON p.scope_id OPERATOR(pg_catalog.=) s.scope_id
	), suspect AS (
		-- the kept entries, one row each (the arrays have one length)
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
	), finding AS (
		-- the per-entry rules, one branch per bit of the census' problems
		SELECT x.name, 'UNDECIDED' AS rule, x.control_key, x.control, x.entry, x.title,
			   x.scope_edition, NULL::text AS other
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 1 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		SELECT x.name,
			   CASE WHEN @extschema@.is_applicable(x.entry) THEN 'INCLUSION_WITHOUT_JUSTIFICATION'
					ELSE 'EXCLUSION_WITHOUT_JUSTIFICATION' END,
			   x.control_key, x.control, x.entry, x.title, x.scope_edition, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 2 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		SELECT x.name, 'NO_EVIDENCE', x.control_key, x.control, x.entry, x.title, x.scope_edition, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 4 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		SELECT x.name, 'NEEDS_REVIEW', x.control_key, x.control, x.entry, x.title, x.scope_edition, NULL
		  FROM suspect x
		 WHERE x.problems OPERATOR(pg_catalog.&) 8 OPERATOR(pg_catalog.<>) 0
		UNION ALL
		-- organization-defined controls that repeat another control's key
		-- (up to case) or title
		SELECT x.name, 'DUPLICATE', x.control_key, NULL, x.entry, x.title, x.scope_edition,
			   d.control_key
		  FROM suspect x
		  JOIN @extschema@.soa_register d
			ON d.scope_id OPERATOR(pg_catalog.=) x.scope_id
		   AND d.control_key OPERATOR(pg_catalog.<>) x.control_key
		  LEFT JOIN @extschema@.annex_a_titles t ON t.control OPERATOR(@extschema@.=) d.control
		 WHERE x.problems OPERATOR(pg_catalog.&) 16 OPERATOR(pg_catalog.<>) 0
		   AND ((d.control IS NULL
				 AND pg_catalog.lower(d.control_key) OPERATOR(pg_catalog.=) pg_catalog.lower(x.control_key))
				OR pg_catalog.lower(pg_catalog.btrim(coalesce(d.title, t.title)))
				   OPERATOR(pg_catalog.=) pg_catalog.lower(pg_catalog.btrim(x.title)))
		UNION ALL
		-- entries of the other edition, in the scopes that have some
		SELECT c.name, 'WRONG_EDITION', r.control_key, r.control, r.entry, NULL, c.edition, NULL
		  FROM checked c
		  JOIN @extschema@.soa_register r ON r.scope_id OPERATOR(pg_catalog.=) c.scope_id
		 WHERE c.nwrong OPERATOR(pg_catalog.>) 0
		   AND @extschema@.edition(r.control) OPERATOR(pg_catalog.<>) c.edition
		UNION ALL
		-- Annex A controls without an entry, in the scopes short of some
		SELECT c.name, 'ANNEX_A_MISSING', t.control::text, t.control, NULL, t.title, c.edition, NULL
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
			WHEN 'DUPLICATE' THEN pg_catalog.format(
				'Organization-defined control %s duplicates %s.', f.control_key, f.other)
			WHEN 'ANNEX_A_MISSING' THEN pg_catalog.format(
				'Annex A control %s "%s" has no entry in the SoA.', f.control, f.title)
		   END
	  FROM finding f
	 -- by scope, errors first, then in catalogue order (organization-defined
	 -- controls last, by key)
	 ORDER BY 1, CASE WHEN f.rule OPERATOR(pg_catalog.=) ANY (ARRAY['NO_EVIDENCE', 'NEEDS_REVIEW', 'DUPLICATE'])
					  THEN 2 ELSE 1 END, f.control, 4, 2, 5;
END;

CREATE OR REPLACE FUNCTION @extschema@.soa_coverage(scope text DEFAULT NULL)
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
	  FROM (SELECT r.scope_id, @extschema@.edition(r.control) AS edition,
				   @extschema@.sort_key(r.control) OPERATOR(pg_catalog./) 10000 AS head,
				   @extschema@.soa_summary(r.entry) AS c
			  FROM @extschema@.soa_register r
			 WHERE soa_coverage.scope IS NULL
				OR r.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_coverage.scope))
			 GROUP BY 1, 2, 3) g
	  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
	  LEFT JOIN (SELECT DISTINCT a.edition, @extschema@.sort_key(a.control) OPERATOR(pg_catalog./) 10000 AS head,
					    a.section, a.section_order
				   FROM @extschema@.annex_a_sections a) x
		ON x.edition OPERATOR(pg_catalog.=) g.edition AND x.head OPERATOR(pg_catalog.=) g.head
	 ORDER BY s.name, coalesce(x.section_order, 1000);
END;

CREATE OR REPLACE VIEW iso27001_bi.soa_coverage_by_theme WITH (security_invoker = true) AS
SELECT g.scope_id, s.name AS scope, coalesce(x.section, 'Organization-defined') AS theme,
	   coalesce(x.section_order, 1000) AS theme_order,
	   (g.c).total AS controls, (g.c).undecided, (g.c).excluded, (g.c).applicable,
	   (g.c).not_implemented, (g.c).planned, (g.c).partially_implemented, (g.c).implemented,
	   pg_catalog.round((g.c).implemented::numeric
						OPERATOR(pg_catalog./) NULLIF((g.c).applicable, 0)::numeric, 4) AS implemented_share
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
