-- Every object of the installed extension with its definition, one line
-- each, in a stable order (no OIDs): what test/shell/upgrade.sh compares between
-- an updated and a freshly installed database.
WITH member AS (
	SELECT d.classid, d.objid
	  FROM pg_catalog.pg_depend d
	  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'iso27001'
	 WHERE d.deptype = 'e'
	   -- the schema iso27001 is a member when the install script made it
	   -- (0.2.2 on), not when PostgreSQL did (from 0.2.1's control file)
	   AND NOT (d.classid = 'pg_namespace'::regclass AND d.objid = 'iso27001'::regnamespace)
)
SELECT line FROM (
	-- functions, procedures and aggregates: full definition, privileges, comment
	SELECT format('function %s | %s | %s | %s', p.oid::regprocedure,
				  CASE WHEN p.prokind = 'a' THEN
					   (SELECT format('agg %s %s %s %s %s %s %s %s', a.aggtransfn::regproc, a.aggfinalfn::regproc,
									  a.aggcombinefn::regproc, a.aggserialfn::regproc, a.aggdeserialfn::regproc,
									  a.aggmtransfn::regproc, a.aggminvtransfn::regproc, a.aggtranstype::regtype)
						  FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
					   ELSE pg_catalog.pg_get_functiondef(p.oid) END,
				  p.proacl, pg_catalog.obj_description(p.oid, 'pg_proc')) AS line
	  FROM member m JOIN pg_catalog.pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	UNION ALL
	-- relations: kind, options, privileges (a default ACL written out: a
	-- privilege granted and revoked again leaves it explicit), comment,
	-- view definition
	SELECT format('relation %s.%s | %s | %s | %s | %s | %s', n.nspname, c.relname, c.relkind, c.reloptions,
				  coalesce(c.relacl, pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner)),
				  pg_catalog.obj_description(c.oid, 'pg_class'),
				  CASE WHEN c.relkind = 'v' THEN pg_catalog.pg_get_viewdef(c.oid) END)
	  FROM member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	UNION ALL
	-- their columns
	SELECT format('column %s.%s.%s | %s | %s | %s | %s | %s | %s', n.nspname, c.relname, a.attname,
				  pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated, a.attidentity,
				  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), pg_catalog.col_description(c.oid, a.attnum))
	  FROM member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
	UNION ALL
	-- constraints, indexes and triggers of the extension's tables
	SELECT format('constraint %s.%s | %s', c.conrelid::regclass, c.conname, pg_catalog.pg_get_constraintdef(c.oid))
	  FROM member m JOIN pg_catalog.pg_constraint c ON m.classid = 'pg_class'::regclass AND c.conrelid = m.objid
	UNION ALL
	SELECT format('index %s', pg_catalog.pg_get_indexdef(i.indexrelid))
	  FROM member m JOIN pg_catalog.pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
	UNION ALL
	SELECT format('trigger %s | %s', t.tgname, pg_catalog.pg_get_triggerdef(t.oid))
	  FROM member m JOIN pg_catalog.pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid
	 WHERE NOT t.tgisinternal
	UNION ALL
	-- types (with enum labels) and every other member by description and comment
	SELECT format('type %s | %s %s %s %s %s %s %s | %s', t.oid::regtype, t.typtype, t.typlen, t.typbyval,
				  t.typinput, t.typoutput, t.typreceive, t.typsend,
				  (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e
					WHERE e.enumtypid = t.oid))
	  FROM member m JOIN pg_catalog.pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	UNION ALL
	SELECT format('object %s | %s', pg_catalog.pg_describe_object(m.classid, m.objid, 0),
				  pg_catalog.obj_description(m.objid, m.classid::regclass::name))
	  FROM member m
	UNION ALL
	SELECT format('schema %s | %s | %s', n.nspname, coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner)),
				  pg_catalog.obj_description(n.oid, 'pg_namespace'))
	  FROM pg_catalog.pg_namespace n WHERE n.nspname IN ('iso27001', 'iso27001_bi')
	UNION ALL
	-- event triggers: when they fire and what
	SELECT format('event trigger %s | %s | %s | %s | %s', t.evtname, t.evtevent, t.evtfoid::regprocedure,
				  t.evtenabled, t.evttags)
	  FROM member m JOIN pg_catalog.pg_event_trigger t ON m.classid = 'pg_event_trigger'::regclass AND t.oid = m.objid
	UNION ALL
	-- what pg_dump keeps, and the privileges it leaves to CREATE EXTENSION
	SELECT format('config %s | %s', c::regclass, cond)
	  FROM pg_catalog.pg_extension e, unnest(e.extconfig, e.extcondition) AS u(c, cond)
	 WHERE e.extname = 'iso27001'
	UNION ALL
	-- (initial privileges equal to the default ACL are as good as none)
	SELECT format('initprivs %s | %s', pg_catalog.pg_describe_object(p.classoid, p.objoid, p.objsubid), p.initprivs)
	  FROM member m JOIN pg_catalog.pg_init_privs p ON p.classoid = m.classid AND p.objoid = m.objid
	  LEFT JOIN pg_catalog.pg_class c ON p.classoid = 'pg_class'::regclass AND c.oid = p.objoid AND p.objsubid = 0
	  LEFT JOIN pg_catalog.pg_namespace n ON p.classoid = 'pg_namespace'::regclass AND n.oid = p.objoid
	 WHERE p.initprivs IS DISTINCT FROM
		   coalesce(pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner),
					pg_catalog.acldefault('n', n.nspowner))
) q
ORDER BY line;
