-- re-decide one of 8 controls of one of the two scopes
\set c random(1, 8)
\set s random(1, 4)
\set sc random(1, 2)
SELECT iso27001.soa_set((ARRAY['shared', 'second'])[:sc], ('A.6.' || :c)::iso27001.iso_control,
		(ARRAY['applicable, not implemented (legal)', 'applicable, planned (legal)',
			   'applicable, partially implemented (legal)',
			   'applicable, implemented (legal)'])[:s]::iso27001.soa_entry,
		'Decision ' || nextval('decision_seq'));
