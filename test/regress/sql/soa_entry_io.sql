--
-- soa_entry: input, output, constructor, accessors, order, soa_summary
--
SET search_path = iso27001, public;

-- Report what a string reads as: the canonical entry, or the SQLSTATE with
-- the error's detail.
CREATE FUNCTION pg_temp.outcome(input text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	RETURN input::iso27001.soa_entry::text;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || detail;
END $$;

-- accepted: case-insensitive, any blanks, reasons in any order
SELECT input, pg_temp.outcome(input)
  FROM (VALUES ('excluded'), ('EXCLUDED'), ('  Excluded  '),
			   ('applicable, implemented (risk treatment, contractual)'),
			   ('applicable, implemented (contractual, risk treatment)'),
			   ('Applicable,Planned(Legal)'),
			   (E'applicable ,\tpartially   implemented ( best practice , legal )'),
			   ('applicable, not implemented (regulatory)'),
			   ('applicable, implemented (risk treatment, legal, regulatory, contractual, business requirement, best practice)'),
			   ('APPLICABLE, NOT IMPLEMENTED (BUSINESS REQUIREMENT)')) AS t(input);

-- rejected, with a detail naming the accepted words
SELECT left(input, 45) AS input, pg_temp.outcome(input)
  FROM (VALUES (''), ('   '), ('applicable'), ('applicable,'), ('applicable, implemented'),
			   ('applicable implemented (legal)'), ('applicable, implemented ()'),
			   ('applicable, implemented (  )'), ('applicable, implemented (legal,)'),
			   ('applicable, implemented (,legal)'), ('applicable, implemented (legal'),
			   ('applicable, implemented (legal))'), ('applicable, implemented (legal) x'),
			   ('applicable, done (legal)'), ('applicable, implemented (law)'),
			   ('applicable, implemented (legal, Legal)'), ('applicable, excluded (legal)'),
			   ('excluded (legal)'), ('excluded, planned'), ('excluded x'),
			   ('included, implemented (legal)'), ('applicable, notimplemented (legal)'),
			   ('applicable, implemented (risk-treatment)'),
			   ('applicable, ' || repeat('implemented ', 100) || '(legal)')) AS t(input);

-- the error as a user sees it
SELECT 'applicable, implemented (law)'::soa_entry;
SELECT 'applicable, implemented ()'::soa_entry;

-- output round-trips exactly
SELECT e::text = e::text::soa_entry::text AS round_trip
  FROM unnest('{excluded,"applicable, planned (legal, best practice)"}'::soa_entry[]) AS e;

-- the binary form: state in the high byte, the reasons bit set in the low
SELECT soa_entry_send('excluded'),
	   soa_entry_send('applicable, implemented (risk treatment, contractual)'),
	   soa_entry_send('applicable, not implemented (best practice)'),
	   soa_entry_send('applicable, partially implemented (legal, regulatory)');

-- the constructor, for GRC code
SELECT make_soa_entry(applicable => true, implementation => 'Implemented',
					  reasons => '{legal, Risk Treatment}'),
	   make_soa_entry(false), make_soa_entry(applicable => false, reasons => '{}'),
	   make_soa_entry(NULL) IS NULL AS undecided;
SELECT make_soa_entry(false, 'planned');
SELECT make_soa_entry(true);
SELECT make_soa_entry(true, 'done', '{legal}');
SELECT make_soa_entry(true, 'planned');
SELECT make_soa_entry(true, 'planned', '{}');
SELECT make_soa_entry(true, 'planned', '{law}');
SELECT make_soa_entry(true, 'planned', '{legal, NULL}');
SELECT make_soa_entry(true, 'planned', '{legal, legal}');
SELECT make_soa_entry(NULL, 'planned');

-- accessors return plain types
SELECT e, is_applicable(e), implementation(e), is_implemented(e), reasons(e), oscal_status(e)
  FROM unnest('{excluded,
				"applicable, not implemented (legal)",
				"applicable, planned (risk treatment)",
				"applicable, partially implemented (contractual, regulatory)",
				"applicable, implemented (best practice, business requirement)"}'::soa_entry[]) AS e;

-- order: excluded first, then by implementation progress
SELECT e FROM unnest('{"applicable, implemented (legal)", excluded,
					   "applicable, planned (legal)",
					   "applicable, not implemented (risk treatment)",
					   "applicable, partially implemented (legal)"}'::soa_entry[]) AS e
 ORDER BY e;
SELECT 'excluded'::soa_entry < 'applicable, not implemented (legal)',
	   'applicable, planned (best practice)'::soa_entry < 'applicable, implemented (legal)',
	   'applicable, implemented (legal, contractual)'::soa_entry = 'applicable, implemented (contractual, legal)',
	   soa_entry_hash('applicable, implemented (legal, contractual)') = soa_entry_hash('applicable,implemented(contractual,legal)');

-- soa_summary counts entries; NULL is undecided
SELECT (soa_summary(e)).*
  FROM unnest('{excluded, excluded, NULL,
				"applicable, not implemented (legal)",
				"applicable, planned (legal)", "applicable, planned (legal)",
				"applicable, partially implemented (legal)",
				"applicable, implemented (legal)", "applicable, implemented (legal)",
				"applicable, implemented (legal)"}'::soa_entry[]) AS e;
SELECT (soa_summary(e)).* FROM unnest('{}'::soa_entry[]) AS e;

-- soa_summary in a parallel plan: partial aggregates combined
CREATE TABLE entries AS
SELECT CASE i % 5 WHEN 0 THEN 'excluded'
				  WHEN 1 THEN 'applicable, not implemented (legal)'
				  WHEN 2 THEN 'applicable, planned (legal)'
				  WHEN 3 THEN 'applicable, partially implemented (legal)'
				  ELSE 'applicable, implemented (legal)' END::soa_entry AS e
  FROM generate_series(1, 100000) AS i;
INSERT INTO entries VALUES (NULL), (NULL);
ANALYZE entries;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT soa_summary(e) FROM entries;
SELECT (soa_summary(e)).* FROM entries;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE entries;

-- a state that is not a summary is refused
SELECT soa_summary_combine('{1,2}', '{1,2}');
SELECT soa_summary_final('{1,2,3,4,5,6,NULL}');

-- what the validator finds wrong with one entry, as bits: 1 undecided,
-- 2 no justification, 4 (partially) implemented without evidence
SELECT soa_entry_problems(NULL, NULL, NULL) AS undecided,
	   soa_entry_problems('excluded', ' ', NULL) AS blank,
	   soa_entry_problems('applicable, implemented (legal)', E'\t', '{}') AS blank_no_evidence,
	   soa_entry_problems('applicable, partially implemented (legal)', 'Why.', '{https://e/1}') AS fine,
	   soa_entry_problems('applicable, planned (legal)', 'Why.', NULL) AS planned_needs_none;
