#!/usr/bin/env bash
# The OSCAL exports against NIST's OSCAL 1.2.1 JSON Schemas (run by
# tools/test.sh inside the throwaway cluster; prints TAP): both catalogues,
# a scope's SSP and profile (current and an approved version), the mapping
# collection; a broken document is rejected; UUIDs are version 5 UUIDs of
# the documented names, as Python's uuid module computes them.
set -uo pipefail
cd "$(dirname "$0")/../fixtures/oscal"
db=iso27001_oscal
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
. ../../include/tap.sh

echo "1..15"
q "CREATE EXTENSION iso27001;
   SELECT iso27001.create_scope('Acme & Co. / HQ', description => 'Head office and cloud services.');
   UPDATE iso27001.soa_register SET entry = 'applicable, implemented (risk treatment, contractual)',
          justification = 'Risk assessment RA-2025.';
   SELECT iso27001.soa_set('Acme & Co. / HQ', 'A.7.4', 'excluded', 'No premises of our own.');
   SELECT iso27001.soa_set('Acme & Co. / HQ', 'A.5.7', 'applicable, planned (legal)', 'Threat feeds in 2026.',
                           owner => 'Ann Owner', evidence => '{https://wiki.example/threat intel,ftp://files.example/é.pdf}');
   SELECT iso27001.soa_approve('Acme & Co. / HQ', 'Jane Doe');
   SELECT iso27001.soa_set('Acme & Co. / HQ', 'A.5.7', 'applicable, partially implemented (legal)', 'Feeds running.');" >/dev/null
q "SELECT iso27001.oscal_catalog(2022)" > "$work/catalog-2022.json"
q "SELECT iso27001.oscal_catalog(2013)" > "$work/catalog-2013.json"
q "SELECT iso27001.oscal_ssp('Acme & Co. / HQ')" > "$work/ssp.json"
q "SELECT iso27001.oscal_ssp('Acme & Co. / HQ', 1)" > "$work/ssp-1.json"
q "SELECT iso27001.oscal_profile('Acme & Co. / HQ')" > "$work/profile.json"
q "SELECT iso27001.oscal_mapping_2013_2022()" > "$work/mapping.json"
q "INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, control, description, raised_on,
                                      root_cause, correction, corrective_action, owner, due_date, closed_on)
   VALUES (iso27001.soa_scope_id('Acme & Co. / HQ'), 'NC 2026/1', 'certification_audit', 'major', '6.1.3', NULL,
           'Risk owners not named', '2026-02-10', 'No process', 'Owners named', 'Quarterly risk review', 'CISO', '2026-05-31', NULL),
          (iso27001.soa_scope_id('Acme & Co. / HQ'), 'OFI-2', 'internal_audit', 'opportunity', NULL, 'A.5.7',
           'Threat feeds could be automated', '2026-03-01', NULL, NULL, NULL, NULL, NULL, NULL);
   INSERT INTO iso27001.risk (scope_id, risk_id, description, owner, likelihood, impact, treatment, controls, status, identified_on)
   VALUES (iso27001.soa_scope_id('Acme & Co. / HQ'), 'R-1', 'Phishing & account takeover', 'CISO', 4, 4, 'modify',
           '{A.5.7, A.6.3}', 'in treatment', '2026-01-05'),
          (iso27001.soa_scope_id('Acme & Co. / HQ'), 'R-2', 'Unassessed supplier risk', NULL, NULL, NULL, NULL,
           '{}', 'open', '2026-01-06')" >/dev/null
q "SELECT iso27001.oscal_poam('Acme & Co. / HQ')" > "$work/poam.json"

check "the 2022 catalogue is a valid OSCAL catalog" ../../shell/oscal_validate.py oscal_catalog_schema.json "$work/catalog-2022.json"
check "the 2013 catalogue is a valid OSCAL catalog" ../../shell/oscal_validate.py oscal_catalog_schema.json "$work/catalog-2013.json"
check "the current SoA is a valid OSCAL system security plan" ../../shell/oscal_validate.py oscal_ssp_schema.json "$work/ssp.json"
check "approved version 1 is a valid OSCAL system security plan" ../../shell/oscal_validate.py oscal_ssp_schema.json "$work/ssp-1.json"
check "the applicable controls are a valid OSCAL profile" ../../shell/oscal_validate.py oscal_profile_schema.json "$work/profile.json"
check "the correspondence is a valid OSCAL 1.2 mapping collection" ../../shell/oscal_validate.py oscal_mapping_schema.json "$work/mapping.json"
check "the open nonconformities and risks are a valid OSCAL plan of action and milestones" ../../shell/oscal_validate.py oscal_complete_schema.json "$work/poam.json"
sed 's/"status": "remediating"/"status": "being fixed"/' "$work/poam.json" > "$work/bad-poam.json"
check "a risk status that is not a token is rejected (the check can fail)" \
	bash -c "! ../../shell/oscal_validate.py oscal_complete_schema.json '$work/bad-poam.json'"
check "the POA&M's UUIDs are Python's uuid5 of the documented names" \
	/usr/bin/python3 -c "
import json, sys, uuid
ns = uuid.uuid5(uuid.NAMESPACE_URL, 'https://pgxn.org/dist/iso27001/oscal')
p = json.load(open(sys.argv[1]))['plan-of-action-and-milestones']
assert p['uuid'] == str(uuid.uuid5(ns, 'poam/Acme & Co. / HQ')), p['uuid']
assert [i['uuid'] for i in p['poam-items']] == [str(uuid.uuid5(ns, 'poam-item/Acme & Co. / HQ/' + n)) for n in ('NC 2026/1', 'OFI-2', 'risk/R-1', 'risk/R-2')]
assert [r['uuid'] for r in p['risks']][2:] == [str(uuid.uuid5(ns, 'risk/Acme & Co. / HQ/' + n)) for n in ('R-1', 'R-2')]
assert [i['related-risks'][0]['risk-uuid'] for i in p['poam-items']] == [r['uuid'] for r in p['risks']]
" "$work/poam.json"
sed 's/"a\.5\.7"/"5.7"/' "$work/ssp.json" > "$work/bad.json"
check "an SSP with control id 5.7 (not a token) is rejected (the check can fail)" \
	bash -c "! ../../shell/oscal_validate.py oscal_ssp_schema.json '$work/bad.json'"
q "SELECT iso27001.oscal_ssp('Acme & Co. / HQ')" > "$work/ssp-again.json"
check "the same SoA exports byte for byte the same document" cmp "$work/ssp.json" "$work/ssp-again.json"
check "version 1 differs from the current SoA (A.5.7 re-decided)" bash -c "! cmp -s '$work/ssp.json' '$work/ssp-1.json'"
want=$(/usr/bin/python3 -c "import uuid; ns = uuid.uuid5(uuid.NAMESPACE_URL, 'https://pgxn.org/dist/iso27001/oscal'); print(uuid.uuid5(ns, 'ssp/Acme & Co. / HQ/current'), uuid.uuid5(ns, 'catalog/iso27001:2022'))")
got="$(/usr/bin/python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['system-security-plan']['uuid'], json.load(open(sys.argv[2]))['catalog']['uuid'])" "$work/ssp.json" "$work/catalog-2022.json")"
check "UUIDs are Python's uuid5 of the documented names ($want)" test "$got" = "$want"
# the approval and the owner: names and UUIDs computed here by Python
cat > "$work/approval.py" <<'PY'
import json, sys, uuid
ns = uuid.uuid5(uuid.NAMESPACE_URL, 'https://pgxn.org/dist/iso27001/oscal')
cur = json.load(open(sys.argv[1]))['system-security-plan']
v1 = json.load(open(sys.argv[2]))['system-security-plan']
jane, ann = str(uuid.uuid5(ns, 'party/Jane Doe')), str(uuid.uuid5(ns, 'party/Ann Owner'))
for doc, changed in ((cur, True), (v1, False)):
    md = doc['metadata']
    (a,) = md['actions']
    assert a['type'] == 'approval' and a['uuid'] == str(uuid.uuid5(ns, 'approval/Acme & Co. / HQ/1')), a
    assert a['props'] == [{'name': 'soa-version', 'ns': 'https://pgxn.org/dist/iso27001/ns/oscal', 'value': '1'}], a
    assert a['responsible-parties'] == [{'role-id': 'soa-approver', 'party-uuids': [jane]}], a
    assert ('remarks' in a) == changed, a
    assert doc['system-characteristics']['status'] == {'state': 'operational'}
    assert sorted((p['name'], p['uuid']) for p in md['parties']) == [('Ann Owner', ann), ('Jane Doe', jane)], md['parties']
    (req,) = [r for r in doc['control-implementation']['implemented-requirements'] if r['control-id'] == 'a.5.7']
    assert req['responsible-roles'] == [{'role-id': 'control-owner', 'party-uuids': [ann]}], req
    assert [l['href'] for l in req['links']] == ['https://wiki.example/threat%20intel', 'ftp://files.example/%C3%A9.pdf'], req
print('ok')
PY
check "the approval of version 1 as a metadata action by Jane Doe, the owner and evidence of A.5.7, in both SSPs" \
	/usr/bin/python3 "$work/approval.py" "$work/ssp.json" "$work/ssp-1.json"
sed 's/"type": "approval"/"type": "approval of"/' "$work/ssp-1.json" > "$work/bad-action.json"
check "an action type that is not a token is rejected (the check can fail)" \
	bash -c "! ../../shell/oscal_validate.py oscal_ssp_schema.json '$work/bad-action.json'"
