-- Row-level security per scope, as README documents it: a role limited to
-- one scope can neither read nor change another scope's SoA, through the
-- tables or through the API functions.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

DO $$
BEGIN
	PERFORM iso27001.create_scope('alpha');
	PERFORM iso27001.create_scope('beta');
	PERFORM iso27001.soa_set('beta', 'A.5.1', 'excluded', 'Beta''s own decision.');
	PERFORM iso27001.soa_set_custom('beta', 'B-1', 'Beta''s own control', 'excluded', 'Beta''s.');
END $$;

-- the README's policies (docs/scope_policies.sql, which README shows):
-- which role may work on which scope
SET LOCAL client_min_messages = warning;
\ir ../../docs/scope_policies.sql
RESET client_min_messages;
INSERT INTO public.scope_access
SELECT 'iso27001_alpha_user', scope_id FROM iso27001.soa_scope WHERE name = 'alpha';

-- the README's grants for a GRC application role
CREATE ROLE iso27001_alpha_user NOLOGIN;
GRANT SELECT, UPDATE (description) ON iso27001.soa_scope TO iso27001_alpha_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON iso27001.soa_register TO iso27001_alpha_user;
GRANT SELECT ON iso27001.risk, iso27001.risk_scale TO iso27001_alpha_user;
GRANT SELECT, INSERT ON iso27001.soa_history, iso27001.soa_version, iso27001.soa_version_entry
	TO iso27001_alpha_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON iso27001.evidence, iso27001.evidence_requirement
	TO iso27001_alpha_user;

SELECT plan(15);
SELECT scope_id AS beta_id FROM iso27001.soa_scope WHERE name = 'beta' \gset

SET ROLE iso27001_alpha_user;

SELECT is((SELECT array_agg(name) FROM iso27001.soa_scope), ARRAY['alpha'],
		  'the role sees its own scope only');
SELECT is((SELECT count(*) FROM iso27001.soa_register), 93::bigint,
		  'it reads the 93 entries of its scope, none of the other''s');
SELECT is((SELECT count(*) FROM iso27001.soa_history), 93::bigint,
		  'and only its scope''s history');

-- its own scope works as usual
SELECT is((iso27001.soa_set('alpha', 'A.5.1', 'applicable, implemented (legal)',
							'Policy approved by the board.', evidence => '{https://x/1}')).entry,
		  'applicable, implemented (legal)'::iso27001.soa_entry,
		  'it changes an entry of its scope');
SELECT is(iso27001.soa_add_evidence('alpha', 'A.5.1', 'https://x/2'), ARRAY['https://x/1', 'https://x/2'],
		  'it adds evidence to its scope');
SELECT is((SELECT count(*) FROM iso27001.soa_validate('alpha')), 92::bigint,
		  'it validates its scope');

-- the other scope does not exist for it
SELECT throws_ok($$SELECT iso27001.soa_set('beta', 'A.5.1', 'excluded', 'Overwritten.')$$,
				 '22023', 'ISMS scope "beta" does not exist',
				 'soa_set on the other scope fails: the scope is invisible');
SELECT throws_ok($$SELECT * FROM iso27001.soa_as_of('beta', 'infinity')$$,
				 '22023', 'ISMS scope "beta" does not exist',
				 'soa_as_of on the other scope fails');
SELECT throws_ok($$SELECT iso27001.soa_approve('beta')$$,
				 '22023', 'ISMS scope "beta" does not exist',
				 'soa_approve on the other scope fails');
SELECT is((SELECT count(*) FROM iso27001.soa_validate()), 92::bigint,
		  'the validator over all scopes sees its scope only');

-- plain SQL cannot reach the other scope's rows either
UPDATE iso27001.soa_register SET justification = 'Overwritten.'
 WHERE control_key = 'A.5.1' AND justification = 'Beta''s own decision.';
DELETE FROM iso27001.soa_register WHERE control IS NULL;
SELECT throws_ok(format($$INSERT INTO iso27001.soa_register (scope_id, control_key, title, entry, justification)
						  VALUES (%s, 'X-1', 'Planted', 'excluded', 'Planted.')$$, :beta_id),
				 '42501', NULL, 'it cannot insert into a scope it cannot see, even knowing its id');

RESET ROLE;

SELECT is((SELECT justification FROM iso27001.soa_register r JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name = 'beta' AND r.control_key = 'A.5.1'),
		  'Beta''s own decision.', 'the other scope''s entry is untouched');
SELECT is((SELECT count(*) FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name = 'beta'), 95::bigint, 'the other scope''s history is untouched');
SELECT is((SELECT count(*) FROM iso27001.soa_register r JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name = 'beta' AND r.control IS NULL), 1::bigint,
		  'the other scope''s organization-defined control is still there');
SELECT is((SELECT count(*) FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name = 'alpha'), 95::bigint, 'its own history recorded its two changes');

SELECT * FROM finish();
ROLLBACK;
