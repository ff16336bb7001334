--
-- ISO/IEC 27002:2022 attribute vocabulary (clause 4.2), tags without the #
--

CREATE TYPE iso27001.annex_a_theme AS ENUM (
	'Organizational', 'People', 'Physical', 'Technological'
);
COMMENT ON TYPE iso27001.annex_a_theme IS
	'ISO/IEC 27001:2022 Annex A theme: 5 Organizational, 6 People, 7 Physical, 8 Technological';

CREATE TYPE iso27001.control_type AS ENUM (
	'Preventive', 'Detective', 'Corrective'
);
COMMENT ON TYPE iso27001.control_type IS
	'ISO/IEC 27002:2022 attribute: control type (#Preventive, #Detective, #Corrective)';

CREATE TYPE iso27001.security_property AS ENUM (
	'Confidentiality', 'Integrity', 'Availability'
);
COMMENT ON TYPE iso27001.security_property IS
	'ISO/IEC 27002:2022 attribute: information security property (#Confidentiality, #Integrity, #Availability)';

CREATE TYPE iso27001.cybersecurity_concept AS ENUM (
	'Identify', 'Protect', 'Detect', 'Respond', 'Recover'
);
COMMENT ON TYPE iso27001.cybersecurity_concept IS
	'ISO/IEC 27002:2022 attribute: cybersecurity concept (#Identify, #Protect, #Detect, #Respond, #Recover)';

CREATE TYPE iso27001.operational_capability AS ENUM (
	'Governance', 'Asset_management', 'Information_protection',
	'Human_resource_security', 'Physical_security',
	'System_and_network_security', 'Application_security',
	'Secure_configuration', 'Identity_and_access_management',
	'Threat_and_vulnerability_management', 'Continuity',
	'Supplier_relationships_security', 'Legal_and_compliance',
	'Information_security_event_management',
	'Information_security_assurance'
);
COMMENT ON TYPE iso27001.operational_capability IS
	'ISO/IEC 27002:2022 attribute: operational capability (#Governance ... #Information_security_assurance)';

CREATE TYPE iso27001.security_domain AS ENUM (
	'Governance_and_Ecosystem', 'Protection', 'Defence', 'Resilience'
);
COMMENT ON TYPE iso27001.security_domain IS
	'ISO/IEC 27002:2022 attribute: security domain (#Governance_and_Ecosystem, #Protection, #Defence, #Resilience)';

CREATE TYPE iso27001.correspondence_kind AS ENUM (
	'one-to-one', 'merge', 'split', 'split-merge'
);
COMMENT ON TYPE iso27001.correspondence_kind IS
	'shape of a 2013 -> 2022 correspondence pair: one-to-one; merge (several 2013 controls became one 2022 control); split (one 2013 control went to several 2022 controls); split-merge (both)';

--
-- Reference tables.  The build seeds them from data/*.csv: data/seed.pl
-- writes the INSERTs that follow this file in the install script.  They
-- belong to the extension (so pg_dump leaves them to CREATE EXTENSION) and
-- are read-only for everybody but their owner.  Users read them through
-- the views.
--

CREATE TABLE iso27001.ref_control_2022 (
	control iso27001.iso_control PRIMARY KEY
		CHECK (iso27001.edition(control) OPERATOR(pg_catalog.=) 2022),
	theme iso27001.annex_a_theme NOT NULL,
	title text NOT NULL,
	control_type iso27001.control_type[] NOT NULL
		CHECK (pg_catalog.cardinality(control_type) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(control_type, NULL) IS NULL),
	security_properties iso27001.security_property[] NOT NULL
		CHECK (pg_catalog.cardinality(security_properties) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(security_properties, NULL) IS NULL),
	cybersecurity_concepts iso27001.cybersecurity_concept[] NOT NULL
		CHECK (pg_catalog.cardinality(cybersecurity_concepts) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(cybersecurity_concepts, NULL) IS NULL),
	operational_capabilities iso27001.operational_capability[] NOT NULL
		CHECK (pg_catalog.cardinality(operational_capabilities) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(operational_capabilities, NULL) IS NULL),
	security_domains iso27001.security_domain[] NOT NULL
		CHECK (pg_catalog.cardinality(security_domains) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(security_domains, NULL) IS NULL)
);
COMMENT ON TABLE iso27001.ref_control_2022 IS
	'reference data: ISO/IEC 27001:2022 Annex A controls with their ISO/IEC 27002:2022 attributes (read through view annex_a_2022)';

CREATE TABLE iso27001.ref_clause_2013 (
	clause text PRIMARY KEY CHECK (clause OPERATOR(pg_catalog.~) '^A\.[0-9]+$'),
	title text NOT NULL
);
COMMENT ON TABLE iso27001.ref_clause_2013 IS
	'reference data: ISO/IEC 27001:2013 Annex A clauses A.5 to A.18 (read through view annex_a_2013)';

CREATE TABLE iso27001.ref_objective_2013 (
	objective text PRIMARY KEY CHECK (objective OPERATOR(pg_catalog.~) '^A\.[0-9]+\.[0-9]+$'),
	clause text NOT NULL REFERENCES iso27001.ref_clause_2013,
	title text NOT NULL
);
COMMENT ON TABLE iso27001.ref_objective_2013 IS
	'reference data: ISO/IEC 27001:2013 Annex A control objectives (read through view annex_a_2013)';

CREATE TABLE iso27001.ref_control_2013 (
	control iso27001.iso_control PRIMARY KEY
		CHECK (iso27001.edition(control) OPERATOR(pg_catalog.=) 2013),
	objective text NOT NULL REFERENCES iso27001.ref_objective_2013,
	title text NOT NULL
);
COMMENT ON TABLE iso27001.ref_control_2013 IS
	'reference data: ISO/IEC 27001:2013 Annex A controls (read through view annex_a_2013)';

CREATE TABLE iso27001.ref_correspondence (
	control_2013 iso27001.iso_control NOT NULL REFERENCES iso27001.ref_control_2013,
	control_2022 iso27001.iso_control NOT NULL REFERENCES iso27001.ref_control_2022,
	PRIMARY KEY (control_2013, control_2022)
);
CREATE INDEX ON iso27001.ref_correspondence (control_2022);
COMMENT ON TABLE iso27001.ref_correspondence IS
	'reference data: ISO/IEC 27002:2022 Annex B correspondence, one row per 2013 -> 2022 pair (read through view correspondence)';

-- The clauses of ISO/IEC 27001:2022 that state requirements of the
-- management system (4 to 10): numbers and short headings only, for the
-- internal audit programme (data/SOURCES.md, file 5)
CREATE TABLE iso27001.ref_isms_clause_2022 (
	clause text PRIMARY KEY
		CHECK (clause OPERATOR(pg_catalog.~) '^(4|5|6|7|8|9|10)(\.[1-9]){0,2}$'),
	title text NOT NULL
);
COMMENT ON TABLE iso27001.ref_isms_clause_2022 IS
	'reference data: ISO/IEC 27001:2022 clauses 4 to 10 with their headings (read through view isms_clauses_2022)';

REVOKE ALL ON iso27001.ref_control_2022, iso27001.ref_clause_2013,
	iso27001.ref_objective_2013, iso27001.ref_control_2013,
	iso27001.ref_correspondence, iso27001.ref_isms_clause_2022 FROM PUBLIC;
GRANT SELECT ON iso27001.ref_control_2022, iso27001.ref_clause_2013,
	iso27001.ref_objective_2013, iso27001.ref_control_2013,
	iso27001.ref_correspondence, iso27001.ref_isms_clause_2022 TO PUBLIC;

--
-- The catalogue views
--

CREATE VIEW iso27001.annex_a_2022 AS
SELECT c.control, c.theme, c.title,
	   c.control_type, c.security_properties, c.cybersecurity_concepts,
	   c.operational_capabilities, c.security_domains,
	   NOT EXISTS (SELECT FROM iso27001.ref_correspondence m
				   WHERE m.control_2022 OPERATOR(@extschema@.=) c.control) AS is_new
  FROM iso27001.ref_control_2022 c;
COMMENT ON VIEW iso27001.annex_a_2022 IS
	'ISO/IEC 27001:2022 Annex A: the 93 controls with theme, title and ISO/IEC 27002:2022 attributes';
COMMENT ON COLUMN iso27001.annex_a_2022.control IS 'the control, A.5.1 to A.8.34';
COMMENT ON COLUMN iso27001.annex_a_2022.theme IS 'theme: Organizational (5), People (6), Physical (7), Technological (8)';
COMMENT ON COLUMN iso27001.annex_a_2022.title IS 'short title, as in ISO/IEC 27001:2022 Table A.1';
COMMENT ON COLUMN iso27001.annex_a_2022.control_type IS 'ISO/IEC 27002:2022 attribute: control type';
COMMENT ON COLUMN iso27001.annex_a_2022.security_properties IS 'ISO/IEC 27002:2022 attribute: information security properties';
COMMENT ON COLUMN iso27001.annex_a_2022.cybersecurity_concepts IS 'ISO/IEC 27002:2022 attribute: cybersecurity concepts';
COMMENT ON COLUMN iso27001.annex_a_2022.operational_capabilities IS 'ISO/IEC 27002:2022 attribute: operational capabilities';
COMMENT ON COLUMN iso27001.annex_a_2022.security_domains IS 'ISO/IEC 27002:2022 attribute: security domains';
COMMENT ON COLUMN iso27001.annex_a_2022.is_new IS 'true for the 11 controls with no ISO/IEC 27001:2013 predecessor';

CREATE VIEW iso27001.annex_a_2013 AS
SELECT c.control, o.clause, cl.title AS clause_title,
	   c.objective, o.title AS objective_title, c.title
  FROM iso27001.ref_control_2013 c
  JOIN iso27001.ref_objective_2013 o
	ON o.objective OPERATOR(pg_catalog.=) c.objective
  JOIN iso27001.ref_clause_2013 cl
	ON cl.clause OPERATOR(pg_catalog.=) o.clause;
COMMENT ON VIEW iso27001.annex_a_2013 IS
	'ISO/IEC 27001:2013 Annex A: the 114 controls with clause, control objective and title';
COMMENT ON COLUMN iso27001.annex_a_2013.control IS 'the control, A.5.1.1 to A.18.2.3';
COMMENT ON COLUMN iso27001.annex_a_2013.clause IS 'clause, A.5 to A.18';
COMMENT ON COLUMN iso27001.annex_a_2013.clause_title IS 'title of the clause';
COMMENT ON COLUMN iso27001.annex_a_2013.objective IS 'control objective, such as A.12.6';
COMMENT ON COLUMN iso27001.annex_a_2013.objective_title IS 'title of the control objective';
COMMENT ON COLUMN iso27001.annex_a_2013.title IS 'short title, as in ISO/IEC 27001:2013 Table A.1';

CREATE VIEW iso27001.correspondence AS
SELECT m.control_2013, m.control_2022,
	   CASE WHEN m.successors OPERATOR(pg_catalog.>) 1 AND m.predecessors OPERATOR(pg_catalog.>) 1
			THEN 'split-merge'
			WHEN m.successors OPERATOR(pg_catalog.>) 1 THEN 'split'
			WHEN m.predecessors OPERATOR(pg_catalog.>) 1 THEN 'merge'
			ELSE 'one-to-one'
	   END::iso27001.correspondence_kind AS kind,
	   c13.title AS title_2013, c22.title AS title_2022
  FROM (SELECT control_2013, control_2022,
			   pg_catalog.count(*) OVER (PARTITION BY control_2013) AS successors,
			   pg_catalog.count(*) OVER (PARTITION BY control_2022) AS predecessors
		  FROM iso27001.ref_correspondence) m
  JOIN iso27001.ref_control_2013 c13
	ON c13.control OPERATOR(@extschema@.=) m.control_2013
  JOIN iso27001.ref_control_2022 c22
	ON c22.control OPERATOR(@extschema@.=) m.control_2022;
COMMENT ON VIEW iso27001.correspondence IS
	'ISO/IEC 27002:2022 Annex B: the 115 pairs of a 2013 control and the 2022 control it went to';
COMMENT ON COLUMN iso27001.correspondence.control_2013 IS 'the ISO/IEC 27001:2013 control';
COMMENT ON COLUMN iso27001.correspondence.control_2022 IS 'an ISO/IEC 27001:2022 control it went to';
COMMENT ON COLUMN iso27001.correspondence.kind IS 'one-to-one, merge, split or split-merge, from the shape of the pairs';
COMMENT ON COLUMN iso27001.correspondence.title_2013 IS 'title of the 2013 control';
COMMENT ON COLUMN iso27001.correspondence.title_2022 IS 'title of the 2022 control';

CREATE VIEW iso27001.isms_clauses_2022 AS
SELECT c.clause, c.title,
	   pg_catalog.split_part(c.clause, '.', 1)::integer AS section,
	   NOT EXISTS (SELECT FROM iso27001.ref_isms_clause_2022 s
				   WHERE s.clause OPERATOR(pg_catalog.^@) (c.clause OPERATOR(pg_catalog.||) '.')) AS is_requirement,
	   ((pg_catalog.split_part(c.clause, '.', 1)::integer OPERATOR(pg_catalog.*) 10000)
		OPERATOR(pg_catalog.+) (coalesce(nullif(pg_catalog.split_part(c.clause, '.', 2), '')::integer, 0) OPERATOR(pg_catalog.*) 100)
		OPERATOR(pg_catalog.+) coalesce(nullif(pg_catalog.split_part(c.clause, '.', 3), '')::integer, 0)) AS sort_key
  FROM iso27001.ref_isms_clause_2022 c;
COMMENT ON VIEW iso27001.isms_clauses_2022 IS
	'ISO/IEC 27001:2022 clauses 4 to 10 (the management system''s requirements): number and heading; the 30 without subclauses are what an internal audit programme covers';
COMMENT ON COLUMN iso27001.isms_clauses_2022.clause IS 'the clause, 4 to 10.2 (as 6.1.3)';
COMMENT ON COLUMN iso27001.isms_clauses_2022.title IS 'its heading';
COMMENT ON COLUMN iso27001.isms_clauses_2022.section IS 'the main clause it belongs to, 4 to 10';
COMMENT ON COLUMN iso27001.isms_clauses_2022.is_requirement IS 'true for a clause without subclauses (4.1, 6.1.2, 10.2): an item of the internal audit programme';
COMMENT ON COLUMN iso27001.isms_clauses_2022.sort_key IS 'integer key for the natural order (6.1.2: 60102, 10.1: 100100)';

GRANT SELECT ON iso27001.annex_a_2022, iso27001.annex_a_2013,
	iso27001.correspondence, iso27001.isms_clauses_2022 TO PUBLIC;

--
-- Catalogue look-ups.  They read the reference tables, so they are STABLE;
-- for a control of the other edition they return NULL (or no rows).  The
-- set-returning ones are not STRICT (NULL gives no rows anyway) so that the
-- planner can inline them into the calling query.
--

CREATE FUNCTION iso27001.title(control iso27001.iso_control)
	RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.title FROM iso27001.ref_control_2022 c
	 WHERE c.control OPERATOR(@extschema@.=) title.control
	UNION ALL
	SELECT c.title FROM iso27001.ref_control_2013 c
	 WHERE c.control OPERATOR(@extschema@.=) title.control;
END;
COMMENT ON FUNCTION iso27001.title(iso27001.iso_control) IS
	'short title of a control of either edition';

CREATE FUNCTION iso27001.theme(control iso27001.iso_control)
	RETURNS iso27001.annex_a_theme
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.theme FROM iso27001.ref_control_2022 c
	 WHERE c.control OPERATOR(@extschema@.=) theme.control;
END;
COMMENT ON FUNCTION iso27001.theme(iso27001.iso_control) IS
	'theme of a 2022 control (NULL for a 2013 control)';

CREATE FUNCTION iso27001.clause(control iso27001.iso_control)
	RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT o.clause FROM iso27001.ref_control_2013 c
	  JOIN iso27001.ref_objective_2013 o
		ON o.objective OPERATOR(pg_catalog.=) c.objective
	 WHERE c.control OPERATOR(@extschema@.=) clause.control;
END;
COMMENT ON FUNCTION iso27001.clause(iso27001.iso_control) IS
	'clause of a 2013 control, such as A.12 (NULL for a 2022 control)';

CREATE FUNCTION iso27001.objective(control iso27001.iso_control)
	RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.objective FROM iso27001.ref_control_2013 c
	 WHERE c.control OPERATOR(@extschema@.=) objective.control;
END;
COMMENT ON FUNCTION iso27001.objective(iso27001.iso_control) IS
	'control objective of a 2013 control, such as A.12.6 (NULL for a 2022 control)';

CREATE FUNCTION iso27001.is_new(control iso27001.iso_control)
	RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT NOT EXISTS (SELECT FROM iso27001.ref_correspondence m
						WHERE m.control_2022 OPERATOR(@extschema@.=) c.control)
	  FROM iso27001.ref_control_2022 c
	 WHERE c.control OPERATOR(@extschema@.=) is_new.control;
END;
COMMENT ON FUNCTION iso27001.is_new(iso27001.iso_control) IS
	'is a 2022 control new in 2022, with no 2013 predecessor? (NULL for a 2013 control)';

CREATE FUNCTION iso27001.successors(control iso27001.iso_control)
	RETURNS SETOF iso27001.iso_control
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 2
BEGIN ATOMIC
	SELECT m.control_2022 FROM iso27001.ref_correspondence m
	 WHERE m.control_2013 OPERATOR(@extschema@.=) successors.control
	 ORDER BY m.control_2022;
END;
COMMENT ON FUNCTION iso27001.successors(iso27001.iso_control) IS
	'the 2022 controls a 2013 control went to (no rows for a 2022 control)';

CREATE FUNCTION iso27001.predecessors(control iso27001.iso_control)
	RETURNS SETOF iso27001.iso_control
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 2
BEGIN ATOMIC
	SELECT m.control_2013 FROM iso27001.ref_correspondence m
	 WHERE m.control_2022 OPERATOR(@extschema@.=) predecessors.control
	 ORDER BY m.control_2013;
END;
COMMENT ON FUNCTION iso27001.predecessors(iso27001.iso_control) IS
	'the 2013 controls a 2022 control came from (no rows for a new control or a 2013 control)';
