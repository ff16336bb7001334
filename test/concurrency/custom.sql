-- add or change the same organization-defined control from every client
\set s random(1, 2)
\set sc random(1, 2)
SELECT iso27001.soa_set_custom((ARRAY['shared', 'second'])[:sc], 'ORG-C', 'Concurrent control',
		(ARRAY['applicable, planned (best practice)',
			   'applicable, implemented (best practice)'])[:s]::iso27001.soa_entry,
		'Decision ' || nextval('decision_seq'));
