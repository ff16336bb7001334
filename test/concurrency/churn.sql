-- add and remove this client's organization-defined control while others
-- approve versions
SELECT iso27001.soa_set_custom('shared', 'CHURN-' || :client_id, 'Churning control',
		'applicable, planned (best practice)', 'Decision ' || nextval('decision_seq'));
SELECT iso27001.soa_remove_custom('shared', 'CHURN-' || :client_id);
