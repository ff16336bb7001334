-- add a new evidence link to one of 8 controls of one of the two scopes
-- (concurrent additions to the same entry must all survive)
\set c random(1, 8)
\set s random(1, 2)
SELECT iso27001.soa_add_evidence((ARRAY['shared', 'second'])[:s], 'A.5.' || :c, 'link-' || nextval('evidence_seq'));
