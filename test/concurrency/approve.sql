-- approve the current SoA of one of the two scopes as its next version
\set s random(1, 2)
SELECT iso27001.soa_approve((ARRAY['shared', 'second'])[:s], 'pgbench');
