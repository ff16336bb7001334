--
-- The soa_entry type: one control's decision in a Statement of
-- Applicability (ISO/IEC 27001:2022 clause 6.1.3 d)
--

CREATE TYPE iso27001.soa_entry;

CREATE FUNCTION iso27001.soa_entry_in(cstring)
	RETURNS iso27001.soa_entry
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_entry_in(cstring) IS
	'I/O: read "excluded" or "applicable, <implementation> (<reasons>)", case-insensitively';

CREATE FUNCTION iso27001.soa_entry_out(iso27001.soa_entry)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_entry_out(iso27001.soa_entry) IS
	'I/O: write an entry in canonical form, reasons in vocabulary order';

CREATE FUNCTION iso27001.soa_entry_recv(internal)
	RETURNS iso27001.soa_entry
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_entry_recv(internal) IS
	'I/O: read the 2-byte binary form, checked';

CREATE FUNCTION iso27001.soa_entry_send(iso27001.soa_entry)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_entry_send(iso27001.soa_entry) IS
	'I/O: write the 2-byte binary form (state, then the reasons bit set)';

CREATE TYPE iso27001.soa_entry (
	INPUT = iso27001.soa_entry_in,
	OUTPUT = iso27001.soa_entry_out,
	RECEIVE = iso27001.soa_entry_recv,
	SEND = iso27001.soa_entry_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);
COMMENT ON TYPE iso27001.soa_entry IS
	'Statement of Applicability entry: excluded, or applicable with implementation state and reasons for inclusion';

-- Comparison: the int2 support functions (excluded first, then applicable
-- entries by implementation progress, then by reasons)

CREATE FUNCTION iso27001.soa_entry_eq(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS boolean
	AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_eq(iso27001.soa_entry, iso27001.soa_entry) IS
	'implementation of = operator';

CREATE FUNCTION iso27001.soa_entry_ne(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS boolean
	AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_ne(iso27001.soa_entry, iso27001.soa_entry) IS
	'implementation of <> operator';

CREATE FUNCTION iso27001.soa_entry_lt(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS boolean
	AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_lt(iso27001.soa_entry, iso27001.soa_entry) IS
	'implementation of < operator';

CREATE FUNCTION iso27001.soa_entry_le(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS boolean
	AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_le(iso27001.soa_entry, iso27001.soa_entry) IS
	'implementation of <= operator';

CREATE FUNCTION iso27001.soa_entry_gt(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS boolean
	AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_gt(iso27001.soa_entry, iso27001.soa_entry) IS
	'implementation of > operator';

CREATE FUNCTION iso27001.soa_entry_ge(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS boolean
	AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_ge(iso27001.soa_entry, iso27001.soa_entry) IS
	'implementation of >= operator';

CREATE FUNCTION iso27001.soa_entry_cmp(iso27001.soa_entry, iso27001.soa_entry)
	RETURNS integer
	AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_cmp(iso27001.soa_entry, iso27001.soa_entry) IS
	'less-equal-greater: excluded first, then by implementation progress';

CREATE FUNCTION iso27001.soa_entry_sortsupport(internal)
	RETURNS void
	AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_entry_sortsupport(internal) IS
	'sort support: the int2 comparator';

CREATE FUNCTION iso27001.soa_entry_hash(iso27001.soa_entry)
	RETURNS integer
	AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_hash(iso27001.soa_entry) IS
	'hash of an entry';

CREATE FUNCTION iso27001.soa_entry_hash_extended(iso27001.soa_entry, bigint)
	RETURNS bigint
	AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.soa_entry_hash_extended(iso27001.soa_entry, bigint) IS
	'64-bit seeded hash of an entry';

CREATE OPERATOR @extschema@.= (
	LEFTARG = iso27001.soa_entry, RIGHTARG = iso27001.soa_entry,
	FUNCTION = iso27001.soa_entry_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR @extschema@.= (iso27001.soa_entry, iso27001.soa_entry) IS
	'equal';

CREATE OPERATOR @extschema@.<> (
	LEFTARG = iso27001.soa_entry, RIGHTARG = iso27001.soa_entry,
	FUNCTION = iso27001.soa_entry_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (iso27001.soa_entry, iso27001.soa_entry) IS
	'not equal';

CREATE OPERATOR @extschema@.< (
	LEFTARG = iso27001.soa_entry, RIGHTARG = iso27001.soa_entry,
	FUNCTION = iso27001.soa_entry_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR @extschema@.< (iso27001.soa_entry, iso27001.soa_entry) IS
	'less advanced (excluded first, then by implementation progress)';

CREATE OPERATOR @extschema@.<= (
	LEFTARG = iso27001.soa_entry, RIGHTARG = iso27001.soa_entry,
	FUNCTION = iso27001.soa_entry_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR @extschema@.<= (iso27001.soa_entry, iso27001.soa_entry) IS
	'less advanced or equal';

CREATE OPERATOR @extschema@.> (
	LEFTARG = iso27001.soa_entry, RIGHTARG = iso27001.soa_entry,
	FUNCTION = iso27001.soa_entry_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR @extschema@.> (iso27001.soa_entry, iso27001.soa_entry) IS
	'more advanced';

CREATE OPERATOR @extschema@.>= (
	LEFTARG = iso27001.soa_entry, RIGHTARG = iso27001.soa_entry,
	FUNCTION = iso27001.soa_entry_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.>= (iso27001.soa_entry, iso27001.soa_entry) IS
	'more advanced or equal';

CREATE OPERATOR CLASS iso27001.soa_entry_ops
	DEFAULT FOR TYPE iso27001.soa_entry USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 iso27001.soa_entry_cmp(iso27001.soa_entry, iso27001.soa_entry),
		FUNCTION 2 iso27001.soa_entry_sortsupport(internal),
		FUNCTION 4 pg_catalog.btequalimage(oid);
COMMENT ON OPERATOR CLASS iso27001.soa_entry_ops USING btree IS
	'order of SoA entries: excluded, then applicable by implementation progress';
COMMENT ON OPERATOR FAMILY iso27001.soa_entry_ops USING btree IS
	'order of SoA entries';

CREATE OPERATOR CLASS iso27001.soa_entry_ops
	DEFAULT FOR TYPE iso27001.soa_entry USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 iso27001.soa_entry_hash(iso27001.soa_entry),
		FUNCTION 2 iso27001.soa_entry_hash_extended(iso27001.soa_entry, bigint);
COMMENT ON OPERATOR CLASS iso27001.soa_entry_ops USING hash IS
	'hashing of SoA entries';
COMMENT ON OPERATOR FAMILY iso27001.soa_entry_ops USING hash IS
	'hashing of SoA entries';

CREATE CAST (text AS iso27001.soa_entry) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS iso27001.soa_entry) IS
	'read an entry from text; invalid text raises SQLSTATE 22P02';

CREATE FUNCTION iso27001.make_soa_entry(applicable boolean,
										   implementation text DEFAULT NULL,
										   reasons text[] DEFAULT NULL)
	RETURNS iso27001.soa_entry
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.make_soa_entry(boolean, text, text[]) IS
	'build an entry: make_soa_entry(applicable => true, implementation => ''planned'', reasons => ''{legal}''); NULL applicability gives NULL (undecided)';

CREATE FUNCTION iso27001.is_applicable(iso27001.soa_entry)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'soa_entry_is_applicable'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.is_applicable(iso27001.soa_entry) IS
	'is the control applicable (included in the SoA)?';

CREATE FUNCTION iso27001.implementation(iso27001.soa_entry)
	RETURNS text
	AS 'MODULE_PATHNAME', 'soa_entry_implementation'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.implementation(iso27001.soa_entry) IS
	'implementation state: not implemented, planned, partially implemented or implemented (NULL when excluded)';

CREATE FUNCTION iso27001.is_implemented(iso27001.soa_entry)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'soa_entry_is_implemented'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.is_implemented(iso27001.soa_entry) IS
	'clause 6.1.3 d): is the control implemented? (partially implemented is not; NULL when excluded)';

CREATE FUNCTION iso27001.reasons(iso27001.soa_entry)
	RETURNS text[]
	AS 'MODULE_PATHNAME', 'soa_entry_reasons'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.reasons(iso27001.soa_entry) IS
	'reasons for inclusion, in vocabulary order (empty when excluded)';

CREATE FUNCTION iso27001.oscal_status(iso27001.soa_entry)
	RETURNS text
	AS 'MODULE_PATHNAME', 'soa_entry_oscal_status'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.oscal_status(iso27001.soa_entry) IS
	'NIST OSCAL implementation-status: implemented, partial, planned (also for not implemented) or not-applicable';

CREATE FUNCTION iso27001.soa_entry_problems(entry iso27001.soa_entry, justification text,
											   evidence text[])
	RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_entry_problems(iso27001.soa_entry, text, text[]) IS
	'what is wrong with one SoA entry, as bits: 1 undecided (NULL), 2 decided without justification, 4 (partially) implemented without evidence';

CREATE TYPE iso27001.soa_counts AS (
	total bigint,
	undecided bigint,
	excluded bigint,
	applicable bigint,
	not_implemented bigint,
	planned bigint,
	partially_implemented bigint,
	implemented bigint
);
COMMENT ON TYPE iso27001.soa_counts IS
	'counts of SoA entries by applicability and implementation (result of soa_summary)';

CREATE FUNCTION iso27001.soa_summary_accum(bigint[], iso27001.soa_entry)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_summary_accum(bigint[], iso27001.soa_entry) IS
	'soa_summary transition: count one entry (not strict: NULL counts as undecided)';

CREATE FUNCTION iso27001.soa_summary_combine(bigint[], bigint[])
	RETURNS bigint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_summary_combine(bigint[], bigint[]) IS
	'soa_summary combine: add two partial counts';

CREATE FUNCTION iso27001.soa_summary_final(bigint[])
	RETURNS iso27001.soa_counts
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_summary_final(bigint[]) IS
	'soa_summary final: the counts as a soa_counts row';

CREATE AGGREGATE iso27001.soa_summary(iso27001.soa_entry) (
	SFUNC = iso27001.soa_summary_accum,
	STYPE = bigint[],
	FINALFUNC = iso27001.soa_summary_final,
	COMBINEFUNC = iso27001.soa_summary_combine,
	INITCOND = '{0,0,0,0,0,0,0}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.soa_summary(iso27001.soa_entry) IS
	'counts of entries by applicability and implementation; NULL entries count as undecided';

-- Sets of Annex A controls as bit strings (src/annex_a_set.c): one bit a
-- control, the 93 of 2022 then the 114 of 2013, in catalogue order; the
-- validator compares them with PostgreSQL's bit string operators
CREATE FUNCTION iso27001.annex_a_bits(keys text[])
	RETURNS bit varying
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_bits(text[]) IS
	'the set of the Annex A controls among register keys (A.5.7, A.12.6.1; other keys are not in it), as a bit string of 207 bits in catalogue order (2022, then 2013)';

CREATE FUNCTION iso27001.annex_a_members(bits bit varying)
	RETURNS iso27001.iso_control[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_members(bit varying) IS
	'the Annex A controls of a set made by annex_a_bits or soa_census_agg, in catalogue order';

CREATE FUNCTION iso27001.annex_a_set_accum(bit varying, keys text[])
	RETURNS bit varying
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_set_accum(bit varying, text[]) IS
	'annex_a_set_agg transition: add the Annex A controls among a row''s keys to the set';

CREATE FUNCTION iso27001.annex_a_set_combine(bit varying, bit varying)
	RETURNS bit varying
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.annex_a_set_combine(bit varying, bit varying) IS
	'annex_a_set_agg combine: the union of two partial sets';

CREATE AGGREGATE iso27001.annex_a_set_agg(keys text[]) (
	SFUNC = iso27001.annex_a_set_accum,
	STYPE = bit varying,
	COMBINEFUNC = iso27001.annex_a_set_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.annex_a_set_agg(text[]) IS
	'the set (as annex_a_bits makes) of the Annex A controls among the keys of all rows: the union of their annex_a_bits';

-- The validator's one pass over the register (src/soa_census.c): grouped
-- by scope, the counts of Annex A entries by edition, the entries the
-- validator reports on, and sets of the Annex A controls by decision
CREATE TYPE iso27001.soa_census AS (
	annex_2022 bigint,
	annex_2013 bigint,
	control_key text[],
	control iso27001.iso_control[],
	title text[],
	entry iso27001.soa_entry[],
	problems integer[],
	risk_treatment bit varying,
	excluded bit varying,
	implemented bit varying,
	partially_implemented bit varying
);
COMMENT ON TYPE iso27001.soa_census IS
	'result of soa_census_agg: Annex A entries of each edition, the entries to report on as parallel arrays (problems: the bits of soa_entry_problems, 8 flagged for review, 16 organization-defined), and the sets (annex_a_bits) of the Annex A controls included for risk treatment, excluded, implemented and partially implemented';

CREATE FUNCTION iso27001.soa_census_accum(internal, control_key text,
											 control iso27001.iso_control, title text,
											 entry iso27001.soa_entry, justification text,
											 evidence text[], needs_review boolean)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_census_accum(internal, text, iso27001.iso_control, text, iso27001.soa_entry, text, text[], boolean) IS
	'soa_census_agg transition: count one register row, keep it if the validator reports on it';

CREATE FUNCTION iso27001.soa_census_combine(internal, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_census_combine(internal, internal) IS
	'soa_census_agg combine: add the counts, append the kept entries';

CREATE FUNCTION iso27001.soa_census_serialize(internal)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_census_serialize(internal) IS
	'soa_census_agg state to bytes, for parallel workers';

CREATE FUNCTION iso27001.soa_census_deserialize(bytea, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_census_deserialize(bytea, internal) IS
	'soa_census_agg state from bytes, every size and value checked';

CREATE FUNCTION iso27001.soa_census_final(internal)
	RETURNS iso27001.soa_census
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.soa_census_final(internal) IS
	'soa_census_agg final: the counts and the kept entries as a soa_census row';

CREATE AGGREGATE iso27001.soa_census_agg(control_key text, control iso27001.iso_control,
											title text, entry iso27001.soa_entry,
											justification text, evidence text[],
											needs_review boolean) (
	SFUNC = iso27001.soa_census_accum,
	STYPE = internal,
	SSPACE = 160,				-- bytes a scope: the counts and sets (src/soa_census.c)
	FINALFUNC = iso27001.soa_census_final,
	COMBINEFUNC = iso27001.soa_census_combine,
	SERIALFUNC = iso27001.soa_census_serialize,
	DESERIALFUNC = iso27001.soa_census_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.soa_census_agg(text, iso27001.iso_control, text, iso27001.soa_entry, text, text[], boolean) IS
	'the validator''s pass over register rows (grouped by scope): Annex A entries by edition, and the entries with a problem, flagged for review or organization-defined';
