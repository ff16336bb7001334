--
-- The iso_control type: an Annex A control of either edition
--

CREATE TYPE iso27001.iso_control;

CREATE FUNCTION iso27001.iso_control_in(cstring)
	RETURNS iso27001.iso_control
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_in(cstring) IS
	'I/O: read a control ("5.7", "A.5.7", "A.7.2.2"), checked against its edition';

CREATE FUNCTION iso27001.iso_control_out(iso27001.iso_control)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_out(iso27001.iso_control) IS
	'I/O: write a control in canonical form ("A.5.7", "A.7.2.2")';

CREATE FUNCTION iso27001.iso_control_recv(internal)
	RETURNS iso27001.iso_control
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_recv(internal) IS
	'I/O: read the 4-byte binary form, checked against its edition';

CREATE FUNCTION iso27001.iso_control_send(iso27001.iso_control)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_send(iso27001.iso_control) IS
	'I/O: write the 4-byte binary form (edition code, then the numbers)';

CREATE TYPE iso27001.iso_control (
	INPUT = iso27001.iso_control_in,
	OUTPUT = iso27001.iso_control_out,
	RECEIVE = iso27001.iso_control_recv,
	SEND = iso27001.iso_control_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);
COMMENT ON TYPE iso27001.iso_control IS
	'ISO/IEC 27001 Annex A control of the 2022 (A.5.7) or 2013 (A.7.2.2) edition, in natural catalogue order';

--
-- Comparison.  The packed value's int4 order is the natural catalogue order
-- (2013 controls before 2022 ones, A.5.9 < A.5.10 < A.6.1), so the int4
-- support functions serve unchanged; they cannot fail, hence LEAKPROOF.
--

CREATE FUNCTION iso27001.iso_control_eq(iso27001.iso_control, iso27001.iso_control)
	RETURNS boolean
	AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_eq(iso27001.iso_control, iso27001.iso_control) IS
	'implementation of = operator';

CREATE FUNCTION iso27001.iso_control_ne(iso27001.iso_control, iso27001.iso_control)
	RETURNS boolean
	AS 'int4ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_ne(iso27001.iso_control, iso27001.iso_control) IS
	'implementation of <> operator';

CREATE FUNCTION iso27001.iso_control_lt(iso27001.iso_control, iso27001.iso_control)
	RETURNS boolean
	AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_lt(iso27001.iso_control, iso27001.iso_control) IS
	'implementation of < operator';

CREATE FUNCTION iso27001.iso_control_le(iso27001.iso_control, iso27001.iso_control)
	RETURNS boolean
	AS 'int4le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_le(iso27001.iso_control, iso27001.iso_control) IS
	'implementation of <= operator';

CREATE FUNCTION iso27001.iso_control_gt(iso27001.iso_control, iso27001.iso_control)
	RETURNS boolean
	AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_gt(iso27001.iso_control, iso27001.iso_control) IS
	'implementation of > operator';

CREATE FUNCTION iso27001.iso_control_ge(iso27001.iso_control, iso27001.iso_control)
	RETURNS boolean
	AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_ge(iso27001.iso_control, iso27001.iso_control) IS
	'implementation of >= operator';

CREATE FUNCTION iso27001.iso_control_cmp(iso27001.iso_control, iso27001.iso_control)
	RETURNS integer
	AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_cmp(iso27001.iso_control, iso27001.iso_control) IS
	'less-equal-greater: -1, 0 or 1 in natural catalogue order';

CREATE FUNCTION iso27001.iso_control_sortsupport(internal)
	RETURNS void
	AS 'btint4sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_sortsupport(internal) IS
	'sort support: the int4 comparator';

CREATE FUNCTION iso27001.iso_control_hash(iso27001.iso_control)
	RETURNS integer
	AS 'hashint4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_hash(iso27001.iso_control) IS
	'hash of a control';

CREATE FUNCTION iso27001.iso_control_hash_extended(iso27001.iso_control, bigint)
	RETURNS bigint
	AS 'hashint4extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.iso_control_hash_extended(iso27001.iso_control, bigint) IS
	'64-bit seeded hash of a control (hash partitioning)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = iso27001.iso_control, RIGHTARG = iso27001.iso_control,
	FUNCTION = iso27001.iso_control_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR @extschema@.= (iso27001.iso_control, iso27001.iso_control) IS
	'equal';

CREATE OPERATOR @extschema@.<> (
	LEFTARG = iso27001.iso_control, RIGHTARG = iso27001.iso_control,
	FUNCTION = iso27001.iso_control_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (iso27001.iso_control, iso27001.iso_control) IS
	'not equal';

CREATE OPERATOR @extschema@.< (
	LEFTARG = iso27001.iso_control, RIGHTARG = iso27001.iso_control,
	FUNCTION = iso27001.iso_control_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR @extschema@.< (iso27001.iso_control, iso27001.iso_control) IS
	'comes before, in natural catalogue order';

CREATE OPERATOR @extschema@.<= (
	LEFTARG = iso27001.iso_control, RIGHTARG = iso27001.iso_control,
	FUNCTION = iso27001.iso_control_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR @extschema@.<= (iso27001.iso_control, iso27001.iso_control) IS
	'comes before or equal, in natural catalogue order';

CREATE OPERATOR @extschema@.> (
	LEFTARG = iso27001.iso_control, RIGHTARG = iso27001.iso_control,
	FUNCTION = iso27001.iso_control_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR @extschema@.> (iso27001.iso_control, iso27001.iso_control) IS
	'comes after, in natural catalogue order';

CREATE OPERATOR @extschema@.>= (
	LEFTARG = iso27001.iso_control, RIGHTARG = iso27001.iso_control,
	FUNCTION = iso27001.iso_control_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.>= (iso27001.iso_control, iso27001.iso_control) IS
	'comes after or equal, in natural catalogue order';

CREATE OPERATOR CLASS iso27001.iso_control_ops
	DEFAULT FOR TYPE iso27001.iso_control USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 iso27001.iso_control_cmp(iso27001.iso_control, iso27001.iso_control),
		FUNCTION 2 iso27001.iso_control_sortsupport(internal),
		FUNCTION 4 pg_catalog.btequalimage(oid);
COMMENT ON OPERATOR CLASS iso27001.iso_control_ops USING btree IS
	'natural catalogue order of Annex A controls (deduplicating B-tree)';
COMMENT ON OPERATOR FAMILY iso27001.iso_control_ops USING btree IS
	'natural catalogue order of Annex A controls';

CREATE OPERATOR CLASS iso27001.iso_control_ops
	DEFAULT FOR TYPE iso27001.iso_control USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 iso27001.iso_control_hash(iso27001.iso_control),
		FUNCTION 2 iso27001.iso_control_hash_extended(iso27001.iso_control, bigint);
COMMENT ON OPERATOR CLASS iso27001.iso_control_ops USING hash IS
	'hashing of Annex A controls';
COMMENT ON OPERATOR FAMILY iso27001.iso_control_ops USING hash IS
	'hashing of Annex A controls';

CREATE FUNCTION iso27001.iso_control_smaller(iso27001.iso_control, iso27001.iso_control)
	RETURNS iso27001.iso_control
	AS 'int4smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_smaller(iso27001.iso_control, iso27001.iso_control) IS
	'the earlier of two controls in natural catalogue order';

CREATE FUNCTION iso27001.iso_control_larger(iso27001.iso_control, iso27001.iso_control)
	RETURNS iso27001.iso_control
	AS 'int4larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.iso_control_larger(iso27001.iso_control, iso27001.iso_control) IS
	'the later of two controls in natural catalogue order';

CREATE AGGREGATE @extschema@.min(iso27001.iso_control) (
	SFUNC = iso27001.iso_control_smaller,
	STYPE = iso27001.iso_control,
	COMBINEFUNC = iso27001.iso_control_smaller,
	SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(iso27001.iso_control) IS
	'earliest control in natural catalogue order';

CREATE AGGREGATE @extschema@.max(iso27001.iso_control) (
	SFUNC = iso27001.iso_control_larger,
	STYPE = iso27001.iso_control,
	COMBINEFUNC = iso27001.iso_control_larger,
	SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.max(iso27001.iso_control) IS
	'latest control in natural catalogue order';

CREATE CAST (text AS iso27001.iso_control) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS iso27001.iso_control) IS
	'read a control from text; invalid text raises SQLSTATE 22P02 (the cast to text is PostgreSQL''s own I/O cast)';

CREATE FUNCTION iso27001.edition(iso27001.iso_control)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'iso_control_edition'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.edition(iso27001.iso_control) IS
	'edition of the control: 2013 or 2022';

CREATE FUNCTION iso27001.sort_key(iso27001.iso_control)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'iso_control_sort_key'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION iso27001.sort_key(iso27001.iso_control) IS
	'natural-order integer of a control for tools that sort by a number: A.5.7 is 50700, A.12.6.1 is 120601';

CREATE FUNCTION iso27001.is_valid_control(text)
	RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.is_valid_control(text) IS
	'does the text read as an Annex A control? (no error; pg_input_is_valid before PostgreSQL 16)';
