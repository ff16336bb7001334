/* sql/iso27001--0.1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION iso27001" to load this file. \quit

-- The control file names the schema, and CREATE EXTENSION installs into it
-- even when somebody else created it beforehand.  Its owner could then
-- replace the extension's functions under the users' feet: refuse a schema
-- that neither the installing role nor a superuser owns.
DO $$
DECLARE
	owner pg_catalog.name;
BEGIN
	SELECT r.rolname INTO owner
	  FROM pg_catalog.pg_namespace n
	  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
	 WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
	   AND r.rolname OPERATOR(pg_catalog.<>) CURRENT_USER
	   AND NOT r.rolsuper;
	IF FOUND THEN
		RAISE EXCEPTION 'schema "@extschema@" is owned by role "%"', owner
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The owner of the schema could replace the functions of the extension.',
				  HINT = 'Drop the schema, or give it to the installing role, before CREATE EXTENSION iso27001.';
	END IF;
END
$$;

COMMENT ON SCHEMA @extschema@ IS
	'ISO/IEC 27001 information security management: Annex A controls of both editions and their catalogues';
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

--
-- The iso_control type: an Annex A control of either edition
--

CREATE TYPE @extschema@.iso_control;

CREATE FUNCTION @extschema@.iso_control_in(cstring)
	RETURNS @extschema@.iso_control
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_in(cstring) IS
	'I/O: read a control ("5.7", "A.5.7", "A.7.2.2"), checked against its edition';

CREATE FUNCTION @extschema@.iso_control_out(@extschema@.iso_control)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_out(@extschema@.iso_control) IS
	'I/O: write a control in canonical form ("A.5.7", "A.7.2.2")';

CREATE FUNCTION @extschema@.iso_control_recv(internal)
	RETURNS @extschema@.iso_control
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_recv(internal) IS
	'I/O: read the 4-byte binary form, checked against its edition';

CREATE FUNCTION @extschema@.iso_control_send(@extschema@.iso_control)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_send(@extschema@.iso_control) IS
	'I/O: write the 4-byte binary form (edition code, then the numbers)';

CREATE TYPE @extschema@.iso_control (
	INPUT = @extschema@.iso_control_in,
	OUTPUT = @extschema@.iso_control_out,
	RECEIVE = @extschema@.iso_control_recv,
	SEND = @extschema@.iso_control_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.iso_control IS
	'ISO/IEC 27001 Annex A control of the 2022 (A.5.7) or 2013 (A.7.2.2) edition, in natural catalogue order';

--
-- Comparison.  The packed value's int4 order is the natural catalogue order
-- (2013 controls before 2022 ones, A.5.9 < A.5.10 < A.6.1), so the int4
-- support functions serve unchanged; they cannot fail, hence LEAKPROOF.
--

CREATE FUNCTION @extschema@.iso_control_eq(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS boolean
	AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_eq(@extschema@.iso_control, @extschema@.iso_control) IS
	'implementation of = operator';

CREATE FUNCTION @extschema@.iso_control_ne(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS boolean
	AS 'int4ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_ne(@extschema@.iso_control, @extschema@.iso_control) IS
	'implementation of <> operator';

CREATE FUNCTION @extschema@.iso_control_lt(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS boolean
	AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_lt(@extschema@.iso_control, @extschema@.iso_control) IS
	'implementation of < operator';

CREATE FUNCTION @extschema@.iso_control_le(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS boolean
	AS 'int4le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_le(@extschema@.iso_control, @extschema@.iso_control) IS
	'implementation of <= operator';

CREATE FUNCTION @extschema@.iso_control_gt(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS boolean
	AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_gt(@extschema@.iso_control, @extschema@.iso_control) IS
	'implementation of > operator';

CREATE FUNCTION @extschema@.iso_control_ge(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS boolean
	AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_ge(@extschema@.iso_control, @extschema@.iso_control) IS
	'implementation of >= operator';

CREATE FUNCTION @extschema@.iso_control_cmp(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS integer
	AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_cmp(@extschema@.iso_control, @extschema@.iso_control) IS
	'less-equal-greater: -1, 0 or 1 in natural catalogue order';

CREATE FUNCTION @extschema@.iso_control_sortsupport(internal)
	RETURNS void
	AS 'btint4sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_sortsupport(internal) IS
	'sort support: the int4 comparator';

CREATE FUNCTION @extschema@.iso_control_hash(@extschema@.iso_control)
	RETURNS integer
	AS 'hashint4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_hash(@extschema@.iso_control) IS
	'hash of a control';

CREATE FUNCTION @extschema@.iso_control_hash_extended(@extschema@.iso_control, bigint)
	RETURNS bigint
	AS 'hashint4extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.iso_control_hash_extended(@extschema@.iso_control, bigint) IS
	'64-bit seeded hash of a control (hash partitioning)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.iso_control, RIGHTARG = @extschema@.iso_control,
	FUNCTION = @extschema@.iso_control_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.iso_control, @extschema@.iso_control) IS
	'equal';

CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.iso_control, RIGHTARG = @extschema@.iso_control,
	FUNCTION = @extschema@.iso_control_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.iso_control, @extschema@.iso_control) IS
	'not equal';

CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.iso_control, RIGHTARG = @extschema@.iso_control,
	FUNCTION = @extschema@.iso_control_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR @extschema@.< (@extschema@.iso_control, @extschema@.iso_control) IS
	'comes before, in natural catalogue order';

CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.iso_control, RIGHTARG = @extschema@.iso_control,
	FUNCTION = @extschema@.iso_control_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR @extschema@.<= (@extschema@.iso_control, @extschema@.iso_control) IS
	'comes before or equal, in natural catalogue order';

CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.iso_control, RIGHTARG = @extschema@.iso_control,
	FUNCTION = @extschema@.iso_control_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR @extschema@.> (@extschema@.iso_control, @extschema@.iso_control) IS
	'comes after, in natural catalogue order';

CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.iso_control, RIGHTARG = @extschema@.iso_control,
	FUNCTION = @extschema@.iso_control_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.>= (@extschema@.iso_control, @extschema@.iso_control) IS
	'comes after or equal, in natural catalogue order';

CREATE OPERATOR CLASS @extschema@.iso_control_ops
	DEFAULT FOR TYPE @extschema@.iso_control USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.iso_control_cmp(@extschema@.iso_control, @extschema@.iso_control),
		FUNCTION 2 @extschema@.iso_control_sortsupport(internal),
		FUNCTION 4 pg_catalog.btequalimage(oid);
COMMENT ON OPERATOR CLASS @extschema@.iso_control_ops USING btree IS
	'natural catalogue order of Annex A controls (deduplicating B-tree)';
COMMENT ON OPERATOR FAMILY @extschema@.iso_control_ops USING btree IS
	'natural catalogue order of Annex A controls';

CREATE OPERATOR CLASS @extschema@.iso_control_ops
	DEFAULT FOR TYPE @extschema@.iso_control USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.iso_control_hash(@extschema@.iso_control),
		FUNCTION 2 @extschema@.iso_control_hash_extended(@extschema@.iso_control, bigint);
COMMENT ON OPERATOR CLASS @extschema@.iso_control_ops USING hash IS
	'hashing of Annex A controls';
COMMENT ON OPERATOR FAMILY @extschema@.iso_control_ops USING hash IS
	'hashing of Annex A controls';

CREATE FUNCTION @extschema@.iso_control_smaller(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS @extschema@.iso_control
	AS 'int4smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_smaller(@extschema@.iso_control, @extschema@.iso_control) IS
	'the earlier of two controls in natural catalogue order';

CREATE FUNCTION @extschema@.iso_control_larger(@extschema@.iso_control, @extschema@.iso_control)
	RETURNS @extschema@.iso_control
	AS 'int4larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.iso_control_larger(@extschema@.iso_control, @extschema@.iso_control) IS
	'the later of two controls in natural catalogue order';

CREATE AGGREGATE @extschema@.min(@extschema@.iso_control) (
	SFUNC = @extschema@.iso_control_smaller,
	STYPE = @extschema@.iso_control,
	COMBINEFUNC = @extschema@.iso_control_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.iso_control) IS
	'earliest control in natural catalogue order';

CREATE AGGREGATE @extschema@.max(@extschema@.iso_control) (
	SFUNC = @extschema@.iso_control_larger,
	STYPE = @extschema@.iso_control,
	COMBINEFUNC = @extschema@.iso_control_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.max(@extschema@.iso_control) IS
	'latest control in natural catalogue order';

CREATE CAST (text AS @extschema@.iso_control) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.iso_control) IS
	'read a control from text; invalid text raises SQLSTATE 22P02 (the cast to text is PostgreSQL''s own I/O cast)';

CREATE FUNCTION @extschema@.edition(@extschema@.iso_control)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'iso_control_edition'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.edition(@extschema@.iso_control) IS
	'edition of the control: 2013 or 2022';

CREATE FUNCTION @extschema@.is_valid_control(text)
	RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_valid_control(text) IS
	'does the text read as an Annex A control? (no error; pg_input_is_valid before PostgreSQL 16)';

--
-- ISO/IEC 27002:2022 attribute vocabulary (clause 4.2), tags without the #
--

CREATE TYPE @extschema@.annex_a_theme AS ENUM (
	'Organizational', 'People', 'Physical', 'Technological'
);
COMMENT ON TYPE @extschema@.annex_a_theme IS
	'ISO/IEC 27001:2022 Annex A theme: 5 Organizational, 6 People, 7 Physical, 8 Technological';

CREATE TYPE @extschema@.control_type AS ENUM (
	'Preventive', 'Detective', 'Corrective'
);
COMMENT ON TYPE @extschema@.control_type IS
	'ISO/IEC 27002:2022 attribute: control type (#Preventive, #Detective, #Corrective)';

CREATE TYPE @extschema@.security_property AS ENUM (
	'Confidentiality', 'Integrity', 'Availability'
);
COMMENT ON TYPE @extschema@.security_property IS
	'ISO/IEC 27002:2022 attribute: information security property (#Confidentiality, #Integrity, #Availability)';

CREATE TYPE @extschema@.cybersecurity_concept AS ENUM (
	'Identify', 'Protect', 'Detect', 'Respond', 'Recover'
);
COMMENT ON TYPE @extschema@.cybersecurity_concept IS
	'ISO/IEC 27002:2022 attribute: cybersecurity concept (#Identify, #Protect, #Detect, #Respond, #Recover)';

CREATE TYPE @extschema@.operational_capability AS ENUM (
	'Governance', 'Asset_management', 'Information_protection',
	'Human_resource_security', 'Physical_security',
	'System_and_network_security', 'Application_security',
	'Secure_configuration', 'Identity_and_access_management',
	'Threat_and_vulnerability_management', 'Continuity',
	'Supplier_relationships_security', 'Legal_and_compliance',
	'Information_security_event_management',
	'Information_security_assurance'
);
COMMENT ON TYPE @extschema@.operational_capability IS
	'ISO/IEC 27002:2022 attribute: operational capability (#Governance ... #Information_security_assurance)';

CREATE TYPE @extschema@.security_domain AS ENUM (
	'Governance_and_Ecosystem', 'Protection', 'Defence', 'Resilience'
);
COMMENT ON TYPE @extschema@.security_domain IS
	'ISO/IEC 27002:2022 attribute: security domain (#Governance_and_Ecosystem, #Protection, #Defence, #Resilience)';

CREATE TYPE @extschema@.correspondence_kind AS ENUM (
	'one-to-one', 'merge', 'split', 'split-merge'
);
COMMENT ON TYPE @extschema@.correspondence_kind IS
	'shape of a 2013 -> 2022 correspondence pair: one-to-one; merge (several 2013 controls became one 2022 control); split (one 2013 control went to several 2022 controls); split-merge (both)';

--
-- Reference tables, seeded below from data/*.csv.  They belong to the
-- extension (so pg_dump leaves them to CREATE EXTENSION) and are read-only
-- for everybody but their owner.  Users read them through the views.
--

CREATE TABLE @extschema@.ref_control_2022 (
	control @extschema@.iso_control PRIMARY KEY
		CHECK (@extschema@.edition(control) OPERATOR(pg_catalog.=) 2022),
	theme @extschema@.annex_a_theme NOT NULL,
	title text NOT NULL,
	control_type @extschema@.control_type[] NOT NULL
		CHECK (pg_catalog.cardinality(control_type) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(control_type, NULL) IS NULL),
	security_properties @extschema@.security_property[] NOT NULL
		CHECK (pg_catalog.cardinality(security_properties) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(security_properties, NULL) IS NULL),
	cybersecurity_concepts @extschema@.cybersecurity_concept[] NOT NULL
		CHECK (pg_catalog.cardinality(cybersecurity_concepts) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(cybersecurity_concepts, NULL) IS NULL),
	operational_capabilities @extschema@.operational_capability[] NOT NULL
		CHECK (pg_catalog.cardinality(operational_capabilities) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(operational_capabilities, NULL) IS NULL),
	security_domains @extschema@.security_domain[] NOT NULL
		CHECK (pg_catalog.cardinality(security_domains) OPERATOR(pg_catalog.>) 0
			   AND pg_catalog.array_position(security_domains, NULL) IS NULL)
);
COMMENT ON TABLE @extschema@.ref_control_2022 IS
	'reference data: ISO/IEC 27001:2022 Annex A controls with their ISO/IEC 27002:2022 attributes (read through view annex_a_2022)';

CREATE TABLE @extschema@.ref_clause_2013 (
	clause text PRIMARY KEY CHECK (clause OPERATOR(pg_catalog.~) '^A\.[0-9]+$'),
	title text NOT NULL
);
COMMENT ON TABLE @extschema@.ref_clause_2013 IS
	'reference data: ISO/IEC 27001:2013 Annex A clauses A.5 to A.18 (read through view annex_a_2013)';

CREATE TABLE @extschema@.ref_objective_2013 (
	objective text PRIMARY KEY CHECK (objective OPERATOR(pg_catalog.~) '^A\.[0-9]+\.[0-9]+$'),
	clause text NOT NULL REFERENCES @extschema@.ref_clause_2013,
	title text NOT NULL
);
COMMENT ON TABLE @extschema@.ref_objective_2013 IS
	'reference data: ISO/IEC 27001:2013 Annex A control objectives (read through view annex_a_2013)';

CREATE TABLE @extschema@.ref_control_2013 (
	control @extschema@.iso_control PRIMARY KEY
		CHECK (@extschema@.edition(control) OPERATOR(pg_catalog.=) 2013),
	objective text NOT NULL REFERENCES @extschema@.ref_objective_2013,
	title text NOT NULL
);
COMMENT ON TABLE @extschema@.ref_control_2013 IS
	'reference data: ISO/IEC 27001:2013 Annex A controls (read through view annex_a_2013)';

CREATE TABLE @extschema@.ref_correspondence (
	control_2013 @extschema@.iso_control NOT NULL REFERENCES @extschema@.ref_control_2013,
	control_2022 @extschema@.iso_control NOT NULL REFERENCES @extschema@.ref_control_2022,
	PRIMARY KEY (control_2013, control_2022)
);
CREATE INDEX ON @extschema@.ref_correspondence (control_2022);
COMMENT ON TABLE @extschema@.ref_correspondence IS
	'reference data: ISO/IEC 27002:2022 Annex B correspondence, one row per 2013 -> 2022 pair (read through view correspondence)';

-- seed: begin (generated by data/seed.pl from data/*.csv; do not edit)
INSERT INTO @extschema@.ref_control_2022 (control, theme, title, control_type, security_properties, cybersecurity_concepts, operational_capabilities, security_domains) VALUES
	('5.1', 'Organizational', 'Policies for information security', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Governance}', '{Governance_and_Ecosystem,Resilience}'),
	('5.2', 'Organizational', 'Information security roles and responsibilities', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Governance}', '{Governance_and_Ecosystem,Protection,Resilience}'),
	('5.3', 'Organizational', 'Segregation of duties', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Governance,Identity_and_access_management}', '{Governance_and_Ecosystem}'),
	('5.4', 'Organizational', 'Management responsibilities', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Governance}', '{Governance_and_Ecosystem}'),
	('5.5', 'Organizational', 'Contact with authorities', '{Preventive,Corrective}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect,Respond,Recover}', '{Governance}', '{Defence,Resilience}'),
	('5.6', 'Organizational', 'Contact with special interest groups', '{Preventive,Corrective}', '{Confidentiality,Integrity,Availability}', '{Protect,Respond,Recover}', '{Governance}', '{Defence}'),
	('5.7', 'Organizational', 'Threat intelligence', '{Preventive,Detective,Corrective}', '{Confidentiality,Integrity,Availability}', '{Identify,Detect,Respond}', '{Threat_and_vulnerability_management}', '{Defence,Resilience}'),
	('5.8', 'Organizational', 'Information security in project management', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Governance}', '{Governance_and_Ecosystem,Protection}'),
	('5.9', 'Organizational', 'Inventory of information and other associated assets', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Asset_management}', '{Governance_and_Ecosystem,Protection}'),
	('5.10', 'Organizational', 'Acceptable use of information and other associated assets', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Information_protection}', '{Governance_and_Ecosystem,Protection}'),
	('5.11', 'Organizational', 'Return of assets', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management}', '{Protection}'),
	('5.12', 'Organizational', 'Classification of information', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Information_protection}', '{Protection,Defence}'),
	('5.13', 'Organizational', 'Labelling of information', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Information_protection}', '{Protection,Defence}'),
	('5.14', 'Organizational', 'Information transfer', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Information_protection}', '{Protection}'),
	('5.15', 'Organizational', 'Access control', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('5.16', 'Organizational', 'Identity management', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('5.17', 'Organizational', 'Authentication information', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('5.18', 'Organizational', 'Access rights', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('5.19', 'Organizational', 'Information security in supplier relationships', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Supplier_relationships_security}', '{Governance_and_Ecosystem,Protection}'),
	('5.20', 'Organizational', 'Addressing information security within supplier agreements', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Supplier_relationships_security}', '{Governance_and_Ecosystem,Protection}'),
	('5.21', 'Organizational', 'Managing information security in the information and communication technology (ICT) supply chain', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Supplier_relationships_security}', '{Governance_and_Ecosystem,Protection}'),
	('5.22', 'Organizational', 'Monitoring, review and change management of supplier services', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Supplier_relationships_security,Information_security_assurance}', '{Governance_and_Ecosystem,Protection,Defence}'),
	('5.23', 'Organizational', 'Information security for use of cloud services', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Supplier_relationships_security}', '{Governance_and_Ecosystem,Protection}'),
	('5.24', 'Organizational', 'Information security incident management planning and preparation', '{Corrective}', '{Confidentiality,Integrity,Availability}', '{Respond,Recover}', '{Governance,Information_security_event_management}', '{Defence}'),
	('5.25', 'Organizational', 'Assessment and decision on information security events', '{Detective}', '{Confidentiality,Integrity,Availability}', '{Detect,Respond}', '{Information_security_event_management}', '{Defence}'),
	('5.26', 'Organizational', 'Response to information security incidents', '{Corrective}', '{Confidentiality,Integrity,Availability}', '{Respond,Recover}', '{Information_security_event_management}', '{Defence}'),
	('5.27', 'Organizational', 'Learning from information security incidents', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Information_security_event_management}', '{Defence}'),
	('5.28', 'Organizational', 'Collection of evidence', '{Corrective}', '{Confidentiality,Integrity,Availability}', '{Detect,Respond}', '{Information_security_event_management}', '{Defence}'),
	('5.29', 'Organizational', 'Information security during disruption', '{Preventive,Corrective}', '{Confidentiality,Integrity,Availability}', '{Protect,Respond}', '{Continuity}', '{Protection,Resilience}'),
	('5.30', 'Organizational', 'ICT readiness for business continuity', '{Corrective}', '{Availability}', '{Respond}', '{Continuity}', '{Resilience}'),
	('5.31', 'Organizational', 'Legal, statutory, regulatory and contractual requirements', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Legal_and_compliance}', '{Governance_and_Ecosystem,Protection}'),
	('5.32', 'Organizational', 'Intellectual property rights', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{Legal_and_compliance}', '{Governance_and_Ecosystem}'),
	('5.33', 'Organizational', 'Protection of records', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Asset_management,Information_protection,Legal_and_compliance}', '{Defence}'),
	('5.34', 'Organizational', 'Privacy and protection of personal identifiable information (PII)', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Information_protection,Legal_and_compliance}', '{Protection}'),
	('5.35', 'Organizational', 'Independent review of information security', '{Preventive,Corrective}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Information_security_assurance}', '{Governance_and_Ecosystem}'),
	('5.36', 'Organizational', 'Compliance with policies, rules and standards for information security', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Legal_and_compliance,Information_security_assurance}', '{Governance_and_Ecosystem}'),
	('5.37', 'Organizational', 'Documented operating procedures', '{Preventive,Corrective}', '{Confidentiality,Integrity,Availability}', '{Protect,Recover}', '{Asset_management,Physical_security,System_and_network_security,Application_security,Secure_configuration,Identity_and_access_management,Threat_and_vulnerability_management,Continuity,Information_security_event_management}', '{Governance_and_Ecosystem,Protection,Defence}'),
	('6.1', 'People', 'Screening', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Human_resource_security}', '{Governance_and_Ecosystem}'),
	('6.2', 'People', 'Terms and conditions of employment', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Human_resource_security}', '{Governance_and_Ecosystem}'),
	('6.3', 'People', 'Information security awareness, education and training', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Human_resource_security}', '{Governance_and_Ecosystem}'),
	('6.4', 'People', 'Disciplinary process', '{Preventive,Corrective}', '{Confidentiality,Integrity,Availability}', '{Protect,Respond}', '{Human_resource_security}', '{Governance_and_Ecosystem}'),
	('6.5', 'People', 'Responsibilities after termination or change of employment', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Human_resource_security}', '{Governance_and_Ecosystem}'),
	('6.6', 'People', 'Confidentiality or non-disclosure agreements', '{Preventive}', '{Confidentiality}', '{Protect}', '{Information_protection,Human_resource_security,Supplier_relationships_security}', '{Governance_and_Ecosystem}'),
	('6.7', 'People', 'Remote working', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Information_protection,Physical_security,System_and_network_security}', '{Protection}'),
	('6.8', 'People', 'Information security event reporting', '{Detective}', '{Confidentiality,Integrity,Availability}', '{Detect}', '{Information_security_event_management}', '{Defence}'),
	('7.1', 'Physical', 'Physical security perimeters', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Physical_security}', '{Protection}'),
	('7.2', 'Physical', 'Physical entry', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Physical_security,Identity_and_access_management}', '{Protection}'),
	('7.3', 'Physical', 'Securing offices, rooms and facilities', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Physical_security}', '{Protection}'),
	('7.4', 'Physical', 'Physical security monitoring', '{Preventive,Detective}', '{Confidentiality,Integrity,Availability}', '{Protect,Detect}', '{Physical_security}', '{Protection,Defence}'),
	('7.5', 'Physical', 'Protecting against physical and environmental threats', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Physical_security}', '{Protection}'),
	('7.6', 'Physical', 'Working in secure areas', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Physical_security}', '{Protection}'),
	('7.7', 'Physical', 'Clear desk and clear screen', '{Preventive}', '{Confidentiality}', '{Protect}', '{Physical_security}', '{Protection}'),
	('7.8', 'Physical', 'Equipment siting and protection', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Physical_security}', '{Protection}'),
	('7.9', 'Physical', 'Security of assets off-premises', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Physical_security}', '{Protection}'),
	('7.10', 'Physical', 'Storage media', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Physical_security}', '{Protection}'),
	('7.11', 'Physical', 'Supporting utilities', '{Preventive,Detective}', '{Integrity,Availability}', '{Protect,Detect}', '{Physical_security}', '{Protection}'),
	('7.12', 'Physical', 'Cabling security', '{Preventive}', '{Confidentiality,Availability}', '{Protect}', '{Physical_security}', '{Protection}'),
	('7.13', 'Physical', 'Equipment maintenance', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Physical_security}', '{Protection,Resilience}'),
	('7.14', 'Physical', 'Secure disposal or re-use of equipment', '{Preventive}', '{Confidentiality}', '{Protect}', '{Asset_management,Physical_security}', '{Protection}'),
	('8.1', 'Technological', 'User end point devices', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Asset_management,Information_protection}', '{Protection}'),
	('8.2', 'Technological', 'Privileged access rights', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('8.3', 'Technological', 'Information access restriction', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('8.4', 'Technological', 'Access to source code', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Application_security,Secure_configuration,Identity_and_access_management}', '{Protection}'),
	('8.5', 'Technological', 'Secure authentication', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Identity_and_access_management}', '{Protection}'),
	('8.6', 'Technological', 'Capacity management', '{Preventive,Detective}', '{Integrity,Availability}', '{Identify,Protect,Detect}', '{Continuity}', '{Governance_and_Ecosystem,Protection}'),
	('8.7', 'Technological', 'Protection against malware', '{Preventive,Detective,Corrective}', '{Confidentiality,Integrity,Availability}', '{Protect,Detect}', '{Information_protection,System_and_network_security}', '{Protection,Defence}'),
	('8.8', 'Technological', 'Management of technical vulnerabilities', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect}', '{Threat_and_vulnerability_management}', '{Governance_and_Ecosystem,Protection,Defence}'),
	('8.9', 'Technological', 'Configuration management', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Secure_configuration}', '{Protection}'),
	('8.10', 'Technological', 'Information deletion', '{Preventive}', '{Confidentiality}', '{Protect}', '{Information_protection,Legal_and_compliance}', '{Protection}'),
	('8.11', 'Technological', 'Data masking', '{Preventive}', '{Confidentiality}', '{Protect}', '{Information_protection}', '{Protection}'),
	('8.12', 'Technological', 'Data leakage prevention', '{Preventive,Detective}', '{Confidentiality}', '{Protect,Detect}', '{Information_protection}', '{Protection,Defence}'),
	('8.13', 'Technological', 'Information backup', '{Corrective}', '{Integrity,Availability}', '{Recover}', '{Continuity}', '{Protection}'),
	('8.14', 'Technological', 'Redundancy of information processing facilities', '{Preventive}', '{Availability}', '{Protect}', '{Asset_management,Continuity}', '{Protection,Resilience}'),
	('8.15', 'Technological', 'Logging', '{Detective}', '{Confidentiality,Integrity,Availability}', '{Detect}', '{Information_security_event_management}', '{Protection,Defence}'),
	('8.16', 'Technological', 'Monitoring activities', '{Detective,Corrective}', '{Confidentiality,Integrity,Availability}', '{Detect,Respond}', '{Information_security_event_management}', '{Defence}'),
	('8.17', 'Technological', 'Clock synchronization', '{Detective}', '{Integrity}', '{Protect,Detect}', '{Information_security_event_management}', '{Protection,Defence}'),
	('8.18', 'Technological', 'Use of privileged utility programs', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security,Secure_configuration}', '{Protection}'),
	('8.19', 'Technological', 'Installation of software on operational systems', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Application_security,Secure_configuration}', '{Protection}'),
	('8.20', 'Technological', 'Networks security', '{Preventive,Detective}', '{Confidentiality,Integrity,Availability}', '{Protect,Detect}', '{System_and_network_security}', '{Protection}'),
	('8.21', 'Technological', 'Security of network services', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security}', '{Protection}'),
	('8.22', 'Technological', 'Segregation of networks', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security}', '{Protection}'),
	('8.23', 'Technological', 'Web filtering', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security}', '{Protection}'),
	('8.24', 'Technological', 'Use of cryptography', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Secure_configuration}', '{Protection}'),
	('8.25', 'Technological', 'Secure development life cycle', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security}', '{Protection}'),
	('8.26', 'Technological', 'Application security requirements', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security}', '{Protection,Defence}'),
	('8.27', 'Technological', 'Secure system architecture and engineering principles', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security}', '{Protection}'),
	('8.28', 'Technological', 'Secure coding', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security}', '{Protection}'),
	('8.29', 'Technological', 'Security testing in development and acceptance', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Identify}', '{System_and_network_security,Application_security,Information_security_assurance}', '{Protection}'),
	('8.30', 'Technological', 'Outsourced development', '{Preventive,Detective}', '{Confidentiality,Integrity,Availability}', '{Identify,Protect,Detect}', '{System_and_network_security,Application_security,Supplier_relationships_security}', '{Governance_and_Ecosystem,Protection}'),
	('8.31', 'Technological', 'Separation of development, test and production environments', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security}', '{Protection}'),
	('8.32', 'Technological', 'Change management', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{System_and_network_security,Application_security}', '{Protection}'),
	('8.33', 'Technological', 'Test information', '{Preventive}', '{Confidentiality,Integrity}', '{Protect}', '{Information_protection}', '{Protection}'),
	('8.34', 'Technological', 'Protection of information systems during audit testing', '{Preventive}', '{Confidentiality,Integrity,Availability}', '{Protect}', '{Information_protection,System_and_network_security}', '{Governance_and_Ecosystem,Protection}');

INSERT INTO @extschema@.ref_clause_2013 (clause, title) VALUES
	('A.5', 'Information security policies'),
	('A.6', 'Organization of information security'),
	('A.7', 'Human resource security'),
	('A.8', 'Asset management'),
	('A.9', 'Access control'),
	('A.10', 'Cryptography'),
	('A.11', 'Physical and environmental security'),
	('A.12', 'Operations security'),
	('A.13', 'Communications security'),
	('A.14', 'System acquisition, development and maintenance'),
	('A.15', 'Supplier relationships'),
	('A.16', 'Information security incident management'),
	('A.17', 'Information security aspects of business continuity management'),
	('A.18', 'Compliance');

INSERT INTO @extschema@.ref_objective_2013 (objective, clause, title) VALUES
	('A.5.1', 'A.5', 'Management direction for information security'),
	('A.6.1', 'A.6', 'Internal organization'),
	('A.6.2', 'A.6', 'Mobile devices and teleworking'),
	('A.7.1', 'A.7', 'Prior to employment'),
	('A.7.2', 'A.7', 'During employment'),
	('A.7.3', 'A.7', 'Termination and change of employment'),
	('A.8.1', 'A.8', 'Responsibility for assets'),
	('A.8.2', 'A.8', 'Information classification'),
	('A.8.3', 'A.8', 'Media handling'),
	('A.9.1', 'A.9', 'Business requirements of access control'),
	('A.9.2', 'A.9', 'User access management'),
	('A.9.3', 'A.9', 'User responsibilities'),
	('A.9.4', 'A.9', 'System and application access control'),
	('A.10.1', 'A.10', 'Cryptographic controls'),
	('A.11.1', 'A.11', 'Secure areas'),
	('A.11.2', 'A.11', 'Equipment'),
	('A.12.1', 'A.12', 'Operational procedures and responsibilities'),
	('A.12.2', 'A.12', 'Protection from malware'),
	('A.12.3', 'A.12', 'Backup'),
	('A.12.4', 'A.12', 'Logging and monitoring'),
	('A.12.5', 'A.12', 'Control of operational software'),
	('A.12.6', 'A.12', 'Technical vulnerability management'),
	('A.12.7', 'A.12', 'Information systems audit considerations'),
	('A.13.1', 'A.13', 'Network security management'),
	('A.13.2', 'A.13', 'Information transfer'),
	('A.14.1', 'A.14', 'Security requirements of information systems'),
	('A.14.2', 'A.14', 'Security in development and support processes'),
	('A.14.3', 'A.14', 'Test data'),
	('A.15.1', 'A.15', 'Information security in supplier relationships'),
	('A.15.2', 'A.15', 'Supplier service delivery management'),
	('A.16.1', 'A.16', 'Management of information security incidents and improvements'),
	('A.17.1', 'A.17', 'Information security continuity'),
	('A.17.2', 'A.17', 'Redundancies'),
	('A.18.1', 'A.18', 'Compliance with legal and contractual requirements'),
	('A.18.2', 'A.18', 'Information security reviews');

INSERT INTO @extschema@.ref_control_2013 (control, objective, title) VALUES
	('A.5.1.1', 'A.5.1', 'Policies for information security'),
	('A.5.1.2', 'A.5.1', 'Review of the policies for information security'),
	('A.6.1.1', 'A.6.1', 'Information security roles and responsibilities'),
	('A.6.1.2', 'A.6.1', 'Segregation of duties'),
	('A.6.1.3', 'A.6.1', 'Contact with authorities'),
	('A.6.1.4', 'A.6.1', 'Contact with special interest groups'),
	('A.6.1.5', 'A.6.1', 'Information security in project management'),
	('A.6.2.1', 'A.6.2', 'Mobile device policy'),
	('A.6.2.2', 'A.6.2', 'Teleworking'),
	('A.7.1.1', 'A.7.1', 'Screening'),
	('A.7.1.2', 'A.7.1', 'Terms and conditions of employment'),
	('A.7.2.1', 'A.7.2', 'Management responsibilities'),
	('A.7.2.2', 'A.7.2', 'Information security awareness, education and training'),
	('A.7.2.3', 'A.7.2', 'Disciplinary process'),
	('A.7.3.1', 'A.7.3', 'Termination or change of employment responsibilities'),
	('A.8.1.1', 'A.8.1', 'Inventory of assets'),
	('A.8.1.2', 'A.8.1', 'Ownership of assets'),
	('A.8.1.3', 'A.8.1', 'Acceptable use of assets'),
	('A.8.1.4', 'A.8.1', 'Return of assets'),
	('A.8.2.1', 'A.8.2', 'Classification of information'),
	('A.8.2.2', 'A.8.2', 'Labelling of information'),
	('A.8.2.3', 'A.8.2', 'Handling of assets'),
	('A.8.3.1', 'A.8.3', 'Management of removable media'),
	('A.8.3.2', 'A.8.3', 'Disposal of media'),
	('A.8.3.3', 'A.8.3', 'Physical media transfer'),
	('A.9.1.1', 'A.9.1', 'Access control policy'),
	('A.9.1.2', 'A.9.1', 'Access to networks and network services'),
	('A.9.2.1', 'A.9.2', 'User registration and de-registration'),
	('A.9.2.2', 'A.9.2', 'User access provisioning'),
	('A.9.2.3', 'A.9.2', 'Management of privileged access rights'),
	('A.9.2.4', 'A.9.2', 'Management of secret authentication information of users'),
	('A.9.2.5', 'A.9.2', 'Review of user access rights'),
	('A.9.2.6', 'A.9.2', 'Removal or adjustment of access rights'),
	('A.9.3.1', 'A.9.3', 'Use of secret authentication information'),
	('A.9.4.1', 'A.9.4', 'Information access restriction'),
	('A.9.4.2', 'A.9.4', 'Secure log-on procedures'),
	('A.9.4.3', 'A.9.4', 'Password management system'),
	('A.9.4.4', 'A.9.4', 'Use of privileged utility programs'),
	('A.9.4.5', 'A.9.4', 'Access control to program source code'),
	('A.10.1.1', 'A.10.1', 'Policy on the use of cryptographic controls'),
	('A.10.1.2', 'A.10.1', 'Key management'),
	('A.11.1.1', 'A.11.1', 'Physical security perimeter'),
	('A.11.1.2', 'A.11.1', 'Physical entry controls'),
	('A.11.1.3', 'A.11.1', 'Securing offices, rooms and facilities'),
	('A.11.1.4', 'A.11.1', 'Protecting against external and environmental threats'),
	('A.11.1.5', 'A.11.1', 'Working in secure areas'),
	('A.11.1.6', 'A.11.1', 'Delivery and loading areas'),
	('A.11.2.1', 'A.11.2', 'Equipment siting and protection'),
	('A.11.2.2', 'A.11.2', 'Supporting utilities'),
	('A.11.2.3', 'A.11.2', 'Cabling security'),
	('A.11.2.4', 'A.11.2', 'Equipment maintenance'),
	('A.11.2.5', 'A.11.2', 'Removal of assets'),
	('A.11.2.6', 'A.11.2', 'Security of equipment and assets off-premises'),
	('A.11.2.7', 'A.11.2', 'Secure disposal or reuse of equipment'),
	('A.11.2.8', 'A.11.2', 'Unattended user equipment'),
	('A.11.2.9', 'A.11.2', 'Clear desk and clear screen policy'),
	('A.12.1.1', 'A.12.1', 'Documented operating procedures'),
	('A.12.1.2', 'A.12.1', 'Change management'),
	('A.12.1.3', 'A.12.1', 'Capacity management'),
	('A.12.1.4', 'A.12.1', 'Separation of development, testing and operational environments'),
	('A.12.2.1', 'A.12.2', 'Controls against malware'),
	('A.12.3.1', 'A.12.3', 'Information backup'),
	('A.12.4.1', 'A.12.4', 'Event logging'),
	('A.12.4.2', 'A.12.4', 'Protection of log information'),
	('A.12.4.3', 'A.12.4', 'Administrator and operator logs'),
	('A.12.4.4', 'A.12.4', 'Clock synchronisation'),
	('A.12.5.1', 'A.12.5', 'Installation of software on operational systems'),
	('A.12.6.1', 'A.12.6', 'Management of technical vulnerabilities'),
	('A.12.6.2', 'A.12.6', 'Restrictions on software installation'),
	('A.12.7.1', 'A.12.7', 'Information systems audit controls'),
	('A.13.1.1', 'A.13.1', 'Network controls'),
	('A.13.1.2', 'A.13.1', 'Security of network services'),
	('A.13.1.3', 'A.13.1', 'Segregation in networks'),
	('A.13.2.1', 'A.13.2', 'Information transfer policies and procedures'),
	('A.13.2.2', 'A.13.2', 'Agreements on information transfer'),
	('A.13.2.3', 'A.13.2', 'Electronic messaging'),
	('A.13.2.4', 'A.13.2', 'Confidentiality or nondisclosure agreements'),
	('A.14.1.1', 'A.14.1', 'Information security requirements analysis and specification'),
	('A.14.1.2', 'A.14.1', 'Securing application services on public networks'),
	('A.14.1.3', 'A.14.1', 'Protecting application services transactions'),
	('A.14.2.1', 'A.14.2', 'Secure development policy'),
	('A.14.2.2', 'A.14.2', 'System change control procedures'),
	('A.14.2.3', 'A.14.2', 'Technical review of applications after operating platform changes'),
	('A.14.2.4', 'A.14.2', 'Restrictions on changes to software packages'),
	('A.14.2.5', 'A.14.2', 'Secure system engineering principles'),
	('A.14.2.6', 'A.14.2', 'Secure development environment'),
	('A.14.2.7', 'A.14.2', 'Outsourced development'),
	('A.14.2.8', 'A.14.2', 'System security testing'),
	('A.14.2.9', 'A.14.2', 'System acceptance testing'),
	('A.14.3.1', 'A.14.3', 'Protection of test data'),
	('A.15.1.1', 'A.15.1', 'Information security policy for supplier relationships'),
	('A.15.1.2', 'A.15.1', 'Addressing security within supplier agreements'),
	('A.15.1.3', 'A.15.1', 'Information and communication technology supply chain'),
	('A.15.2.1', 'A.15.2', 'Monitoring and review of supplier services'),
	('A.15.2.2', 'A.15.2', 'Managing changes to supplier services'),
	('A.16.1.1', 'A.16.1', 'Responsibilities and procedures'),
	('A.16.1.2', 'A.16.1', 'Reporting information security events'),
	('A.16.1.3', 'A.16.1', 'Reporting information security weaknesses'),
	('A.16.1.4', 'A.16.1', 'Assessment of and decision on information security events'),
	('A.16.1.5', 'A.16.1', 'Response to information security incidents'),
	('A.16.1.6', 'A.16.1', 'Learning from information security incidents'),
	('A.16.1.7', 'A.16.1', 'Collection of evidence'),
	('A.17.1.1', 'A.17.1', 'Planning information security continuity'),
	('A.17.1.2', 'A.17.1', 'Implementing information security continuity'),
	('A.17.1.3', 'A.17.1', 'Verify, review and evaluate information security continuity'),
	('A.17.2.1', 'A.17.2', 'Availability of information processing facilities'),
	('A.18.1.1', 'A.18.1', 'Identification of applicable legislation and contractual requirements'),
	('A.18.1.2', 'A.18.1', 'Intellectual property rights'),
	('A.18.1.3', 'A.18.1', 'Protection of records'),
	('A.18.1.4', 'A.18.1', 'Privacy and protection of personally identifiable information'),
	('A.18.1.5', 'A.18.1', 'Regulation of cryptographic controls'),
	('A.18.2.1', 'A.18.2', 'Independent review of information security'),
	('A.18.2.2', 'A.18.2', 'Compliance with security policies and standards'),
	('A.18.2.3', 'A.18.2', 'Technical compliance review');

INSERT INTO @extschema@.ref_correspondence (control_2013, control_2022) VALUES
	('A.5.1.1', '5.1'),
	('A.5.1.2', '5.1'),
	('A.6.1.1', '5.2'),
	('A.6.1.2', '5.3'),
	('A.6.1.3', '5.5'),
	('A.6.1.4', '5.6'),
	('A.6.1.5', '5.8'),
	('A.6.2.1', '8.1'),
	('A.6.2.2', '6.7'),
	('A.7.1.1', '6.1'),
	('A.7.1.2', '6.2'),
	('A.7.2.1', '5.4'),
	('A.7.2.2', '6.3'),
	('A.7.2.3', '6.4'),
	('A.7.3.1', '6.5'),
	('A.8.1.1', '5.9'),
	('A.8.1.2', '5.9'),
	('A.8.1.3', '5.10'),
	('A.8.1.4', '5.11'),
	('A.8.2.1', '5.12'),
	('A.8.2.2', '5.13'),
	('A.8.2.3', '5.10'),
	('A.8.3.1', '7.10'),
	('A.8.3.2', '7.10'),
	('A.8.3.3', '7.10'),
	('A.9.1.1', '5.15'),
	('A.9.1.2', '5.15'),
	('A.9.2.1', '5.16'),
	('A.9.2.2', '5.18'),
	('A.9.2.3', '8.2'),
	('A.9.2.4', '5.17'),
	('A.9.2.5', '5.18'),
	('A.9.2.6', '5.18'),
	('A.9.3.1', '5.17'),
	('A.9.4.1', '8.3'),
	('A.9.4.2', '8.5'),
	('A.9.4.3', '5.17'),
	('A.9.4.4', '8.18'),
	('A.9.4.5', '8.4'),
	('A.10.1.1', '8.24'),
	('A.10.1.2', '8.24'),
	('A.11.1.1', '7.1'),
	('A.11.1.2', '7.2'),
	('A.11.1.3', '7.3'),
	('A.11.1.4', '7.5'),
	('A.11.1.5', '7.6'),
	('A.11.1.6', '7.2'),
	('A.11.2.1', '7.8'),
	('A.11.2.2', '7.11'),
	('A.11.2.3', '7.12'),
	('A.11.2.4', '7.13'),
	('A.11.2.5', '7.10'),
	('A.11.2.6', '7.9'),
	('A.11.2.7', '7.14'),
	('A.11.2.8', '8.1'),
	('A.11.2.9', '7.7'),
	('A.12.1.1', '5.37'),
	('A.12.1.2', '8.32'),
	('A.12.1.3', '8.6'),
	('A.12.1.4', '8.31'),
	('A.12.2.1', '8.7'),
	('A.12.3.1', '8.13'),
	('A.12.4.1', '8.15'),
	('A.12.4.2', '8.15'),
	('A.12.4.3', '8.15'),
	('A.12.4.4', '8.17'),
	('A.12.5.1', '8.19'),
	('A.12.6.1', '8.8'),
	('A.12.6.2', '8.19'),
	('A.12.7.1', '8.34'),
	('A.13.1.1', '8.20'),
	('A.13.1.2', '8.21'),
	('A.13.1.3', '8.22'),
	('A.13.2.1', '5.14'),
	('A.13.2.2', '5.14'),
	('A.13.2.3', '5.14'),
	('A.13.2.4', '6.6'),
	('A.14.1.1', '5.8'),
	('A.14.1.2', '8.26'),
	('A.14.1.3', '8.26'),
	('A.14.2.1', '8.25'),
	('A.14.2.2', '8.32'),
	('A.14.2.3', '8.32'),
	('A.14.2.4', '8.32'),
	('A.14.2.5', '8.27'),
	('A.14.2.6', '8.31'),
	('A.14.2.7', '8.30'),
	('A.14.2.8', '8.29'),
	('A.14.2.9', '8.29'),
	('A.14.3.1', '8.33'),
	('A.15.1.1', '5.19'),
	('A.15.1.2', '5.20'),
	('A.15.1.3', '5.21'),
	('A.15.2.1', '5.22'),
	('A.15.2.2', '5.22'),
	('A.16.1.1', '5.24'),
	('A.16.1.2', '6.8'),
	('A.16.1.3', '6.8'),
	('A.16.1.4', '5.25'),
	('A.16.1.5', '5.26'),
	('A.16.1.6', '5.27'),
	('A.16.1.7', '5.28'),
	('A.17.1.1', '5.29'),
	('A.17.1.2', '5.29'),
	('A.17.1.3', '5.29'),
	('A.17.2.1', '8.14'),
	('A.18.1.1', '5.31'),
	('A.18.1.2', '5.32'),
	('A.18.1.3', '5.33'),
	('A.18.1.4', '5.34'),
	('A.18.1.5', '5.31'),
	('A.18.2.1', '5.35'),
	('A.18.2.2', '5.36'),
	('A.18.2.3', '5.36'),
	('A.18.2.3', '8.8');
-- seed: end

REVOKE ALL ON @extschema@.ref_control_2022, @extschema@.ref_clause_2013,
	@extschema@.ref_objective_2013, @extschema@.ref_control_2013,
	@extschema@.ref_correspondence FROM PUBLIC;
GRANT SELECT ON @extschema@.ref_control_2022, @extschema@.ref_clause_2013,
	@extschema@.ref_objective_2013, @extschema@.ref_control_2013,
	@extschema@.ref_correspondence TO PUBLIC;

--
-- The catalogue views
--

CREATE VIEW @extschema@.annex_a_2022 AS
SELECT c.control, c.theme, c.title,
	   c.control_type, c.security_properties, c.cybersecurity_concepts,
	   c.operational_capabilities, c.security_domains,
	   NOT EXISTS (SELECT FROM @extschema@.ref_correspondence m
				   WHERE m.control_2022 OPERATOR(@extschema@.=) c.control) AS is_new
  FROM @extschema@.ref_control_2022 c;
COMMENT ON VIEW @extschema@.annex_a_2022 IS
	'ISO/IEC 27001:2022 Annex A: the 93 controls with theme, title and ISO/IEC 27002:2022 attributes';
COMMENT ON COLUMN @extschema@.annex_a_2022.control IS 'the control, A.5.1 to A.8.34';
COMMENT ON COLUMN @extschema@.annex_a_2022.theme IS 'theme: Organizational (5), People (6), Physical (7), Technological (8)';
COMMENT ON COLUMN @extschema@.annex_a_2022.title IS 'short title, as in ISO/IEC 27001:2022 Table A.1';
COMMENT ON COLUMN @extschema@.annex_a_2022.control_type IS 'ISO/IEC 27002:2022 attribute: control type';
COMMENT ON COLUMN @extschema@.annex_a_2022.security_properties IS 'ISO/IEC 27002:2022 attribute: information security properties';
COMMENT ON COLUMN @extschema@.annex_a_2022.cybersecurity_concepts IS 'ISO/IEC 27002:2022 attribute: cybersecurity concepts';
COMMENT ON COLUMN @extschema@.annex_a_2022.operational_capabilities IS 'ISO/IEC 27002:2022 attribute: operational capabilities';
COMMENT ON COLUMN @extschema@.annex_a_2022.security_domains IS 'ISO/IEC 27002:2022 attribute: security domains';
COMMENT ON COLUMN @extschema@.annex_a_2022.is_new IS 'true for the 11 controls with no ISO/IEC 27001:2013 predecessor';

CREATE VIEW @extschema@.annex_a_2013 AS
SELECT c.control, o.clause, cl.title AS clause_title,
	   c.objective, o.title AS objective_title, c.title
  FROM @extschema@.ref_control_2013 c
  JOIN @extschema@.ref_objective_2013 o
	ON o.objective OPERATOR(pg_catalog.=) c.objective
  JOIN @extschema@.ref_clause_2013 cl
	ON cl.clause OPERATOR(pg_catalog.=) o.clause;
COMMENT ON VIEW @extschema@.annex_a_2013 IS
	'ISO/IEC 27001:2013 Annex A: the 114 controls with clause, control objective and title';
COMMENT ON COLUMN @extschema@.annex_a_2013.control IS 'the control, A.5.1.1 to A.18.2.3';
COMMENT ON COLUMN @extschema@.annex_a_2013.clause IS 'clause, A.5 to A.18';
COMMENT ON COLUMN @extschema@.annex_a_2013.clause_title IS 'title of the clause';
COMMENT ON COLUMN @extschema@.annex_a_2013.objective IS 'control objective, such as A.12.6';
COMMENT ON COLUMN @extschema@.annex_a_2013.objective_title IS 'title of the control objective';
COMMENT ON COLUMN @extschema@.annex_a_2013.title IS 'short title, as in ISO/IEC 27001:2013 Table A.1';

CREATE VIEW @extschema@.correspondence AS
SELECT m.control_2013, m.control_2022,
	   CASE WHEN m.successors OPERATOR(pg_catalog.>) 1 AND m.predecessors OPERATOR(pg_catalog.>) 1
			THEN 'split-merge'
			WHEN m.successors OPERATOR(pg_catalog.>) 1 THEN 'split'
			WHEN m.predecessors OPERATOR(pg_catalog.>) 1 THEN 'merge'
			ELSE 'one-to-one'
	   END::@extschema@.correspondence_kind AS kind,
	   c13.title AS title_2013, c22.title AS title_2022
  FROM (SELECT control_2013, control_2022,
			   pg_catalog.count(*) OVER (PARTITION BY control_2013) AS successors,
			   pg_catalog.count(*) OVER (PARTITION BY control_2022) AS predecessors
		  FROM @extschema@.ref_correspondence) m
  JOIN @extschema@.ref_control_2013 c13
	ON c13.control OPERATOR(@extschema@.=) m.control_2013
  JOIN @extschema@.ref_control_2022 c22
	ON c22.control OPERATOR(@extschema@.=) m.control_2022;
COMMENT ON VIEW @extschema@.correspondence IS
	'ISO/IEC 27002:2022 Annex B: the 115 pairs of a 2013 control and the 2022 control it went to';
COMMENT ON COLUMN @extschema@.correspondence.control_2013 IS 'the ISO/IEC 27001:2013 control';
COMMENT ON COLUMN @extschema@.correspondence.control_2022 IS 'an ISO/IEC 27001:2022 control it went to';
COMMENT ON COLUMN @extschema@.correspondence.kind IS 'one-to-one, merge, split or split-merge, from the shape of the pairs';
COMMENT ON COLUMN @extschema@.correspondence.title_2013 IS 'title of the 2013 control';
COMMENT ON COLUMN @extschema@.correspondence.title_2022 IS 'title of the 2022 control';

GRANT SELECT ON @extschema@.annex_a_2022, @extschema@.annex_a_2013,
	@extschema@.correspondence TO PUBLIC;

--
-- Catalogue look-ups.  They read the reference tables, so they are STABLE;
-- for a control of the other edition they return NULL (or no rows).  The
-- set-returning ones are not STRICT (NULL gives no rows anyway) so that the
-- planner can inline them into the calling query.
--

CREATE FUNCTION @extschema@.title(control @extschema@.iso_control)
	RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.title FROM @extschema@.ref_control_2022 c
	 WHERE c.control OPERATOR(@extschema@.=) title.control
	UNION ALL
	SELECT c.title FROM @extschema@.ref_control_2013 c
	 WHERE c.control OPERATOR(@extschema@.=) title.control;
END;
COMMENT ON FUNCTION @extschema@.title(@extschema@.iso_control) IS
	'short title of a control of either edition';

CREATE FUNCTION @extschema@.theme(control @extschema@.iso_control)
	RETURNS @extschema@.annex_a_theme
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.theme FROM @extschema@.ref_control_2022 c
	 WHERE c.control OPERATOR(@extschema@.=) theme.control;
END;
COMMENT ON FUNCTION @extschema@.theme(@extschema@.iso_control) IS
	'theme of a 2022 control (NULL for a 2013 control)';

CREATE FUNCTION @extschema@.clause(control @extschema@.iso_control)
	RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT o.clause FROM @extschema@.ref_control_2013 c
	  JOIN @extschema@.ref_objective_2013 o
		ON o.objective OPERATOR(pg_catalog.=) c.objective
	 WHERE c.control OPERATOR(@extschema@.=) clause.control;
END;
COMMENT ON FUNCTION @extschema@.clause(@extschema@.iso_control) IS
	'clause of a 2013 control, such as A.12 (NULL for a 2022 control)';

CREATE FUNCTION @extschema@.objective(control @extschema@.iso_control)
	RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.objective FROM @extschema@.ref_control_2013 c
	 WHERE c.control OPERATOR(@extschema@.=) objective.control;
END;
COMMENT ON FUNCTION @extschema@.objective(@extschema@.iso_control) IS
	'control objective of a 2013 control, such as A.12.6 (NULL for a 2022 control)';

CREATE FUNCTION @extschema@.is_new(control @extschema@.iso_control)
	RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT NOT EXISTS (SELECT FROM @extschema@.ref_correspondence m
						WHERE m.control_2022 OPERATOR(@extschema@.=) c.control)
	  FROM @extschema@.ref_control_2022 c
	 WHERE c.control OPERATOR(@extschema@.=) is_new.control;
END;
COMMENT ON FUNCTION @extschema@.is_new(@extschema@.iso_control) IS
	'is a 2022 control new in 2022, with no 2013 predecessor? (NULL for a 2013 control)';

CREATE FUNCTION @extschema@.successors(control @extschema@.iso_control)
	RETURNS SETOF @extschema@.iso_control
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 2
BEGIN ATOMIC
	SELECT m.control_2022 FROM @extschema@.ref_correspondence m
	 WHERE m.control_2013 OPERATOR(@extschema@.=) successors.control
	 ORDER BY m.control_2022;
END;
COMMENT ON FUNCTION @extschema@.successors(@extschema@.iso_control) IS
	'the 2022 controls a 2013 control went to (no rows for a 2022 control)';

CREATE FUNCTION @extschema@.predecessors(control @extschema@.iso_control)
	RETURNS SETOF @extschema@.iso_control
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 2
BEGIN ATOMIC
	SELECT m.control_2013 FROM @extschema@.ref_correspondence m
	 WHERE m.control_2022 OPERATOR(@extschema@.=) predecessors.control
	 ORDER BY m.control_2013;
END;
COMMENT ON FUNCTION @extschema@.predecessors(@extschema@.iso_control) IS
	'the 2013 controls a 2022 control came from (no rows for a new control or a 2013 control)';

--
-- The soa_entry type: one control's decision in a Statement of
-- Applicability (ISO/IEC 27001:2022 clause 6.1.3 d)
--

CREATE TYPE @extschema@.soa_entry;

CREATE FUNCTION @extschema@.soa_entry_in(cstring)
	RETURNS @extschema@.soa_entry
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_entry_in(cstring) IS
	'I/O: read "excluded" or "applicable, <implementation> (<reasons>)", case-insensitively';

CREATE FUNCTION @extschema@.soa_entry_out(@extschema@.soa_entry)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_entry_out(@extschema@.soa_entry) IS
	'I/O: write an entry in canonical form, reasons in vocabulary order';

CREATE FUNCTION @extschema@.soa_entry_recv(internal)
	RETURNS @extschema@.soa_entry
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_entry_recv(internal) IS
	'I/O: read the 2-byte binary form, checked';

CREATE FUNCTION @extschema@.soa_entry_send(@extschema@.soa_entry)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_entry_send(@extschema@.soa_entry) IS
	'I/O: write the 2-byte binary form (state, then the reasons bit set)';

CREATE TYPE @extschema@.soa_entry (
	INPUT = @extschema@.soa_entry_in,
	OUTPUT = @extschema@.soa_entry_out,
	RECEIVE = @extschema@.soa_entry_recv,
	SEND = @extschema@.soa_entry_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.soa_entry IS
	'Statement of Applicability entry: excluded, or applicable with implementation state and reasons for inclusion';

-- Comparison: the int2 support functions (excluded first, then applicable
-- entries by implementation progress, then by reasons)

CREATE FUNCTION @extschema@.soa_entry_eq(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS boolean
	AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_eq(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'implementation of = operator';

CREATE FUNCTION @extschema@.soa_entry_ne(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS boolean
	AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_ne(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'implementation of <> operator';

CREATE FUNCTION @extschema@.soa_entry_lt(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS boolean
	AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_lt(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'implementation of < operator';

CREATE FUNCTION @extschema@.soa_entry_le(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS boolean
	AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_le(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'implementation of <= operator';

CREATE FUNCTION @extschema@.soa_entry_gt(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS boolean
	AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_gt(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'implementation of > operator';

CREATE FUNCTION @extschema@.soa_entry_ge(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS boolean
	AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_ge(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'implementation of >= operator';

CREATE FUNCTION @extschema@.soa_entry_cmp(@extschema@.soa_entry, @extschema@.soa_entry)
	RETURNS integer
	AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_cmp(@extschema@.soa_entry, @extschema@.soa_entry) IS
	'less-equal-greater: excluded first, then by implementation progress';

CREATE FUNCTION @extschema@.soa_entry_sortsupport(internal)
	RETURNS void
	AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_entry_sortsupport(internal) IS
	'sort support: the int2 comparator';

CREATE FUNCTION @extschema@.soa_entry_hash(@extschema@.soa_entry)
	RETURNS integer
	AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_hash(@extschema@.soa_entry) IS
	'hash of an entry';

CREATE FUNCTION @extschema@.soa_entry_hash_extended(@extschema@.soa_entry, bigint)
	RETURNS bigint
	AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.soa_entry_hash_extended(@extschema@.soa_entry, bigint) IS
	'64-bit seeded hash of an entry';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.soa_entry, RIGHTARG = @extschema@.soa_entry,
	FUNCTION = @extschema@.soa_entry_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.soa_entry, @extschema@.soa_entry) IS
	'equal';

CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.soa_entry, RIGHTARG = @extschema@.soa_entry,
	FUNCTION = @extschema@.soa_entry_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.soa_entry, @extschema@.soa_entry) IS
	'not equal';

CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.soa_entry, RIGHTARG = @extschema@.soa_entry,
	FUNCTION = @extschema@.soa_entry_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR @extschema@.< (@extschema@.soa_entry, @extschema@.soa_entry) IS
	'less advanced (excluded first, then by implementation progress)';

CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.soa_entry, RIGHTARG = @extschema@.soa_entry,
	FUNCTION = @extschema@.soa_entry_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR @extschema@.<= (@extschema@.soa_entry, @extschema@.soa_entry) IS
	'less advanced or equal';

CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.soa_entry, RIGHTARG = @extschema@.soa_entry,
	FUNCTION = @extschema@.soa_entry_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR @extschema@.> (@extschema@.soa_entry, @extschema@.soa_entry) IS
	'more advanced';

CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.soa_entry, RIGHTARG = @extschema@.soa_entry,
	FUNCTION = @extschema@.soa_entry_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.>= (@extschema@.soa_entry, @extschema@.soa_entry) IS
	'more advanced or equal';

CREATE OPERATOR CLASS @extschema@.soa_entry_ops
	DEFAULT FOR TYPE @extschema@.soa_entry USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.soa_entry_cmp(@extschema@.soa_entry, @extschema@.soa_entry),
		FUNCTION 2 @extschema@.soa_entry_sortsupport(internal),
		FUNCTION 4 pg_catalog.btequalimage(oid);
COMMENT ON OPERATOR CLASS @extschema@.soa_entry_ops USING btree IS
	'order of SoA entries: excluded, then applicable by implementation progress';
COMMENT ON OPERATOR FAMILY @extschema@.soa_entry_ops USING btree IS
	'order of SoA entries';

CREATE OPERATOR CLASS @extschema@.soa_entry_ops
	DEFAULT FOR TYPE @extschema@.soa_entry USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.soa_entry_hash(@extschema@.soa_entry),
		FUNCTION 2 @extschema@.soa_entry_hash_extended(@extschema@.soa_entry, bigint);
COMMENT ON OPERATOR CLASS @extschema@.soa_entry_ops USING hash IS
	'hashing of SoA entries';
COMMENT ON OPERATOR FAMILY @extschema@.soa_entry_ops USING hash IS
	'hashing of SoA entries';

CREATE CAST (text AS @extschema@.soa_entry) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.soa_entry) IS
	'read an entry from text; invalid text raises SQLSTATE 22P02';

CREATE FUNCTION @extschema@.make_soa_entry(applicable boolean,
										   implementation text DEFAULT NULL,
										   reasons text[] DEFAULT NULL)
	RETURNS @extschema@.soa_entry
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.make_soa_entry(boolean, text, text[]) IS
	'build an entry: make_soa_entry(applicable => true, implementation => ''planned'', reasons => ''{legal}''); NULL applicability gives NULL (undecided)';

CREATE FUNCTION @extschema@.is_applicable(@extschema@.soa_entry)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'soa_entry_is_applicable'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_applicable(@extschema@.soa_entry) IS
	'is the control applicable (included in the SoA)?';

CREATE FUNCTION @extschema@.implementation(@extschema@.soa_entry)
	RETURNS text
	AS 'MODULE_PATHNAME', 'soa_entry_implementation'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.implementation(@extschema@.soa_entry) IS
	'implementation state: not implemented, planned, partially implemented or implemented (NULL when excluded)';

CREATE FUNCTION @extschema@.is_implemented(@extschema@.soa_entry)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'soa_entry_is_implemented'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_implemented(@extschema@.soa_entry) IS
	'clause 6.1.3 d): is the control implemented? (partially implemented is not; NULL when excluded)';

CREATE FUNCTION @extschema@.reasons(@extschema@.soa_entry)
	RETURNS text[]
	AS 'MODULE_PATHNAME', 'soa_entry_reasons'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.reasons(@extschema@.soa_entry) IS
	'reasons for inclusion, in vocabulary order (empty when excluded)';

CREATE FUNCTION @extschema@.oscal_status(@extschema@.soa_entry)
	RETURNS text
	AS 'MODULE_PATHNAME', 'soa_entry_oscal_status'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.oscal_status(@extschema@.soa_entry) IS
	'NIST OSCAL implementation-status: implemented, partial, planned (also for not implemented) or not-applicable';

CREATE TYPE @extschema@.soa_counts AS (
	total bigint,
	undecided bigint,
	excluded bigint,
	applicable bigint,
	not_implemented bigint,
	planned bigint,
	partially_implemented bigint,
	implemented bigint
);
COMMENT ON TYPE @extschema@.soa_counts IS
	'counts of SoA entries by applicability and implementation (result of soa_summary)';

CREATE FUNCTION @extschema@.soa_summary_accum(bigint[], @extschema@.soa_entry)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_summary_accum(bigint[], @extschema@.soa_entry) IS
	'soa_summary transition: count one entry (not strict: NULL counts as undecided)';

CREATE FUNCTION @extschema@.soa_summary_combine(bigint[], bigint[])
	RETURNS bigint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_summary_combine(bigint[], bigint[]) IS
	'soa_summary combine: add two partial counts';

CREATE FUNCTION @extschema@.soa_summary_final(bigint[])
	RETURNS @extschema@.soa_counts
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_summary_final(bigint[]) IS
	'soa_summary final: the counts as a soa_counts row';

CREATE AGGREGATE @extschema@.soa_summary(@extschema@.soa_entry) (
	SFUNC = @extschema@.soa_summary_accum,
	STYPE = bigint[],
	FINALFUNC = @extschema@.soa_summary_final,
	COMBINEFUNC = @extschema@.soa_summary_combine,
	INITCOND = '{0,0,0,0,0,0,0}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.soa_summary(@extschema@.soa_entry) IS
	'counts of entries by applicability and implementation; NULL entries count as undecided';
