--
-- OSCAL export (NIST OSCAL 1.2 JSON): the catalogues, a scope's SoA as a
-- system security plan and as a profile, the 2013 -> 2022 correspondence
-- as a mapping collection.  Identifiers, titles and attributes only, never
-- the control text.  UUIDs are version 5 from a fixed namespace, and times
-- come from the data, so the same content gives the same document.
--

-- The UUID of a name in the extension's OSCAL namespace (itself the
-- version 5 UUID of https://pgxn.org/dist/iso27001/oscal in the URL
-- namespace)
CREATE FUNCTION iso27001.oscal_uuid(name text)
	RETURNS uuid
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT iso27001.uuid_v5('a09f5098-07ad-570b-ace0-38063a4b642a', oscal_uuid.name);
END;
COMMENT ON FUNCTION iso27001.oscal_uuid(text) IS
	'the version 5 UUID of a name in the extension''s OSCAL namespace (a09f5098-07ad-570b-ace0-38063a4b642a)';

-- A link as an OSCAL href (a URI reference, RFC 3986): every character
-- outside the unreserved and reserved sets, and a % not starting an escape,
-- percent-encoded as its UTF-8 bytes; a link that is already a URI is
-- unchanged
CREATE FUNCTION iso27001.oscal_href(link text)
	RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.string_agg(
			   CASE WHEN u.c OPERATOR(pg_catalog.~) '^[A-Za-z0-9._~:/?#@!$&''()*+,;=\[\]-]$'
						 OR (u.c OPERATOR(pg_catalog.=) '%'
							 AND pg_catalog.substr(oscal_href.link, u.k::integer OPERATOR(pg_catalog.+) 1, 2)
								 OPERATOR(pg_catalog.~) '^[0-9A-Fa-f]{2}$')
					THEN u.c
					ELSE pg_catalog.upper(pg_catalog.regexp_replace(
							 pg_catalog.encode(pg_catalog.convert_to(u.c, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END,
			   '' ORDER BY u.k)
	  FROM pg_catalog.regexp_split_to_table(oscal_href.link, '') WITH ORDINALITY AS u(c, k);
END;
COMMENT ON FUNCTION iso27001.oscal_href(text) IS
	'a link as an OSCAL href: characters a URI may not hold percent-encoded (UTF-8), a URI unchanged';

-- A control's OSCAL props: its label, sort id and ISO/IEC 27002:2022 attributes
CREATE FUNCTION iso27001.oscal_control_props(control iso27001.iso_control)
	RETURNS jsonb
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_array(
			   pg_catalog.jsonb_build_object('name', 'label', 'value', oscal_control_props.control::text),
			   pg_catalog.jsonb_build_object('name', 'sort-id', 'value',
				   pg_catalog.lower(pg_catalog.regexp_replace(
					   pg_catalog.regexp_replace(oscal_control_props.control::text, '\.([0-9])(?=\.|$)', '.0\1', 'g'),
					   '\.([0-9])(?=\.|$)', '.0\1', 'g'))))
		   OPERATOR(pg_catalog.||) coalesce((
			SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
					   'name', a.name, 'ns', 'https://pgxn.org/dist/iso27001/ns/oscal', 'value', a.value)
					   ORDER BY a.ord, a.k)
			  FROM iso27001.ref_control_2022 c
			 CROSS JOIN LATERAL (
					SELECT 1 AS ord, 'control-type' AS name, v::text AS value, k
					  FROM pg_catalog.unnest(c.control_type) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 2, 'security-property', v::text, k
					  FROM pg_catalog.unnest(c.security_properties) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 3, 'cybersecurity-concept', v::text, k
					  FROM pg_catalog.unnest(c.cybersecurity_concepts) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 4, 'operational-capability', v::text, k
					  FROM pg_catalog.unnest(c.operational_capabilities) WITH ORDINALITY AS u(v, k)
					UNION ALL
					SELECT 5, 'security-domain', v::text, k
					  FROM pg_catalog.unnest(c.security_domains) WITH ORDINALITY AS u(v, k)) a
			 WHERE c.control OPERATOR(@extschema@.=) oscal_control_props.control), '[]');
END;
COMMENT ON FUNCTION iso27001.oscal_control_props(iso27001.iso_control) IS
	'OSCAL props of a control: label (A.5.7), sort-id (a.05.07) and, for 2022, its ISO/IEC 27002:2022 attributes';

CREATE FUNCTION iso27001.oscal_catalog(edition integer DEFAULT 2022)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	groups jsonb;
BEGIN
	IF edition IS NULL OR edition NOT IN (2013, 2022) THEN
		RAISE EXCEPTION 'edition must be 2013 or 2022'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF edition = 2022 THEN
		SELECT jsonb_agg(jsonb_build_object(
				   'id', 'a.' || (t.ord + 4), 'class', 'theme',
				   'title', t.theme || ' controls',
				   'controls', (SELECT jsonb_agg(jsonb_build_object(
									   'id', lower(c.control::text), 'class', 'annex-a-control',
									   'title', c.title, 'props', oscal_control_props(c.control))
									   ORDER BY c.control)
								  FROM ref_control_2022 c WHERE c.theme = t.theme))
				   ORDER BY t.ord)
		  INTO groups
		  FROM unnest(enum_range(NULL::annex_a_theme)) WITH ORDINALITY AS t(theme, ord);
	ELSE
		SELECT jsonb_agg(jsonb_build_object(
				   'id', lower(cl.clause), 'class', 'clause', 'title', cl.title,
				   'groups', (SELECT jsonb_agg(jsonb_build_object(
									 'id', lower(o.objective), 'class', 'objective', 'title', o.title,
									 'controls', (SELECT jsonb_agg(jsonb_build_object(
														 'id', lower(c.control::text), 'class', 'annex-a-control',
														 'title', c.title, 'props', oscal_control_props(c.control))
														 ORDER BY c.control)
													FROM ref_control_2013 c WHERE c.objective = o.objective))
									 ORDER BY split_part(o.objective, '.', 3)::integer)
								FROM ref_objective_2013 o WHERE o.clause = cl.clause))
				   ORDER BY substr(cl.clause, 3)::integer)
		  INTO groups
		  FROM ref_clause_2013 cl;
	END IF;
	RETURN jsonb_build_object('catalog', jsonb_build_object(
		'uuid', oscal_uuid('catalog/iso27001:' || edition),
		'metadata', jsonb_build_object(
			'title', 'ISO/IEC 27001:' || edition || ' Annex A: identifiers, titles'
					 || CASE WHEN edition = 2022 THEN ' and ISO/IEC 27002:2022 attributes' ELSE '' END,
			'last-modified', CASE WHEN edition = 2022 THEN '2022-10-25T00:00:00Z' ELSE '2013-10-01T00:00:00Z' END,
			'version', 'ISO/IEC 27001:' || edition,
			'oscal-version', '1.2.1',
			'remarks', 'Control identifiers, short titles and attributes only; the control text is ISO''s and is not reproduced. Exported by the iso27001 PostgreSQL extension.'),
		'groups', groups));
END
$$;
COMMENT ON FUNCTION iso27001.oscal_catalog(integer) IS
	'the Annex A catalogue of an edition (2022: groups are themes, with the ISO/IEC 27002:2022 attributes as props; 2013: clauses and objectives) as an OSCAL catalog, without control text';

-- The entries of a scope's SoA for export: current (version NULL) or an
-- approved version, with the time it stood
CREATE FUNCTION iso27001.oscal_entries(scope text, version integer)
	RETURNS TABLE (control iso27001.iso_control, entry iso27001.soa_entry,
				   justification text, owner text, evidence text[], as_of timestamptz)
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	id bigint := iso27001.soa_scope_id(scope);
BEGIN
	IF version IS NULL THEN
		RETURN QUERY
		SELECT r.control, r.entry, r.justification, r.owner, r.evidence, max(r.changed_at) OVER ()
		  FROM iso27001.soa_register r
		 WHERE r.scope_id = id AND r.control IS NOT NULL
		 ORDER BY r.control;
	ELSE
		RETURN QUERY
		SELECT e.control, e.entry, e.justification, e.owner, e.evidence,
			   iso27001.soa_version_time(scope, oscal_entries.version)
		  FROM iso27001.soa_as_of_version(scope, oscal_entries.version) e
		 WHERE e.control IS NOT NULL
		 ORDER BY e.control;
	END IF;
END
$$;
COMMENT ON FUNCTION iso27001.oscal_entries(text, integer) IS
	'the Annex A entries of a scope''s SoA (current when version is NULL, else an approved version) with owner and evidence links, and the time they stood, for the OSCAL exports';

CREATE FUNCTION iso27001.oscal_profile(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	s iso27001.soa_scope;
	ids jsonb;
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
	sid bigint := iso27001.soa_scope_id(scope);	-- an unknown scope: 22023
BEGIN
	SELECT * INTO s FROM iso27001.soa_scope x WHERE x.name = scope;
	SELECT jsonb_agg(lower(e.control::text) ORDER BY e.control) FILTER (WHERE is_applicable(e.entry)),
		   max(e.as_of)
	  INTO ids, as_of
	  FROM iso27001.oscal_entries(scope, version) e;
	IF ids IS NULL THEN
		RAISE EXCEPTION 'the SoA of scope "%" (%) has no applicable control', scope, tag
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'An OSCAL profile selects at least one control.';
	END IF;
	RETURN jsonb_build_object('profile', jsonb_build_object(
		'uuid', oscal_uuid('profile/' || scope || '/' || tag),
		'metadata', jsonb_build_object(
			'title', 'Applicable ISO/IEC 27001:' || s.edition || ' Annex A controls of ' || scope || ' (' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1'),
		'imports', jsonb_build_array(jsonb_build_object(
			'href', '#' || oscal_uuid('resource/catalog/iso27001:' || s.edition),
			'include-controls', jsonb_build_array(jsonb_build_object('with-ids', ids)))),
		'merge', jsonb_build_object('as-is', true),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', oscal_uuid('resource/catalog/iso27001:' || s.edition),
			'title', 'ISO/IEC 27001:' || s.edition || ' Annex A catalogue (iso27001.oscal_catalog(' || s.edition || '))',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'iso27001-' || s.edition || '-catalog.json',
				'media-type', 'application/oscal.catalog+json')))))));
END
$$;
COMMENT ON FUNCTION iso27001.oscal_profile(text, integer) IS
	'the applicable Annex A controls of a scope''s SoA (current, or an approved version) as an OSCAL profile of the catalogue';

CREATE FUNCTION iso27001.oscal_ssp(scope text, version integer DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE PARALLEL SAFE
	SET search_path = pg_catalog, iso27001, @extschema@, pg_temp
AS $$
DECLARE
	s iso27001.soa_scope;
	v iso27001.soa_version;
	reqs jsonb;
	owners text[];
	as_of timestamptz;
	tag text := coalesce('version ' || version, 'current');
	ns CONSTANT text := 'https://pgxn.org/dist/iso27001/ns/oscal';
	component uuid;
	profile uuid := oscal_uuid('profile/' || scope || '/' || tag);
	roles jsonb := '[]';
	parties jsonb := '[]';
	users jsonb := '[]';
	actions jsonb;
	sid bigint := iso27001.soa_scope_id(scope);	-- an unknown scope: 22023
BEGIN
	SELECT * INTO s FROM iso27001.soa_scope x WHERE x.name = scope;
	component := oscal_uuid('component/' || scope);
	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			   'uuid', oscal_uuid('requirement/' || scope || '/' || tag || '/' || e.control::text),
			   'control-id', lower(e.control::text),
			   'props', jsonb_build_array(jsonb_build_object(
							'name', 'soa-decision', 'ns', ns,
							'value', CASE WHEN e.entry IS NULL THEN 'undecided'
										  WHEN is_applicable(e.entry) THEN 'applicable'
										  ELSE 'excluded' END))
						|| coalesce((SELECT jsonb_agg(jsonb_build_object(
											 'name', 'inclusion-reason', 'ns', ns,
											 'value', replace(r, ' ', '-')) ORDER BY k)
									   FROM unnest(reasons(e.entry)) WITH ORDINALITY AS u(r, k)), '[]'),
			   -- the evidence links, in the register's order
			   'links', (SELECT jsonb_agg(jsonb_build_object('href', oscal_href(l), 'rel', 'evidence',
															 'text', l) ORDER BY k)
						   FROM unnest(e.evidence) WITH ORDINALITY AS u(l, k)),
			   'responsible-roles', CASE WHEN nullif(btrim(e.owner), '') IS NOT NULL THEN
					jsonb_build_array(jsonb_build_object(
						'role-id', 'control-owner',
						'party-uuids', jsonb_build_array(oscal_uuid('party/' || btrim(e.owner))))) END,
			   'remarks', nullif(btrim(e.justification), ''),
			   'by-components', CASE WHEN e.entry IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
					'component-uuid', component,
					'uuid', oscal_uuid('by-component/' || scope || '/' || tag || '/' || e.control::text),
					'description', coalesce(nullif(btrim(e.justification), ''), e.entry::text),
					'implementation-status', jsonb_build_object('state', oscal_status(e.entry)))) END))
			   ORDER BY e.control),
		   max(e.as_of),
		   array_agg(DISTINCT btrim(e.owner)) FILTER (WHERE nullif(btrim(e.owner), '') IS NOT NULL)
	  INTO reqs, as_of, owners
	  FROM iso27001.oscal_entries(scope, version) e;

	-- the approval: of the version exported, or the latest for the current SoA
	SELECT * INTO v FROM iso27001.soa_version x
	 WHERE x.scope_id = s.scope_id AND (oscal_ssp.version IS NULL OR x.version = oscal_ssp.version)
	 ORDER BY x.version DESC LIMIT 1;

	-- roles and parties: the control owners as the register names them, and
	-- the approver; parties are named by their text alone, so one person is
	-- one party in every scope's document
	IF owners IS NOT NULL THEN
		roles := roles || jsonb_build_object('id', 'control-owner', 'title', 'Control owner');
		users := users || jsonb_build_object('uuid', oscal_uuid('user/' || scope || '/control-owner'),
											 'title', 'Control owners', 'role-ids', jsonb_build_array('control-owner'));
	END IF;
	IF v.version IS NOT NULL THEN
		roles := roles || jsonb_build_object('id', 'soa-approver',
											 'title', 'Approver of the Statement of Applicability');
		users := users || jsonb_build_object('uuid', oscal_uuid('user/' || scope || '/soa-approver'),
											 'title', 'SoA approver', 'role-ids', jsonb_build_array('soa-approver'));
		actions := jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
			'uuid', oscal_uuid('approval/' || scope || '/' || v.version),
			'date', to_char(v.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
			'type', 'approval',
			'system', ns,
			'props', jsonb_build_array(jsonb_build_object('name', 'soa-version', 'ns', ns, 'value', v.version::text)),
			'responsible-parties', jsonb_build_array(jsonb_build_object(
				'role-id', 'soa-approver',
				'party-uuids', jsonb_build_array(oscal_uuid('party/' || btrim(v.approved_by))))),
			'remarks', nullif(concat_ws(' ', nullif(btrim(v.note), ''),
										CASE WHEN oscal_ssp.version IS NULL AND as_of > v.approved_at
											 THEN 'The SoA has changed since this approval; the changes are in this document and not approved.' END),
							  ''))));
	END IF;
	SELECT coalesce(jsonb_agg(jsonb_build_object('uuid', oscal_uuid('party/' || p), 'type', 'person', 'name', p)
							  ORDER BY p), '[]')
	  INTO parties
	  FROM (SELECT unnest(owners) UNION SELECT btrim(v.approved_by) WHERE v.version IS NOT NULL) q(p);
	IF users = '[]' THEN
		users := jsonb_build_array(jsonb_build_object('uuid', oscal_uuid('user/' || scope), 'title', 'ISMS owner'));
	END IF;

	RETURN jsonb_build_object('system-security-plan', jsonb_build_object(
		'uuid', oscal_uuid('ssp/' || scope || '/' || tag),
		'metadata', jsonb_strip_nulls(jsonb_build_object(
			'title', 'Statement of Applicability of ' || scope || ' (ISO/IEC 27001:' || s.edition || ', ' || tag || ')',
			'last-modified', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			'version', tag,
			'oscal-version', '1.2.1',
			'roles', nullif(roles, '[]'),
			'parties', nullif(parties, '[]'),
			'actions', actions,
			'remarks', 'Exported by the iso27001 PostgreSQL extension from its SoA register. Organization-defined controls are not part of the Annex A catalogue and are not exported here.')),
		'import-profile', jsonb_build_object('href', '#' || profile),
		'system-characteristics', jsonb_build_object(
			'system-ids', jsonb_build_array(jsonb_build_object(
				'identifier-type', 'https://ietf.org/rfc/rfc4122',
				'id', oscal_uuid('scope/' || scope)::text)),
			'system-name', scope,
			'description', coalesce(nullif(btrim(s.description), ''), 'The ISMS scope ' || scope || '.'),
			'system-information', jsonb_build_object('information-types', jsonb_build_array(jsonb_build_object(
				'uuid', oscal_uuid('information-type/' || scope),
				'title', 'Information within the ISMS scope',
				'description', 'The information the ISMS scope ' || scope || ' protects.'))),
			-- operational once an SoA version is approved
			'status', CASE WHEN v.version IS NOT NULL
						   THEN jsonb_build_object('state', 'operational')
						   ELSE jsonb_build_object('state', 'under-development',
												   'remarks', 'No version of the Statement of Applicability is approved yet.') END,
			'authorization-boundary', jsonb_build_object(
				'description', 'The scope of the information security management system ' || scope
							   || ', as its Statement of Applicability states.')),
		'system-implementation', jsonb_build_object(
			'users', users,
			'components', jsonb_build_array(jsonb_build_object(
				'uuid', component, 'type', 'this-system', 'title', scope,
				'description', 'The whole ISMS scope ' || scope || '.',
				'status', jsonb_build_object('state', 'operational')))),
		'control-implementation', jsonb_build_object(
			'description', 'Statement of Applicability (ISO/IEC 27001:2022 clause 6.1.3 d)): every Annex A control, '
						   || 'applicable or excluded with its justification, its implementation status and reasons for inclusion.',
			'implemented-requirements', reqs),
		'back-matter', jsonb_build_object('resources', jsonb_build_array(jsonb_build_object(
			'uuid', profile,
			'title', 'Applicable controls of ' || scope || ' (iso27001.oscal_profile)',
			'rlinks', jsonb_build_array(jsonb_build_object(
				'href', 'urn:uuid:' || profile, 'media-type', 'application/oscal.profile+json')))))));
END
$$;
COMMENT ON FUNCTION iso27001.oscal_ssp(text, integer) IS
	'a scope''s SoA (current, or an approved version) as an OSCAL system security plan: one implemented requirement per Annex A control with its decision, inclusion reasons, justification (remarks), implementation status, owner (responsible role and party) and evidence links; the approval as a metadata action';

CREATE FUNCTION iso27001.oscal_mapping_2013_2022()
	RETURNS jsonb
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.jsonb_build_object('mapping-collection', pg_catalog.jsonb_build_object(
		'uuid', iso27001.oscal_uuid('mapping/iso27001:2013/iso27001:2022'),
		'metadata', pg_catalog.jsonb_build_object(
			'title', 'ISO/IEC 27001:2013 Annex A to ISO/IEC 27001:2022 Annex A (ISO/IEC 27002:2022 Annex B correspondence)',
			'last-modified', '2022-02-15T00:00:00Z',
			'version', 'ISO/IEC 27002:2022 Annex B',
			'oscal-version', '1.2.1',
			'remarks', 'Relationships are read off the shape of the correspondence: one-to-one is equivalent-to, a 2013 control merged into a 2022 one is subset-of, one split over several is superset-of, split and merged is intersects-with.'),
		'provenance', pg_catalog.jsonb_build_object(
			'method', 'human', 'matching-rationale', 'semantic', 'status', 'complete',
			'mapping-description', 'The 115 pairs of ISO/IEC 27002:2022 Annex B, Table B.2.'),
		'mappings', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
			'uuid', iso27001.oscal_uuid('mapping/iso27001:2013/iso27001:2022/maps'),
			'source-resource', pg_catalog.jsonb_build_object('type', 'catalog', 'href', 'iso27001-2013-catalog.json'),
			'target-resource', pg_catalog.jsonb_build_object('type', 'catalog', 'href', 'iso27001-2022-catalog.json'),
			'maps', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
							'uuid', iso27001.oscal_uuid('map/' OPERATOR(pg_catalog.||) c.control_2013::text
														   OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) c.control_2022::text),
							'relationship', CASE c.kind::text WHEN 'one-to-one' THEN 'equivalent-to'
														WHEN 'merge' THEN 'subset-of'
														WHEN 'split' THEN 'superset-of'
														ELSE 'intersects-with' END,
							'sources', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
								'type', 'control', 'id-ref', pg_catalog.lower(c.control_2013::text))),
							'targets', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
								'type', 'control', 'id-ref', pg_catalog.lower(c.control_2022::text))),
							'props', pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
								'name', 'correspondence-kind', 'ns', 'https://pgxn.org/dist/iso27001/ns/oscal',
								'value', c.kind::text)))
							ORDER BY c.control_2013, c.control_2022)
					   FROM iso27001.correspondence c)))));
END;
COMMENT ON FUNCTION iso27001.oscal_mapping_2013_2022() IS
	'the 2013 -> 2022 Annex A correspondence as an OSCAL 1.2 mapping collection (one map per pair, relationship from the pair''s shape)';
