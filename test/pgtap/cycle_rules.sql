-- The certification cycle: the worked examples and edge cases of
-- docs/certification_cycle.md (§2 to §5 and §8) with the values given
-- there, and properties over every decision date of 2023 to 2028.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(78);

-- one event of a schedule: (due, window start, window end)
CREATE FUNCTION pg_temp.ev(d date, e text, k int DEFAULT 1, VARIADIC opts text[] DEFAULT '{}')
RETURNS text LANGUAGE sql AS $$
	SELECT format('%s %s %s', due_date, window_start, window_end)
	  FROM iso27001.certification_cycle(d, cycles => 3,
			calendar_safe => NOT ('unsafe' = ANY (opts)),
			expiry_rule => CASE WHEN 'same_day' = ANY (opts) THEN 'same_day' ELSE 'day_before' END) c
	 WHERE c.event = e AND c.cycle = k
$$;

-- section 6.2: the worked example, D = 2024-03-15, stage 2 ended 2024-02-24
SELECT results_eq(
	$$SELECT cycle, event, due_date, window_start, window_end
		FROM certification_cycle('2024-03-15', stage2_last_day => '2024-02-24', cycles => 2)
	   WHERE event IN ('stage2_major_nc_closure_deadline', 'certification_decision',
					   'certificate_expiry', 'surveillance_1', 'surveillance_2',
					   'recertification_audit', 'recertification_decision_deadline',
					   'restoration_deadline')
		 AND (cycle = 1 OR event IN ('certificate_expiry', 'surveillance_1'))$$,
	$$VALUES (1, 'stage2_major_nc_closure_deadline', '2024-08-24'::date, '2024-02-24'::date, '2024-08-24'::date),
			 (1, 'certification_decision', '2024-03-15', '2024-03-15', '2024-03-15'),
			 (1, 'certificate_expiry', '2027-03-14', NULL, NULL),
			 (1, 'surveillance_1', '2025-03-15', '2025-01-01', '2025-03-15'),
			 (1, 'surveillance_2', '2026-03-15', '2026-01-01', '2026-06-15'),
			 (1, 'recertification_audit', '2026-12-15', '2026-09-15', '2027-02-12'),
			 (1, 'recertification_decision_deadline', '2027-03-14', '2026-03-15', '2027-03-14'),
			 (1, 'restoration_deadline', '2027-09-14', '2027-03-15', '2027-09-14'),
			 (2, 'certificate_expiry', '2030-03-14', NULL, NULL),
			 (2, 'surveillance_1', '2028-03-15', '2028-01-01', '2028-06-15')$$,
	'docs/certification_cycle.md §8.1: the worked example, row by row');
SELECT is(pg_temp.ev('2024-03-15', 'surveillance_1', 1, 'unsafe'), '2025-03-15 2024-12-15 2025-03-15',
		  'docs/certification_cycle.md §3.6: without calendar_safe surveillance 1 opens 3 months before its deadline');

-- section 6.1: expiry with the day-before convention, (D - 1) + 36k months
SELECT is(pg_temp.ev('2024-02-29', 'certificate_expiry'), '2027-02-28  ', 'docs/certification_cycle.md §2.3: 2024-02-29 expires 2027-02-28, not 2027-02-27');
SELECT is(pg_temp.ev('2024-02-29', 'certificate_expiry', 2), '2030-02-28  ', 'docs/certification_cycle.md §2.3: cycle 2 of 2024-02-29 expires 2030-02-28');
SELECT is((SELECT due_date FROM certification_cycle('2024-02-29', cycles => 4)
			WHERE event = 'cycle_start' AND cycle = 4), '2033-02-28',
		  'docs/certification_cycle.md §2.2: the cycle anchors are computed from D directly');
SELECT is((SELECT due_date FROM certification_cycle('2024-02-29', cycles => 5)
			WHERE event = 'cycle_start' AND cycle = 5), '2036-02-29',
		  'docs/certification_cycle.md §2.2: the leap day comes back, D + 144 months = 2036-02-29');
SELECT is(pg_temp.ev('2024-03-01', 'certificate_expiry'), '2027-02-28  ', 'docs/certification_cycle.md §2.3: 2024-03-01 expires 2027-02-28');
SELECT is(pg_temp.ev('2025-03-01', 'certificate_expiry'), '2028-02-29  ',
		  '2025-03-01 expires 2028-02-29, the day before the anniversary ((D - 1) + 36 months alone gives 2028-02-28: docs/certification_cycle.md §2.3)');
SELECT is(pg_temp.ev('2024-01-31', 'certificate_expiry'), '2027-01-30  ', 'docs/certification_cycle.md §2.3: 2024-01-31 expires 2027-01-30');
SELECT is(pg_temp.ev('2023-08-31', 'certificate_expiry'), '2026-08-30  ', 'docs/certification_cycle.md §2.3: 2023-08-31 expires 2026-08-30');
SELECT is(pg_temp.ev('2024-02-29', 'certificate_expiry', 1, 'same_day'), '2027-02-28  ', 'docs/certification_cycle.md §2.3: same_day, 2024-02-29 expires 2027-02-28');
SELECT is(pg_temp.ev('2024-03-15', 'certificate_expiry', 1, 'same_day'), '2027-03-15  ', 'same_day: the third anniversary');

-- section 6.2, other anchors; 6.1 rules 3 and 4 (inclusive deadlines)
SELECT is(pg_temp.ev('2024-02-29', 'surveillance_1'), '2025-02-28 2025-01-01 2025-02-28', 'docs/certification_cycle.md §2.4: 12 months from 2024-02-29 is 2025-02-28');
SELECT is(split_part(pg_temp.ev('2023-08-31', 'surveillance_1'), ' ', 3), '2024-08-31', 'docs/certification_cycle.md §8.2: 2023-08-31, surveillance 1 by 2024-08-31');
SELECT is(split_part(pg_temp.ev('2023-08-31', 'restoration_deadline'), ' ', 1), '2027-02-28', 'docs/certification_cycle.md §2.4: restoration 6 months after 2026-08-30 ends 2027-02-28');
SELECT is(split_part(pg_temp.ev('2024-12-31', 'surveillance_1'), ' ', 3), '2025-12-31', 'docs/certification_cycle.md §8.2: 2024-12-31, surveillance 1 by 2025-12-31');
SELECT is(pg_temp.ev('2024-12-31', 'certificate_expiry'), '2027-12-30  ', 'docs/certification_cycle.md §8.2: 2024-12-31 expires 2027-12-30');
SELECT is(split_part(pg_temp.ev('2024-12-31', 'restoration_deadline'), ' ', 1), '2028-06-30', 'docs/certification_cycle.md §8.2: 2024-12-31, restoration by 2028-06-30');

-- section 6.2: the calendar-year trap of early-January decisions
SELECT is(pg_temp.ev('2024-01-05', 'surveillance_1'), '2025-01-05 2025-01-01 2025-01-05',
		  'docs/certification_cycle.md §3.6: D = 2024-01-05 narrows surveillance 1 to 2025-01-01 .. 2025-01-05');
SELECT matches((SELECT note FROM certification_cycle('2024-01-05') WHERE event = 'surveillance_1'),
			   '^narrow window \(5 days\).*surveillance 1 in 2024, surveillance 2 in 2025$',
			   'docs/certification_cycle.md §3.6: the narrow window says so and suggests the alternative plan');

-- section 6.2: recertification decisions anchor the next cycle's surveillance,
-- the expiry stays on D
SELECT results_eq(
	$$SELECT event, due_date FROM certification_cycle('2024-03-15', cycles => 2,
			recertification_decisions => ARRAY['2026-12-20']::date[])
	   WHERE cycle = 2 AND event IN ('cycle_start', 'certificate_expiry', 'surveillance_1', 'surveillance_2')$$,
	$$VALUES ('cycle_start', '2026-12-20'::date), ('certificate_expiry', '2030-03-14'),
			 ('surveillance_1', '2027-12-20'), ('surveillance_2', '2028-12-20')$$,
	'docs/certification_cycle.md §3.8: an early recertification decision anchors cycle 2''s surveillance, not its expiry');
-- docs/certification_cycle.md §2.1: month ends clamp, never chained
SELECT is(pg_temp.ev('2023-08-31', 'surveillance_2', 1, 'unsafe'), '2025-08-31 2025-05-31 2025-11-30',
		  'docs/certification_cycle.md §2.1: 2023-08-31 + 24 months + 3 months clamps to 2025-11-30');
SELECT matches((SELECT note FROM certification_cycle('2024-03-15') WHERE event = 'recertification_audit'),
			   'if carried out before 2027-01-01, calendar year 2027 needs a surveillance',
			   'docs/certification_cycle.md §3.7: the recertification window straddles the new year and the note says what follows');
-- IAF ID 3: the extension moves that cycle's expiry only
SELECT results_eq(
	$$SELECT cycle, due_date FROM certification_cycle('2024-03-15', cycles => 2,
			extension_days => 90) WHERE event = 'certificate_expiry'$$,
	$$VALUES (1, '2027-06-12'::date), (2, '2030-03-14')$$,
	'docs/certification_cycle.md §3.12: an extension moves the extended cycle''s expiry, later cycles keep theirs');
-- IAF MD 26: a 2013 certificate
SELECT results_eq(
	$$SELECT event, due_date FROM certification_cycle('2023-06-01', edition => 2013, cycles => 3)
	   WHERE event IN ('certificate_expiry', 'last_2013_audit', 'transition_deadline', 'cycle_start')$$,
	$$VALUES ('certificate_expiry', '2025-10-31'::date), ('last_2013_audit', '2024-04-30'),
			 ('transition_deadline', '2025-10-31')$$,
	'docs/certification_cycle.md §3.14: a 2013 certificate is capped at 2025-10-31 and has no second cycle');

-- section 6.4: the checker's prototype results
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-01-05',
		ARRAY[('surveillance', '2024-12-10'), ('surveillance', '2026-01-20'),
			  ('recertification_audit', '2026-11-10')]::certification_event[])$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2025-12-31'::date)$$,
	'docs/certification_cycle.md §8.6: the calendar-year trap, no surveillance in 2025');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-20'), ('recertification_decision', '2027-03-20')]::certification_event[])
	   WHERE rule <> 'SURVEILLANCE_EVERY_CALENDAR_YEAR'$$,
	$$VALUES ('SA1_WITHIN_12_MONTHS', '2025-03-20'::date), ('RECERT_BEFORE_EXPIRY', '2027-03-20')$$,
	'docs/certification_cycle.md §8.6: surveillance 1 late and the recertification decision after expiry');
SELECT matches((SELECT detail FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-20'), ('recertification_decision', '2027-03-20')]::certification_event[])
		WHERE rule = 'RECERT_BEFORE_EXPIRY'), 'restoration was possible until 2027-09-14',
	'docs/certification_cycle.md §8.6: the finding names the restoration deadline');
SELECT is_empty(
	$$SELECT * FROM certification_cycle_check('2024-03-15',
		ARRAY[('stage1', '2024-01-10'), ('stage2', '2024-02-24'), ('surveillance', '2025-03-01'),
			  ('surveillance', '2026-03-01'), ('recertification_audit', '2026-12-01'),
			  ('recertification_decision', '2027-01-15')]::certification_event[])$$,
	'docs/certification_cycle.md §8.6: a compliant history returns no rows');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('surveillance', '2026-03-01'),
			  ('recertification_audit', '2026-11-10'), ('recertification_decision', '2026-12-20'),
			  ('surveillance', '2028-01-10')]::certification_event[])$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2027-12-31'::date)$$,
	'docs/certification_cycle.md §3.8: recertified early in 2026, the expiry year 2027 still needs a surveillance');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('special_audit', '2026-05-01'),
			  ('recertification_audit', '2027-01-10')]::certification_event[])$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2026-12-31'::date)$$,
	'docs/certification_cycle.md §3.10: a special (short-notice) audit is not a surveillance');
SELECT results_eq(
	$$SELECT rule FROM certification_cycle_check('2024-03-15',
		ARRAY[('stage2', '2024-03-20'), ('stage1', '2024-03-21')]::certification_event[])$$,
	$$VALUES ('STAGE_ORDER'), ('STAGE_ORDER'), ('STAGE_ORDER')$$,
	'stage order: both stages after the decision, stage 1 after stage 2');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-03-15',
		ARRAY[('stage2', '2023-09-01'), ('stage2_major_nonconformity', '2023-09-01')]::certification_event[])$$,
	$$VALUES ('STAGE2_MAJOR_NC_6_MONTHS', '2024-03-15'::date)$$,
	'a decision more than 6 months after a stage 2 with major nonconformities');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('surveillance', '2026-03-01'),
			  ('recertification_audit', '2026-12-01')]::certification_event[], as_of => '2027-12-01')$$,
	$$VALUES ('RECERT_BEFORE_EXPIRY', '2027-03-14'::date), ('RESTORATION_WITHIN_6_MONTHS', '2027-09-14')$$,
	'no decision by expiry, none by the restoration deadline either');
SELECT results_eq(
	$$SELECT rule, severity FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('suspension_start', '2025-05-01'),
			  ('suspension_end', '2025-11-02')]::certification_event[])$$,
	$$VALUES ('SUSPENSION_LONG', 'warning')$$,
	'a suspension of more than 6 months is a warning');
SELECT is_empty(
	$$SELECT * FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('suspension_start', '2025-05-01'),
			  ('suspension_end', '2025-11-01')]::certification_event[])$$,
	'a suspension of exactly 6 months is not');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2023-06-01',
		ARRAY[('stage2', '2024-05-02'), ('surveillance', '2024-05-20')]::certification_event[],
		as_of => '2025-11-15', edition => 2013) WHERE rule = 'MD26_2013_CUTOFFS'$$,
	$$VALUES ('MD26_2013_CUTOFFS', '2024-05-02'::date), ('MD26_2013_CUTOFFS', '2025-10-31')$$,
	'IAF MD 26: a 2013 audit after 2024-04-30, and validity past 2025-10-31 without transition');

-- the history read from a query
CREATE TEMP TABLE audit (certificate int, kind varchar(40), held_on timestamp);
INSERT INTO audit VALUES (1, 'surveillance', '2024-12-10 09:00'), (1, 'surveillance', '2026-01-20 09:00'),
	(1, 'recertification_audit', '2026-11-10 09:00'), (2, 'surveillance', '2025-01-03');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check_query('2024-01-05',
		events_query => 'SELECT kind, held_on FROM audit WHERE certificate = 1;')$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2025-12-31'::date)$$,
	'events_query: the same finding from a table, its columns cast to (text, date)');
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check('2024-01-05',
		ARRAY(SELECT ROW(kind, held_on)::certification_event FROM audit WHERE certificate = 1))$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2025-12-31'::date)$$,
	'... and from an ARRAY(subquery) argument');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query => 'SELECT ''audit'', current_date')$$,
				 '22023', 'invalid event kind in events_query row[1]: "audit"', 'events_query: an unknown kind');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query => 'SELECT 1')$$,
				 '42804', 'events_query must return (kind, on_date): a string and a date', 'events_query: one column only');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'SELECT ''surveillance'', current_date; DELETE FROM audit')$$,
				 '22023', 'events_query must be one query that returns rows', 'events_query: two statements');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'DELETE FROM audit RETURNING kind, held_on')$$,
				 '25006', 'events_query must be read-only', 'events_query: a DELETE ... RETURNING is refused');
SELECT is((SELECT count(*) FROM audit), 4::bigint, '... and the table is intact');

-- what is due next
SELECT results_eq(
	$$SELECT event, due_date, window_start, window_end, days_left FROM certification_next_due('2024-01-05',
		ARRAY[('surveillance', '2024-12-10')]::certification_event[], as_of => '2025-02-01') LIMIT 1$$,
	$$VALUES ('surveillance_2', '2025-12-31'::date, '2025-01-01'::date, '2025-12-31'::date, 333)$$,
	'next due: surveillance 1 done in the decision year pulls surveillance 2 into 2025, any day of it');
SELECT results_eq(
	$$SELECT event, due_date, days_left FROM certification_next_due('2024-03-15',
		'{}', as_of => '2025-03-01')$$,
	$$VALUES ('surveillance_1', '2025-03-15'::date, 14),
			 ('recertification_decision_deadline', '2027-03-14', 743),
			 ('certificate_expiry', '2027-03-14', 743)$$,
	'next due: surveillance 1 within 14 days, then the hard deadlines');
SELECT results_eq(
	$$SELECT event, due_date, window_start, window_end, days_left FROM certification_next_due('2025-03-14',
		ARRAY[('surveillance', '2026-03-30')]::certification_event[], as_of => '2026-11-28') LIMIT 1$$,
	$$VALUES ('surveillance_2', '2027-03-14'::date, '2027-01-01'::date, '2027-06-14'::date, 198)$$,
	'next due: surveillance 2 planned inside its calendar year, as the schedule plans it');

-- properties over every decision date of 2023 to 2028
CREATE TEMP TABLE plan AS
SELECT d::date AS d, c.*
  FROM generate_series('2023-01-01'::date, '2028-12-31', '1 day') AS d,
	   certification_cycle(d::date, cycles => 2) AS c;
CREATE INDEX ON plan (d, cycle, event);
ANALYZE plan;
SELECT is((SELECT count(DISTINCT d) FROM plan), 2192::bigint, 'properties: 2,192 decision dates');
SELECT is_empty(
	$$SELECT d, due_date FROM plan WHERE event = 'certificate_expiry' AND cycle = 1
		AND NOT due_date BETWEEN (d + interval '3 years')::date - 1 AND (d + interval '3 years')::date$$,
	'property: the expiry is 3 years less at most one day after the decision');
SELECT is_empty(
	$$SELECT d, window_end FROM plan WHERE event = 'surveillance_1' AND cycle = 1
		AND window_end > (d + interval '12 months')::date$$,
	'property: the surveillance 1 deadline is at most decision + 12 months');
SELECT is_empty(
	$$SELECT d, event, cycle FROM plan p
	   WHERE window_start > window_end
		  OR (event LIKE 'surveillance%' AND (extract(year FROM window_start) <> extract(year FROM due_date)
											  OR extract(year FROM window_end) <> extract(year FROM due_date)))
		  OR (event LIKE 'surveillance%' OR event = 'recertification_audit')
			 AND NOT window_end < (SELECT e.due_date FROM plan e WHERE e.d = p.d AND e.cycle = p.cycle
																  AND e.event = 'certificate_expiry')
		  OR event = 'surveillance_1' AND cycle = 1 AND window_start <= d
		  OR event = 'surveillance_2' AND window_start <= (SELECT e.window_end FROM plan e WHERE e.d = p.d
			 AND e.cycle = p.cycle AND e.event = 'surveillance_1')
		  OR event = 'recertification_audit' AND window_start <= (SELECT e.window_end FROM plan e
			 WHERE e.d = p.d AND e.cycle = p.cycle AND e.event = 'surveillance_2')$$,
	'property: every window is ordered, inside one calendar year for surveillance, after the previous audit''s and before expiry');

-- a history that follows the plan: audits on their due dates, the
-- recertification decision 30 days after its audit
CREATE TEMP TABLE history AS
SELECT d, array_agg(ROW(CASE WHEN event LIKE 'surveillance%' THEN 'surveillance' ELSE event END,
						due_date)::certification_event ORDER BY due_date) AS events
  FROM (SELECT d, event, due_date FROM plan
		 WHERE cycle = 1 AND event IN ('surveillance_1', 'surveillance_2', 'recertification_audit')
		UNION ALL
		SELECT d, 'recertification_decision', due_date + 30 FROM plan
		 WHERE cycle = 1 AND event = 'recertification_audit') h
 GROUP BY d;
SELECT is_empty(
	$$SELECT h.d, c.* FROM history h, certification_cycle_check(h.d, h.events) c$$,
	'property: a history that follows the plan makes the checker return no rows');
-- surveillance 1 moved to 10 January of the following year: exactly that
-- year is missed (and surveillance 1 is late)
SELECT is_empty(
	$$SELECT h.d, array_agg(c.on_date) FROM history h
		CROSS JOIN LATERAL (SELECT array_agg(CASE WHEN e.kind = 'surveillance' AND e.on_date = h.events[1].on_date
											 THEN ROW(e.kind, make_date(extract(year FROM e.on_date)::int + 1, 1, 10))::certification_event
											 ELSE e END) AS moved
							  FROM unnest(h.events) e) m
		LEFT JOIN LATERAL certification_cycle_check(h.d, m.moved) c ON c.rule = 'SURVEILLANCE_EVERY_CALENDAR_YEAR'
	   GROUP BY h.d, h.events
	  HAVING array_agg(c.on_date) IS DISTINCT FROM
			 ARRAY[make_date(extract(year FROM h.events[1].on_date)::int, 12, 31)]$$,
	'property: moving surveillance 1 into the next calendar year reports exactly the missed year');
SELECT is_empty(
	$$SELECT h.d FROM history h
	   WHERE NOT EXISTS (SELECT FROM certification_cycle_check(h.d,
							ARRAY[ROW('surveillance', make_date(extract(year FROM h.events[1].on_date)::int + 1, 1, 10))::certification_event]
							|| h.events[2:]) c
						  WHERE c.rule = 'SA1_WITHIN_12_MONTHS')$$,
	'property: ... and it is reported late');
-- surveillance 2 moved likewise: the missed year is reported unless the
-- recertification audit falls in it (recertification years are exempt)
SELECT is_empty(
	$$SELECT h.d FROM history h
		CROSS JOIN LATERAL (SELECT array_agg(c.on_date) AS found
							  FROM certification_cycle_check(h.d,
									ARRAY[h.events[1], ROW('surveillance', make_date(extract(year FROM h.events[2].on_date)::int + 1, 1, 10))::certification_event]
									|| h.events[3:]) c) f
	   WHERE f.found IS DISTINCT FROM
			 CASE WHEN extract(year FROM h.events[2].on_date) = extract(year FROM h.events[3].on_date)
				  THEN NULL
				  ELSE ARRAY[make_date(extract(year FROM h.events[2].on_date)::int, 12, 31)] END$$,
	'property: moving surveillance 2 reports exactly the missed year, none in a recertification year');

-- review findings: a 2013 certificate's plan, transitions, next due
SELECT is_empty(
	$$SELECT d, c.event FROM generate_series('2021-01-01'::date, '2025-10-31', '1 day') AS d,
			 certification_cycle(d::date, edition => 2013, cycles => 3) c
	   WHERE c.window_start > c.window_end OR c.due_date < c.window_start OR c.due_date > c.window_end$$,
	'property: every window of a 2013 certificate is ordered and holds its due date');
SELECT results_eq(
	$$SELECT event, due_date, note FROM certification_cycle('2024-01-01', edition => 2013)
	   WHERE event IN ('certificate_expiry', 'recertification_audit')$$,
	$$VALUES ('certificate_expiry', '2025-10-31'::date,
			  'capped by IAF MD 26: no ISO/IEC 27001:2013 certificate is valid after 2025-10-31; after a transition audit, the ISO/IEC 27001:2022 certificate expires on 2026-12-31'),
			 ('recertification_audit', '2026-10-01',
			  'third year, before expiry: to ISO/IEC 27001:2022, as no ISO/IEC 27001:2013 recertification audit is allowed after 2024-04-30 (IAF MD 26)')$$,
	'a 2013 certificate: expiry capped, later audits to ISO/IEC 27001:2022');
SELECT is_empty(
	$$SELECT * FROM certification_cycle_check('2022-03-01',
		ARRAY[('surveillance', '2023-02-01'), ('transition_audit', '2023-02-01'), ('surveillance', '2024-02-01'),
			  ('recertification_audit', '2024-12-01'), ('recertification_decision', '2025-01-15')]::certification_event[],
		edition => 2013)$$,
	'IAF MD 26: after a transition audit, a recertification audit is to 2022 and no finding');
SELECT results_eq(
	$$SELECT rule FROM certification_cycle_check('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('recertification_decision', '2027-05-01')]::certification_event[],
		as_of => '2026-06-01')$$,
	$$SELECT NULL::text WHERE false$$,
	'the checker does not look past as_of');
SELECT results_eq(
	$$SELECT event, window_start, window_end FROM certification_next_due('2024-03-15',
		ARRAY[('surveillance', '2025-03-01'), ('surveillance', '2026-03-01'), ('recertification_audit', '2026-10-01')]::certification_event[],
		as_of => '2026-10-02') LIMIT 1$$,
	$$VALUES ('surveillance_1', '2027-01-01'::date, '2027-12-31'::date)$$,
	'next due after an early recertification audit: an audit in 2027, the expiry year');
SELECT results_eq(
	$$SELECT event, window_start, window_end FROM certification_next_due('2024-09-01',
		ARRAY[('surveillance', '2024-12-01'), ('surveillance', '2025-01-10')]::certification_event[],
		as_of => '2025-01-11') LIMIT 1$$,
	$$VALUES ('surveillance', '2026-01-01'::date, '2026-12-31'::date)$$,
	'next due when both surveillances came early: an extra one in 2026, before the recertification window');
SELECT results_eq(
	$$SELECT event, days_left FROM certification_next_due('2020-03-15', '{}', as_of => '2026-11-28')$$,
	$$VALUES ('new_initial_certification', NULL::integer)$$,
	'next due past the restoration deadline: a new initial certification');
SELECT results_eq(
	$$SELECT event FROM certification_next_due('2023-06-01', ARRAY[('surveillance', '2024-05-20')]::certification_event[],
		as_of => '2025-12-01', edition => 2013)$$,
	$$VALUES ('new_initial_certification')$$,
	'next due for a 2013 certificate after 2025-10-31 without transition: a new initial certification');
SELECT results_eq(
	$$SELECT event, due_date FROM certification_cycle('2024-06-15', stage2_last_day => '2024-01-10',
		first_surveillance_anchor => 'stage2_end') WHERE event LIKE 'surveillance%'$$,
	$$VALUES ('surveillance_1', '2025-01-10'::date), ('surveillance_2', '2026-06-15')$$,
	'docs/certification_cycle.md §3.5: the stage 2 anchor moves surveillance 1 only');
SELECT is_empty(
	$$SELECT o, d, c.event FROM (VALUES (0, 0, 25, 1, 0), (6, 5, 35, 11, 300), (3, 3, 33, 6, 30),
									   (11, 0, 30, 11, 307), (0, 11, 26, 2, 55)) AS o(b, a, m, l, bf),
			 generate_series('2023-01-01'::date, '2026-12-31', '7 days') AS d,
			 certification_cycle(d::date, cycles => 2, surveillance_months_before => o.b,
				surveillance_months_after => o.a, recertification_month => o.m,
				recertification_lead_months => o.l, recertification_buffer_days => least(o.bf, 180),
				calendar_safe => o.b % 2 = 0) c
	   WHERE c.window_start > c.window_end OR c.due_date < c.window_start OR c.due_date > c.window_end$$,
	'property: over extreme practice values, every window is ordered and holds its due date');

-- bad input: SQLSTATE and message naming the argument
SELECT throws_ok($$SELECT * FROM certification_cycle(NULL)$$, '22004',
				 'certification_decision must not be null', 'a NULL decision');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', stage2_last_day => '2024-03-16')$$, '22023',
				 'stage2_last_day (2024-03-16) must not be later than certification_decision (2024-03-15)',
				 'stage 2 after the decision');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', cycles => 0)$$, '22023',
				 'cycles must be between 1 and 100, not 0', 'zero cycles');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', expiry_rule => 'anniversary')$$, '22023',
				 'invalid value for expiry_rule: "anniversary"', 'an unknown option value');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', extension_days => 200)$$, '22023',
				 'extension_days must not exceed 6 months', 'an extension longer than 6 months');
SELECT throws_ok($$SELECT * FROM certification_cycle('infinity')$$, '22008',
				 'certification_decision must be a finite date', 'an infinite decision date');
SELECT throws_ok($$SELECT * FROM certification_cycle_check('2024-03-15', ARRAY[('audit', '2025-01-01')]::certification_event[])$$,
				 '22023', 'invalid event kind in events[1]: "audit"', 'an unknown event kind');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', cycles => 2, recertification_decisions => '{2031-01-01}')$$,
				 '22023', 'recertification_decisions[1] (2031-01-01) is after the restoration deadline of cycle 1 (2027-09-14)',
				 'a recertification decision after the restoration deadline');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-06-15', stage2_last_day => '2023-05-01', first_surveillance_anchor => 'stage2_end')$$,
				 '22023', 'with first_surveillance_anchor "stage2_end", surveillance 1 would be due on 2024-05-01, not after the certification decision (2024-06-15)',
				 'a stage 2 anchor that puts surveillance 1 before the decision');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', surveillance_months_before => 6, surveillance_months_after => 6)$$,
				 '22023', 'surveillance_months_before + surveillance_months_after must be at most 11',
				 'surveillance windows that would overlap');
SELECT throws_ok($$SELECT * FROM certification_cycle('2024-03-15', recertification_lead_months => 1, recertification_buffer_days => 28)$$,
				 '22023', 'recertification_buffer_days (28) must be shorter than recertification_lead_months (1)',
				 'an empty recertification window');
SELECT throws_ok($$SELECT isms_effective_persons(array_fill(2147483647, ARRAY[46342]))$$, '22003', NULL,
				 'isms_effective_persons overflowing an integer');
-- last: the event type altered under the functions (rolled back with the test)
ALTER TYPE certification_event ADD ATTRIBUTE note text;
SELECT throws_ok($$SELECT * FROM certification_cycle_check('2024-03-15', ARRAY[('surveillance', '2025-01-01', 'x')]::certification_event[])$$,
				 '42804', 'type certification_event is not (kind text, on_date date)', 'an altered event type is refused, not read');

SELECT * FROM finish();
ROLLBACK;
