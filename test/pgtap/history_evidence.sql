-- The SoA history stores a change that appends evidence links as the links
-- appended (issue 15 item 6 b): 2,000 additions store O(n) links, not the
-- n^2 / 2 of a full copy each time, and every version of the list reads
-- back exactly, through soa_history_evidence and soa_as_of.
\ir ../include/preamble.sql

SELECT plan(9);

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.soa_set('acme', 'A.5.1', 'applicable, implemented (risk treatment)', 'Policy set.',
							 evidence => '{https://x/seed}');
	FOR i IN 1..2000 LOOP
		PERFORM iso27001.soa_add_evidence('acme', 'A.5.1', 'https://x/' || i);
	END LOOP;
END $$;
CREATE TEMP TABLE h AS
SELECT h.*, row_number() OVER (ORDER BY h.changed_at) - 2 AS added_so_far
  FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
 WHERE s.name = 'acme' AND h.control_key = 'A.5.1';

-- rows: the control's creation (no links), the decision with the seed, 2,000 additions
SELECT is((SELECT count(*) FROM h), 2002::bigint, 'one history row per change: 2,002');
-- a full copy each time would store 1 + 2 + ... + 2001 = 2,003,001 links
SELECT cmp_ok((SELECT sum(coalesce(cardinality(evidence), 0) + coalesce(cardinality(evidence_added), 0))::numeric FROM h),
			  '<=', 3 * 2001::numeric, 'the history stores at most 3 links per link: O(n), not n^2 / 2');
SELECT ok((SELECT count(*) FILTER (WHERE evidence IS NOT NULL) BETWEEN 2 AND 30 FROM h),
		  'a few whole lists (checkpoints, as the list doubles), the other rows only the link they add');
SELECT is_empty($$SELECT * FROM h WHERE added_so_far >= 1 AND evidence IS NULL AND evidence_added <> ARRAY['https://x/' || added_so_far]$$,
				'a row that stores only its change stores exactly the link that call added');
-- every version of the list, as the register had it: the seed and links 1..k
SELECT is_empty(
	$$SELECT added_so_far FROM h
	   WHERE added_so_far >= 0
		 AND iso27001.soa_history_evidence(scope_id, control_key, changed_at)
			 IS DISTINCT FROM ARRAY['https://x/seed'] || ARRAY(SELECT 'https://x/' || g FROM generate_series(1, added_so_far::integer) g)$$,
	'soa_history_evidence reads back each of the 2,001 lists exactly');
SELECT is((SELECT evidence FROM iso27001.soa_as_of('acme', (SELECT changed_at FROM h WHERE added_so_far = 1234)) WHERE control_key = 'A.5.1'),
		  ARRAY['https://x/seed'] || ARRAY(SELECT 'https://x/' || g FROM generate_series(1, 1234) g),
		  'soa_as_of after the 1,234th addition: the seed and links 1..1234');
SELECT is((SELECT evidence FROM iso27001.soa_as_of('acme', 'infinity') WHERE control_key = 'A.5.1'),
		  (SELECT evidence FROM iso27001.soa_register r JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name = 'acme' AND r.control_key = 'A.5.1'),
		  'soa_as_of now = the register');

-- a change that is not an append stores the whole list again
DO $$ BEGIN PERFORM iso27001.soa_set('acme', 'A.5.1', 'applicable, implemented (risk treatment)', 'Policy set.',
									 evidence => '{https://x/only}'); END $$;
SELECT is((SELECT format('%s %s', h.evidence, coalesce(h.evidence_added::text, 'NULL')) FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name = 'acme' AND h.control_key = 'A.5.1' ORDER BY h.changed_at DESC LIMIT 1),
		  '{https://x/only} NULL',
		  'a list replaced: a checkpoint with the whole list');
SELECT is((SELECT evidence FROM iso27001.soa_as_of('acme', 'infinity') WHERE control_key = 'A.5.1'),
		  ARRAY['https://x/only'], 'and it reads back');

SELECT * FROM finish();
ROLLBACK;
