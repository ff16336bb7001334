-- The OSCAL exports' content (their schema validity is test/shell/oscal.sh's):
-- catalogue shape and attributes against the reference CSV, no control
-- text, the SoA's decisions as implementation statuses, the profile's
-- controls, the mapping's pairs; bad input refused.
\ir ../include/preamble.sql

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	UPDATE iso27001.soa_register SET entry = 'applicable, implemented (risk treatment)', justification = 'RA-1.';
	PERFORM iso27001.soa_set('acme', 'A.7.4', 'excluded', 'No premises of our own.');
	PERFORM iso27001.soa_set('acme', 'A.5.7', 'applicable, planned (legal, contractual)', 'Feeds next year.',
							 owner => ' Jane Doe ', evidence => '{https://wiki.example/threat intel,https://x.example/%41%zz é}');
	PERFORM iso27001.soa_set('acme', 'A.5.10', 'applicable, implemented (risk treatment)', 'RA-1.', owner => 'Jane Doe');
	PERFORM iso27001.soa_set_custom('acme', 'ORG-1', 'Phishing simulation', 'applicable, implemented (best practice)', 'Own.');
END $$;
CREATE TEMP TABLE doc AS
SELECT iso27001.oscal_catalog(2022) AS c22, iso27001.oscal_catalog(2013) AS c13,
	   iso27001.oscal_ssp('acme') AS ssp, iso27001.oscal_profile('acme') AS profile,
	   iso27001.oscal_mapping_2013_2022() AS mapping;
CREATE TEMP VIEW req AS
SELECT r ->> 'control-id' AS id, r FROM doc, jsonb_array_elements(ssp -> 'system-security-plan'
									   -> 'control-implementation' -> 'implemented-requirements') r;

SELECT plan(29);

SELECT is((SELECT jsonb_path_query_array(c22, '$.catalog.groups[*].id') FROM doc),
		  '["a.5", "a.6", "a.7", "a.8"]', '2022: one group per theme, a.5 to a.8');
SELECT is((SELECT jsonb_array_length(jsonb_path_query_array(c22, '$.catalog.groups[*].controls[*]')) FROM doc),
		  93, '2022: 93 controls');
SELECT is((SELECT jsonb_array_length(jsonb_path_query_array(c13, '$.catalog.groups[*].groups[*]')) FROM doc),
		  35, '2013: 35 control objectives within 14 clauses');
SELECT is((SELECT jsonb_array_length(jsonb_path_query_array(c13, '$.catalog.groups[*].groups[*].controls[*]')) FROM doc),
		  114, '2013: 114 controls');
SELECT is((SELECT jsonb_path_query_first(c22, '$.catalog.groups[*].controls[*] ? (@.id == "a.5.10")') - 'props' FROM doc),
		  '{"id": "a.5.10", "class": "annex-a-control", "title": "Acceptable use of information and other associated assets"}',
		  'a control: OSCAL token id, class and title');
SELECT is((SELECT jsonb_path_query_array(c22, '$.catalog.groups[*].controls[*] ? (@.id == "a.5.7").props[*] ? (@.name == "control-type" || @.name == "sort-id" || @.name == "label").value') FROM doc),
		  '["A.5.7", "a.05.07", "Preventive", "Detective", "Corrective"]',
		  'its label, sort id and control types (A.5.7 is #Preventive #Detective #Corrective)');
SELECT is((SELECT jsonb_array_length(jsonb_path_query_array(c22, '$.catalog.groups[*].controls[*].props[*] ? (@.ns == "https://pgxn.org/dist/iso27001/ns/oscal")')) FROM doc),
		  760, 'the 760 attribute values of the reference CSV, as props');
SELECT ok((SELECT NOT jsonb_path_exists(c22, 'strict $.**.parts') AND NOT jsonb_path_exists(c13, 'strict $.**.parts')
			 AND NOT jsonb_path_exists(c22, 'strict $.**.prose') FROM doc),
		  'no control text: no parts, no prose');

SELECT is((SELECT count(*) FROM req), 93::bigint, 'SSP: one implemented requirement per Annex A control (organization-defined controls left out)');
SELECT is((SELECT r -> 'by-components' -> 0 -> 'implementation-status' ->> 'state' FROM req WHERE id = 'a.7.4'),
		  'not-applicable', 'an excluded control is not-applicable');
SELECT is((SELECT r ->> 'remarks' FROM req WHERE id = 'a.7.4'), 'No premises of our own.',
		  'with its justification as remarks');
SELECT is((SELECT r -> 'by-components' -> 0 -> 'implementation-status' ->> 'state' FROM req WHERE id = 'a.5.7'),
		  'planned', 'a planned control is planned');
SELECT is((SELECT jsonb_path_query_array(r, '$.props[*].value') FROM req WHERE id = 'a.5.7'),
		  '["applicable", "legal", "contractual"]', 'its decision and inclusion reasons as props');
SELECT is((SELECT count(*) FROM req WHERE r -> 'by-components' -> 0 -> 'implementation-status' ->> 'state' = 'implemented'),
		  91::bigint, 'the 91 implemented controls are implemented');
-- what the register knows beyond the decision: owner, evidence, approval
SELECT is((SELECT r -> 'links' FROM req WHERE id = 'a.5.7'),
		  '[{"href": "https://wiki.example/threat%20intel", "rel": "evidence", "text": "https://wiki.example/threat intel"},
			{"href": "https://x.example/%41%25zz%20%C3%A9", "rel": "evidence", "text": "https://x.example/%41%zz é"}]',
		  'evidence links as links, in order: a space is %20, a % starting no escape %25, é its UTF-8 bytes %C3%A9, %41 kept');
SELECT is((SELECT r -> 'responsible-roles' FROM req WHERE id = 'a.5.7'),
		  jsonb_build_array(jsonb_build_object('role-id', 'control-owner',
											   'party-uuids', jsonb_build_array(iso27001.oscal_uuid('party/Jane Doe')))),
		  'the owner (trimmed) as the responsible control-owner party');
SELECT is((SELECT count(*) FROM req WHERE r ? 'responsible-roles' OR r ? 'links'), 2::bigint,
		  'controls without owner or evidence have neither');
SELECT is((SELECT ssp -> 'system-security-plan' -> 'metadata' -> 'parties' FROM doc),
		  jsonb_build_array(jsonb_build_object('uuid', iso27001.oscal_uuid('party/Jane Doe'), 'type', 'person', 'name', 'Jane Doe')),
		  'one party per owner, however many controls they own');
SELECT is((SELECT ssp #> '{system-security-plan,system-characteristics,status,state}' FROM doc), '"under-development"',
		  'no approved SoA version yet: under development');
SELECT is((SELECT ssp #> '{system-security-plan,metadata,actions}' FROM doc), NULL, 'and no approval action');
SELECT is(iso27001.oscal_href('https://a.example/x?q=1&r=[2]#f'), 'https://a.example/x?q=1&r=[2]#f',
		  'oscal_href: a URI is unchanged');
SELECT is(iso27001.oscal_href('\\srv\share\évidence 1.pdf'), '%5C%5Csrv%5Cshare%5C%C3%A9vidence%201.pdf',
		  'oscal_href: a UNC path becomes a relative reference, every backslash, space and é encoded');
SELECT is((SELECT jsonb_array_length(profile -> 'profile' -> 'imports' -> 0 -> 'include-controls' -> 0 -> 'with-ids') FROM doc),
		  92, 'profile: the 92 applicable controls');
SELECT ok((SELECT NOT (profile -> 'profile' -> 'imports' -> 0 -> 'include-controls' -> 0 -> 'with-ids') ? 'a.7.4' FROM doc),
		  'the excluded one is not in the profile');
SELECT is((SELECT jsonb_array_length(mapping -> 'mapping-collection' -> 'mappings' -> 0 -> 'maps') FROM doc),
		  115, 'mapping: the 115 pairs of the correspondence');
SELECT is((SELECT jsonb_path_query_array(mapping, '$."mapping-collection".mappings[0].maps[*] ? (@.sources[0]."id-ref" == "a.18.2.3" || @.sources[0]."id-ref" == "a.5.1.1" || @.sources[0]."id-ref" == "a.11.1.1").relationship') FROM doc),
		  '["subset-of", "equivalent-to", "intersects-with", "intersects-with"]',
		  'relationships in control order: merge A.5.1.1, one-to-one A.11.1.1, split-merge A.18.2.3 (two pairs)');

SELECT throws_ok($$SELECT iso27001.oscal_catalog(2017)$$, '22023', 'edition must be 2013 or 2022', 'edition 2017: 22023');
SELECT throws_ok($$SELECT iso27001.oscal_ssp('acme', 7)$$, '22023', NULL, 'a version that does not exist: 22023');

DO $$ BEGIN PERFORM iso27001.create_scope('undecided'); END $$;
SELECT throws_ok($$SELECT iso27001.oscal_profile('undecided')$$, '22023',
				 'the SoA of scope "undecided" (current) has no applicable control',
				 'a profile of no control cannot be written: 22023');

SELECT * FROM finish();
ROLLBACK;
