-- Row-level security by scope: which role may use which scope, and one
-- policy on every table of iso27001 with a scope_id (README, "Permissions
-- and row-level security"; test/pgtap/bi_rls.sql and soa_rls.sql run this
-- file).  The tables' owner and superusers are not limited; every other
-- role reads and changes only its scopes' rows.  Run it again after an
-- update that adds a table: it covers every table with a scope_id.
CREATE TABLE IF NOT EXISTS public.scope_access (
    role_name name NOT NULL,
    scope_id bigint NOT NULL,
    PRIMARY KEY (role_name, scope_id)
);
-- each role reads only its own rows of it
ALTER TABLE public.scope_access ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_rows ON public.scope_access;
CREATE POLICY own_rows ON public.scope_access USING (role_name = current_user);
GRANT SELECT ON public.scope_access TO PUBLIC;

DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
              WHERE c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'r'
                AND a.attname = 'scope_id' AND NOT a.attisdropped
              ORDER BY c.relname LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS by_scope ON %s', t);
        EXECUTE format('CREATE POLICY by_scope ON %s USING (scope_id IN '
                       '(SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user))', t);
    END LOOP;
END
$$;
