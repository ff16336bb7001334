#!/usr/bin/env bash
# Calibration of the trend verdicts on simulated phishing campaigns
# (docs/calibration.md; prints TAP; not run by tools/test.sh yet).  Runs
# against the server in PGHOST/PGPORT with the extension installed; makes
# its own database and drops it.
#
# test/fixtures/calibration/simulate.py draws series of campaigns (clicks
# out of recipients) with a fixed seed: null scenarios without a true trend
# (pure binomial, and campaigns of different difficulty), scenarios with a
# real drop, and the cases of issue 14.  Each series is also loaded as a
# scope's behaviour_observation rows.  The families -- verdict() on the
# rate, least-squares and robust aggregates, material_verdict() of the rate
# verdict where the extension has it, and iso27001_bi.behaviour_trend on a
# rate metric and on a value metric -- give a verdict for every series;
# then, per scenario and family:
#   null:  the share of false directions (improving or worsening) must be
#          at most alpha + 3 sqrt(alpha (1 - alpha) / N), alpha = 0.05;
#   power: the share of "improving" must be at least 80 %;
#   case:  reported only.
# Paths that must give a family's verdicts (trend_report, evidence_pack,
# the BI view) are compared with it series by series.  Prints the table of
# verdict shares as TAP comments; exits 1 if a check failed.
#
#   test/shell/calibration.sh                        TAP, the table as comments
#   test/shell/calibration.sh --markdown             the tables in markdown on stdout, TAP on stderr
#   ISO27001_CALIBRATION_MARKDOWN=FILE               also write the markdown tables to FILE
#   ISO27001_CALIBRATION_SERIES=100                  series per scenario (default: simulate.py's)
#   ISO27001_CALIBRATION_SEED=1                      base seed of simulate.py
#   ISO27001_CALIBRATION_ONLY=null_heavy_w52,...     only these scenarios
#   ISO27001_CALIBRATION_EVIDENCE=20                 series per scenario that evidence_pack checks
#   ISO27001_CALIBRATION_COMMIT=abc1234              the commit the table names (default: git)
#
# To extend it: a verdict word is a line of the word table below (a new
# non-directional word such as "no material change" needs nothing: any word
# a path returns gets a column); a family is one call of `family` (a name,
# the path as docs name it, and SQL returning scenario, series, verdict
# from calib.obs or calib.scope); a scenario is one line of simulate.py.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sim=$here/../fixtures/calibration/simulate.py
db=iso27001_calibration
markdown=${ISO27001_CALIBRATION_MARKDOWN:-}
if [ "${1:-}" = "--markdown" ]; then
	exec 3>&1 1>&2
	markdown=/dev/fd/3
fi
seed=${ISO27001_CALIBRATION_SEED:-1}
sim_args=(--seed "$seed")
[ -n "${ISO27001_CALIBRATION_SERIES:-}" ] && sim_args+=(--series "$ISO27001_CALIBRATION_SERIES")
[ -n "${ISO27001_CALIBRATION_ONLY:-}" ] && sim_args+=(--only "$ISO27001_CALIBRATION_ONLY")
evidence_series=${ISO27001_CALIBRATION_EVIDENCE:-20}
commit=${ISO27001_CALIBRATION_COMMIT:-$(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)}

# The acceptance rule
alpha=0.05          # the verdicts' default alpha, which every path here uses
power_min=0.80      # detection a power scenario needs
detect_word=improving
# The verdict words, in the table's order, and whether a word is a direction
# (false on a null scenario).  Words a path returns that are not listed get
# a column after these and count as no direction.
word_table="
improving|t
worsening|t
no significant trend|f
insufficient data|f"

work=$(mktemp -d)
started=$(date +%s)
trap 'rm -rf "$work" ${tap_out:+"$tap_out"}; dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
dropdb --if-exists "$db" >/dev/null 2>&1
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
. "$here/../include/tap.sh"
# tap.sh's check, counting failures for the exit status
eval "$(declare -f check | sed '1s/^check/tap_check/')"
failures=0
counted() { "$@" || { failures=$((failures + 1)); return 1; }; }
check() { local what=$1; shift; tap_check "$what" counted "$@"; }
# seconds since the harness started, and since the last lap (TAP comments)
elapsed() { echo "$(($(date +%s) - started)) s"; }
lap_start=$(date +%s.%N)
lap() {   # what was done: prints "# what: N.N s"
	local now
	now=$(date +%s.%N)
	awk -v a="$lap_start" -v b="$now" -v w="$1" 'BEGIN { printf "# %s: %.1f s\n", w, b - a }'
	lap_start=$now
}

if ! createdb "$db" 2>"$work/createdb.err"; then
	echo "1..1"
	echo "not ok 1 - create database $db"
	sed 's/^/# /' "$work/createdb.err"
	exit 1
fi

check "the simulator's binomial draws follow Binomial(n, p) (simulate.py --selftest)" \
	python3 "$sim" --selftest

check "CREATE EXTENSION iso27001" q "CREATE EXTENSION iso27001"
echo "# iso27001 $(q "SELECT extversion FROM pg_extension WHERE extname = 'iso27001'") (commit $commit) on $(q "SHOW server_version")"

q "CREATE SCHEMA calib;
   CREATE TABLE calib.scenario (ord serial, scenario text PRIMARY KEY, kind text NOT NULL
		CHECK (kind IN ('null', 'power', 'case')), series integer, periods integer, rows bigint,
		p_first float8, p_last float8, variation text, trials_low integer, trials_high integer,
		schedule text, clicks text, seed text, description text);
   CREATE TABLE calib.obs (scenario text NOT NULL, series integer NOT NULL, period integer NOT NULL,
		observed_at timestamptz NOT NULL, events bigint NOT NULL, trials bigint NOT NULL,
		value float8 NOT NULL);
   CREATE TABLE calib.word (ord serial, word text PRIMARY KEY, direction boolean NOT NULL);
   -- path: a family of the table (same_as NULL), or a path that must give
   -- the verdicts of the family same_as on the series it covers
   CREATE TABLE calib.path (ord serial, path text PRIMARY KEY, title text, same_as text,
		seconds float8);
   CREATE TABLE calib.verdict (path text, scenario text, series integer, verdict text,
		PRIMARY KEY (path, scenario, series));" >/dev/null
while IFS='|' read -r w d; do
	[ -n "$w" ] && q "INSERT INTO calib.word (word, direction) VALUES ('$w', '$d')"
done <<<"$word_table"

load_series() {
	python3 "$sim" "${sim_args[@]}" --list > "$work/scenarios.csv" &&
		q "\\copy calib.scenario (scenario, kind, series, periods, rows, p_first, p_last, variation,
			trials_low, trials_high, schedule, clicks, seed, description) FROM '$work/scenarios.csv' (FORMAT csv, HEADER)" &&
		python3 "$sim" "${sim_args[@]}" |
		q "\\copy calib.obs FROM STDIN (FORMAT csv, HEADER)" &&
		q "ANALYZE calib.obs" &&
		[ "$(q "SELECT (SELECT sum(rows) FROM calib.scenario) = (SELECT count(*) FROM calib.obs)
				   AND (SELECT sum(series) FROM calib.scenario)
					   = (SELECT count(*) FROM (SELECT DISTINCT scenario, series FROM calib.obs) d)")" = t ]
}
check "the simulated series load" load_series
lap "simulated and loaded"
echo "# $(q "SELECT format('%s scenarios, %s series, %s campaigns, seed %s', count(*), sum(series), sum(rows), '$seed') FROM calib.scenario")"

# Each series as a scope of its own, its campaigns as observations of the
# rate metric phishing_click_rate and of a value metric (the per-campaign
# rate as a value): what the BI view and the evidence pack read.
load_observations() {
	q "INSERT INTO iso27001.behaviour_metric (metric, name, description, kind, better, unit, control)
	   VALUES ('calibration_click_value', 'Click rate as a value',
			   'per-campaign click rate entered as a value (calibration harness)', 'value', 'lower',
			   'share of messages', 'A.6.3');
	   CREATE TABLE calib.scope (scope_id bigint PRIMARY KEY, name text, scenario text, series integer);
	   WITH s AS (
		   INSERT INTO iso27001.soa_scope (name, description)
		   SELECT format('calibration %s #%s', scenario, series), 'calibration harness'
			 FROM (SELECT DISTINCT scenario, series FROM calib.obs) d
		   RETURNING scope_id, name)
	   INSERT INTO calib.scope
	   SELECT s.scope_id, s.name, split_part(s.name, ' ', 2), split_part(s.name, '#', 2)::integer FROM s;
	   ANALYZE calib.scope;" || return 1
	# the two metrics in two sessions at once (two cores)
	q "INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
	   SELECT s.scope_id, 'phishing_click_rate', o.observed_at, o.events, o.trials
		 FROM calib.obs o JOIN calib.scope s USING (scenario, series)" &
	local rate_pid=$!
	q "INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, value)
	   SELECT s.scope_id, 'calibration_click_value', o.observed_at, o.value
		 FROM calib.obs o JOIN calib.scope s USING (scenario, series)" || { wait "$rate_pid"; return 1; }
	wait "$rate_pid" &&
		q "ANALYZE iso27001.behaviour_observation" &&
		[ "$(q "SELECT count(*) = 2 * (SELECT count(*) FROM calib.obs) FROM iso27001.behaviour_observation")" = t ]
}
check "every series loads as a scope's behaviour_observation rows, as a rate and as a value" \
	load_observations
lap "loaded as behaviour_observation"

# The verdict paths.  family NAME TITLE SQL [AGREES_WITH]: a family of the
# table (and, given AGREES_WITH, one that must give that family's verdict
# on every series); crosscheck NAME SAME_AS TITLE SQL: not in the table,
# must agree with family SAME_AS on every series it returns.  SQL returns
# (scenario, series, verdict).
path_names=() path_same=() path_titles=() path_sqls=() path_agrees=()
family() { path_names+=("$1"); path_same+=(""); path_titles+=("$2"); path_sqls+=("$3"); path_agrees+=("${4:-}"); }
crosscheck() { path_names+=("$1"); path_same+=("$2"); path_titles+=("$3"); path_sqls+=("$4"); path_agrees+=("$2"); }

family rate "verdict(trend_rate_agg(events, trials, observed_at), 'lower')" \
	"SELECT scenario, series, iso27001.verdict(iso27001.trend_rate_agg(events, trials, observed_at), 'lower')
	   FROM calib.obs GROUP BY scenario, series"
family least_squares "verdict(trend_ols_agg(value, observed_at), 'lower')" \
	"SELECT scenario, series, iso27001.verdict(iso27001.trend_ols_agg(value, observed_at), 'lower')
	   FROM calib.obs GROUP BY scenario, series"
family robust "verdict(trend_robust_agg(value, observed_at), 'lower')" \
	"SELECT scenario, series, iso27001.verdict(iso27001.trend_robust_agg(value, observed_at), 'lower')
	   FROM calib.obs GROUP BY scenario, series"
# Where material_verdict exists (issue 14, item 3: docs/trend_statistics.md
# section 8.4), the metric-aware outputs -- the BI view, the pack's headline
# verdict -- turn a significant trend smaller than the metric's min_effect
# a year into "no material change": the family rate_material is what they
# must then say for phishing_click_rate.  The value metric above has no
# min_effect (NULL, a metric of one's own), so its view verdict stays the
# robust one.
rate_headline=rate
if [ "$(q "SELECT to_regprocedure('iso27001.material_verdict(text, double precision, double precision)') IS NOT NULL")" = t ]; then
	rate_headline=rate_material
	family rate_material "material_verdict(verdict(trend_rate_agg(...), 'lower'), slope(trend_rate_agg(...), '1 year'), min_effect of phishing_click_rate)" \
		"SELECT scenario, series, iso27001.material_verdict(iso27001.verdict(st, 'lower'), iso27001.slope(st, '1 year'),
				(SELECT min_effect FROM iso27001.behaviour_metric WHERE metric = 'phishing_click_rate'))
		   FROM (SELECT scenario, series, iso27001.trend_rate_agg(events, trials, observed_at) AS st
				   FROM calib.obs GROUP BY scenario, series) q"
fi
# The change of a rate before and after an action (issue 17, item 2:
# rate_change, docs/trend_statistics.md section 14): each series split at
# its middle campaign, "improved" counted as improving
if [ "$(q "SELECT to_regprocedure('iso27001.rate_change(bigint[], bigint[], bigint[], bigint[], text, double precision)') IS NOT NULL")" = t ]; then
	family before_after "rate_change(first half of the campaigns, second half, 'lower')" \
		"SELECT q.scenario, q.series,
				CASE r.verdict WHEN 'improved' THEN 'improving' WHEN 'worsened' THEN 'worsening' ELSE r.verdict END
		   FROM (SELECT scenario, series,
						array_agg(events ORDER BY observed_at) FILTER (WHERE 2 * k <= c) AS be,
						array_agg(trials ORDER BY observed_at) FILTER (WHERE 2 * k <= c) AS bt,
						array_agg(events ORDER BY observed_at) FILTER (WHERE 2 * k > c) AS ae,
						array_agg(trials ORDER BY observed_at) FILTER (WHERE 2 * k > c) AS at
				   FROM (SELECT o.*, row_number() OVER (PARTITION BY scenario, series ORDER BY observed_at) AS k,
								count(*) OVER (PARTITION BY scenario, series) AS c
						   FROM calib.obs o) x
				  GROUP BY scenario, series) q
		  CROSS JOIN LATERAL iso27001.rate_change(q.be, q.bt, coalesce(q.ae, '{}'), coalesce(q.at, '{}'), 'lower') r"
fi
family bi_rate "iso27001_bi.behaviour_trend, a rate metric (phishing_click_rate)" \
	"SELECT s.scenario, s.series, t.verdict FROM iso27001_bi.behaviour_trend t
	   JOIN calib.scope s USING (scope_id) WHERE t.metric = 'phishing_click_rate'" "$rate_headline"
family bi_value "iso27001_bi.behaviour_trend, a value metric (the campaign rates as values)" \
	"SELECT s.scenario, s.series, t.verdict FROM iso27001_bi.behaviour_trend t
	   JOIN calib.scope s USING (scope_id) WHERE t.metric = 'calibration_click_value'" robust
for f in rate:trend_rate_agg:"events, trials" least_squares:trend_ols_agg:value robust:trend_robust_agg:value; do
	IFS=: read -r fam agg args <<<"$f"
	crosscheck "${fam}_report" "$fam" "trend_report($agg($args, observed_at), 'lower')" \
		"SELECT scenario, series, (iso27001.trend_report(iso27001.$agg($args, observed_at), 'lower')).verdict
		   FROM calib.obs GROUP BY scenario, series"
done
crosscheck evidence_pack "$rate_headline" "evidence_pack(scope, 'phishing_click_rate') ->> 'verdict'" \
	"SELECT scenario, series, pack ->> 'verdict' FROM calib.pack WHERE metric = 'phishing_click_rate'"
for fam in least_squares rate robust; do
	crosscheck "evidence_pack_$fam" "$fam" "evidence_pack(scope, 'phishing_click_rate') -> 'trends' -> '$fam' ->> 'verdict'" \
		"SELECT scenario, series, pack -> 'trends' -> '$fam' ->> 'verdict' FROM calib.pack
		  WHERE metric = 'phishing_click_rate'"
done
crosscheck evidence_pack_value robust "evidence_pack(scope, 'calibration_click_value') ->> 'verdict'" \
	"SELECT scenario, series, pack ->> 'verdict' FROM calib.pack WHERE metric = 'calibration_click_value'"

# The evidence packs of the first series of each scenario (a pack reads
# and digests its observations: all of them would take minutes)
make_packs() {
	q "CREATE TABLE calib.pack AS
	   SELECT s.scenario, s.series, m.metric, iso27001.evidence_pack(s.name, m.metric) AS pack
		 FROM calib.scope s
		CROSS JOIN (VALUES ('phishing_click_rate'), ('calibration_click_value')) m (metric)
		WHERE s.series <= $evidence_series"
}
check "evidence_pack runs on the first $evidence_series series of each scenario, both metrics" make_packs
lap "evidence packs"

run_path() {   # index
	local name=${path_names[$1]} same=${path_same[$1]}
	local t0
	q "INSERT INTO calib.path (path, title, same_as) VALUES ('$name', \$t\$${path_titles[$1]}\$t\$, nullif('$same', ''))" &&
		t0=$(date +%s.%N) &&
		q "INSERT INTO calib.verdict (path, scenario, series, verdict)
		   SELECT '$name', q.* FROM (${path_sqls[$1]}) q" || return 1
	q "UPDATE calib.path SET seconds = $(date +%s.%N) - $t0 WHERE path = '$name'"
	# a family gives one verdict for every series
	[ -n "$same" ] || [ "$(q "SELECT count(*) = (SELECT sum(series) FROM calib.scenario) FROM calib.verdict
							  WHERE path = '$name'")" = t ] ||
		{ echo "$name: $(q "SELECT count(*) FROM calib.verdict WHERE path = '$name'") verdicts for $(q "SELECT sum(series) FROM calib.scenario") series"; return 1; }
}
for i in "${!path_names[@]}"; do
	if [ -z "${path_same[$i]}" ]; then
		check "family ${path_names[$i]}: ${path_titles[$i]} gives a verdict for every series" run_path "$i"
	else
		check "${path_names[$i]}: ${path_titles[$i]} runs" run_path "$i"
	fi
done
lap "verdict paths"
echo "# seconds a path: $(q "SELECT string_agg(format('%s %s', path, coalesce(round(seconds::numeric, 1)::text, 'error')), ', ' ORDER BY ord) FROM calib.path")"

agree() {   # path same_as
	local out
	out=$(q "SELECT count(*), count(*) FILTER (WHERE v.verdict IS DISTINCT FROM f.verdict),
				  string_agg(format('%s #%s: %s, %s says %s', v.scenario, v.series, v.verdict, '$2', f.verdict), '; ')
					  FILTER (WHERE v.verdict IS DISTINCT FROM f.verdict)
			   FROM calib.verdict v LEFT JOIN calib.verdict f
				 ON f.path = '$2' AND f.scenario = v.scenario AND f.series = v.series
			  WHERE v.path = '$1'") || return 1
	IFS='|' read -r n bad list <<<"$out"
	echo "$n series compared, $bad differ${list:+: ${list:0:600}}"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}
for i in "${!path_names[@]}"; do
	same=${path_agrees[$i]}
	if [ -n "$same" ] && q "SELECT 1 FROM calib.verdict WHERE path = '${path_names[$i]}' LIMIT 1" | grep -q .; then
		check "${path_names[$i]} gives the verdict of $same on every series it covers" agree "${path_names[$i]}" "$same"
	fi
done

# The shares of each verdict word, per scenario and family, and the rule
q "CREATE VIEW calib.result AS
   SELECT s.ord, s.scenario, s.kind, p.ord AS path_ord, p.path, count(v.*) AS n,
		  count(*) FILTER (WHERE w.direction) AS false_n,
		  count(*) FILTER (WHERE v.verdict = '$detect_word') AS detect_n,
		  $alpha + 3 * sqrt($alpha * (1 - $alpha) / count(v.*)) AS bound
	 FROM calib.scenario s
	 JOIN calib.verdict v USING (scenario)
	 JOIN calib.path p ON p.path = v.path AND p.same_as IS NULL
	 LEFT JOIN calib.word w ON w.word = v.verdict
	GROUP BY s.ord, s.scenario, s.kind, p.ord, p.path" >/dev/null
# the words seen, listed first
words=()
while IFS= read -r w; do words+=("$w"); done < <(q "
	SELECT word FROM (SELECT word, ord FROM calib.word
					  UNION ALL
					  SELECT DISTINCT coalesce(verdict, '(null)'), 1000 FROM calib.verdict
					   WHERE verdict IS NULL OR verdict NOT IN (SELECT word FROM calib.word)) x
	 ORDER BY ord, word")

pct() { echo "to_char(100.0 * ($1) / nullif(n, 0), 'FM990.0') || ' %'"; }
rule() {   # scenario path
	local out
	out=$(q "SELECT kind, n, false_n, detect_n, round(100 * bound, 2), false_n <= bound * n, detect_n >= $power_min * n
			   FROM calib.result WHERE scenario = '$1' AND path = '$2'") || return 1
	IFS='|' read -r kind n false_n detect_n bound ok_null ok_power <<<"$out"
	if [ "$kind" = null ]; then
		echo "$false_n of $n false directions, allowed ${bound} %"
		[ "$ok_null" = t ]
	else
		echo "$detect_word in $detect_n of $n, needed $(awk "BEGIN { print 100 * $power_min }") %"
		[ "$ok_power" = t ]
	fi
}
while IFS='|' read -r scen kind path false_n detect_n n bound; do
	if [ "$kind" = null ]; then
		check "$scen, $path: false direction $(awk "BEGIN { printf \"%.1f\", 100 * $false_n / $n }") % <= $(awk "BEGIN { printf \"%.2f\", 100 * $bound }") % (N = $n)" \
			rule "$scen" "$path"
	else
		check "$scen, $path: $detect_word $(awk "BEGIN { printf \"%.1f\", 100 * $detect_n / $n }") % >= $(awk "BEGIN { print 100 * $power_min }") % (N = $n)" \
			rule "$scen" "$path"
	fi
done < <(q "SELECT scenario, kind, path, false_n, detect_n, n, bound FROM calib.result
			 WHERE kind IN ('null', 'power') ORDER BY ord, path_ord")

# Targets (docs/trend_statistics.md §8.5): on every weekly null and power
# series, a target equal to the true trend's value a quarter (13 weeks)
# after the last campaign, the due date.  A calibrated 95 % interval then
# says "on track" (the whole interval meets the target) in at most 2.5 % of
# the series and "off track" in at most 2.5 %, each up to 3 Monte Carlo
# standard errors.
target_lap=$(date +%s.%N)
q "CREATE TABLE calib.target AS
   WITH series AS (
	   SELECT o.scenario, o.series, min(o.observed_at) AS t_first, max(o.observed_at) AS t_last,
			  iso27001.trend_rate_agg(o.events, o.trials, o.observed_at) AS rate,
			  iso27001.trend_ols_agg(o.value, o.observed_at) AS ols
		 FROM calib.obs o JOIN calib.scenario s USING (scenario)
		WHERE s.kind IN ('null', 'power') AND s.schedule = 'weekly'
		GROUP BY o.scenario, o.series),
   due AS (
	   SELECT x.*, x.t_last + interval '91 days' AS due,
			  s.p_first + (s.p_last - s.p_first)
				* extract(epoch FROM x.t_last + interval '91 days' - x.t_first)
				/ extract(epoch FROM x.t_last - x.t_first) AS truth
		 FROM series x JOIN calib.scenario s USING (scenario))
   SELECT d.scenario, d.series, 'rate' AS family,
		  (iso27001.target_projection(d.rate, d.truth, d.due, 'lower')).status FROM due d
   UNION ALL
   SELECT d.scenario, d.series, 'least_squares',
		  (iso27001.target_projection(d.ols, d.truth, d.due, 'lower')).status FROM due d;
   CREATE VIEW calib.target_result AS
   SELECT s.ord, t.scenario, t.family, count(*) AS n,
		  count(*) FILTER (WHERE t.status = 'on track') AS on_n,
		  count(*) FILTER (WHERE t.status = 'off track') AS off_n,
		  count(*) FILTER (WHERE t.status = 'at risk') AS risk_n,
		  count(*) FILTER (WHERE t.status IS DISTINCT FROM 'on track' AND t.status IS DISTINCT FROM 'off track'
							  AND t.status IS DISTINCT FROM 'at risk') AS other_n,
		  $alpha / 2 + 3 * sqrt($alpha / 2 * (1 - $alpha / 2) / count(*)) AS bound
	 FROM calib.target t JOIN calib.scenario s USING (scenario)
	GROUP BY s.ord, t.scenario, t.family" >/dev/null
echo "# targets: $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $target_lap }") s"
target_rule() {   # scenario family
	local out
	out=$(q "SELECT n, on_n, off_n, other_n, round(100 * bound, 2), on_n <= bound * n AND off_n <= bound * n AND other_n = 0
			   FROM calib.target_result WHERE scenario = '$1' AND family = '$2'") || return 1
	IFS='|' read -r n on_n off_n other_n bound ok <<<"$out"
	echo "on track $on_n, off track $off_n, other $other_n of $n; allowed ${bound} % each"
	[ "$ok" = t ]
}
while IFS='|' read -r scen fam on off n bound; do
	check "$scen, target at the true value, $fam: on track $on %, off track $off % <= $bound % each (N = $n)" \
		target_rule "$scen" "$fam"
done < <(q "SELECT scenario, family, to_char(100.0 * on_n / n, 'FM990.0'), to_char(100.0 * off_n / n, 'FM990.0'),
				   n, to_char(100 * bound, 'FM990.00')
			  FROM calib.target_result ORDER BY ord, family DESC")
target_sql="
	SELECT scenario, family, n AS \"N\", to_char(100.0 * on_n / n, 'FM990.0') || ' %' AS \"on track\",
		   to_char(100.0 * risk_n / n, 'FM990.0') || ' %' AS \"at risk\",
		   to_char(100.0 * off_n / n, 'FM990.0') || ' %' AS \"off track\",
		   CASE WHEN on_n <= bound * n AND off_n <= bound * n AND other_n = 0 THEN 'pass' ELSE 'FAIL' END AS result
	  FROM calib.target_result ORDER BY ord, family DESC"

# The tables
cols=""
for w in "${words[@]}"; do
	wq=${w//\'/\'\'}
	cols+=", $(pct "count(*) FILTER (WHERE coalesce(v.verdict, '(null)') = '$wq')") AS \"$w\""
done
table_sql="
	SELECT r.scenario, r.path AS family, r.n AS \"N\" $cols,
		   CASE r.kind WHEN 'null' THEN 'false direction <= ' || to_char(100 * r.bound, 'FM990.00') || ' %'
					   WHEN 'power' THEN '$detect_word >= ' || 100 * $power_min || ' %' ELSE 'reported' END AS rule,
		   CASE r.kind WHEN 'null' THEN CASE WHEN r.false_n <= r.bound * r.n THEN 'pass' ELSE 'FAIL' END
					   WHEN 'power' THEN CASE WHEN r.detect_n >= $power_min * r.n THEN 'pass' ELSE 'FAIL' END
					   ELSE '' END AS result
	  FROM calib.result r JOIN calib.verdict v ON v.path = r.path AND v.scenario = r.scenario
	 GROUP BY r.ord, r.path_ord, r.scenario, r.path, r.n, r.kind, r.bound, r.false_n, r.detect_n
	 ORDER BY r.ord, r.path_ord"
# compact: per scenario, each family's share of false directions (null) or
# of improving (power, case)
fams=()
while IFS= read -r f; do fams+=("$f"); done < <(q "SELECT path FROM calib.path WHERE same_as IS NULL ORDER BY ord")
ccols=""
for f in "${fams[@]}"; do
	ccols+=", coalesce(max(CASE WHEN r.path = '$f' THEN
				  to_char(100.0 * CASE r.kind WHEN 'null' THEN r.false_n ELSE r.detect_n END / r.n, 'FM990.0')
				  || CASE WHEN r.kind = 'null' AND r.false_n > r.bound * r.n THEN ' ✗'
						  WHEN r.kind = 'power' AND r.detect_n < $power_min * r.n THEN ' ✗'
						  WHEN r.kind IN ('null', 'power') THEN ' ✓' ELSE '' END END), '')
			   || CASE WHEN NOT EXISTS (SELECT FROM calib.verdict WHERE path = '$f') THEN 'error' ELSE '' END AS \"$f\""
done
compact_sql="
	SELECT r.scenario, r.kind || CASE r.kind WHEN 'null' THEN ' (false direction %)' ELSE ' (improving %)' END AS measures,
		   max(r.n) AS \"N\" $ccols
	  FROM calib.result r GROUP BY r.ord, r.scenario, r.kind ORDER BY r.ord"

echo "# verdict shares by scenario and family (alpha = $alpha; $(date -u +%F), commit $commit):"
psql -X -q -P footer=off -P border=1 -d "$db" -c "$compact_sql" | sed 's/^/# /'
psql -X -q -P footer=off -P border=1 -d "$db" -c "$table_sql" | sed 's/^/# /'
psql -X -q -P footer=off -P border=1 -d "$db" -c "$target_sql" | sed 's/^/# /'

to_markdown() {   # SQL: a markdown table
	psql -X -q -A -F '|' -P footer=off -d "$db" -c "$1" |
		awk -F'|' '{ line = $0; gsub(/\|/, " | ", line); print "| " line " |" }
				   NR == 1 { s = "|"; for (i = 1; i <= NF; i++) s = s "---|"; print s }'
}
if [ -n "$markdown" ]; then
	{
		echo "Calibration of the trend verdicts, $(date -u +%F), iso27001 $(q "SELECT extversion FROM pg_extension WHERE extname = 'iso27001'") (commit $commit), PostgreSQL $(q "SHOW server_version"), seed $seed, alpha = $alpha."
		echo
		echo "Scenarios:"
		echo
		to_markdown "SELECT scenario, kind, series AS \"N\", periods AS campaigns,
						   CASE WHEN trials_low = trials_high THEN trials_low::text ELSE trials_low || '-' || trials_high END AS recipients,
						   CASE WHEN p_first = p_last THEN to_char(100 * p_first, 'FM990.0') || ' %'
								ELSE to_char(100 * p_first, 'FM990.0') || ' % -> ' || to_char(100 * p_last, 'FM990.0') || ' %' END AS p,
						   CASE WHEN variation::numeric = 0 THEN 'none'
								ELSE format('x U(%s, %s)', round(1 - variation::numeric, 3), round(1 + variation::numeric, 3)) END
							   AS campaign_variation,
						   schedule,
						   CASE clicks WHEN 'exact' THEN 'exactly p x recipients' ELSE 'binomial draws' END AS clicks
					  FROM calib.scenario ORDER BY ord"
		echo
		echo "Share of false directions (null scenarios) or of \"$detect_word\" (the others), per family; ✓ meets the rule, ✗ does not:"
		echo
		to_markdown "$compact_sql"
		echo
		echo "Targets at the true value a quarter after the last campaign (on track and off track each at most 2.5 % plus 3 standard errors):"
		echo
		to_markdown "$target_sql"
		echo
		echo "Every verdict word:"
		echo
		to_markdown "$table_sql"
		echo
		echo "Families: $(q "SELECT string_agg(format('%s = %s', path, title), '; ' ORDER BY ord) FROM calib.path WHERE same_as IS NULL")."
		echo "Harness run time: $(elapsed) (verdict paths: $(q "SELECT string_agg(format('%s %s', path, coalesce(round(seconds::numeric, 1) || ' s', 'error')), ', ' ORDER BY ord) FROM calib.path"))."
	} > "$markdown"
fi
echo "# run time $(elapsed); $failures of $tap_n checks failed"
echo "1..$tap_n"
[ "$failures" -eq 0 ]
