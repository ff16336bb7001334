-- add a new evidence link to one of 8 controls (concurrent additions to
-- the same entry must all survive)
\set c random(1, 8)
SELECT iso27001.soa_add_evidence('shared', 'A.5.' || :c, 'link-' || nextval('evidence_seq'));
