-- Row-level security by scope: one row per role and scope it may use, and
-- the same policy on each of the nine tables with a scope_id (README,
-- "Permissions and row-level security"; test/pgtap/bi_rls.sql and
-- soa_rls.sql run this file).  The tables' owner and superusers are not
-- limited; every other role sees and changes only its scopes' rows.
CREATE TABLE public.scope_access (
    role_name name NOT NULL,
    scope_id bigint NOT NULL,
    PRIMARY KEY (role_name, scope_id)
);
-- each role reads only its own rows of it
ALTER TABLE public.scope_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON public.scope_access USING (role_name = current_user);
GRANT SELECT ON public.scope_access TO PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['soa_scope', 'soa_register', 'soa_history', 'soa_version',
                             'soa_version_entry', 'certificate', 'certification_audit',
                             'behaviour_observation', 'behaviour_target'] LOOP
        EXECUTE format('ALTER TABLE iso27001.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY by_scope ON iso27001.%I USING (scope_id IN '
                       '(SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user))', t);
    END LOOP;
END
$$;
