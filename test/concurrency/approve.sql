-- approve the current SoA as the next version
SELECT iso27001.soa_approve('shared', 'pgbench');
