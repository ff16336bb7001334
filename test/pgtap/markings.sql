-- Every object of the extension is marked honestly and commented: each
-- function's volatility, strictness and parallel safety is listed here,
-- so a new or changed function fails this test until it is reviewed.
\ir ../include/preamble.sql

-- the extension's functions and aggregates
CREATE TEMP VIEW ext_functions AS
SELECT p.oid::regprocedure::text AS signature, p.oid, p.provolatile,
	   p.proisstrict, p.proparallel, p.proleakproof, p.prosecdef, p.prolang, p.prosqlbody,
	   p.proconfig
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_depend d
	ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
   AND d.deptype = 'e'
  JOIN pg_catalog.pg_extension e
	ON e.oid = d.refobjid AND e.extname = 'iso27001';

SELECT plan(10);

-- signature, volatility (i/s/v), strict, parallel (s/r/u), leakproof
SELECT set_eq(
	$$SELECT signature, provolatile::text, proisstrict, proparallel::text, proleakproof
		FROM ext_functions$$,
	$$VALUES
	('iso27001.iso_control_in(cstring)', 'i', true, 's', false),
	('iso27001.iso_control_out(iso27001.iso_control)', 'i', true, 's', false),
	('iso27001.iso_control_recv(internal)', 'i', true, 's', false),
	('iso27001.iso_control_send(iso27001.iso_control)', 'i', true, 's', false),
	('iso27001.iso_control_eq(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_ne(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_lt(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_le(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_gt(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_ge(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_cmp(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_sortsupport(internal)', 'i', true, 's', false),
	('iso27001.iso_control_hash(iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.iso_control_hash_extended(iso27001.iso_control,bigint)', 'i', true, 's', true),
	('iso27001.iso_control_smaller(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', false),
	('iso27001.iso_control_larger(iso27001.iso_control,iso27001.iso_control)', 'i', true, 's', false),
	-- in public, the schema CREATE EXTENSION installed into (default_path.sql)
	('min(iso27001.iso_control)', 'i', false, 's', false),
	('max(iso27001.iso_control)', 'i', false, 's', false),
	('iso27001.edition(iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.is_valid_control(text)', 'i', true, 's', false),
	('iso27001.soa_entry_eq(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_ne(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_lt(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_le(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_gt(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_ge(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_cmp(iso27001.soa_entry,iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_in(cstring)', 'i', true, 's', false),
	('iso27001.soa_entry_out(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.soa_entry_recv(internal)', 'i', true, 's', false),
	('iso27001.soa_entry_send(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.soa_entry_sortsupport(internal)', 'i', true, 's', false),
	('iso27001.soa_entry_hash(iso27001.soa_entry)', 'i', true, 's', true),
	('iso27001.soa_entry_hash_extended(iso27001.soa_entry,bigint)', 'i', true, 's', true),
	('iso27001.soa_entry_check(text,integer,text,iso27001.iso_control,text,iso27001.soa_entry,text,text[])', 'i', false, 's', false),
	('iso27001.soa_scope_row_check()', 'v', false, 'u', false),
	('iso27001.certificate_row_check()', 'v', false, 'u', false),
	('iso27001.certification_audit_row_check()', 'v', false, 'u', false),
	('iso27001.behaviour_metric_row_check()', 'v', false, 'u', false),
	('iso27001.behaviour_observation_row_check()', 'v', false, 'u', false),
	('iso27001.behaviour_target_row_check()', 'v', false, 'u', false),
	('iso27001.make_soa_entry(boolean,text,text[])', 'i', false, 's', false),
	('iso27001.is_applicable(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.implementation(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.is_implemented(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.reasons(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.oscal_status(iso27001.soa_entry)', 'i', true, 's', false),
	('iso27001.soa_entry_problems(iso27001.soa_entry,text,text[])', 'i', false, 's', false),
	('iso27001.soa_summary_accum(bigint[],iso27001.soa_entry)', 'i', false, 's', false),
	('iso27001.soa_summary_combine(bigint[],bigint[])', 'i', true, 's', false),
	('iso27001.soa_summary_final(bigint[])', 'i', true, 's', false),
	('iso27001.soa_summary(iso27001.soa_entry)', 'i', false, 's', false),
	('iso27001.soa_census_accum(internal,text,iso27001.iso_control,text,iso27001.soa_entry,text,text[],boolean)', 'i', false, 's', false),
	('iso27001.soa_census_combine(internal,internal)', 'i', false, 's', false),
	('iso27001.soa_census_serialize(internal)', 'i', true, 's', false),
	('iso27001.soa_census_deserialize(bytea,internal)', 'i', true, 's', false),
	('iso27001.soa_census_final(internal)', 'i', false, 's', false),
	('iso27001.soa_census_agg(text,iso27001.iso_control,text,iso27001.soa_entry,text,text[],boolean)', 'i', false, 's', false),
	('iso27001.annex_a_bits(text[])', 'i', true, 's', false),
	('iso27001.annex_a_members(bit varying)', 'i', true, 's', false),
	('iso27001.annex_a_set_accum(bit varying,text[])', 'i', false, 's', false),
	('iso27001.annex_a_set_agg(text[])', 'i', false, 's', false),
	('iso27001.annex_a_set_combine(bit varying,bit varying)', 'i', true, 's', false),
	('iso27001.evidence_census_accum(internal,text[],timestamp with time zone,date,boolean,date)', 'i', false, 's', false),
	('iso27001.evidence_census_combine(internal,internal)', 'i', false, 's', false),
	('iso27001.evidence_census_serialize(internal)', 'i', true, 's', false),
	('iso27001.evidence_census_deserialize(bytea,internal)', 'i', true, 's', false),
	('iso27001.evidence_census_final(internal)', 'i', false, 's', false),
	('iso27001.evidence_census_agg(text[],timestamp with time zone,date,boolean,date)', 'i', false, 's', false),
	('iso27001.soa_scope_id(text)', 's', true, 's', false),
	('iso27001.soa_restoring()', 's', false, 's', false),
	('iso27001.soa_administrator()', 's', false, 's', false),
	('iso27001.soa_written_by_current_transaction(xid)', 's', true, 's', false),
	('iso27001.soa_version_snapshot()', 'v', false, 'u', false),
	('iso27001.soa_version_entry_check()', 'v', false, 'u', false),
	('iso27001.soa_register_check()', 'v', false, 'u', false),
	('iso27001.soa_register_guard_delete()', 'v', false, 'u', false),
	('iso27001.soa_register_log()', 'v', false, 'u', false),
	('iso27001.soa_history_check()', 'v', false, 'u', false),
	('iso27001.soa_history_evidence(bigint,text,timestamp with time zone)', 's', true, 's', false),
	('iso27001.soa_version_check()', 'v', false, 'u', false),
	('iso27001.soa_refuse_truncate()', 'v', false, 'u', false),
	('iso27001.soa_guard_drop()', 'v', false, 'u', false),
	('iso27001.create_scope(text,integer,text)', 'v', false, 'u', false),
	('iso27001.delete_scope(text)', 'v', true, 'u', false),
	('iso27001.soa_set(text,iso27001.iso_control,iso27001.soa_entry,text,text,text[],boolean)', 'v', false, 'u', false),
	('iso27001.soa_set_custom(text,text,text,iso27001.soa_entry,text,text,text[],boolean)', 'v', false, 'u', false),
	('iso27001.soa_remove_custom(text,text)', 'v', true, 'u', false),
	('iso27001.soa_add_evidence(text,text,text)', 'v', true, 'u', false),
	('iso27001.soa_approve(text,text,text)', 'v', false, 'u', false),
	('iso27001.soa_as_of(text,timestamp with time zone)', 's', true, 's', false),
	('iso27001.soa_version_time(text,integer)', 's', true, 's', false),
	('iso27001.soa_as_of_version(text,integer)', 's', true, 's', false),
	('iso27001.soa_diff_at(text,timestamp with time zone,timestamp with time zone)', 's', true, 's', false),
	('iso27001.soa_diff(text,integer,integer)', 's', true, 's', false),
	('iso27001.validation_date(date)', 'i', false, 's', false),
	('iso27001.soa_validate(text,date)', 's', false, 's', false),
	('iso27001.soa_coverage(text)', 's', false, 's', false),
	('iso27001.soa_coverage_by_attribute(text)', 's', false, 's', false),
	('iso27001.soa_migrate_2013_to_2022(text,text,text)', 'v', false, 'u', false),
	('iso27001.soa_export(text,integer)', 's', false, 's', false),
	('iso27001.soa_export_json(text,integer)', 's', false, 's', false),
	('iso27001.title(iso27001.iso_control)', 's', true, 's', false),
	('iso27001.theme(iso27001.iso_control)', 's', true, 's', false),
	('iso27001.clause(iso27001.iso_control)', 's', true, 's', false),
	('iso27001.objective(iso27001.iso_control)', 's', true, 's', false),
	('iso27001.is_new(iso27001.iso_control)', 's', true, 's', false),
	('iso27001.successors(iso27001.iso_control)', 's', false, 's', false),
	('iso27001.predecessors(iso27001.iso_control)', 's', false, 's', false),
	('iso27001.certification_cycle(date,date,date,integer,date[],integer,integer,integer,text,text,integer,integer,boolean,integer,integer,integer)', 'i', false, 's', false),
	('iso27001.certification_cycle_check(date,iso27001.certification_event[],date,integer,text,boolean,integer,integer,text,integer)', 'i', false, 's', false),
	('iso27001.certification_cycle_check_query(date,text,date,integer,text,boolean,integer,integer,text,integer)', 'v', false, 'u', false),
	('iso27001.certification_next_due(date,iso27001.certification_event[],date,integer,text,boolean,integer,integer,text,integer,integer,integer,integer,integer)', 'i', false, 's', false),
	('iso27001.isms_audit_time(integer,double precision,double precision,double precision,double precision,double precision,text,text,text)', 'i', false, 's', false),
	('iso27001.ms_site_sample(integer)', 'i', true, 's', false),
	('iso27001.isms_effective_persons(integer[])', 'i', true, 's', false),
	('iso27001.trend_ols_in(cstring)', 'i', true, 's', false),
	('iso27001.trend_ols_out(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.trend_ols_recv(internal)', 'i', true, 's', false),
	('iso27001.trend_ols_send(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.trend_ols_accum(iso27001.trend_ols,double precision,timestamp with time zone)', 'i', true, 's', false),
	('iso27001.trend_ols_accum(iso27001.trend_ols,double precision,double precision)', 'i', true, 's', false),
	('iso27001.trend_ols_combine(iso27001.trend_ols,iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.trend_ols_maccum(internal,double precision,timestamp with time zone)', 'i', false, 's', false),
	('iso27001.trend_ols_maccum(internal,double precision,double precision)', 'i', false, 's', false),
	('iso27001.trend_ols_minvert(internal,double precision,timestamp with time zone)', 'i', false, 's', false),
	('iso27001.trend_ols_minvert(internal,double precision,double precision)', 'i', false, 's', false),
	('iso27001.trend_ols_mfinal(internal)', 'i', false, 's', false),
	('iso27001.trend_ols_agg(double precision,timestamp with time zone)', 'i', false, 's', false),
	('iso27001.trend_ols_agg(double precision,double precision)', 'i', false, 's', false),
	('iso27001.rollup(iso27001.trend_ols)', 'i', false, 's', false),
	('iso27001.n(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.slope(iso27001.trend_ols,interval)', 'i', false, 's', false),
	('iso27001.slope_stderr(iso27001.trend_ols,interval)', 'i', false, 's', false),
	('iso27001.slope_lower(iso27001.trend_ols,interval,double precision)', 'i', false, 's', false),
	('iso27001.slope_upper(iso27001.trend_ols,interval,double precision)', 'i', false, 's', false),
	('iso27001.t_value(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.p_value(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.r2(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.fitted_at(iso27001.trend_ols,timestamp with time zone)', 'i', true, 's', false),
	('iso27001.fitted_at(iso27001.trend_ols,double precision)', 'i', true, 's', false),
	('iso27001.fitted_first(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.fitted_last(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.first_time(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.last_time(iso27001.trend_ols)', 'i', true, 's', false),
	('iso27001.trend_rate_in(cstring)', 'i', true, 's', false),
	('iso27001.trend_rate_out(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.trend_rate_recv(internal)', 'i', true, 's', false),
	('iso27001.trend_rate_send(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.trend_rate_accum(iso27001.trend_rate,bigint,bigint,timestamp with time zone)', 'i', true, 's', false),
	('iso27001.trend_rate_accum(iso27001.trend_rate,bigint,bigint,double precision)', 'i', true, 's', false),
	('iso27001.trend_rate_combine(iso27001.trend_rate,iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.trend_rate_agg(bigint,bigint,timestamp with time zone)', 'i', false, 's', false),
	('iso27001.trend_rate_agg(bigint,bigint,double precision)', 'i', false, 's', false),
	('iso27001.rollup(iso27001.trend_rate)', 'i', false, 's', false),
	('iso27001.n(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.rate(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.slope(iso27001.trend_rate,interval)', 'i', false, 's', false),
	('iso27001.slope_stderr(iso27001.trend_rate,interval)', 'i', false, 's', false),
	('iso27001.slope_lower(iso27001.trend_rate,interval,double precision)', 'i', false, 's', false),
	('iso27001.slope_upper(iso27001.trend_rate,interval,double precision)', 'i', false, 's', false),
	('iso27001.ca_chi2(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.ca_z(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.ca_p(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.dispersion(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.fitted_at(iso27001.trend_rate,timestamp with time zone)', 'i', true, 's', false),
	('iso27001.fitted_at(iso27001.trend_rate,double precision)', 'i', true, 's', false),
	('iso27001.fitted_first(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.fitted_last(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.first_time(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.last_time(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.trend_robust_in(cstring)', 'i', true, 's', false),
	('iso27001.trend_robust_out(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.trend_robust_recv(internal)', 'i', true, 's', false),
	('iso27001.trend_robust_send(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.trend_robust_accum(internal,double precision,timestamp with time zone)', 'i', false, 's', false),
	('iso27001.trend_robust_accum(internal,double precision,double precision)', 'i', false, 's', false),
	('iso27001.trend_robust_rollup_accum(internal,iso27001.trend_robust)', 'i', false, 's', false),
	('iso27001.trend_robust_combine(internal,internal)', 'i', false, 's', false),
	('iso27001.trend_robust_serialize(internal)', 'i', true, 's', false),
	('iso27001.trend_robust_deserialize(bytea,internal)', 'i', true, 's', false),
	('iso27001.trend_robust_final(internal)', 'i', false, 's', false),
	('iso27001.trend_robust_agg(double precision,timestamp with time zone)', 'i', false, 's', false),
	('iso27001.trend_robust_agg(double precision,double precision)', 'i', false, 's', false),
	('iso27001.rollup(iso27001.trend_robust)', 'i', false, 's', false),
	('iso27001.n(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.slope(iso27001.trend_robust,interval)', 'i', false, 's', false),
	('iso27001.slope_lower(iso27001.trend_robust,interval,double precision)', 'i', false, 's', false),
	('iso27001.slope_upper(iso27001.trend_robust,interval,double precision)', 'i', false, 's', false),
	('iso27001.mk_s(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.mk_var_s(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.mk_z(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.mk_p(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.mk_p_exact(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.kendall_tau_b(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.fitted_at(iso27001.trend_robust,timestamp with time zone)', 'i', true, 's', false),
	('iso27001.fitted_at(iso27001.trend_robust,double precision)', 'i', true, 's', false),
	('iso27001.first_time(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.last_time(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.p_value(iso27001.trend_rate)', 'i', true, 's', false),
	('iso27001.p_value(iso27001.trend_robust)', 'i', true, 's', false),
	('iso27001.trend_report(iso27001.trend_ols,text,interval,double precision)', 'i', false, 's', false),
	('iso27001.trend_report(iso27001.trend_rate,text,interval,double precision)', 'i', false, 's', false),
	('iso27001.trend_report(iso27001.trend_robust,text,interval,double precision)', 'i', false, 's', false),
	('iso27001.trend_verdict(bigint,double precision,double precision,double precision,double precision,text,double precision)', 'i', false, 's', false),
	('iso27001.material_verdict(text,double precision,double precision)', 'i', false, 's', false),
	('iso27001.target_status(double precision,double precision,double precision,text)', 'i', false, 's', false),
	('iso27001.target_projection(iso27001.trend_rate,double precision,timestamp with time zone,text,double precision)', 'i', false, 's', false),
	('iso27001.target_projection(iso27001.trend_ols,double precision,timestamp with time zone,text,double precision)', 'i', false, 's', false),
	('iso27001.fitted_lower(iso27001.trend_ols,timestamp with time zone,double precision)', 'i', true, 's', false),
	('iso27001.fitted_upper(iso27001.trend_ols,timestamp with time zone,double precision)', 'i', true, 's', false),
	('iso27001.fitted_lower(iso27001.trend_rate,timestamp with time zone,double precision)', 'i', true, 's', false),
	('iso27001.fitted_upper(iso27001.trend_rate,timestamp with time zone,double precision)', 'i', true, 's', false),
	('iso27001.verdict(iso27001.trend_ols,text,double precision)', 'i', false, 's', false),
	('iso27001.verdict(iso27001.trend_rate,text,double precision)', 'i', false, 's', false),
	('iso27001.verdict(iso27001.trend_robust,text,double precision)', 'i', false, 's', false),
	('iso27001.seasonal_trend(iso27001.trend_robust[])', 'i', true, 's', false),
	('iso27001.student_t_p(double precision,double precision)', 'i', true, 's', false),
	('iso27001.student_t_critical(double precision,double precision)', 'i', true, 's', false),
	('iso27001.stratified_trend(iso27001.trend_rate[],text,interval,double precision)', 'i', false, 's', false),
	('iso27001.trend_adjusted(text,text,text,date,date,interval,double precision)', 's', false, 's', false),
	('iso27001.logit_trend(double precision[],bigint[],bigint[])', 'i', true, 's', false),
	('iso27001.sort_key(iso27001.iso_control)', 'i', true, 's', true),
	('iso27001.uuid_v5(uuid,text)', 'i', true, 's', false),
	('iso27001.evidence_period_check(text,text,date,date)', 's', false, 's', false),
	('iso27001.evidence_observations(text,text,date,date)', 's', false, 's', false),
	('iso27001.evidence_states(bigint,text,date,date)', 's', false, 's', false),
	('iso27001.reader_tables()', 's', false, 's', false),
	('iso27001.reader_check(regrole)', 's', false, 's', false),
	('iso27001.grant_reader(regrole)', 'v', false, 'u', false),
	('iso27001.revoke_reader(regrole)', 'v', false, 'u', false),
	('iso27001.grant_auditor(regrole)', 'v', false, 'u', false),
	('iso27001.revoke_auditor(regrole)', 'v', false, 'u', false),
	('iso27001.evidence_pack(text,text,date,date,double precision,integer)', 's', false, 's', false),
	('iso27001.svg_text(text)', 'i', true, 's', false),
	('iso27001.chart_ticks(double precision,double precision)', 'i', true, 's', false),
	('iso27001.evidence_chart(text,text,date,date,double precision,integer,integer)', 's', false, 's', false),
	('iso27001.oscal_uuid(text)', 'i', true, 's', false),
	('iso27001.oscal_href(text)', 'i', true, 's', false),
	('iso27001.certificate_record(text,text,date,text,text,text,integer)', 'v', false, 'u', false),
	('iso27001.rate_change(bigint[],bigint[],bigint[],bigint[],text,double precision)', 'i', false, 's', false),
	('iso27001.evidence_control_keys(bigint,text[])', 's', false, 's', false),
	('iso27001.evidence_row_check()', 'v', false, 'u', false),
	('iso27001.evidence_requirement_check()', 'v', false, 'u', false),
	('iso27001.soa_register_evidence_record()', 'v', false, 'u', false),
	('iso27001.nonconformity_row_check()', 'v', false, 'u', false),
	('iso27001.risk_scale_row_check()', 'v', false, 'u', false),
	('iso27001.risk_row_check()', 'v', false, 'u', false),
	('iso27001.risk_check(text)', 's', false, 's', false),
	('iso27001.nonconformity_effectiveness(text,text,double precision)', 's', false, 's', false),
	('iso27001.nonconformity_check(text,date,interval)', 's', false, 's', false),
	('iso27001.internal_audit_programme_row_check()', 'v', false, 'u', false),
	('iso27001.internal_audit_row_check()', 'v', false, 'u', false),
	('iso27001.internal_audit_items(text,date,date,date)', 's', false, 's', false),
	('iso27001.internal_audit_coverage(text,date,date)', 's', false, 's', false),
	('iso27001.internal_audit_check(text,date)', 's', false, 's', false),
	('iso27001.internal_audit_findings(text,text)', 's', false, 's', false),
	('iso27001.management_review_row_check()', 'v', false, 'u', false),
	('iso27001.management_review_action_row_check()', 'v', false, 'u', false),
	('iso27001.management_review_pack(text,date,date)', 's', false, 's', false),
	('iso27001.oscal_poam(text)', 's', false, 's', false),
	('iso27001.behaviour_trend_between(date,date)', 's', false, 's', false),
	('iso27001.oscal_control_props(iso27001.iso_control)', 's', true, 's', false),
	('iso27001.oscal_catalog(integer)', 's', false, 's', false),
	('iso27001.oscal_entries(text,integer)', 's', false, 's', false),
	('iso27001.oscal_profile(text,integer)', 's', false, 's', false),
	('iso27001.oscal_ssp(text,integer)', 's', false, 's', false),
	('iso27001.oscal_mapping_2013_2022()', 's', false, 's', false)
	$$,
	'every function has the reviewed volatility, strictness, parallel safety and leakproofness');

-- rules that hold for every function, whatever the list above says
SELECT is_empty(
	$$SELECT signature FROM ext_functions
	   WHERE (provolatile <> 'v' AND proparallel <> 's')
		  OR (provolatile = 'v' AND proparallel <> 'u')$$,
	'every function that only reads is PARALLEL SAFE; every one that writes (VOLATILE) is PARALLEL UNSAFE');
SELECT is_empty(
	$$SELECT signature FROM ext_functions WHERE prosecdef$$,
	'no function is SECURITY DEFINER');
SELECT is_empty(
	$$SELECT signature FROM ext_functions f
		JOIN pg_catalog.pg_language l ON l.oid = f.prolang
	   WHERE ((l.lanname = 'sql' AND f.prosqlbody IS NULL) OR l.lanname = 'plpgsql')
		 AND NOT coalesce(f.proconfig, '{}')
				 && ARRAY['search_path=pg_catalog, pg_temp', 'search_path=pg_catalog, iso27001, public, pg_temp']$$,
	'every SQL function has a BEGIN ATOMIC body or a pinned search_path, every PL/pgSQL function a pinned search_path');
SELECT is_empty(
	$$SELECT signature FROM ext_functions f
		JOIN pg_catalog.pg_language l ON l.oid = f.prolang
	   WHERE l.lanname IN ('c', 'internal') AND f.provolatile <> 'i'
		 AND f.signature NOT IN ('iso27001.soa_written_by_current_transaction(xid)',
				 'iso27001.soa_guard_drop()',
				 'iso27001.certification_cycle_check_query(date,text,date,integer,text,boolean,integer,integer,text,integer)',
				 'iso27001.soa_as_of_version(text,integer)',
				 'iso27001.soa_scope_id(text)', 'iso27001.soa_version_time(text,integer)')$$,
	'every C function is IMMUTABLE (none reads a table or a setting), but the one that asks about the current transaction, the one that runs a query, the event trigger that guards DROP EXTENSION and those that read the register (an SoA version, the look-ups of a scope and a version)');
SELECT is_empty(
	$$SELECT a.aggfnoid::regprocedure::text FROM pg_catalog.pg_aggregate a
		JOIN ext_functions f ON f.oid = a.aggfnoid
	   WHERE a.aggcombinefn = 0
		  OR (a.aggtranstype = 'internal'::regtype
			  AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0))$$,
	'every aggregate has a combine function (and serialize/deserialize for internal state)');

-- every object of the extension has a comment; from 17 on, the types
-- that come with another object (a type's array type, a table's or view's
-- row type) are members of the extension too, and they take no comment
SELECT is_empty(
	$$SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
		FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
		LEFT JOIN pg_catalog.pg_type t ON d.classid = 'pg_catalog.pg_type'::regclass AND t.oid = d.objid
		LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
	   WHERE e.extname = 'iso27001' AND d.deptype = 'e'
		 AND pg_catalog.obj_description(d.objid, d.classid::regclass::name) IS NULL
		 AND NOT coalesce(c.relkind <> 'c'
						  OR EXISTS (SELECT FROM pg_catalog.pg_type o WHERE o.typarray = t.oid), false)$$,
	'every type, function, operator, operator class and family, cast, table and view has a comment');
SELECT isnt(pg_catalog.obj_description('iso27001'::regnamespace, 'pg_namespace'), NULL,
	'schema iso27001 has a comment');
SELECT is_empty(
	$$SELECT c.relname || '.' || a.attname
		FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
	   WHERE c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'v'
		 AND pg_catalog.col_description(c.oid, a.attnum) IS NULL$$,
	'every column of every view has a comment');

-- the extension is not relocatable and is recorded in the schema it was
-- installed into, which holds its operators (default_path.sql)
SELECT results_eq(
	$$SELECT extrelocatable, extnamespace::regnamespace::text FROM pg_catalog.pg_extension
	   WHERE extname = 'iso27001'$$,
	$$VALUES (false, 'public')$$,
	'iso27001 is not relocatable and is recorded in public, where CREATE EXTENSION installed it');

SELECT * FROM finish();
ROLLBACK;
