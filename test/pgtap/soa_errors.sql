-- Every refusal of the SoA register carries its SQLSTATE and message.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.soa_set_custom('acme', 'ORG-1', 'Phishing simulation',
									'excluded', 'Not yet.');
END $$;

CREATE ROLE iso27001_errors_app NOLOGIN;
GRANT SELECT, INSERT, UPDATE (description) ON iso27001.soa_scope TO iso27001_errors_app;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON iso27001.soa_register TO iso27001_errors_app;
GRANT SELECT ON iso27001.risk, iso27001.risk_scale TO iso27001_errors_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON iso27001.soa_history, iso27001.soa_version,
	iso27001.soa_version_entry TO iso27001_errors_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON iso27001.evidence, iso27001.evidence_requirement TO iso27001_errors_app;

SELECT plan(26);

SELECT throws_ok($$SELECT create_scope('acme', 2013)$$, '23505',
				 'ISMS scope "acme" already exists',
				 'a scope name is unique (the same call again is a retry, and returns the scope)');
SELECT throws_ok($$SELECT create_scope('x', 2019)$$, '22023',
				 'edition must be 2013 or 2022, not 2019', 'an edition is 2013 or 2022');
SELECT throws_ok($$SELECT create_scope(NULL)$$, '22004',
				 'scope name and edition must not be null', 'a scope has a name');
SELECT throws_ok($$SELECT soa_set('nope', 'A.5.1', 'excluded', 'x')$$, '22023',
				 'ISMS scope "nope" does not exist', 'an unknown scope');
SELECT throws_ok($$SELECT soa_set('acme', 'A.5.38', 'excluded', 'x')$$, '22P02',
				 'invalid input syntax for type iso_control: "A.5.38"', 'an unknown control');
SELECT throws_ok($$SELECT soa_set('acme', 'A.5.1', 'excluded (legal)', 'x')$$, '22P02',
				 'invalid input syntax for type soa_entry: "excluded (legal)"', 'an invalid entry');
SELECT throws_ok($$SELECT soa_set('acme', 'A.7.2.2', 'excluded', 'x')$$, '23514',
				 'control A.7.2.2 is an ISO/IEC 27001:2013 control', 'a control of the other edition');
SELECT throws_ok($$SELECT soa_set('acme', 'A.5.1', 'excluded', ' ')$$, '23514',
				 'the SoA entry of A.5.1 needs a justification', 'a decision without justification');
SELECT throws_ok($$SELECT soa_set_custom('acme', '5.1', 'x', 'excluded', 'x')$$, '22023',
				 '"5.1" is an Annex A control, not an organization-defined one',
				 'an organization-defined key that reads as an Annex A control');
SELECT throws_ok($$SELECT soa_remove_custom('acme', 'ORG-9')$$, '22023',
				 'scope "acme" has no control "ORG-9"', 'removing an unknown control');
SELECT throws_ok($$SELECT soa_add_evidence('acme', 'A.5.1', ' ')$$, '22023',
				 'an evidence link must not be empty', 'an empty evidence link');
SELECT throws_ok($$SELECT * FROM soa_as_of_version('acme', 1)$$, '22023',
				 'scope "acme" has no approved version 1', 'a version that does not exist');
SELECT throws_ok($$SELECT * FROM soa_as_of_version('nope', 1)$$, '22023',
				 'ISMS scope "nope" does not exist', 'a version of an unknown scope');
SELECT throws_ok($$SELECT soa_diff('acme', 1, 2)$$, '22023',
				 'scope "acme" has no approved version 1', 'a diff with a version that does not exist');
SELECT throws_ok($$SELECT soa_approve('acme')$$, '23514',
				 'the SoA of scope "acme" has 93 error(s) and cannot be approved',
				 'an approval while the validator reports errors');
SELECT throws_ok($$SELECT soa_approve(NULL)$$, '22004',
				 'scope must not be null', 'an approval without scope');
SELECT throws_ok($$SELECT soa_migrate_2013_to_2022('acme', 'x')$$, '22023',
				 'scope "acme" does not follow ISO/IEC 27001:2013', 'migrating a 2022 scope');

SET ROLE iso27001_errors_app;
SELECT throws_ok($$DELETE FROM soa_register WHERE control_key = 'A.5.1'$$, '23514',
				 'Annex A control A.5.1 cannot be removed from the SoA', 'removing an Annex A control');
SELECT throws_ok($$UPDATE soa_history SET justification = 'x'$$, '42501',
				 'the SoA history cannot be changed', 'rewriting the history');
SELECT throws_ok($$DELETE FROM soa_history$$, '42501',
				 'the SoA history cannot be changed', 'deleting the history');
SELECT throws_ok($$TRUNCATE soa_register$$, '42501',
				 'the SoA register cannot be truncated', 'truncating the register');
SELECT throws_ok($$SELECT delete_scope('acme')$$, '42501',
				 'only an administrator of the SoA register can delete a scope',
				 'deleting a scope without being an administrator');
RESET ROLE;
SELECT throws_ok($$UPDATE soa_register SET control_key = 'ORG-2' WHERE control_key = 'ORG-1'$$, '23514',
				 'the scope and control of an SoA entry cannot change', 'changing a key');


-- messages a user reads: an explicit one for a blank name (was the check
-- constraint's), and an approval's refusal without the internal INSERT
-- and trigger in its context (issue 16 item 4)
SELECT throws_ok($$SELECT iso27001.create_scope('   ')$$, '22023', 'a scope needs a name that is not blank',
				 'a blank scope name: 22023 with its own message');
CREATE FUNCTION pg_temp.approval_context() RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	ctx text;
BEGIN
	PERFORM iso27001.create_scope('undecided');
	PERFORM iso27001.soa_approve('undecided');
	RETURN 'approved';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT;
	RETURN ctx;
END $f$;
SELECT is((SELECT pg_temp.approval_context() ~ '^PL/pgSQL function (iso27001\.)?soa_approve\(text,text,text\) line [0-9]+ at RAISE'),
		  true, 'a refused approval: the context is one line of soa_approve');
SELECT is((SELECT pg_temp.approval_context() ~ 'INSERT|soa_version_snapshot'), false,
		  'no internal statement or trigger in it');

SELECT * FROM finish();
ROLLBACK;
