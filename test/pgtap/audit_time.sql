-- ISMS audit time: the worked values of docs/certification_cycle.md §8.8,
-- the bands of ISO/IEC 27006:2015 Table B.1, IAF MD 1 sample
-- sizes (EA FAQ 46.5) and the ISO/IEC 27006-1:2024 C.3.4 example (EA FAQ
-- 48.6).
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(17);

SELECT results_eq(
	$$SELECT t.table_days, t.adjusted_initial_days, t.surveillance_days, t.recertification_days
		FROM (VALUES (1, 0, 1), (10, 0, 2), (14, -10, 3), (21, 0, 4), (144, 0, 5),
					 (1000, 20, 6), (10700, -30, 7)) AS v(persons, adjustment, n),
			 isms_audit_time(v.persons, v.adjustment) t ORDER BY v.n$$,
	$$VALUES (5::numeric, 5::numeric, 1.5, 3.5), (5, 5, 1.5, 3.5), (6, 5.5, 2, 3.5), (7, 7, 2.5, 4.5),
			 (13, 13, 4.5, 8.5), (18.5, 22, 7.5, 14.5), (28, 19.5, 6.5, 13)$$,
	'docs/certification_cycle.md §8.8: the worked values, nearest half day');
SELECT results_eq(
	$$SELECT persons_min, table_days, needs_manual_determination FROM isms_audit_time(10701)$$,
	$$VALUES (10701, NULL::numeric, true)$$,
	'above 10,700 persons: no extrapolation, manual determination');
SELECT results_eq(
	$$SELECT persons_min, persons_max, table_days, stage1_days, stage2_days FROM isms_audit_time(450)$$,
	$$VALUES (426, 625, 16.5, 5.0, 11.5)$$,
	'450 persons: 16.5 days, stage 1 = 30 % of 16.5 = 4.95, rounded to 5');
SELECT is((SELECT adjusted_initial_days FROM isms_audit_time(10700, -40)), 19.5,
		  'an adjustment below the guard is limited to it (28 x 0.7 = 19.6, 19.5)');
SELECT ok((SELECT 'adjustment_percent -40 limited to the guard -30' = ANY (notes) FROM isms_audit_time(10700, -40)),
		  '... and the notes say so');
SELECT is((SELECT adjusted_initial_days FROM isms_audit_time(14, -10, rounding => 'ceil_half')), 5.5,
		  'ceil_half: 6 x 0.9 = 5.4 rounds up to 5.5');
SELECT is((SELECT surveillance_days FROM isms_audit_time(1000, rounding => 'ceil_half')), 6.5,
		  'ceil_half: 18.5 / 3 = 6.17 rounds up to 6.5');
SELECT results_eq(
	$$SELECT transition_extra_days FROM unnest(ARRAY['with_recertification', 'with_surveillance', 'separate']) t,
			 isms_audit_time(100, transition => t)$$,
	$$VALUES (0.5), (1.0), (1.0)$$,
	'IAF MD 26: +0.5 day with a recertification, +1.0 with a surveillance or separately');
-- the compiled bands are the reference table's: each band's first and last person
SELECT is_empty(
	$$SELECT b.persons_min, b.persons_max, b.initial_days, a.table_days, z.table_days
		FROM isms_audit_time_band b,
			 isms_audit_time(b.persons_min) a,
			 isms_audit_time(coalesce(b.persons_max, 2147483647)) z
	   WHERE a.persons_min IS DISTINCT FROM b.persons_min
		  OR z.persons_max IS DISTINCT FROM b.persons_max
		  OR a.table_days IS DISTINCT FROM b.initial_days
		  OR z.table_days IS DISTINCT FROM b.initial_days$$,
	'the function and isms_audit_time_band agree on every band');
SELECT is((SELECT count(*) FROM isms_audit_time_band), 23::bigint, 'Table B.1: 22 bands and the open row');

-- IAF MD 1 samples: EA FAQ 46.5 and docs/certification_cycle.md §7.7 and §8.8
SELECT results_eq(
	$$SELECT s.* FROM unnest(ARRAY[2, 10, 50, 100]) n, ms_site_sample(n) s$$,
	$$VALUES (2, 1, 2), (4, 2, 3), (8, 5, 6), (10, 6, 8)$$,
	'IAF MD 1: sqrt(n), 0.6 sqrt(n), 0.8 sqrt(n) rounded up (n = 100: exactly 10, 6, 8)');
SELECT is(isms_effective_persons(ARRAY[49, 49, 49]), 21, 'EA FAQ 48.6: three groups of 49 give 21, not 12');

SELECT throws_ok($$SELECT isms_audit_time(0)$$, '22023', 'persons must be at least 1, not 0', 'zero persons');
SELECT throws_ok($$SELECT isms_audit_time(NULL)$$, '22004', 'persons must not be null', 'NULL persons');
SELECT throws_ok($$SELECT isms_audit_time(10, rounding => 'up')$$, '22023', 'invalid value for rounding: "up"', 'an unknown rounding');
SELECT throws_ok($$SELECT isms_audit_time(10, adjustment_percent => 'NaN')$$, '22023',
				 'adjustment_percent must be between -100 and 100', 'a NaN adjustment');
SELECT throws_ok($$SELECT ms_site_sample(0)$$, '22023', 'sites must be at least 1, not 0', 'zero sites');

SELECT * FROM finish();
ROLLBACK;
