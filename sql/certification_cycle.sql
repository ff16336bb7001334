--
-- The certification cycle (ISO/IEC 17021-1:2015 9.1.3, ISO/IEC 27006,
-- IAF MD 26): the schedule of a certificate, the check of an audit history
-- and what is due next.  Hard rules are reported as such; practice values
-- are arguments with defaults (docs/certification_cycle.md §4.1).
--

CREATE TYPE iso27001.certification_event AS (
	kind text,
	on_date date
);
COMMENT ON TYPE iso27001.certification_event IS
	'one event of an audit history: kind (stage1, stage2, stage2_major_nonconformity, surveillance, recertification_audit, recertification_decision, restoration_decision, suspension_start, suspension_end, transition_audit, special_audit) and date';

CREATE FUNCTION iso27001.certification_cycle(
	certification_decision date,
	stage1_date date DEFAULT NULL,
	stage2_last_day date DEFAULT NULL,
	cycles integer DEFAULT 1,
	recertification_decisions date[] DEFAULT NULL,
	extension_days integer DEFAULT 0,
	extension_cycle integer DEFAULT 1,
	edition integer DEFAULT 2022,
	expiry_rule text DEFAULT 'day_before',
	first_surveillance_anchor text DEFAULT 'decision',
	surveillance_months_before integer DEFAULT 3,
	surveillance_months_after integer DEFAULT 3,
	calendar_safe boolean DEFAULT true,
	recertification_month integer DEFAULT 33,
	recertification_lead_months integer DEFAULT 6,
	recertification_buffer_days integer DEFAULT 30)
	RETURNS TABLE (cycle integer, seq integer, event text, due_date date,
				   window_start date, window_end date, requirement text,
				   basis text, note text)
	AS 'MODULE_PATHNAME', 'certification_cycle'
	LANGUAGE C IMMUTABLE PARALLEL SAFE
	ROWS 12;
COMMENT ON FUNCTION iso27001.certification_cycle(date, date, date, integer, date[], integer, integer, integer, text, text, integer, integer, boolean, integer, integer, integer) IS
	'the schedule of an ISO/IEC 27001 certificate: one row per event of each three-year cycle, with its window, requirement level (hard, practice, info) and basis';

CREATE FUNCTION iso27001.certification_cycle_check(
	certification_decision date,
	events iso27001.certification_event[],
	as_of date DEFAULT NULL,
	edition integer DEFAULT 2022,
	expiry_rule text DEFAULT 'day_before',
	decision_year_covered boolean DEFAULT true,
	extension_days integer DEFAULT 0,
	extension_cycle integer DEFAULT 1,
	first_surveillance_anchor text DEFAULT 'decision',
	stage_gap_months integer DEFAULT 6)
	RETURNS TABLE (rule text, severity text, cycle integer, on_date date,
				   detail text, basis text)
	AS 'MODULE_PATHNAME', 'certification_cycle_check'
	LANGUAGE C IMMUTABLE PARALLEL SAFE
	ROWS 2;
COMMENT ON FUNCTION iso27001.certification_cycle_check(date, iso27001.certification_event[], date, integer, text, boolean, integer, integer, text, integer) IS
	'the certification-cycle rules an audit history breaks, one row per finding (none for a compliant history)';

-- The same, with the history read from a query whose first two columns
-- are the kind and the date.  It runs the caller's query (one query, no
-- data-modifying statement or WITH, no FOR UPDATE/SHARE) with the caller's
-- privileges and search_path, in a subtransaction with
-- transaction_read_only on that is always rolled back: a write in any
-- function it calls fails (25006), and what a read-only transaction still
-- allows (set_config, temporary tables) is undone (src/certification_cycle.c,
-- events_query_arg).  Its rows are read through a cursor, 10,000 at a time.
-- VOLATILE, as the query may call anything.  A name of its own, so that an
-- untyped literal never picks the wrong one of two overloads.
CREATE FUNCTION iso27001.certification_cycle_check_query(
	certification_decision date,
	events_query text,
	as_of date DEFAULT NULL,
	edition integer DEFAULT 2022,
	expiry_rule text DEFAULT 'day_before',
	decision_year_covered boolean DEFAULT true,
	extension_days integer DEFAULT 0,
	extension_cycle integer DEFAULT 1,
	first_surveillance_anchor text DEFAULT 'decision',
	stage_gap_months integer DEFAULT 6)
	RETURNS TABLE (rule text, severity text, cycle integer, on_date date,
				   detail text, basis text)
	AS 'MODULE_PATHNAME', 'certification_cycle_check_query'
	LANGUAGE C VOLATILE PARALLEL UNSAFE
	ROWS 2;
COMMENT ON FUNCTION iso27001.certification_cycle_check_query(date, text, date, integer, text, boolean, integer, integer, text, integer) IS
	'the certification-cycle rules an audit history breaks, the history read from a query returning (kind, on_date), run read-only and rolled back';

CREATE FUNCTION iso27001.certification_next_due(
	certification_decision date,
	events iso27001.certification_event[],
	as_of date DEFAULT CURRENT_DATE,
	edition integer DEFAULT 2022,
	expiry_rule text DEFAULT 'day_before',
	decision_year_covered boolean DEFAULT true,
	extension_days integer DEFAULT 0,
	extension_cycle integer DEFAULT 1,
	first_surveillance_anchor text DEFAULT 'decision',
	surveillance_months_before integer DEFAULT 3,
	surveillance_months_after integer DEFAULT 3,
	recertification_month integer DEFAULT 33,
	recertification_lead_months integer DEFAULT 6,
	recertification_buffer_days integer DEFAULT 30)
	RETURNS TABLE (event text, due_date date, window_start date, window_end date,
				   days_left integer, requirement text, basis text, note text)
	AS 'MODULE_PATHNAME', 'certification_next_due'
	LANGUAGE C IMMUTABLE PARALLEL SAFE
	ROWS 3;
COMMENT ON FUNCTION iso27001.certification_next_due(date, iso27001.certification_event[], date, integer, text, boolean, integer, integer, text, integer, integer, integer, integer, integer) IS
	'what is due next for a certificate: the next audit with its window, then the hard deadlines still ahead (as_of defaults to today)';

--
-- ISMS audit time (ISO/IEC 27006:2015 Annex B, IAF MD 1, ISO/IEC
-- 27006-1:2024 C.3.4).  The functions carry the bands compiled in; this
-- table shows the same rows, with their edition, for reports and joins.
--

CREATE TABLE iso27001.isms_audit_time_band (
	edition text NOT NULL,
	persons_min integer NOT NULL,
	persons_max integer,
	initial_days numeric(4, 1),
	verified boolean NOT NULL,
	note text,
	PRIMARY KEY (edition, persons_min),
	CHECK (persons_max IS NULL OR persons_max >= persons_min)
);
COMMENT ON TABLE iso27001.isms_audit_time_band IS
	'initial audit time (stage 1 + stage 2, auditor-days) by persons doing work under the organization''s control, per table edition';
COMMENT ON COLUMN iso27001.isms_audit_time_band.edition IS 'the table: ISO/IEC 27006:2015 Table B.1';
COMMENT ON COLUMN iso27001.isms_audit_time_band.persons_min IS 'lowest number of persons of the band';
COMMENT ON COLUMN iso27001.isms_audit_time_band.persons_max IS 'highest number of persons of the band (NULL: open-ended)';
COMMENT ON COLUMN iso27001.isms_audit_time_band.initial_days IS 'initial audit time in auditor-days (NULL: determined manually)';
COMMENT ON COLUMN iso27001.isms_audit_time_band.verified IS 'the value was confirmed from two independent public reproductions';
COMMENT ON COLUMN iso27001.isms_audit_time_band.note IS 'remark';
INSERT INTO iso27001.isms_audit_time_band (edition, persons_min, persons_max, initial_days, verified) VALUES
	('ISO/IEC 27006:2015 Table B.1', 1, 10, 5, true),
	('ISO/IEC 27006:2015 Table B.1', 11, 15, 6, true),
	('ISO/IEC 27006:2015 Table B.1', 16, 25, 7, true),
	('ISO/IEC 27006:2015 Table B.1', 26, 45, 8.5, true),
	('ISO/IEC 27006:2015 Table B.1', 46, 65, 10, true),
	('ISO/IEC 27006:2015 Table B.1', 66, 85, 11, true),
	('ISO/IEC 27006:2015 Table B.1', 86, 125, 12, true),
	('ISO/IEC 27006:2015 Table B.1', 126, 175, 13, true),
	('ISO/IEC 27006:2015 Table B.1', 176, 275, 14, true),
	('ISO/IEC 27006:2015 Table B.1', 276, 425, 15, true),
	('ISO/IEC 27006:2015 Table B.1', 426, 625, 16.5, true),
	('ISO/IEC 27006:2015 Table B.1', 626, 875, 17.5, true),
	('ISO/IEC 27006:2015 Table B.1', 876, 1175, 18.5, true),
	('ISO/IEC 27006:2015 Table B.1', 1176, 1550, 19.5, true),
	('ISO/IEC 27006:2015 Table B.1', 1551, 2025, 21, true),
	('ISO/IEC 27006:2015 Table B.1', 2026, 2675, 22, true),
	('ISO/IEC 27006:2015 Table B.1', 2676, 3450, 23, true),
	('ISO/IEC 27006:2015 Table B.1', 3451, 4350, 24, true),
	('ISO/IEC 27006:2015 Table B.1', 4351, 5450, 25, true),
	('ISO/IEC 27006:2015 Table B.1', 5451, 6800, 26, true),
	('ISO/IEC 27006:2015 Table B.1', 6801, 8500, 27, true),
	('ISO/IEC 27006:2015 Table B.1', 8501, 10700, 28, true);
INSERT INTO iso27001.isms_audit_time_band (edition, persons_min, persons_max, initial_days, verified, note) VALUES
	('ISO/IEC 27006:2015 Table B.1', 10701, NULL, NULL, true,
	 'the table says to follow the progression above; no formula is given: determined manually');
REVOKE ALL ON iso27001.isms_audit_time_band FROM PUBLIC;
GRANT SELECT ON iso27001.isms_audit_time_band TO PUBLIC;

CREATE FUNCTION iso27001.isms_audit_time(
	persons integer,
	adjustment_percent double precision DEFAULT 0,
	min_adjustment_percent double precision DEFAULT -30,
	stage1_share double precision DEFAULT 0.3,
	surveillance_fraction double precision DEFAULT 1.0 / 3,
	recertification_fraction double precision DEFAULT 2.0 / 3,
	rounding text DEFAULT 'nearest_half',
	transition text DEFAULT NULL,
	table_edition text DEFAULT 'ISO/IEC 27006:2015 Table B.1',
	OUT persons_min integer,
	OUT persons_max integer,
	OUT table_days numeric,
	OUT adjusted_initial_days numeric,
	OUT stage1_days numeric,
	OUT stage2_days numeric,
	OUT surveillance_days numeric,
	OUT recertification_days numeric,
	OUT transition_extra_days numeric,
	OUT needs_manual_determination boolean,
	OUT notes text[])
	AS 'MODULE_PATHNAME', 'isms_audit_time'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.isms_audit_time(integer, double precision, double precision, double precision, double precision, double precision, text, text, text) IS
	'ISMS audit time in auditor-days (ISO/IEC 27006:2015 Table B.1): initial, adjusted, stage 1/stage 2, surveillance, recertification, transition extra; manual above 10,700 persons';

CREATE FUNCTION iso27001.ms_site_sample(sites integer,
	OUT initial integer, OUT surveillance integer, OUT recertification integer)
	AS 'MODULE_PATHNAME', 'ms_site_sample'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.ms_site_sample(integer) IS
	'IAF MD 1 multi-site sample sizes for n sites: sqrt(n), 0.6 sqrt(n), 0.8 sqrt(n), rounded up (ISMS applicability to be confirmed with the certification body)';

CREATE FUNCTION iso27001.isms_effective_persons(group_sizes integer[])
	RETURNS integer
	AS 'MODULE_PATHNAME', 'isms_effective_persons'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.isms_effective_persons(integer[]) IS
	'the largest reduction ISO/IEC 27006-1:2024 C.3.4 allows for groups doing identical activities: the sum of ceil(sqrt(size)); advisory, the certification body justifies the count';
