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

CREATE FUNCTION @extschema@.soa_entry_problems(entry @extschema@.soa_entry, justification text,
											   evidence text[])
	RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_entry_problems(@extschema@.soa_entry, text, text[]) IS
	'what is wrong with one SoA entry, as bits: 1 undecided (NULL), 2 decided without justification, 4 (partially) implemented without evidence';

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

--
-- The SoA register: scopes, the current entry of every control of every
-- scope, the append-only history of every change, and approved versions.
-- These tables hold user data: pg_dump keeps them.  Their integrity rules
-- are enforced by constraints and triggers for every client; the functions
-- below are conveniences over plain SQL on these tables.
--

CREATE TABLE @extschema@.soa_scope (
	scope_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE
		CHECK (pg_catalog.btrim(name) OPERATOR(pg_catalog.<>) ''),
	edition integer NOT NULL DEFAULT 2022
		CHECK (edition OPERATOR(pg_catalog.=) ANY (ARRAY[2013, 2022])),
	description text,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	created_by text NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE @extschema@.soa_scope IS
	'ISMS scopes, each with its own Statement of Applicability (one organization may have several; a GRC service holds many tenants)';
COMMENT ON COLUMN @extschema@.soa_scope.name IS 'the scope''s name, used by the API functions';
COMMENT ON COLUMN @extschema@.soa_scope.edition IS 'edition of ISO/IEC 27001 Annex A the SoA follows: 2022 or 2013';

CREATE TABLE @extschema@.soa_register (
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	control_key text NOT NULL,
	control @extschema@.iso_control,
	title text,
	entry @extschema@.soa_entry,
	justification text,
	owner text,
	evidence text[] NOT NULL DEFAULT '{}',
	needs_review boolean NOT NULL DEFAULT false,
	changed_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	changed_by text NOT NULL DEFAULT CURRENT_USER,
	PRIMARY KEY (scope_id, control_key),
	CHECK (control IS NULL
		   OR control_key OPERATOR(pg_catalog.=) control::text),
	CHECK (control IS NOT NULL
		   OR pg_catalog.btrim(coalesce(title, '')) OPERATOR(pg_catalog.<>) ''),
	CONSTRAINT annex_a_title_from_catalogue CHECK (control IS NULL OR title IS NULL),
	CHECK (pg_catalog.array_position(evidence, NULL) IS NULL)
);
COMMENT ON TABLE @extschema@.soa_register IS
	'the current Statement of Applicability of every scope: one row per Annex A control of the scope''s edition and per organization-defined control';
COMMENT ON COLUMN @extschema@.soa_register.control_key IS 'the control: "A.5.7" for Annex A, the organization''s own key for organization-defined controls';
COMMENT ON COLUMN @extschema@.soa_register.control IS 'the Annex A control (NULL for an organization-defined control)';
COMMENT ON COLUMN @extschema@.soa_register.title IS 'title of an organization-defined control (Annex A titles come from the catalogue)';
COMMENT ON COLUMN @extschema@.soa_register.entry IS 'the decision; NULL while undecided';
COMMENT ON COLUMN @extschema@.soa_register.justification IS 'justification of the inclusion or exclusion (required once decided)';
COMMENT ON COLUMN @extschema@.soa_register.owner IS 'who is responsible for the control';
COMMENT ON COLUMN @extschema@.soa_register.evidence IS 'links to the operating evidence of the control';
COMMENT ON COLUMN @extschema@.soa_register.needs_review IS 'flagged for review (for example by the 2013 -> 2022 migration)';
COMMENT ON COLUMN @extschema@.soa_register.changed_at IS 'time of the last change (set by the register)';
COMMENT ON COLUMN @extschema@.soa_register.changed_by IS 'database role of the last change (set by the register)';

CREATE TABLE @extschema@.soa_history (
	change_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	control_key text NOT NULL,
	control @extschema@.iso_control,
	title text,
	entry @extschema@.soa_entry,
	justification text,
	owner text,
	evidence text[] NOT NULL DEFAULT '{}',
	needs_review boolean NOT NULL DEFAULT false,
	removed boolean NOT NULL DEFAULT false,
	changed_at timestamptz NOT NULL,
	changed_by text NOT NULL,
	UNIQUE (scope_id, control_key, changed_at)
);
CREATE INDEX soa_history_scope_time ON @extschema@.soa_history (scope_id, changed_at);
COMMENT ON TABLE @extschema@.soa_history IS
	'every version of every register row, appended by the register; never updated or deleted';
COMMENT ON COLUMN @extschema@.soa_history.removed IS 'the organization-defined control was removed from the SoA at changed_at';

CREATE TABLE @extschema@.soa_version (
	scope_id bigint NOT NULL REFERENCES @extschema@.soa_scope,
	version integer NOT NULL CHECK (version OPERATOR(pg_catalog.>) 0),
	approved_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	approved_by text NOT NULL DEFAULT CURRENT_USER,
	recorded_by text NOT NULL DEFAULT CURRENT_USER,
	note text,
	PRIMARY KEY (scope_id, version)
);
COMMENT ON TABLE @extschema@.soa_version IS
	'approved versions of each scope''s SoA (the version a certificate names): the SoA as it stood at approved_at';
COMMENT ON COLUMN @extschema@.soa_version.approved_by IS 'who approved the version (a person, as the GRC application names them)';
COMMENT ON COLUMN @extschema@.soa_version.recorded_by IS 'database role that recorded the approval';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.soa_scope', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.soa_register', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.soa_history', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.soa_version', '');
SELECT pg_catalog.pg_extension_config_dump(
	pg_catalog.pg_get_serial_sequence('@extschema@.soa_scope', 'scope_id'), '');
SELECT pg_catalog.pg_extension_config_dump(
	pg_catalog.pg_get_serial_sequence('@extschema@.soa_history', 'change_id'), '');
COMMENT ON SEQUENCE @extschema@.soa_scope_scope_id_seq IS 'identity of soa_scope.scope_id';
COMMENT ON SEQUENCE @extschema@.soa_history_change_id_seq IS 'identity of soa_history.change_id';

-- Is pg_dump's output being restored?  pg_dump and pg_restore set
-- check_function_bodies and row_security off; a restore by a superuser
-- puts the register's rows back as they were, without the triggers' rules
-- and stamps.
CREATE FUNCTION @extschema@.soa_restoring()
	RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.current_setting('check_function_bodies') OPERATOR(pg_catalog.=) 'off'
	   AND pg_catalog.current_setting('row_security') OPERATOR(pg_catalog.=) 'off'
	   AND coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
					  WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false);
END;
COMMENT ON FUNCTION @extschema@.soa_restoring() IS
	'is a superuser restoring a dump (check_function_bodies and row_security off)? The register''s triggers then keep rows as they are';

-- Is the current role an administrator of the register (a member of the
-- role that owns its tables, or a superuser)?  Only administrators remove
-- Annex A entries, history and versions, through delete_scope().
CREATE FUNCTION @extschema@.soa_administrator()
	RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.pg_has_role(CURRENT_USER, c.relowner, 'MEMBER')
	  FROM pg_catalog.pg_class c
	 WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.soa_register'::pg_catalog.regclass;
END;
COMMENT ON FUNCTION @extschema@.soa_administrator() IS
	'is the current role a member of the owner of the SoA tables (or a superuser)? Only administrators delete scopes';

-- Serialize changes of one (scope, control) key: an insert, a removal and
-- a removal record wait for each other
CREATE FUNCTION @extschema@.soa_lock_key(scope_id bigint, control_key text)
	RETURNS void
	LANGUAGE sql VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
	SELECT pg_catalog.pg_advisory_xact_lock(
		pg_catalog.hashtextextended('iso27001.soa ' OPERATOR(pg_catalog.||) scope_id
									OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) control_key, 0));
END;
COMMENT ON FUNCTION @extschema@.soa_lock_key(bigint, text) IS
	'take a transaction lock on one control of one scope (used by the register''s triggers)';

-- The scope of a name, or an error
CREATE FUNCTION @extschema@.soa_scope_id(scope text)
	RETURNS bigint
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	SELECT s.scope_id INTO id FROM @extschema@.soa_scope s WHERE s.name = scope;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ISMS scope "%" does not exist', scope
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Create it with iso27001.create_scope().';
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_scope_id(text) IS
	'the scope_id of a scope name; an unknown name raises SQLSTATE 22023';

-- Register rules, before every insert and update of a register row:
-- canonical key, the scope's edition, a justification once decided, no
-- change of key, the time and role of the change; an update that changes
-- nothing is skipped (no history row).  It also takes a share lock on the
-- scope, so that an approval waits for changes in flight and vice versa.
CREATE FUNCTION @extschema@.soa_register_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	scope_edition integer;
	scope_name text;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE'
	   AND (NEW.scope_id <> OLD.scope_id OR NEW.control_key <> OLD.control_key
			OR NEW.control IS DISTINCT FROM OLD.control) THEN
		RAISE EXCEPTION 'the scope and control of an SoA entry cannot change'
			USING ERRCODE = 'check_violation',
				  HINT = 'Remove an organization-defined control and add it anew.';
	END IF;
	IF NEW.control IS NULL AND @extschema@.is_valid_control(NEW.control_key) THEN
		NEW.control := NEW.control_key::@extschema@.iso_control;
	END IF;
	IF NEW.control IS NOT NULL THEN
		NEW.control_key := NEW.control::text;
	ELSE
		NEW.control_key := btrim(NEW.control_key);
		IF NEW.control_key = '' THEN
			RAISE EXCEPTION 'an organization-defined control needs a key'
				USING ERRCODE = 'check_violation';
		END IF;
	END IF;

	IF TG_OP = 'UPDATE' THEN
		IF (NEW.title, NEW.entry, NEW.justification, NEW.owner, NEW.evidence, NEW.needs_review)
		   IS NOT DISTINCT FROM
		   (OLD.title, OLD.entry, OLD.justification, OLD.owner, OLD.evidence, OLD.needs_review) THEN
			RETURN NULL;
		END IF;
	END IF;

	SELECT s.edition, s.name INTO scope_edition, scope_name
	  FROM @extschema@.soa_scope s WHERE s.scope_id = NEW.scope_id
	   FOR KEY SHARE;
	IF TG_OP = 'INSERT' THEN
		PERFORM @extschema@.soa_lock_key(NEW.scope_id, NEW.control_key);
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF NEW.control IS NOT NULL AND @extschema@.edition(NEW.control) <> scope_edition THEN
		RAISE EXCEPTION 'control % is an ISO/IEC 27001:% control', NEW.control, @extschema@.edition(NEW.control)
			USING ERRCODE = 'check_violation',
				  DETAIL = format('The SoA of scope "%s" follows ISO/IEC 27001:%s Annex A.', scope_name, scope_edition),
				  HINT = 'Migrate a 2013 SoA with iso27001.soa_migrate_2013_to_2022().';
	END IF;
	-- the same blank test as the validator's (bit 2 of soa_entry_problems)
	IF NEW.entry IS NOT NULL
	   AND @extschema@.soa_entry_problems(NEW.entry, NEW.justification, NULL) & 2 <> 0 THEN
		RAISE EXCEPTION 'the SoA entry of % needs a justification', NEW.control_key
			USING ERRCODE = 'check_violation',
				  DETAIL = 'ISO/IEC 27001:2022 clause 6.1.3 d) requires the justification of every inclusion and exclusion.';
	END IF;

	NEW.changed_at := clock_timestamp();
	IF TG_OP = 'UPDATE' AND NEW.changed_at <= OLD.changed_at THEN
		NEW.changed_at := OLD.changed_at + interval '1 microsecond';
	END IF;
	NEW.changed_by := CURRENT_USER;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_register_check() IS
	'trigger: the integrity rules of a register row (edition, justification, key), and who changed it when';

CREATE TRIGGER soa_register_check
	BEFORE INSERT OR UPDATE ON @extschema@.soa_register
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_register_check();

-- Annex A controls stay in the SoA: only organization-defined controls
-- can be removed (or a whole scope, by an administrator: delete_scope()).
-- A removal waits for approvals in flight, like every change.
CREATE FUNCTION @extschema@.soa_register_guard_delete()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	PERFORM FROM @extschema@.soa_scope s WHERE s.scope_id = OLD.scope_id FOR KEY SHARE;
	PERFORM @extschema@.soa_lock_key(OLD.scope_id, OLD.control_key);
	IF OLD.control IS NOT NULL AND NOT @extschema@.soa_administrator() THEN
		RAISE EXCEPTION 'Annex A control % cannot be removed from the SoA', OLD.control
			USING ERRCODE = 'check_violation',
				  DETAIL = 'Every Annex A control needs a decision: exclude it with a justification instead.';
	END IF;
	RETURN OLD;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_register_guard_delete() IS
	'trigger: Annex A controls cannot be removed from an SoA';

CREATE TRIGGER soa_register_guard_delete
	BEFORE DELETE ON @extschema@.soa_register
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_register_guard_delete();

-- Every change of the register appends its new state to the history
CREATE FUNCTION @extschema@.soa_register_log()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'DELETE' THEN
		INSERT INTO @extschema@.soa_history (scope_id, control_key, removed, changed_at, changed_by)
		VALUES (OLD.scope_id, OLD.control_key, true, clock_timestamp(), CURRENT_USER);
		RETURN OLD;
	END IF;
	INSERT INTO @extschema@.soa_history (scope_id, control_key, control, title, entry,
										 justification, owner, evidence, needs_review,
										 changed_at, changed_by)
	VALUES (NEW.scope_id, NEW.control_key, NEW.control, NEW.title, NEW.entry,
			NEW.justification, NEW.owner, NEW.evidence, NEW.needs_review,
			NEW.changed_at, NEW.changed_by);
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_register_log() IS
	'trigger: append the new state of a register row (or its removal) to the history';

CREATE TRIGGER soa_register_log
	AFTER INSERT OR UPDATE OR DELETE ON @extschema@.soa_register
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_register_log();

-- The history is append-only and tells the truth: a new history row is a
-- copy of the register row it records (whoever inserts it), or the removal
-- of a control that is no longer in the register.
CREATE FUNCTION @extschema@.soa_history_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	r @extschema@.soa_register;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		-- administrators delete whole scopes (delete_scope)
		IF TG_OP = 'DELETE' AND @extschema@.soa_administrator() THEN
			RETURN OLD;
		END IF;
		RAISE EXCEPTION 'the SoA history cannot be changed'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'soa_history is append-only: every change of the register adds a row.';
	END IF;

	IF NEW.removed THEN
		-- a removal: the control was in the SoA and is no more
		PERFORM @extschema@.soa_lock_key(NEW.scope_id, NEW.control_key);
		IF EXISTS (SELECT FROM @extschema@.soa_register g
					WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key) THEN
			RAISE EXCEPTION 'control % is still in the SoA', NEW.control_key
				USING ERRCODE = 'check_violation';
		END IF;
		SELECT h.control, h.title INTO NEW.control, NEW.title
		  FROM @extschema@.soa_history h
		 WHERE h.scope_id = NEW.scope_id AND h.control_key = NEW.control_key AND NOT h.removed
		   AND NOT EXISTS (SELECT FROM @extschema@.soa_history later
							WHERE later.scope_id = h.scope_id AND later.control_key = h.control_key
							  AND later.changed_at > h.changed_at)
		 LIMIT 1;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'control % was not in the SoA', NEW.control_key
				USING ERRCODE = 'check_violation';
		END IF;
		NEW.changed_at := clock_timestamp();
		NEW.changed_by := CURRENT_USER;
		NEW.entry := NULL;
		NEW.justification := NULL;
		NEW.owner := NULL;
		NEW.evidence := '{}';
		NEW.needs_review := false;
		RETURN NEW;
	END IF;
	SELECT * INTO r FROM @extschema@.soa_register g
	 WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key;
	IF NOT FOUND OR r.changed_at <> NEW.changed_at THEN
		RAISE EXCEPTION 'a history row must record a change of the register'
			USING ERRCODE = 'check_violation',
				  DETAIL = 'Change iso27001.soa_register; the history follows.';
	END IF;
	NEW.control := r.control;
	NEW.title := r.title;
	NEW.entry := r.entry;
	NEW.justification := r.justification;
	NEW.owner := r.owner;
	NEW.evidence := r.evidence;
	NEW.needs_review := r.needs_review;
	NEW.changed_by := r.changed_by;
	NEW.removed := false;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_history_check() IS
	'trigger: the history is append-only and each row copies the register row it records';

CREATE TRIGGER soa_history_check
	BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.soa_history
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_history_check();

-- Versions are immutable; a new one gets the next number and the current
-- time, and only when the SoA has no error (see soa_validate)
CREATE FUNCTION @extschema@.soa_version_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	scope_name text;
	errors bigint;
	first_error text;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		-- administrators delete whole scopes (delete_scope)
		IF TG_OP = 'DELETE' AND @extschema@.soa_administrator() THEN
			RETURN OLD;
		END IF;
		RAISE EXCEPTION 'an approved SoA version cannot be changed'
			USING ERRCODE = 'insufficient_privilege';
	END IF;

	-- the approval must see every change committed before it: under
	-- REPEATABLE READ or SERIALIZABLE its snapshot could miss some
	IF current_setting('transaction_isolation') <> 'read committed' THEN
		RAISE EXCEPTION 'an SoA version is approved in a READ COMMITTED transaction'
			USING ERRCODE = 'invalid_transaction_state',
				  DETAIL = format('This transaction is %s.', upper(current_setting('transaction_isolation')));
	END IF;

	-- wait for changes in flight on this scope, and hold off new ones
	SELECT s.name INTO scope_name FROM @extschema@.soa_scope s
	 WHERE s.scope_id = NEW.scope_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ISMS scope % does not exist', NEW.scope_id
			USING ERRCODE = 'foreign_key_violation';
	END IF;

	SELECT coalesce(max(v.version), 0) + 1 INTO NEW.version
	  FROM @extschema@.soa_version v WHERE v.scope_id = NEW.scope_id;
	NEW.approved_at := clock_timestamp();
	NEW.approved_by := coalesce(nullif(btrim(NEW.approved_by), ''), CURRENT_USER);
	NEW.recorded_by := CURRENT_USER;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_version_check() IS
	'trigger: versions are numbered 1, 2, ... at approval time, in READ COMMITTED, and never change';

CREATE TRIGGER soa_version_check
	BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.soa_version
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_version_check();

-- TRUNCATE would bypass the row triggers
CREATE FUNCTION @extschema@.soa_refuse_truncate()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'the SoA register cannot be truncated'
		USING ERRCODE = 'insufficient_privilege',
			  HINT = 'Delete a scope with iso27001.delete_scope().';
END
$$;
COMMENT ON FUNCTION @extschema@.soa_refuse_truncate() IS
	'trigger: the SoA tables cannot be truncated';

CREATE TRIGGER soa_refuse_truncate BEFORE TRUNCATE ON @extschema@.soa_register
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.soa_refuse_truncate();
CREATE TRIGGER soa_refuse_truncate BEFORE TRUNCATE ON @extschema@.soa_history
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.soa_refuse_truncate();
CREATE TRIGGER soa_refuse_truncate BEFORE TRUNCATE ON @extschema@.soa_version
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.soa_refuse_truncate();

CREATE FUNCTION @extschema@.soa_written_by_current_transaction(xid)
	RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.soa_written_by_current_transaction(xid) IS
	'was a row with this xmin written by the current transaction? (used by the register''s triggers)';

-- The entries of each approved version, copied at approval: reading a
-- version is reading its rows, however long the history grows
CREATE TABLE @extschema@.soa_version_entry (
	scope_id bigint NOT NULL,
	version integer NOT NULL,
	control_key text NOT NULL,
	control @extschema@.iso_control,
	title text,
	entry @extschema@.soa_entry,
	justification text,
	owner text,
	evidence text[] NOT NULL DEFAULT '{}',
	needs_review boolean NOT NULL DEFAULT false,
	changed_at timestamptz NOT NULL,
	changed_by text NOT NULL,
	PRIMARY KEY (scope_id, version, control_key),
	FOREIGN KEY (scope_id, version) REFERENCES @extschema@.soa_version
);
-- a version's entries in catalogue order, organization-defined last
CREATE INDEX soa_version_entry_order ON @extschema@.soa_version_entry
	(scope_id, version, control, control_key);
COMMENT ON TABLE @extschema@.soa_version_entry IS
	'the entries of each approved SoA version, copied from the register at approval; never changed';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.soa_version_entry', '');

-- At approval, after every change of the approving statement: check the
-- SoA and copy the register into the version's entries
CREATE FUNCTION @extschema@.soa_version_snapshot()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	scope_name text;
	errors bigint;
	first_error text;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NULL;
	END IF;
	SELECT s.name INTO scope_name FROM @extschema@.soa_scope s WHERE s.scope_id = NEW.scope_id;
	IF EXISTS (SELECT FROM @extschema@.soa_register r
				WHERE r.scope_id = NEW.scope_id AND r.changed_at > NEW.approved_at) THEN
		RAISE EXCEPTION 'the SoA of scope "%" changed during its approval', scope_name
			USING ERRCODE = 'check_violation',
				  HINT = 'Approve in a statement of its own.';
	END IF;
	SELECT count(*), min(v.control_key || ': ' || v.message) INTO errors, first_error
	  FROM @extschema@.soa_validate(scope_name) v WHERE v.severity = 'error';
	IF errors > 0 THEN
		RAISE EXCEPTION 'the SoA of scope "%" has % error(s) and cannot be approved', scope_name, errors
			USING ERRCODE = 'check_violation',
				  DETAIL = 'First: ' || first_error,
				  HINT = format('SELECT * FROM iso27001.soa_validate(%L) lists them.', scope_name);
	END IF;

	INSERT INTO @extschema@.soa_version_entry
		(scope_id, version, control_key, control, title, entry, justification,
		 owner, evidence, needs_review, changed_at, changed_by)
	SELECT r.scope_id, NEW.version, r.control_key, r.control, coalesce(r.title, t.title),
		   r.entry, r.justification, r.owner, r.evidence, r.needs_review,
		   r.changed_at, r.changed_by
	  FROM @extschema@.soa_register r
	  LEFT JOIN @extschema@.annex_a_titles t ON t.control = r.control
	 WHERE r.scope_id = NEW.scope_id;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_version_snapshot() IS
	'trigger: refuse an approval while soa_validate reports errors, then copy the register into the entries of the new version';

CREATE TRIGGER soa_version_snapshot
	AFTER INSERT ON @extschema@.soa_version
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_version_snapshot();

-- A version's entries are written once, at its approval, as copies of the
-- register; they never change
CREATE FUNCTION @extschema@.soa_version_entry_check()
	RETURNS trigger
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	r @extschema@.soa_register;
	approved timestamptz;
BEGIN
	IF @extschema@.soa_restoring() THEN
		RETURN NEW;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		-- administrators delete whole scopes (delete_scope)
		IF TG_OP = 'DELETE' AND @extschema@.soa_administrator() THEN
			RETURN OLD;
		END IF;
		RAISE EXCEPTION 'an approved SoA version cannot be changed'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- only while the version is being approved, in this transaction, and
	-- only entries as they stood at the approval
	SELECT v.approved_at INTO approved FROM @extschema@.soa_version v
	 WHERE v.scope_id = NEW.scope_id AND v.version = NEW.version
	   AND @extschema@.soa_written_by_current_transaction(v.xmin);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'the entries of an SoA version are written at its approval only'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO r FROM @extschema@.soa_register g
	 WHERE g.scope_id = NEW.scope_id AND g.control_key = NEW.control_key;
	IF NOT FOUND OR r.changed_at > approved THEN
		RAISE EXCEPTION 'control % was not in the SoA at its approval', NEW.control_key
			USING ERRCODE = 'check_violation';
	END IF;
	NEW.control := r.control;
	NEW.title := coalesce(r.title, @extschema@.title(r.control));
	NEW.entry := r.entry;
	NEW.justification := r.justification;
	NEW.owner := r.owner;
	NEW.evidence := r.evidence;
	NEW.needs_review := r.needs_review;
	NEW.changed_at := r.changed_at;
	NEW.changed_by := r.changed_by;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_version_entry_check() IS
	'trigger: version entries are copies of the register made at approval, and never change';

CREATE TRIGGER soa_version_entry_check
	BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.soa_version_entry
	FOR EACH ROW EXECUTE FUNCTION @extschema@.soa_version_entry_check();
CREATE TRIGGER soa_refuse_truncate BEFORE TRUNCATE ON @extschema@.soa_version_entry
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.soa_refuse_truncate();

--
-- SoA API: scopes and changes
--

CREATE FUNCTION @extschema@.create_scope(name text, edition integer DEFAULT 2022,
										 description text DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
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
	BEGIN
		INSERT INTO @extschema@.soa_scope (name, edition, description)
		VALUES (create_scope.name, create_scope.edition, create_scope.description)
		RETURNING scope_id INTO id;
	EXCEPTION WHEN unique_violation THEN
		RAISE EXCEPTION 'ISMS scope "%" already exists', create_scope.name
			USING ERRCODE = 'unique_violation';
	END;
	INSERT INTO @extschema@.soa_register (scope_id, control_key, control)
	SELECT id, c.control::text, c.control
	  FROM (SELECT r.control FROM @extschema@.ref_control_2022 r WHERE create_scope.edition = 2022
			UNION ALL
			SELECT r.control FROM @extschema@.ref_control_2013 r WHERE create_scope.edition = 2013) c
	 ORDER BY c.control;
	RETURN id;
END
$$;
COMMENT ON FUNCTION @extschema@.create_scope(text, integer, text) IS
	'create an ISMS scope with an undecided SoA entry for every Annex A control of its edition; returns its scope_id';

CREATE FUNCTION @extschema@.delete_scope(scope text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
BEGIN
	IF NOT @extschema@.soa_administrator() THEN
		RAISE EXCEPTION 'only an administrator of the SoA register can delete a scope'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'Administrators are members of the role that owns the register''s tables.';
	END IF;
	DELETE FROM @extschema@.soa_version_entry e WHERE e.scope_id = id;
	DELETE FROM @extschema@.soa_version v WHERE v.scope_id = id;
	DELETE FROM @extschema@.soa_register r WHERE r.scope_id = id;
	DELETE FROM @extschema@.soa_history h WHERE h.scope_id = id;
	DELETE FROM @extschema@.soa_scope s WHERE s.scope_id = id;
END
$$;
COMMENT ON FUNCTION @extschema@.delete_scope(text) IS
	'delete a scope with its SoA, history and versions (administrators only: the only way to remove Annex A entries and history)';

CREATE FUNCTION @extschema@.soa_set(scope text, control @extschema@.iso_control,
									entry @extschema@.soa_entry, justification text,
									owner text DEFAULT NULL, evidence text[] DEFAULT NULL,
									needs_review boolean DEFAULT false)
	RETURNS @extschema@.soa_register
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(soa_set.scope);
	result @extschema@.soa_register;
BEGIN
	IF soa_set.scope IS NULL OR soa_set.control IS NULL THEN
		RAISE EXCEPTION 'scope and control must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	INSERT INTO @extschema@.soa_register AS r
		(scope_id, control_key, control, entry, justification, owner, evidence, needs_review)
	VALUES (id, soa_set.control::text, soa_set.control, soa_set.entry, soa_set.justification,
			soa_set.owner, coalesce(soa_set.evidence, '{}'), coalesce(soa_set.needs_review, false))
	ON CONFLICT (scope_id, control_key) DO UPDATE
	   SET entry = excluded.entry,
		   justification = excluded.justification,
		   owner = coalesce(soa_set.owner, r.owner),
		   evidence = coalesce(soa_set.evidence, r.evidence),
		   needs_review = excluded.needs_review;
	SELECT * INTO result FROM @extschema@.soa_register r
	 WHERE r.scope_id = id AND r.control_key = soa_set.control::text;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_set(text, @extschema@.iso_control, @extschema@.soa_entry, text, text, text[], boolean) IS
	'record the decision on an Annex A control (NULL entry: undecided); owner and evidence are kept when NULL; returns the register row';

CREATE FUNCTION @extschema@.soa_set_custom(scope text, key text, title text,
										   entry @extschema@.soa_entry, justification text,
										   owner text DEFAULT NULL, evidence text[] DEFAULT NULL,
										   needs_review boolean DEFAULT false)
	RETURNS @extschema@.soa_register
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(soa_set_custom.scope);
	result @extschema@.soa_register;
BEGIN
	IF soa_set_custom.scope IS NULL OR soa_set_custom.key IS NULL THEN
		RAISE EXCEPTION 'scope and key must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF @extschema@.is_valid_control(soa_set_custom.key) THEN
		RAISE EXCEPTION '"%" is an Annex A control, not an organization-defined one', soa_set_custom.key
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use iso27001.soa_set() for Annex A controls.';
	END IF;
	INSERT INTO @extschema@.soa_register AS r
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
	SELECT * INTO result FROM @extschema@.soa_register r
	 WHERE r.scope_id = id AND r.control_key = btrim(soa_set_custom.key);
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_set_custom(text, text, text, @extschema@.soa_entry, text, text, text[], boolean) IS
	'add or change an organization-defined control (Annex A is not exhaustive, clause 6.1.3 c); returns the register row';

CREATE FUNCTION @extschema@.soa_remove_custom(scope text, key text)
	RETURNS void
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
BEGIN
	DELETE FROM @extschema@.soa_register r
	 WHERE r.scope_id = id AND r.control_key = btrim(soa_remove_custom.key);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'scope "%" has no control "%"', scope, key
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_remove_custom(text, text) IS
	'remove an organization-defined control from the SoA (the history keeps it)';

CREATE FUNCTION @extschema@.soa_add_evidence(scope text, control text, link text)
	RETURNS text[]
	LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := @extschema@.soa_scope_id(scope);
	key text := btrim(soa_add_evidence.control);
	result text[];
BEGIN
	IF @extschema@.is_valid_control(key) THEN
		key := key::@extschema@.iso_control::text;
	END IF;
	IF btrim(link) = '' THEN
		RAISE EXCEPTION 'an evidence link must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- one statement: concurrent additions to the same entry wait for each
	-- other and none is lost
	UPDATE @extschema@.soa_register r
	   SET evidence = CASE WHEN link = ANY (r.evidence) THEN r.evidence
						   ELSE array_append(r.evidence, link) END
	 WHERE r.scope_id = id AND r.control_key = key
	RETURNING r.evidence INTO result;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'scope "%" has no control "%"', scope, soa_add_evidence.control
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_add_evidence(text, text, text) IS
	'add a link to the operating evidence of a control (once); returns the entry''s links';

CREATE FUNCTION @extschema@.soa_approve(scope text, approved_by text DEFAULT CURRENT_USER,
										note text DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	result integer;
BEGIN
	IF soa_approve.scope IS NULL THEN
		RAISE EXCEPTION 'scope must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	INSERT INTO @extschema@.soa_version (scope_id, version, approved_by, note)
	VALUES (@extschema@.soa_scope_id(soa_approve.scope), 1, soa_approve.approved_by, soa_approve.note)
	RETURNING version INTO result;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_approve(text, text, text) IS
	'approve the current SoA of a scope as its next version (refused while soa_validate reports errors); returns the version number';

--
-- SoA API: reading, comparing, checking
--

-- Titles of the controls of both editions
CREATE VIEW @extschema@.annex_a_titles AS
SELECT control, title, 2022 AS edition FROM @extschema@.ref_control_2022
UNION ALL
SELECT control, title, 2013 FROM @extschema@.ref_control_2013;
COMMENT ON VIEW @extschema@.annex_a_titles IS
	'every Annex A control of both editions with its title and edition';
COMMENT ON COLUMN @extschema@.annex_a_titles.control IS 'the control';
COMMENT ON COLUMN @extschema@.annex_a_titles.title IS 'its short title';
COMMENT ON COLUMN @extschema@.annex_a_titles.edition IS '2013 or 2022';
GRANT SELECT ON @extschema@.annex_a_titles TO PUBLIC;

-- The section of every control: its theme (2022) or clause (2013), with
-- the section's place in the catalogue
CREATE VIEW @extschema@.annex_a_sections AS
SELECT c.control, 2022 AS edition, c.theme::text AS section,
	   pg_catalog.array_position(pg_catalog.enum_range(NULL::@extschema@.annex_a_theme), c.theme) AS section_order
  FROM @extschema@.ref_control_2022 c
UNION ALL
SELECT c.control, 2013, o.clause OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) cl.title,
	   pg_catalog.substr(o.clause, 3)::integer
  FROM @extschema@.ref_control_2013 c
  JOIN @extschema@.ref_objective_2013 o ON o.objective OPERATOR(pg_catalog.=) c.objective
  JOIN @extschema@.ref_clause_2013 cl ON cl.clause OPERATOR(pg_catalog.=) o.clause;
COMMENT ON VIEW @extschema@.annex_a_sections IS
	'the section of every Annex A control: its theme (2022) or clause with title (2013), and the section''s order';
COMMENT ON COLUMN @extschema@.annex_a_sections.control IS 'the control';
COMMENT ON COLUMN @extschema@.annex_a_sections.edition IS '2013 or 2022';
COMMENT ON COLUMN @extschema@.annex_a_sections.section IS 'theme (2022), or clause and its title (2013)';
COMMENT ON COLUMN @extschema@.annex_a_sections.section_order IS 'order of the section in the catalogue';
GRANT SELECT ON @extschema@.annex_a_sections TO PUBLIC;

CREATE FUNCTION @extschema@.soa_as_of(scope text, at timestamptz)
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
BEGIN
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
				ELSE coalesce(d.title, @extschema@.title(d.control)) END,
		   CASE WHEN d.control_key IS NULL THEN b.entry ELSE d.entry END,
		   CASE WHEN d.control_key IS NULL THEN b.justification ELSE d.justification END,
		   CASE WHEN d.control_key IS NULL THEN b.owner ELSE d.owner END,
		   CASE WHEN d.control_key IS NULL THEN b.evidence ELSE d.evidence END,
		   CASE WHEN d.control_key IS NULL THEN b.needs_review ELSE d.needs_review END,
		   coalesce(d.changed_at, b.changed_at), coalesce(d.changed_by, b.changed_by)
	  FROM base b
	  FULL JOIN delta d ON d.control_key OPERATOR(pg_catalog.=) b.control_key
	 WHERE NOT coalesce(d.removed, false)
	 ORDER BY coalesce(d.control, b.control), coalesce(d.control_key, b.control_key);
END
$$;
COMMENT ON FUNCTION @extschema@.soa_as_of(text, timestamptz) IS
	'the SoA of a scope as it stood at a point in time, from the history';

CREATE FUNCTION @extschema@.soa_version_time(scope text, version integer)
	RETURNS timestamptz
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	result timestamptz;
BEGIN
	SELECT v.approved_at INTO result FROM @extschema@.soa_version v
	 WHERE v.scope_id = @extschema@.soa_scope_id(scope) AND v.version = soa_version_time.version;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'scope "%" has no approved version %', scope, version
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('SELECT version, approved_at FROM iso27001.soa_versions WHERE scope = %L lists them.', scope);
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_version_time(text, integer) IS
	'when a version of a scope''s SoA was approved; an unknown version raises SQLSTATE 22023';

CREATE FUNCTION @extschema@.soa_as_of_version(scope text, version integer)
	RETURNS TABLE (control_key text, control @extschema@.iso_control, title text,
				   entry @extschema@.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
-- PL/pgSQL rather than SQL so that the query's plan is kept between calls
DECLARE
	id bigint;
BEGIN
	SELECT s.scope_id INTO id FROM @extschema@.soa_scope s WHERE s.name = soa_as_of_version.scope;
	IF NOT FOUND THEN
		-- raises the error for an unknown scope
		PERFORM @extschema@.soa_scope_id(soa_as_of_version.scope);
	END IF;
	RETURN QUERY
	SELECT e.control_key, e.control, e.title, e.entry, e.justification, e.owner,
		   e.evidence, e.needs_review, e.changed_at, e.changed_by
	  FROM @extschema@.soa_version_entry e
	 WHERE e.scope_id = id AND e.version = soa_as_of_version.version
	 ORDER BY e.control, e.control_key;
	-- every version holds at least the Annex A controls: no rows, no version
	IF NOT FOUND THEN
		PERFORM @extschema@.soa_version_time(soa_as_of_version.scope, soa_as_of_version.version);
	END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_as_of_version(text, integer) IS
	'an approved version of a scope''s SoA, by number';

CREATE VIEW @extschema@.soa_versions WITH (security_invoker = true) AS
SELECT s.name AS scope, v.version, v.approved_at, v.approved_by, v.recorded_by, v.note
  FROM @extschema@.soa_version v
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) v.scope_id;
COMMENT ON VIEW @extschema@.soa_versions IS 'approved SoA versions of every scope, by scope name';
COMMENT ON COLUMN @extschema@.soa_versions.scope IS 'scope name';
COMMENT ON COLUMN @extschema@.soa_versions.version IS 'version number, 1, 2, ...';
COMMENT ON COLUMN @extschema@.soa_versions.approved_at IS 'time of approval';
COMMENT ON COLUMN @extschema@.soa_versions.approved_by IS 'who approved it';
COMMENT ON COLUMN @extschema@.soa_versions.recorded_by IS 'database role that recorded the approval';
COMMENT ON COLUMN @extschema@.soa_versions.note IS 'note given at approval';
-- security_invoker: the reader's own privileges and row-level security apply
GRANT SELECT ON @extschema@.soa_versions TO PUBLIC;

CREATE VIEW @extschema@.soa_version_entries WITH (security_invoker = true) AS
SELECT s.name AS scope, e.version, e.control_key, e.control, e.title, e.entry,
	   e.justification, e.owner, e.evidence, e.needs_review, e.changed_at, e.changed_by
  FROM @extschema@.soa_version_entry e
  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) e.scope_id;
COMMENT ON VIEW @extschema@.soa_version_entries IS
	'the entries of every approved SoA version, by scope name: WHERE scope = ... AND version = ... reads one version by key';
COMMENT ON COLUMN @extschema@.soa_version_entries.scope IS 'scope name';
COMMENT ON COLUMN @extschema@.soa_version_entries.version IS 'version number';
COMMENT ON COLUMN @extschema@.soa_version_entries.control_key IS 'the control: "A.5.7", or the organization''s key';
COMMENT ON COLUMN @extschema@.soa_version_entries.control IS 'the Annex A control (NULL for an organization-defined one)';
COMMENT ON COLUMN @extschema@.soa_version_entries.title IS 'title of the control';
COMMENT ON COLUMN @extschema@.soa_version_entries.entry IS 'the decision (NULL: undecided)';
COMMENT ON COLUMN @extschema@.soa_version_entries.justification IS 'justification of the inclusion or exclusion';
COMMENT ON COLUMN @extschema@.soa_version_entries.owner IS 'who is responsible for the control';
COMMENT ON COLUMN @extschema@.soa_version_entries.evidence IS 'links to the operating evidence';
COMMENT ON COLUMN @extschema@.soa_version_entries.needs_review IS 'flagged for review';
COMMENT ON COLUMN @extschema@.soa_version_entries.changed_at IS 'time of the entry''s last change before the approval';
COMMENT ON COLUMN @extschema@.soa_version_entries.changed_by IS 'database role of that change';
GRANT SELECT ON @extschema@.soa_version_entries TO PUBLIC;

CREATE FUNCTION @extschema@.soa_diff_at(scope text, from_at timestamptz, to_at timestamptz)
	RETURNS TABLE (control_key text, control @extschema@.iso_control, title text, change text,
				   old_entry @extschema@.soa_entry, new_entry @extschema@.soa_entry,
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
	  FROM @extschema@.soa_as_of(soa_diff_at.scope, soa_diff_at.from_at) o
	  FULL JOIN @extschema@.soa_as_of(soa_diff_at.scope, soa_diff_at.to_at) n
		ON n.control_key OPERATOR(pg_catalog.=) o.control_key
	 WHERE (o.title, o.entry, o.justification, o.owner, o.evidence, o.needs_review)
		   IS DISTINCT FROM (n.title, n.entry, n.justification, n.owner, n.evidence, n.needs_review)
		OR o.control_key IS NULL OR n.control_key IS NULL
	 ORDER BY coalesce(n.control, o.control), coalesce(n.control_key, o.control_key);
END;
COMMENT ON FUNCTION @extschema@.soa_diff_at(text, timestamptz, timestamptz) IS
	'what changed in a scope''s SoA between two points in time: added, removed, re-decided, re-justified or details changed (owner, evidence, title, review flag)';

CREATE FUNCTION @extschema@.soa_diff(scope text, from_version integer, to_version integer)
	RETURNS TABLE (control_key text, control @extschema@.iso_control, title text, change text,
				   old_entry @extschema@.soa_entry, new_entry @extschema@.soa_entry,
				   old_justification text, new_justification text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT * FROM @extschema@.soa_diff_at(soa_diff.scope,
			@extschema@.soa_version_time(soa_diff.scope, soa_diff.from_version),
			@extschema@.soa_version_time(soa_diff.scope, soa_diff.to_version));
END;
COMMENT ON FUNCTION @extschema@.soa_diff(text, integer, integer) IS
	'what changed in a scope''s SoA between two approved versions (what an auditor asks at each surveillance audit)';

CREATE FUNCTION @extschema@.soa_validate(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, rule text, severity text, control_key text, message text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	-- Two scans of the register, each kept to the scopes asked for (all of
	-- them, or one read by key): one counts each scope's Annex A entries by
	-- edition (2022 controls sort after all 2013 ones, from A.5.1 up); the
	-- other keeps the few entries that may break a per-entry rule.  Only
	-- the scopes whose counts are off are looked at again.
	WITH s AS (
		SELECT s.scope_id, s.name, s.edition FROM @extschema@.soa_scope s
		 WHERE soa_validate.scope IS NULL
			OR s.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))
	), pass AS (
		SELECT r.scope_id,
			   pg_catalog.count(*) FILTER (WHERE r.control OPERATOR(@extschema@.>=) 'A.5.1'::@extschema@.iso_control) AS n2022,
			   pg_catalog.count(r.control) AS nannex
		  FROM (SELECT g.scope_id, g.control FROM @extschema@.soa_register g
				 WHERE soa_validate.scope IS NULL
				UNION ALL
				SELECT g.scope_id, g.control FROM @extschema@.soa_register g
				 WHERE soa_validate.scope IS NOT NULL
				   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))) r
		 GROUP BY r.scope_id
	), checked AS (
		SELECT s.scope_id, s.name, s.edition,
			   coalesce(CASE s.edition WHEN 2022 THEN p.n2022 ELSE p.nannex OPERATOR(pg_catalog.-) p.n2022 END, 0) AS nright,
			   coalesce(CASE s.edition WHEN 2022 THEN p.nannex OPERATOR(pg_catalog.-) p.n2022 ELSE p.n2022 END, 0) AS nwrong
		  FROM s LEFT JOIN pass p ON p.scope_id OPERATOR(pg_catalog.=) s.scope_id
	), suspect AS (
		SELECT s.scope_id, s.name, s.edition AS scope_edition, r.control_key, r.control,
			   coalesce(r.title, t.title) AS title, r.entry, r.needs_review,
			   @extschema@.soa_entry_problems(r.entry, r.justification, r.evidence) AS problems
		  FROM (SELECT g.* FROM @extschema@.soa_register g
				 WHERE soa_validate.scope IS NULL
				UNION ALL
				SELECT g.* FROM @extschema@.soa_register g
				 WHERE soa_validate.scope IS NOT NULL
				   AND g.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_validate.scope))) r
		  JOIN s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
		  LEFT JOIN @extschema@.annex_a_titles t ON t.control OPERATOR(@extschema@.=) r.control
		 WHERE r.needs_review
			OR r.control IS NULL
			OR @extschema@.soa_entry_problems(r.entry, r.justification, r.evidence)
			   OPERATOR(pg_catalog.<>) 0
	), finding AS (
		-- the per-entry rules, one branch per bit of soa_entry_problems()
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
		 WHERE x.needs_review
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
		 WHERE x.control IS NULL
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
	 ORDER BY 1, CASE WHEN f.rule OPERATOR(pg_catalog.=) ANY (ARRAY['NO_EVIDENCE', 'NEEDS_REVIEW', 'DUPLICATE'])
					  THEN 2 ELSE 1 END, 4, 2, 5;
END;
COMMENT ON FUNCTION @extschema@.soa_validate(text) IS
	'what an auditor would find wrong in a scope''s SoA (all scopes when NULL): rule, severity (errors block approval), control and message';

CREATE FUNCTION @extschema@.soa_coverage(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, theme text, controls bigint, undecided bigint,
				   excluded bigint, applicable bigint, not_implemented bigint,
				   planned bigint, partially_implemented bigint, implemented bigint,
				   implemented_share numeric)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT s.name, g.section, (g.c).total, (g.c).undecided, (g.c).excluded, (g.c).applicable,
		   (g.c).not_implemented, (g.c).planned, (g.c).partially_implemented,
		   (g.c).implemented,
		   pg_catalog.round((g.c).implemented::numeric
							OPERATOR(pg_catalog./) NULLIF((g.c).applicable, 0)::numeric, 4)
	  FROM (SELECT r.scope_id, coalesce(x.section, 'Organization-defined') AS section,
				   coalesce(x.section_order, 1000) AS section_order,
				   @extschema@.soa_summary(r.entry) AS c
			  FROM @extschema@.soa_register r
			  LEFT JOIN @extschema@.annex_a_sections x ON x.control OPERATOR(@extschema@.=) r.control
			 WHERE soa_coverage.scope IS NULL
				OR r.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_coverage.scope))
			 GROUP BY 1, 2, 3) g
	  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) g.scope_id
	 ORDER BY s.name, g.section_order;
END;
COMMENT ON FUNCTION @extschema@.soa_coverage(text) IS
	'SoA coverage of a scope (every scope when NULL) by theme (2022) or clause (2013), organization-defined controls last: counts by applicability and implementation, and the implemented share of applicable controls';

CREATE FUNCTION @extschema@.soa_coverage_by_attribute(scope text DEFAULT NULL)
	RETURNS TABLE (scope text, attribute text, value text, controls bigint,
				   excluded bigint, applicable bigint, implemented bigint,
				   implemented_share numeric)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT s.name, a.attribute, a.value,
		   pg_catalog.count(*),
		   pg_catalog.count(*) FILTER (WHERE NOT @extschema@.is_applicable(r.entry)),
		   pg_catalog.count(*) FILTER (WHERE @extschema@.is_applicable(r.entry)),
		   pg_catalog.count(*) FILTER (WHERE @extschema@.is_implemented(r.entry)),
		   pg_catalog.round(pg_catalog.count(*) FILTER (WHERE @extschema@.is_implemented(r.entry))::numeric
							OPERATOR(pg_catalog./)
							NULLIF(pg_catalog.count(*) FILTER (WHERE @extschema@.is_applicable(r.entry)), 0)::numeric, 4)
	  FROM @extschema@.soa_register r
	  JOIN @extschema@.soa_scope s ON s.scope_id OPERATOR(pg_catalog.=) r.scope_id
	  JOIN @extschema@.ref_control_2022 c ON c.control OPERATOR(@extschema@.=) r.control
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
		OR r.scope_id OPERATOR(pg_catalog.=) (SELECT @extschema@.soa_scope_id(soa_coverage_by_attribute.scope))
	 GROUP BY s.name, a.attribute_order, a.attribute, a.value_order, a.value
	 ORDER BY s.name, a.attribute_order, a.value_order;
END;
COMMENT ON FUNCTION @extschema@.soa_coverage_by_attribute(text) IS
	'SoA coverage of a 2022 scope (every scope when NULL) by ISO/IEC 27002:2022 attribute value (for example the implemented share of applicable #Detective controls)';

--
-- SoA API: migration from ISO/IEC 27001:2013 and export
--

CREATE FUNCTION @extschema@.soa_migrate_2013_to_2022(from_scope text, to_scope text,
													 description text DEFAULT NULL)
	RETURNS TABLE (control @extschema@.iso_control, outcome text, predecessors text, detail text)
	LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
	SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
	src bigint := @extschema@.soa_scope_id(from_scope);
	dst bigint;
BEGIN
	IF from_scope IS NULL OR to_scope IS NULL THEN
		RAISE EXCEPTION 'scope names must not be null'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF (SELECT s.edition FROM @extschema@.soa_scope s WHERE s.scope_id = src) <> 2013 THEN
		RAISE EXCEPTION 'scope "%" does not follow ISO/IEC 27001:2013', from_scope
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	dst := @extschema@.create_scope(to_scope, 2022,
									coalesce(description, format('Draft migrated from "%s"', from_scope)));

	-- the decisions on each 2022 control's 2013 predecessors
	CREATE TEMP TABLE pg_temp.soa_migration ON COMMIT DROP AS
	SELECT m.control_2022 AS control,
		   count(*) AS n,
		   count(*) FILTER (WHERE r.entry IS NULL) AS undecided,
		   count(DISTINCT coalesce(@extschema@.implementation(r.entry), 'excluded'))
			   FILTER (WHERE r.entry IS NOT NULL) AS states,
		   min(coalesce(@extschema@.implementation(r.entry), 'excluded'))
			   FILTER (WHERE r.entry IS NOT NULL) AS state,
		   string_agg(m.control_2013::text, ', ' ORDER BY m.control_2013) AS predecessors,
		   string_agg(m.control_2013::text || ': ' || coalesce(r.entry::text, 'undecided'), '; '
					  ORDER BY m.control_2013) AS decisions,
		   string_agg(m.control_2013::text || ': ' || r.justification, '; '
					  ORDER BY m.control_2013) AS justification,
		   CASE WHEN count(DISTINCT r.owner) = 1 THEN min(r.owner) END AS owner
	  FROM @extschema@.ref_correspondence m
	  LEFT JOIN @extschema@.soa_register r
		ON r.scope_id = src AND r.control = m.control_2013
	 GROUP BY m.control_2022;

	-- one agreed decision is carried over, reasons and evidence merged;
	-- disagreeing predecessors leave the control undecided and flagged
	UPDATE @extschema@.soa_register r
	   SET entry = CASE WHEN g.state = 'excluded' THEN 'excluded'::@extschema@.soa_entry
						ELSE @extschema@.make_soa_entry(true, g.state,
							   ARRAY(SELECT DISTINCT x
									   FROM @extschema@.ref_correspondence m
									   JOIN @extschema@.soa_register p
										 ON p.scope_id = src AND p.control = m.control_2013,
											unnest(@extschema@.reasons(p.entry)) AS x
									  WHERE m.control_2022 = g.control))
				   END,
		   justification = g.justification,
		   owner = g.owner,
		   evidence = ARRAY(SELECT DISTINCT x
							  FROM @extschema@.ref_correspondence m
							  JOIN @extschema@.soa_register p
								ON p.scope_id = src AND p.control = m.control_2013,
								   unnest(p.evidence) AS x
							 WHERE m.control_2022 = g.control
							 ORDER BY x)
	  FROM pg_temp.soa_migration g
	 WHERE r.scope_id = dst AND r.control = g.control
	   AND g.undecided = 0 AND g.states = 1;

	UPDATE @extschema@.soa_register r
	   SET needs_review = true,
		   justification = 'Predecessors disagree: ' || g.decisions
	  FROM pg_temp.soa_migration g
	 WHERE r.scope_id = dst AND r.control = g.control AND g.states > 1;

	-- organization-defined controls are copied as they are
	INSERT INTO @extschema@.soa_register (scope_id, control_key, title, entry, justification,
										  owner, evidence, needs_review)
	SELECT dst, p.control_key, p.title, p.entry, p.justification, p.owner, p.evidence, p.needs_review
	  FROM @extschema@.soa_register p
	 WHERE p.scope_id = src AND p.control IS NULL;

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
	  FROM @extschema@.ref_control_2022 c
	  LEFT JOIN pg_temp.soa_migration g ON g.control = c.control
	UNION ALL
	SELECT NULL, 'organization-defined', NULL, p.control_key || ': ' || coalesce(p.entry::text, 'undecided')
	  FROM @extschema@.soa_register p
	 WHERE p.scope_id = src AND p.control IS NULL
	ORDER BY 1, 4;
	DROP TABLE pg_temp.soa_migration;
END
$$;
COMMENT ON FUNCTION @extschema@.soa_migrate_2013_to_2022(text, text, text) IS
	'draft a 2022 SoA from a 2013 one through the correspondence: agreed decisions carried over, the 11 new controls undecided, disagreeing merges undecided and flagged; returns what happened to each control';

CREATE FUNCTION @extschema@.soa_export(scope text, version integer DEFAULT NULL)
	RETURNS TABLE (scope text, version integer, control text, title text, theme text,
				   applicable text, implementation text, implemented text, reasons text,
				   justification text, owner text, evidence text, needs_review boolean,
				   changed_at timestamptz, changed_by text)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT soa_export.scope, soa_export.version, a.control_key, a.title,
		   coalesce(c22.theme::text, c13.clause, 'Organization-defined'),
		   CASE WHEN a.entry IS NULL THEN 'undecided'
				WHEN @extschema@.is_applicable(a.entry) THEN 'yes' ELSE 'no' END,
		   @extschema@.implementation(a.entry),
		   CASE @extschema@.is_implemented(a.entry) WHEN true THEN 'yes' WHEN false THEN 'no' END,
		   pg_catalog.array_to_string(@extschema@.reasons(a.entry), '; '),
		   a.justification, a.owner,
		   pg_catalog.array_to_string(a.evidence, ' '),
		   a.needs_review, a.changed_at, a.changed_by
	  FROM @extschema@.soa_as_of(soa_export.scope,
			 CASE WHEN soa_export.version IS NULL THEN 'infinity'::timestamptz
				  ELSE @extschema@.soa_version_time(soa_export.scope, soa_export.version) END) a
	  LEFT JOIN @extschema@.ref_control_2022 c22 ON c22.control OPERATOR(@extschema@.=) a.control
	  LEFT JOIN @extschema@.annex_a_2013 c13 ON c13.control OPERATOR(@extschema@.=) a.control
	 ORDER BY a.control, a.control_key;
END;
COMMENT ON FUNCTION @extschema@.soa_export(text, integer) IS
	'a scope''s SoA (current, or an approved version) as plain text columns, for COPY (SELECT * FROM iso27001.soa_export(''scope'')) TO STDOUT (FORMAT csv, HEADER)';

CREATE FUNCTION @extschema@.soa_export_json(scope text, version integer DEFAULT NULL)
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
			'summary', (SELECT pg_catalog.to_jsonb(@extschema@.soa_summary(a.entry))
						  FROM @extschema@.soa_as_of(s.name, coalesce(v.approved_at, 'infinity')) a),
			'controls', coalesce((
				SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
						'control', a.control_key,
						'title', a.title,
						'annex_a', a.control IS NOT NULL,
						'applicable', @extschema@.is_applicable(a.entry),
						'implementation', @extschema@.implementation(a.entry),
						'reasons', pg_catalog.to_jsonb(@extschema@.reasons(a.entry)),
						'oscal_status', @extschema@.oscal_status(a.entry),
						'justification', a.justification,
						'owner', a.owner,
						'evidence', pg_catalog.to_jsonb(a.evidence),
						'needs_review', a.needs_review,
						'changed_at', a.changed_at,
						'changed_by', a.changed_by)
						ORDER BY a.control, a.control_key)
				  FROM @extschema@.soa_as_of(s.name, coalesce(v.approved_at, 'infinity')) a),
				'[]'::jsonb))
	  FROM @extschema@.soa_scope s
	  LEFT JOIN @extschema@.soa_version v
		ON v.scope_id OPERATOR(pg_catalog.=) s.scope_id
	   AND v.version OPERATOR(pg_catalog.=) soa_export_json.version
	 WHERE s.scope_id OPERATOR(pg_catalog.=) @extschema@.soa_scope_id(soa_export_json.scope)
	   AND (soa_export_json.version IS NULL
			OR @extschema@.soa_version_time(soa_export_json.scope, soa_export_json.version) IS NOT NULL);
END;
COMMENT ON FUNCTION @extschema@.soa_export_json(text, integer) IS
	'a scope''s SoA (current, or an approved version) as one jsonb document with its summary, for GRC applications';

--
-- The certification cycle (ISO/IEC 17021-1:2015 9.1.3, ISO/IEC 27006,
-- IAF MD 26): the schedule of a certificate, the check of an audit history
-- and what is due next.  Hard rules are reported as such; practice values
-- are arguments with defaults (docs/certification_cycle.md §4.1).
--

CREATE TYPE @extschema@.certification_event AS (
	kind text,
	on_date date
);
COMMENT ON TYPE @extschema@.certification_event IS
	'one event of an audit history: kind (stage1, stage2, stage2_major_nonconformity, surveillance, recertification_audit, recertification_decision, restoration_decision, suspension_start, suspension_end, transition_audit, special_audit) and date';

CREATE FUNCTION @extschema@.certification_cycle(
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
COMMENT ON FUNCTION @extschema@.certification_cycle(date, date, date, integer, date[], integer, integer, integer, text, text, integer, integer, boolean, integer, integer, integer) IS
	'the schedule of an ISO/IEC 27001 certificate: one row per event of each three-year cycle, with its window, requirement level (hard, practice, info) and basis';

CREATE FUNCTION @extschema@.certification_cycle_check(
	certification_decision date,
	events @extschema@.certification_event[],
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
COMMENT ON FUNCTION @extschema@.certification_cycle_check(date, @extschema@.certification_event[], date, integer, text, boolean, integer, integer, text, integer) IS
	'the certification-cycle rules an audit history breaks, one row per finding (none for a compliant history)';

-- The same, with the history read from a query whose first two columns
-- are the kind and the date.  It runs the caller's query (one read-only
-- statement) with the caller's privileges and search_path; VOLATILE, as
-- the query may call anything.  A name of its own, so that an untyped
-- literal never picks the wrong one of two overloads.
CREATE FUNCTION @extschema@.certification_cycle_check_query(
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
COMMENT ON FUNCTION @extschema@.certification_cycle_check_query(date, text, date, integer, text, boolean, integer, integer, text, integer) IS
	'the certification-cycle rules an audit history breaks, the history read from a query returning (kind, on_date)';

CREATE FUNCTION @extschema@.certification_next_due(
	certification_decision date,
	events @extschema@.certification_event[],
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
COMMENT ON FUNCTION @extschema@.certification_next_due(date, @extschema@.certification_event[], date, integer, text, boolean, integer, integer, text, integer, integer, integer, integer, integer) IS
	'what is due next for a certificate: the next audit with its window, then the hard deadlines still ahead (as_of defaults to today)';

--
-- ISMS audit time (ISO/IEC 27006:2015 Annex B, IAF MD 1, ISO/IEC
-- 27006-1:2024 C.3.4).  The functions carry the bands compiled in; this
-- table shows the same rows, with their edition, for reports and joins.
--

CREATE TABLE @extschema@.isms_audit_time_band (
	edition text NOT NULL,
	persons_min integer NOT NULL,
	persons_max integer,
	initial_days numeric(4, 1),
	verified boolean NOT NULL,
	note text,
	PRIMARY KEY (edition, persons_min),
	CHECK (persons_max IS NULL OR persons_max >= persons_min)
);
COMMENT ON TABLE @extschema@.isms_audit_time_band IS
	'initial audit time (stage 1 + stage 2, auditor-days) by persons doing work under the organization''s control, per table edition';
COMMENT ON COLUMN @extschema@.isms_audit_time_band.edition IS 'the table: ISO/IEC 27006:2015 Table B.1';
COMMENT ON COLUMN @extschema@.isms_audit_time_band.persons_min IS 'lowest number of persons of the band';
COMMENT ON COLUMN @extschema@.isms_audit_time_band.persons_max IS 'highest number of persons of the band (NULL: open-ended)';
COMMENT ON COLUMN @extschema@.isms_audit_time_band.initial_days IS 'initial audit time in auditor-days (NULL: determined manually)';
COMMENT ON COLUMN @extschema@.isms_audit_time_band.verified IS 'the value was confirmed from two independent public reproductions';
COMMENT ON COLUMN @extschema@.isms_audit_time_band.note IS 'remark';
INSERT INTO @extschema@.isms_audit_time_band (edition, persons_min, persons_max, initial_days, verified) VALUES
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
INSERT INTO @extschema@.isms_audit_time_band (edition, persons_min, persons_max, initial_days, verified, note) VALUES
	('ISO/IEC 27006:2015 Table B.1', 10701, NULL, NULL, true,
	 'the table says to follow the progression above; no formula is given: determined manually');
REVOKE ALL ON @extschema@.isms_audit_time_band FROM PUBLIC;
GRANT SELECT ON @extschema@.isms_audit_time_band TO PUBLIC;

CREATE FUNCTION @extschema@.isms_audit_time(
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
COMMENT ON FUNCTION @extschema@.isms_audit_time(integer, double precision, double precision, double precision, double precision, double precision, text, text, text) IS
	'ISMS audit time in auditor-days (ISO/IEC 27006:2015 Table B.1): initial, adjusted, stage 1/stage 2, surveillance, recertification, transition extra; manual above 10,700 persons';

CREATE FUNCTION @extschema@.ms_site_sample(sites integer,
	OUT initial integer, OUT surveillance integer, OUT recertification integer)
	AS 'MODULE_PATHNAME', 'ms_site_sample'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ms_site_sample(integer) IS
	'IAF MD 1 multi-site sample sizes for n sites: sqrt(n), 0.6 sqrt(n), 0.8 sqrt(n), rounded up (ISMS applicability to be confirmed with the certification body)';

CREATE FUNCTION @extschema@.isms_effective_persons(group_sizes integer[])
	RETURNS integer
	AS 'MODULE_PATHNAME', 'isms_effective_persons'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.isms_effective_persons(integer[]) IS
	'the largest reduction ISO/IEC 27006-1:2024 C.3.4 allows for groups doing identical activities: the sum of ceil(sqrt(size)); advisory, the certification body justifies the count';

--
-- Behaviour trends (1): the least-squares trend of a measure over time.
-- trend_ols is the aggregate's state: fixed size (112 bytes), with text
-- and binary I/O, so that it can be stored, rolled up and combined by
-- parallel workers or Citus; the accessors read slopes and tests from it.
--

CREATE TYPE @extschema@.trend_ols;

CREATE FUNCTION @extschema@.trend_ols_in(cstring)
	RETURNS @extschema@.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_in(cstring) IS 'trend_ols text input';
CREATE FUNCTION @extschema@.trend_ols_out(@extschema@.trend_ols)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_out(@extschema@.trend_ols) IS 'trend_ols text output';
CREATE FUNCTION @extschema@.trend_ols_recv(internal)
	RETURNS @extschema@.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_recv(internal) IS 'trend_ols binary input';
CREATE FUNCTION @extschema@.trend_ols_send(@extschema@.trend_ols)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_send(@extschema@.trend_ols) IS 'trend_ols binary output';

CREATE TYPE @extschema@.trend_ols (
	INPUT = @extschema@.trend_ols_in,
	OUTPUT = @extschema@.trend_ols_out,
	RECEIVE = @extschema@.trend_ols_recv,
	SEND = @extschema@.trend_ols_send,
	INTERNALLENGTH = 112,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.trend_ols IS
	'state of a least-squares trend: count, Youngs-Cramer sums over seconds since an anchor (or over x), first and last observation';

CREATE FUNCTION @extschema@.trend_ols_accum(@extschema@.trend_ols, double precision, timestamptz)
	RETURNS @extschema@.trend_ols
	AS 'MODULE_PATHNAME', 'trend_ols_accum_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_accum(@extschema@.trend_ols, double precision, timestamptz) IS
	'trend_ols_agg transition: one (y, t) row';
CREATE FUNCTION @extschema@.trend_ols_accum(@extschema@.trend_ols, double precision, double precision)
	RETURNS @extschema@.trend_ols
	AS 'MODULE_PATHNAME', 'trend_ols_accum_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_accum(@extschema@.trend_ols, double precision, double precision) IS
	'trend_ols_agg transition: one (y, x) row';
CREATE FUNCTION @extschema@.trend_ols_combine(@extschema@.trend_ols, @extschema@.trend_ols)
	RETURNS @extschema@.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_combine(@extschema@.trend_ols, @extschema@.trend_ols) IS
	'two trend_ols states as one (parallel workers, rollup)';
CREATE FUNCTION @extschema@.trend_ols_maccum(internal, double precision, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_maccum_t' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_maccum(internal, double precision, timestamptz) IS
	'trend_ols_agg in a window frame: one (y, t) row in';
CREATE FUNCTION @extschema@.trend_ols_maccum(internal, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_maccum_x' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_maccum(internal, double precision, double precision) IS
	'trend_ols_agg in a window frame: one (y, x) row in';
CREATE FUNCTION @extschema@.trend_ols_minvert(internal, double precision, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_minvert_t' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_minvert(internal, double precision, timestamptz) IS
	'trend_ols_agg in a window frame: one (y, t) row out';
CREATE FUNCTION @extschema@.trend_ols_minvert(internal, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_minvert_x' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_minvert(internal, double precision, double precision) IS
	'trend_ols_agg in a window frame: one (y, x) row out';
CREATE FUNCTION @extschema@.trend_ols_mfinal(internal)
	RETURNS @extschema@.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_ols_mfinal(internal) IS
	'trend_ols_agg in a window frame: the frame''s state';

CREATE AGGREGATE @extschema@.trend_ols_agg(y double precision, t timestamptz) (
	SFUNC = @extschema@.trend_ols_accum,
	STYPE = @extschema@.trend_ols,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_ols_combine,
	MSFUNC = @extschema@.trend_ols_maccum,
	MINVFUNC = @extschema@.trend_ols_minvert,
	MSTYPE = internal,
	MFINALFUNC = @extschema@.trend_ols_mfinal,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_ols_agg(double precision, timestamptz) IS
	'least-squares trend of y over time, as a trend_ols state (rows with a NULL skipped)';
CREATE AGGREGATE @extschema@.trend_ols_agg(y double precision, x double precision) (
	SFUNC = @extschema@.trend_ols_accum,
	STYPE = @extschema@.trend_ols,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_ols_combine,
	MSFUNC = @extschema@.trend_ols_maccum,
	MINVFUNC = @extschema@.trend_ols_minvert,
	MSTYPE = internal,
	MFINALFUNC = @extschema@.trend_ols_mfinal,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_ols_agg(double precision, double precision) IS
	'least-squares trend of y over a float8 x, as a trend_ols state (rows with a NULL skipped)';
CREATE AGGREGATE @extschema@.rollup(@extschema@.trend_ols) (
	SFUNC = @extschema@.trend_ols_combine,
	STYPE = @extschema@.trend_ols,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_ols_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.trend_ols) IS
	'trend_ols states (daily summaries, say) combined into one';

CREATE FUNCTION @extschema@.n(@extschema@.trend_ols)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_ols_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.n(@extschema@.trend_ols) IS 'number of observations';
CREATE FUNCTION @extschema@.slope(state @extschema@.trend_ols, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trend_ols, interval) IS
	'least-squares slope per unit of time (NULL unit: per day; a month is 30.436875 days, a year 365.2425) or per unit of x';
CREATE FUNCTION @extschema@.slope_stderr(state @extschema@.trend_ols, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_stderr(@extschema@.trend_ols, interval) IS
	'standard error of the slope, in the slope''s unit (NULL below 3 observations)';
CREATE FUNCTION @extschema@.slope_lower(state @extschema@.trend_ols, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_lower(@extschema@.trend_ols, interval, double precision) IS
	'lower bound of the slope''s confidence interval (Student t, n - 2 degrees of freedom)';
CREATE FUNCTION @extschema@.slope_upper(state @extschema@.trend_ols, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_upper(@extschema@.trend_ols, interval, double precision) IS
	'upper bound of the slope''s confidence interval (Student t, n - 2 degrees of freedom)';
CREATE FUNCTION @extschema@.t_value(@extschema@.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_t_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.t_value(@extschema@.trend_ols) IS
	't statistic of the slope (n - 2 degrees of freedom)';
CREATE FUNCTION @extschema@.p_value(@extschema@.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.p_value(@extschema@.trend_ols) IS
	'two-sided p-value of the slope (Student t)';
CREATE FUNCTION @extschema@.r2(@extschema@.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_r2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.r2(@extschema@.trend_ols) IS
	'coefficient of determination, as regr_r2';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_ols, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_ols, timestamptz) IS
	'the fitted value at a timestamp';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_ols, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_ols, double precision) IS
	'the fitted value at an x';
CREATE FUNCTION @extschema@.fitted_first(@extschema@.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_first(@extschema@.trend_ols) IS
	'the fitted value at the first observation';
CREATE FUNCTION @extschema@.fitted_last(@extschema@.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_last' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_last(@extschema@.trend_ols) IS
	'the fitted value at the last observation';
CREATE FUNCTION @extschema@.first_time(@extschema@.trend_ols)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_time(@extschema@.trend_ols) IS
	'the first observation''s time (NULL for a trend over x)';
CREATE FUNCTION @extschema@.last_time(@extschema@.trend_ols)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.last_time(@extschema@.trend_ols) IS
	'the last observation''s time (NULL for a trend over x)';

--
-- Behaviour trends (2): the trend of a rate with denominators (clicks out
-- of recipients per campaign): the slope of the proportion weighted by
-- the trials, and the Cochran-Armitage trend test, from one mergeable
-- fixed-size state (104 bytes).
--

CREATE TYPE @extschema@.trend_rate;

CREATE FUNCTION @extschema@.trend_rate_in(cstring)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_in(cstring) IS 'trend_rate text input';
CREATE FUNCTION @extschema@.trend_rate_out(@extschema@.trend_rate)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_out(@extschema@.trend_rate) IS 'trend_rate text output';
CREATE FUNCTION @extschema@.trend_rate_recv(internal)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_recv(internal) IS 'trend_rate binary input';
CREATE FUNCTION @extschema@.trend_rate_send(@extschema@.trend_rate)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_send(@extschema@.trend_rate) IS 'trend_rate binary output';

CREATE TYPE @extschema@.trend_rate (
	INPUT = @extschema@.trend_rate_in,
	OUTPUT = @extschema@.trend_rate_out,
	RECEIVE = @extschema@.trend_rate_recv,
	SEND = @extschema@.trend_rate_send,
	INTERNALLENGTH = 104,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.trend_rate IS
	'state of a rate trend: rows, trials, events, weighted means and sums over seconds since an anchor (or over x)';

CREATE FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, timestamptz)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_accum_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, timestamptz) IS
	'trend_rate_agg transition: one (events, trials, t) row';
CREATE FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, double precision)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_accum_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_accum(@extschema@.trend_rate, bigint, bigint, double precision) IS
	'trend_rate_agg transition: one (events, trials, x) row';
CREATE FUNCTION @extschema@.trend_rate_combine(@extschema@.trend_rate, @extschema@.trend_rate)
	RETURNS @extschema@.trend_rate
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_rate_combine(@extschema@.trend_rate, @extschema@.trend_rate) IS
	'two trend_rate states as one (parallel workers, rollup)';

CREATE AGGREGATE @extschema@.trend_rate_agg(events bigint, trials bigint, t timestamptz) (
	SFUNC = @extschema@.trend_rate_accum,
	STYPE = @extschema@.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_rate_agg(bigint, bigint, timestamptz) IS
	'trend of events out of trials over time, as a trend_rate state (rows with a NULL or no trials skipped)';
CREATE AGGREGATE @extschema@.trend_rate_agg(events bigint, trials bigint, x double precision) (
	SFUNC = @extschema@.trend_rate_accum,
	STYPE = @extschema@.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_rate_agg(bigint, bigint, double precision) IS
	'trend of events out of trials over a float8 x (a score), as a trend_rate state';
CREATE AGGREGATE @extschema@.rollup(@extschema@.trend_rate) (
	SFUNC = @extschema@.trend_rate_combine,
	STYPE = @extschema@.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = @extschema@.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.trend_rate) IS
	'trend_rate states combined into one';

CREATE FUNCTION @extschema@.n(@extschema@.trend_rate)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_rate_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.n(@extschema@.trend_rate) IS 'number of rows with trials';
CREATE FUNCTION @extschema@.rate(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate(@extschema@.trend_rate) IS 'all events over all trials';
CREATE FUNCTION @extschema@.slope(state @extschema@.trend_rate, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trend_rate, interval) IS
	'slope of the proportion weighted by the trials, per unit of time (NULL: per day) or of x';
CREATE FUNCTION @extschema@.slope_stderr(state @extschema@.trend_rate, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_stderr(@extschema@.trend_rate, interval) IS
	'standard error of the weighted slope under the binomial null, sqrt(pbar (1 - pbar) / Sxx)';
CREATE FUNCTION @extschema@.slope_lower(state @extschema@.trend_rate, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_lower(@extschema@.trend_rate, interval, double precision) IS
	'lower bound of the weighted slope''s normal confidence interval';
CREATE FUNCTION @extschema@.slope_upper(state @extschema@.trend_rate, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_upper(@extschema@.trend_rate, interval, double precision) IS
	'upper bound of the weighted slope''s normal confidence interval';
CREATE FUNCTION @extschema@.ca_chi2(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_chi2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ca_chi2(@extschema@.trend_rate) IS
	'Cochran-Armitage trend chi-square (1 degree of freedom), as R prop.trend.test';
CREATE FUNCTION @extschema@.ca_z(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_z' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ca_z(@extschema@.trend_rate) IS
	'Cochran-Armitage z, signed like the slope';
CREATE FUNCTION @extschema@.ca_p(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ca_p(@extschema@.trend_rate) IS
	'Cochran-Armitage two-sided p-value';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, timestamptz) IS
	'the fitted proportion at a timestamp';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_rate, double precision) IS
	'the fitted proportion at an x';
CREATE FUNCTION @extschema@.fitted_first(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_first(@extschema@.trend_rate) IS
	'the fitted proportion at the first observation';
CREATE FUNCTION @extschema@.fitted_last(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_last' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_last(@extschema@.trend_rate) IS
	'the fitted proportion at the last observation';
CREATE FUNCTION @extschema@.first_time(@extschema@.trend_rate)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_time(@extschema@.trend_rate) IS
	'the first observation''s time (NULL for a trend over x)';
CREATE FUNCTION @extschema@.last_time(@extschema@.trend_rate)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.last_time(@extschema@.trend_rate) IS
	'the last observation''s time (NULL for a trend over x)';

--
-- Behaviour trends (3): the robust trend, Theil-Sen slope with Sen's
-- interval and the Mann-Kendall test.  The aggregate keeps the points
-- (internal state, serialized for parallel workers); its result
-- trend_robust holds them sorted, with the Mann-Kendall numbers.
--

CREATE TYPE @extschema@.trend_robust;

CREATE FUNCTION @extschema@.trend_robust_in(cstring)
	RETURNS @extschema@.trend_robust
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_in(cstring) IS 'trend_robust text input';
CREATE FUNCTION @extschema@.trend_robust_out(@extschema@.trend_robust)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_out(@extschema@.trend_robust) IS 'trend_robust text output';
CREATE FUNCTION @extschema@.trend_robust_recv(internal)
	RETURNS @extschema@.trend_robust
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_recv(internal) IS 'trend_robust binary input';
CREATE FUNCTION @extschema@.trend_robust_send(@extschema@.trend_robust)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_send(@extschema@.trend_robust) IS 'trend_robust binary output';

CREATE TYPE @extschema@.trend_robust (
	INPUT = @extschema@.trend_robust_in,
	OUTPUT = @extschema@.trend_robust_out,
	RECEIVE = @extschema@.trend_robust_recv,
	SEND = @extschema@.trend_robust_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.trend_robust IS
	'a robust trend: the points sorted by time, with the Mann-Kendall S, tie counts and variances';

CREATE FUNCTION @extschema@.trend_robust_accum(internal, double precision, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_robust_accum_t' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_accum(internal, double precision, timestamptz) IS
	'trend_robust_agg transition: one (y, t) row';
CREATE FUNCTION @extschema@.trend_robust_accum(internal, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_robust_accum_x' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_accum(internal, double precision, double precision) IS
	'trend_robust_agg transition: one (y, x) row';
CREATE FUNCTION @extschema@.trend_robust_rollup_accum(internal, @extschema@.trend_robust)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_rollup_accum(internal, @extschema@.trend_robust) IS
	'rollup(trend_robust) transition: the points of one result';
CREATE FUNCTION @extschema@.trend_robust_combine(internal, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_combine(internal, internal) IS
	'two robust-trend states as one: their points together';
CREATE FUNCTION @extschema@.trend_robust_serialize(internal)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_serialize(internal) IS
	'a robust-trend state as bytes, for parallel workers';
CREATE FUNCTION @extschema@.trend_robust_deserialize(bytea, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_deserialize(bytea, internal) IS
	'a robust-trend state from bytes, checked';
CREATE FUNCTION @extschema@.trend_robust_final(internal)
	RETURNS @extschema@.trend_robust
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_robust_final(internal) IS
	'the points sorted, with the Mann-Kendall numbers';

CREATE AGGREGATE @extschema@.trend_robust_agg(y double precision, t timestamptz) (
	SFUNC = @extschema@.trend_robust_accum,
	STYPE = internal,
	FINALFUNC = @extschema@.trend_robust_final,
	COMBINEFUNC = @extschema@.trend_robust_combine,
	SERIALFUNC = @extschema@.trend_robust_serialize,
	DESERIALFUNC = @extschema@.trend_robust_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_robust_agg(double precision, timestamptz) IS
	'robust trend of y over time: Theil-Sen and Mann-Kendall (rows with a NULL skipped; NaN and infinity refused)';
CREATE AGGREGATE @extschema@.trend_robust_agg(y double precision, x double precision) (
	SFUNC = @extschema@.trend_robust_accum,
	STYPE = internal,
	FINALFUNC = @extschema@.trend_robust_final,
	COMBINEFUNC = @extschema@.trend_robust_combine,
	SERIALFUNC = @extschema@.trend_robust_serialize,
	DESERIALFUNC = @extschema@.trend_robust_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trend_robust_agg(double precision, double precision) IS
	'robust trend of y over a float8 x: Theil-Sen and Mann-Kendall';
CREATE AGGREGATE @extschema@.rollup(@extschema@.trend_robust) (
	SFUNC = @extschema@.trend_robust_rollup_accum,
	STYPE = internal,
	FINALFUNC = @extschema@.trend_robust_final,
	COMBINEFUNC = @extschema@.trend_robust_combine,
	SERIALFUNC = @extschema@.trend_robust_serialize,
	DESERIALFUNC = @extschema@.trend_robust_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.trend_robust) IS
	'robust trends combined into one (their points together)';

CREATE FUNCTION @extschema@.n(@extschema@.trend_robust)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_robust_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.n(@extschema@.trend_robust) IS 'number of points';
CREATE FUNCTION @extschema@.slope(state @extschema@.trend_robust, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_sen_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trend_robust, interval) IS
	'Sen''s slope: the median slope over pairs with distinct times (even count: mean of the middle two), per unit of time (NULL: per day) or of x';
CREATE FUNCTION @extschema@.slope_lower(state @extschema@.trend_robust, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_sen_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_lower(@extschema@.trend_robust, interval, double precision) IS
	'lower bound of Sen''s (1968) confidence interval of the slope';
CREATE FUNCTION @extschema@.slope_upper(state @extschema@.trend_robust, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_sen_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope_upper(@extschema@.trend_robust, interval, double precision) IS
	'upper bound of Sen''s (1968) confidence interval of the slope';
CREATE FUNCTION @extschema@.mk_s(@extschema@.trend_robust)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_robust_mk_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mk_s(@extschema@.trend_robust) IS 'Mann-Kendall S';
CREATE FUNCTION @extschema@.mk_var_s(@extschema@.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_var_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mk_var_s(@extschema@.trend_robust) IS
	'variance of S, corrected for ties in time and in y';
CREATE FUNCTION @extschema@.mk_z(@extschema@.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_z' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mk_z(@extschema@.trend_robust) IS
	'Mann-Kendall z with continuity correction (NULL when var(S) = 0)';
CREATE FUNCTION @extschema@.mk_p(@extschema@.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mk_p(@extschema@.trend_robust) IS
	'Mann-Kendall two-sided p from the normal approximation';
CREATE FUNCTION @extschema@.mk_p_exact(@extschema@.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_p_exact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mk_p_exact(@extschema@.trend_robust) IS
	'Mann-Kendall exact two-sided p (fewer than 50 points, no ties; NULL otherwise)';
CREATE FUNCTION @extschema@.kendall_tau_b(@extschema@.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_kendall_tau_b' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kendall_tau_b(@extschema@.trend_robust) IS 'Kendall''s tau-b';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_robust, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_robust, timestamptz) IS
	'the value at a timestamp on Sen''s line through the medians';
CREATE FUNCTION @extschema@.fitted_at(@extschema@.trend_robust, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fitted_at(@extschema@.trend_robust, double precision) IS
	'the value at an x on Sen''s line through the medians (Conover)';
CREATE FUNCTION @extschema@.first_time(@extschema@.trend_robust)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_robust_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_time(@extschema@.trend_robust) IS
	'the first point''s time (NULL for a trend over x)';
CREATE FUNCTION @extschema@.last_time(@extschema@.trend_robust)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_robust_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.last_time(@extschema@.trend_robust) IS
	'the last point''s time (NULL for a trend over x)';

--
-- Behaviour trends: the p-value of each family, the verdict an auditor
-- reads, and a one-call report with plain columns for BI tools.
--

CREATE FUNCTION @extschema@.p_value(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.p_value(@extschema@.trend_rate) IS
	'two-sided p-value of the rate trend: the Cochran-Armitage test';
CREATE FUNCTION @extschema@.p_value(@extschema@.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.p_value(@extschema@.trend_robust) IS
	'two-sided p-value of the Mann-Kendall test: exact below 50 points without ties, else normal with continuity correction';

CREATE FUNCTION @extschema@.trend_verdict(n bigint, slope double precision,
										  slope_lower double precision, slope_upper double precision,
										  p_value double precision, better text,
										  alpha double precision DEFAULT 0.05)
	RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_verdict(bigint, double precision, double precision, double precision, double precision, text, double precision) IS
	'improving, worsening, no significant trend or insufficient data: a direction only when p < alpha and the interval excludes 0; better is lower or higher';

CREATE FUNCTION @extschema@.verdict(state @extschema@.trend_ols, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.trend_verdict(@extschema@.n(verdict.state), @extschema@.slope(verdict.state),
			@extschema@.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION @extschema@.verdict(@extschema@.trend_ols, text, double precision) IS
	'the verdict on a least-squares trend: improving, worsening, no significant trend or insufficient data';

CREATE FUNCTION @extschema@.trend_report(state @extschema@.trend_ols, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   @extschema@.trend_verdict(r.n, r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT @extschema@.n(trend_report.state) AS n,
				   @extschema@.first_time(trend_report.state) AS first_time,
				   @extschema@.last_time(trend_report.state) AS last_time,
				   @extschema@.slope(trend_report.state, u.unit) AS slope,
				   @extschema@.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   @extschema@.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   @extschema@.p_value(trend_report.state) AS p_value
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN @extschema@.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION @extschema@.trend_report(@extschema@.trend_ols, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a least-squares trend';

CREATE FUNCTION @extschema@.verdict(state @extschema@.trend_rate, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.trend_verdict(@extschema@.n(verdict.state), @extschema@.slope(verdict.state),
			@extschema@.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION @extschema@.verdict(@extschema@.trend_rate, text, double precision) IS
	'the verdict on a rate (Cochran-Armitage) trend: improving, worsening, no significant trend or insufficient data';

CREATE FUNCTION @extschema@.trend_report(state @extschema@.trend_rate, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   @extschema@.trend_verdict(r.n, r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT @extschema@.n(trend_report.state) AS n,
				   @extschema@.first_time(trend_report.state) AS first_time,
				   @extschema@.last_time(trend_report.state) AS last_time,
				   @extschema@.slope(trend_report.state, u.unit) AS slope,
				   @extschema@.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   @extschema@.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   @extschema@.p_value(trend_report.state) AS p_value
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN @extschema@.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION @extschema@.trend_report(@extschema@.trend_rate, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a rate (Cochran-Armitage) trend';

CREATE FUNCTION @extschema@.verdict(state @extschema@.trend_robust, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT @extschema@.trend_verdict(@extschema@.n(verdict.state), @extschema@.slope(verdict.state),
			@extschema@.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION @extschema@.verdict(@extschema@.trend_robust, text, double precision) IS
	'the verdict on a robust (Sen, Mann-Kendall) trend: improving, worsening, no significant trend or insufficient data';

CREATE FUNCTION @extschema@.trend_report(state @extschema@.trend_robust, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   @extschema@.trend_verdict(r.n, r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT @extschema@.n(trend_report.state) AS n,
				   @extschema@.first_time(trend_report.state) AS first_time,
				   @extschema@.last_time(trend_report.state) AS last_time,
				   @extschema@.slope(trend_report.state, u.unit) AS slope,
				   @extschema@.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   @extschema@.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   @extschema@.p_value(trend_report.state) AS p_value
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN @extschema@.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION @extschema@.trend_report(@extschema@.trend_robust, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a robust (Sen, Mann-Kendall) trend';

CREATE FUNCTION @extschema@.seasonal_trend(states @extschema@.trend_robust[],
	OUT n bigint, OUT seasons integer, OUT s bigint, OUT var_s double precision,
	OUT z double precision, OUT p_value double precision, OUT slope double precision)
	AS 'MODULE_PATHNAME', 'trend_robust_seasonal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.seasonal_trend(@extschema@.trend_robust[]) IS
	'seasonal Mann-Kendall test and seasonal Kendall slope over one robust trend per season (Hirsch, Slack and Smith 1982): S and var(S) summed, the median within-season slope (per x, or per day)';

CREATE FUNCTION @extschema@.logit_trend(x double precision[], events bigint[], trials bigint[],
	OUT intercept double precision, OUT slope double precision, OUT slope_stderr double precision,
	OUT z double precision, OUT p_value double precision, OUT odds_ratio double precision)
	AS 'MODULE_PATHNAME', 'trend_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.logit_trend(double precision[], bigint[], bigint[]) IS
	'binomial-logit trend of events out of trials over x (Newton''s method): intercept, slope, its standard error, Wald z and p, odds ratio per unit x';
