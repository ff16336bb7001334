-- read a snapshot of one of the two scopes and validate it, as an
-- auditor's dashboard does
\set s random(1, 2)
SELECT count(*) FROM iso27001.soa_as_of((ARRAY['shared', 'second'])[:s], now());
SELECT count(*) FROM iso27001.soa_validate((ARRAY['shared', 'second'])[:s]);
