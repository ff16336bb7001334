-- The iso_control type: every input form, every rejection with its SQLSTATE,
-- round trips, order and hashing of all 207 controls.
\ir ../include/preamble.sql
SET LOCAL search_path = iso27001, public;

-- the detail of the error a string raises as an iso_control, or NULL
CREATE FUNCTION pg_temp.detail_of(input text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	PERFORM input::iso27001.iso_control;
	RETURN NULL;
EXCEPTION WHEN invalid_text_representation THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN detail;
END $$;

CREATE TEMP TABLE all_controls AS
SELECT control FROM annex_a_2022 UNION ALL SELECT control FROM annex_a_2013;

SELECT plan(72);

SELECT has_type('iso27001', 'iso_control', 'type iso_control exists');

-- accepted forms
SELECT is(input::iso_control::text, expected, format('%L reads as %s', input, expected))
  FROM (VALUES ('5.7', 'A.5.7'), ('A.5.7', 'A.5.7'), ('a.5.7', 'A.5.7'),
			   (' A.5.7 ', 'A.5.7'), ('5.07', 'A.5.7'), ('05.07', 'A.5.7'),
			   ('A.7.2.2', 'A.7.2.2'), ('7.2.2', 'A.7.2.2'),
			   ('a.7.2.2', 'A.7.2.2'), (' 7.2.2	', 'A.7.2.2'),
			   ('05.1.1', 'A.5.1.1')) AS t(input, expected);

-- the edition follows the number of parts
SELECT is(edition('5.7'), 2022, 'two numbers: ISO/IEC 27001:2022');
SELECT is(edition('7.2.2'), 2013, 'three numbers: ISO/IEC 27001:2013');

-- rejected: not a control of its edition, SQLSTATE 22P02 and the message
SELECT throws_ok(format('SELECT %L::iso27001.iso_control', input), '22P02',
				 format('invalid input syntax for type iso_control: "%s"', input),
				 format('%L is rejected', input))
  FROM unnest(ARRAY['5.38', 'A.9.5.1', 'A.19.1.1', '4.1', '0.1', '6.9', '7.15',
					'8.35', '5.0', 'A.7.3.2', 'A.10.2.1']) AS input;

-- rejected: malformed
SELECT throws_ok(format('SELECT %L::iso27001.iso_control', input), '22P02',
				 format('invalid input syntax for type iso_control: "%s"', input),
				 format('%L is rejected', input))
  FROM unnest(ARRAY['', ' ', 'A.', '5..7', '5.7.', '.5.7', '5', '5.7.1.1',
					'A5.7', 'A 5.7', '5. 7', 'B.5.7', '5,7', '-5.7', '5.7a',
					'５.7', '5.007', 'A.7.2.002', 'Annex A.5.7']) AS input;
SELECT throws_ok(format('SELECT %L::iso27001.iso_control', repeat('5.', 5000) || '7'),
				 '22P02', NULL, 'overlong input is rejected');

-- each rejection says why
SELECT is(pg_temp.detail_of(input), detail, format('%L: %s', input, detail))
  FROM (VALUES
	('5.38', 'Theme 5 of ISO/IEC 27001:2022 Annex A has 37 controls.'),
	('6.9', 'Theme 6 of ISO/IEC 27001:2022 Annex A has 8 controls.'),
	('7.15', 'Theme 7 of ISO/IEC 27001:2022 Annex A has 14 controls.'),
	('8.35', 'Theme 8 of ISO/IEC 27001:2022 Annex A has 34 controls.'),
	('4.1', 'ISO/IEC 27001:2022 Annex A has themes 5 to 8.'),
	('A.19.1.1', 'ISO/IEC 27001:2013 Annex A has clauses A.5 to A.18.'),
	('A.9.5.1', 'Clause A.9 of ISO/IEC 27001:2013 Annex A has 4 control objectives.'),
	('A.9.4.6', 'Control objective A.9.4 of ISO/IEC 27001:2013 Annex A has 5 controls.'),
	('5.007', 'Each number of an Annex A control has one or two digits.'),
	('5..7', 'An Annex A control is two numbers (ISO/IEC 27001:2022, as in "A.5.7") or three (ISO/IEC 27001:2013, as in "A.7.2.2") separated by periods, optionally after "A.".')
  ) AS t(input, detail);

-- the shape compiled into C accepts exactly the catalogue: every string
-- "a.b" and "a.b.c" on a grid is valid if and only if it is a control
SELECT set_eq(
	$$SELECT a || '.' || b FROM generate_series(0, 99) a, generate_series(0, 99) b
	   WHERE is_valid_control(a || '.' || b)$$,
	$$SELECT substr(control::text, 3) FROM annex_a_2022$$,
	'the valid two-number controls are the 93 of annex_a_2022');
SELECT set_eq(
	$$SELECT a || '.' || b || '.' || c
		FROM generate_series(0, 25) a, generate_series(0, 12) b, generate_series(0, 15) c
	   WHERE is_valid_control(a || '.' || b || '.' || c)$$,
	$$SELECT substr(control::text, 3) FROM annex_a_2013$$,
	'the valid three-number controls are the 114 of annex_a_2013');

-- all 207 controls: round trip through text, canonical output
SELECT is(count(*), 207::bigint, '207 controls in both editions') FROM all_controls;
SELECT is_empty(
	$$SELECT control FROM all_controls
	   WHERE control::text::iso_control <> control
		  OR (substr(control::text, 3))::iso_control <> control
		  OR lower(control::text)::iso_control <> control$$,
	'every control reads back from its text, with or without "A.", in any case');
SELECT is_empty(
	$$SELECT control FROM all_controls
	   WHERE control::text !~ '^A\.(1?[0-9])\.[1-9][0-9]?(\.[1-9][0-9]?)?$'$$,
	'every control writes as A.n.n or A.n.n.n, without leading zeros');

-- natural order, checked against an independent sort key
SELECT results_eq(
	$$SELECT control FROM all_controls ORDER BY control$$,
	$$SELECT control FROM all_controls
	   ORDER BY edition(control),
				string_to_array(substr(control::text, 3), '.')::int[]$$,
	'ORDER BY sorts all 207 controls in natural order, 2013 first');
SELECT ok('A.5.9'::iso_control < 'A.5.10' AND 'A.5.10'::iso_control < 'A.6.1',
		  'A.5.9 < A.5.10 < A.6.1');
SELECT ok('A.9.4.5'::iso_control < 'A.10.1.1' AND 'A.12.1.4'::iso_control < 'A.12.2.1',
		  'A.9.4.5 < A.10.1.1 and A.12.1.4 < A.12.2.1');
SELECT is_empty(
	$$SELECT 1 FROM all_controls a, all_controls b
	   WHERE (a.control < b.control) <> (iso_control_cmp(a.control, b.control) < 0)
		  OR (a.control = b.control) <> (iso_control_cmp(a.control, b.control) = 0)
		  OR (a.control = b.control) <> (a.control::text = b.control::text)
		  OR (a.control <= b.control) <> NOT (a.control > b.control)
		  OR (a.control >= b.control) <> NOT (a.control < b.control)
		  OR (a.control <> b.control) <> NOT (a.control = b.control)$$,
	'operators and comparison function agree on all 207 x 207 pairs');

-- hashing spreads and agrees with equality
SELECT is(count(DISTINCT iso_control_hash(control)), 207::bigint,
		  'distinct controls have distinct hashes') FROM all_controls;
SELECT is(count(DISTINCT iso_control_hash_extended(control, 12345)), 207::bigint,
		  'distinct controls have distinct extended hashes') FROM all_controls;
SELECT is_empty(
	$$SELECT control FROM all_controls
	   WHERE iso_control_hash(control) <> iso_control_hash(lower(control::text)::iso_control)
		  OR iso_control_hash_extended(control, 0) & 4294967295
			 <> iso_control_hash(control)::bigint & 4294967295$$,
	'equal controls hash alike; the extended hash with seed 0 extends the hash');

-- min and max follow the same order
SELECT is(max(control), 'A.8.34'::iso_control, 'max of all is A.8.34') FROM all_controls;
SELECT is(min(control), 'A.5.1.1'::iso_control, 'min of all is A.5.1.1') FROM all_controls;

-- PostgreSQL 16 and later: soft input errors (the statements are parsed
-- only when run, so they are skipped on 15 where the functions do not exist)
SELECT CASE WHEN current_setting('server_version_num')::int < 160000
	THEN skip('pg_input_is_valid and pg_input_error_info need PostgreSQL 16', 3)
	ELSE collect_tap(
		results_eq($$SELECT pg_input_is_valid('A.5.7', 'iso27001.iso_control')$$,
				   $$VALUES (true)$$, 'pg_input_is_valid: A.5.7 is valid'),
		results_eq($$SELECT pg_input_is_valid('A.5.38', 'iso27001.iso_control')$$,
				   $$VALUES (false)$$, 'pg_input_is_valid: A.5.38 is not valid'),
		results_eq($$SELECT message, detail, sql_error_code
					   FROM pg_input_error_info('A.5.38', 'iso27001.iso_control')$$,
				   $$VALUES ('invalid input syntax for type iso_control: "A.5.38"',
							 'Theme 5 of ISO/IEC 27001:2022 Annex A has 37 controls.',
							 '22P02')$$,
				   'pg_input_error_info: message, detail and SQLSTATE of A.5.38'))
	END;

SELECT * FROM finish();
ROLLBACK;
