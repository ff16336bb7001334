-- read a snapshot and validate, as an auditor's dashboard does
SELECT count(*) FROM iso27001.soa_as_of('shared', now());
SELECT count(*) FROM iso27001.soa_validate('shared');
