/*-------------------------------------------------------------------------
 *
 * certification_cycle.c
 *	  The three-year ISO/IEC 27001 certification cycle as set-returning
 *	  functions: the schedule (certification_cycle), the check of an audit
 *	  history given as an array or a query (certification_cycle_check) and
 *	  what is due next (certification_next_due).
 *
 *	  The rules and their sources are in docs/certification_cycle.md
 *	  (§3 to §6): hard rules of ISO/IEC
 *	  17021-1:2015 and IAF MD 26 are reported as such; the practice values
 *	  are arguments with the defaults listed there (§4.1).
 *
 * src/certification_cycle.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/portal.h"
#include "utils/resowner.h"
#include "utils/typcache.h"

#include "certification_cycle_rules.h"
#include "iso27001.h"

/* "no date": infinite dates are refused on input, so this one is free */
#define NO_DATE			DATEVAL_NOBEGIN

#define BASIS_17021(clause)	"ISO/IEC 17021-1:2015 " clause
#define BASIS_MD26			"IAF MD 26:2023"

static const char *const expiry_rules[] = {"day_before", "same_day", NULL};
static const char *const sa1_anchors[] = {"decision", "stage2_end", NULL};

/* Kinds of the events of an audit history, as certification_event.kind */
typedef enum EventKind
{
	EV_STAGE1,
	EV_STAGE2,
	EV_STAGE2_MAJOR_NC,
	EV_SURVEILLANCE,
	EV_RECERT_AUDIT,
	EV_RECERT_DECISION,
	EV_RESTORATION_DECISION,
	EV_SUSPENSION_START,
	EV_SUSPENSION_END,
	EV_TRANSITION_AUDIT,
	EV_SPECIAL_AUDIT
} EventKind;

static const char *const event_kinds[] = {
	"stage1", "stage2", "stage2_major_nonconformity", "surveillance",
	"recertification_audit", "recertification_decision",
	"restoration_decision", "suspension_start", "suspension_end",
	"transition_audit", "special_audit", NULL
};

typedef struct Event
{
	DateADT		date;
	EventKind	kind;
} Event;

/* Where the rows of a set-returning call go */
typedef struct RowSink
{
	Tuplestorestate *store;
	TupleDesc	desc;
} RowSink;

/*
 * Set up materialize mode.  The row descriptor is built once per call
 * site and kept in fn_extra; setDesc stays NULL, so the executor uses its
 * own descriptor and frees nothing of ours.
 */
static void
sink_init(FunctionCallInfo fcinfo, RowSink *sink)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext oldcxt;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));

	if (fcinfo->flinfo->fn_extra == NULL)
	{
		TupleDesc	desc;

		oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		desc = iso27001_result_desc(fcinfo);
		fcinfo->flinfo->fn_extra = CreateTupleDescCopy(desc);
		MemoryContextSwitchTo(oldcxt);
	}
	sink->desc = (TupleDesc) fcinfo->flinfo->fn_extra;

	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	sink->store = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
										false, work_mem);
	MemoryContextSwitchTo(oldcxt);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = sink->store;
	rsinfo->setDesc = NULL;
}

/* A date Datum, or NULL for NO_DATE */
static inline void
put_date(Datum *values, bool *nulls, int i, DateADT date)
{
	nulls[i] = (date == NO_DATE);
	values[i] = DateADTGetDatum(date);
}

/* A text Datum, or NULL */
static inline void
put_text(Datum *values, bool *nulls, int i, const char *text)
{
	nulls[i] = (text == NULL);
	values[i] = text ? CStringGetTextDatum(text) : (Datum) 0;
}

/* The later of two dates */
static inline DateADT
date_max(DateADT a, DateADT b)
{
	return a > b ? a : b;
}

/* The earlier of two dates */
static inline DateADT
date_min(DateADT a, DateADT b)
{
	return a < b ? a : b;
}

/* 1 January of a year */
static inline DateADT
year_first(int year)
{
	return cycle_date(year, 1, 1);
}

/* 31 December of a year */
static inline DateADT
year_last(int year)
{
	return cycle_date(year, 12, 31);
}

/* The practice values of a plan (defaults: docs/certification_cycle.md §4.1) */
typedef struct Practice
{
	int			before;			/* surveillance window, months before due */
	int			after;			/* ... and after */
	int			recert_month;	/* planned recertification month of a cycle */
	int			lead;			/* recertification window opens, months before expiry */
	int			buffer;			/* ... and closes, days before expiry */
} Practice;

/*
 * Read and check the practice arguments: the limits keep every window of
 * the plan in order (surveillance 1's before surveillance 2's, surveillance
 * 2's before the recertification window, which is not empty).
 */
static void
practice_args(FunctionCallInfo fcinfo, Practice *p, int before_arg, int after_arg,
			  int month_arg, int lead_arg, int buffer_arg)
{
	p->before = cycle_int_arg(fcinfo, before_arg, "surveillance_months_before", 0, 11);
	p->after = cycle_int_arg(fcinfo, after_arg, "surveillance_months_after", 0, 11);
	if (p->before + p->after > 11)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("surveillance_months_before + surveillance_months_after must be at most 11"),
				 errdetail("Otherwise the windows of surveillance 1 and surveillance 2 would overlap.")));
	p->recert_month = cycle_int_arg(fcinfo, month_arg, "recertification_month", 25, 35);
	p->lead = cycle_int_arg(fcinfo, lead_arg, "recertification_lead_months", 1, 11);
	p->buffer = cycle_int_arg(fcinfo, buffer_arg, "recertification_buffer_days", 0, 180);
	if (p->buffer >= 28 * p->lead)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recertification_buffer_days (%d) must be shorter than recertification_lead_months (%d)",
						p->buffer, p->lead),
				 errdetail("The recertification window opens %d months before expiry and closes %d days before it.",
						   p->lead, p->buffer)));
}

/* First day of a cycle's recertification window: in year 3, lead months before expiry */
static DateADT
recert_window_start(DateADT nominal, DateADT expiry, const Practice *p)
{
	return date_max(cycle_add_months(expiry + 1, -p->lead), cycle_add_months(nominal, 24));
}

/*
 * The 1-D array of recertification decisions: NULL elements are decisions
 * not yet taken.  Each known one must come after the start of its cycle
 * and not after its restoration deadline (later, a new initial
 * certification starts a schedule of its own).
 */
static int
recert_decisions_arg(FunctionCallInfo fcinfo, int argno, const CycleRules *rules,
					 int cycles, DateADT **result)
{
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	DateADT		previous = rules->decision;

	*result = NULL;
	if (PG_ARGISNULL(argno))
		return 0;
	array = cycle_array_arg(fcinfo, argno, "recertification_decisions");
	deconstruct_array(array, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	if (n > cycles)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recertification_decisions has %d elements but only %d cycles are asked for",
						n, cycles),
				 errdetail("Element k is the recertification decision that ends cycle k.")));
	*result = palloc(sizeof(DateADT) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		DateADT		date;

		if (nulls[i])
		{
			/* unknown: later ones are unknown too */
			(*result)[i] = NO_DATE;
			previous = cycle_start(rules, i + 2);
			continue;
		}
		date = DatumGetDateADT(elems[i]);
		if (DATE_NOT_FINITE(date))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("recertification_decisions[%d] must be a finite date", i + 1)));
		if (date <= previous)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("recertification_decisions[%d] (%s) is not after the start of cycle %d (%s)",
							i + 1, cycle_date_text(date), i + 1, cycle_date_text(previous))));
		if (date > cycle_add_months(cycle_expiry(rules, i + 1), 6))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("recertification_decisions[%d] (%s) is after the restoration deadline of cycle %d (%s)",
							i + 1, cycle_date_text(date), i + 1,
							cycle_date_text(cycle_add_months(cycle_expiry(rules, i + 1), 6))),
					 errdetail("After it, at least a stage 2 is needed: a new initial certification with a schedule of its own.")));
		(*result)[i] = date;
		previous = date;
	}
	return n;
}

/* One row of the schedule */
static void
schedule_row(RowSink *sink, int cycle, int seq, const char *event,
			 DateADT due, DateADT start, DateADT end,
			 const char *requirement, const char *basis, const char *note)
{
	Datum		values[9];
	bool		nulls[9];

	values[0] = Int32GetDatum(cycle);
	nulls[0] = false;
	values[1] = Int32GetDatum(seq);
	nulls[1] = false;
	put_text(values, nulls, 2, event);
	put_date(values, nulls, 3, due);
	put_date(values, nulls, 4, start);
	put_date(values, nulls, 5, end);
	put_text(values, nulls, 6, requirement);
	put_text(values, nulls, 7, basis);
	put_text(values, nulls, 8, note);
	tuplestore_putvalues(sink->store, sink->desc, values, nulls);
}

/*
 * With first_surveillance_anchor = stage2_end, the first surveillance is
 * due 12 months after stage 2: there must be a stage 2, and that deadline
 * must come after the decision.
 */
static void
sa1_anchor_check(Sa1Anchor anchor, DateADT stage2, DateADT decision)
{
	if (anchor != SA1_FROM_STAGE2_END)
		return;
	if (stage2 == NO_DATE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_surveillance_anchor \"stage2_end\" needs the last day of stage 2")));
	if (cycle_add_months(stage2, 12) <= decision)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("with first_surveillance_anchor \"stage2_end\", surveillance 1 would be due on %s, not after the certification decision (%s)",
						cycle_date_text(cycle_add_months(stage2, 12)), cycle_date_text(decision))));
}

/* A row's note, with the IAF MD 26 proviso for a 2013 certificate's later rows */
static const char *
md26_note(const CycleRules *rules, DateADT date, const char *note)
{
	if (rules->edition == 2013 && date > rules->md26_end)
		return psprintf("%s; after %s, only as an ISO/IEC 27001:2022 certificate (IAF MD 26 transition)",
						note, MD26_TRANSITION_END);
	return note;
}

/*
 * certification_cycle(): one row per event of every cycle projected, in
 * cycle and seq order.  See docs/certification_cycle.md §4.
 */
PG_FUNCTION_INFO_V1(certification_cycle);
Datum
certification_cycle(PG_FUNCTION_ARGS)
{
	CycleRules	rules;
	Practice	practice;
	RowSink		sink;
	bool		isnull;
	DateADT		decision,
				stage1,
				stage2;
	bool		has_stage1,
				has_stage2;
	int			cycles,
				extension_days,
				extension_cycle,
				edition;
	ExpiryRule	expiry_rule;
	Sa1Anchor	sa1_anchor;
	bool		calendar_safe;
	DateADT    *recert;
	int			nrecert;

	decision = cycle_date_arg(fcinfo, 0, "certification_decision", true, &isnull);
	stage1 = cycle_date_arg(fcinfo, 1, "stage1_date", false, &isnull);
	has_stage1 = !isnull;
	stage2 = cycle_date_arg(fcinfo, 2, "stage2_last_day", false, &isnull);
	has_stage2 = !isnull;
	cycles = cycle_int_arg(fcinfo, 3, "cycles", 1, 100);
	extension_days = cycle_int_arg(fcinfo, 5, "extension_days", 0, 366);
	extension_cycle = cycle_int_arg(fcinfo, 6, "extension_cycle", 1, 100);
	edition = cycle_int_arg(fcinfo, 7, "edition", PG_INT32_MIN, PG_INT32_MAX);
	expiry_rule = (ExpiryRule) cycle_option(fcinfo, 8, "expiry_rule", expiry_rules);
	sa1_anchor = (Sa1Anchor) cycle_option(fcinfo, 9, "first_surveillance_anchor", sa1_anchors);
	calendar_safe = cycle_bool_arg(fcinfo, 12, "calendar_safe");
	practice_args(fcinfo, &practice, 10, 11, 13, 14, 15);

	if (has_stage1 && has_stage2 && stage1 > stage2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stage1_date (%s) must not be later than stage2_last_day (%s)",
						cycle_date_text(stage1), cycle_date_text(stage2))));
	if (has_stage2 && stage2 > decision)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stage2_last_day (%s) must not be later than certification_decision (%s)",
						cycle_date_text(stage2), cycle_date_text(decision)),
				 errdetail("The certification decision follows the end of stage 2 (ISO/IEC 17021-1:2015 9.5).")));
	if (has_stage1 && !has_stage2 && stage1 > decision)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stage1_date (%s) must not be later than certification_decision (%s)",
						cycle_date_text(stage1), cycle_date_text(decision))));
	sa1_anchor_check(sa1_anchor, has_stage2 ? stage2 : NO_DATE, decision);

	cycle_rules_init(&rules, decision, edition, expiry_rule, extension_days,
					 extension_cycle, cycles);
	if (edition == 2013 && decision > rules.md26_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no ISO/IEC 27001:2013 certification is possible after %s",
						MD26_TRANSITION_END),
				 errdetail("IAF MD 26 ended the transition to ISO/IEC 27001:2022 on %s.",
						   MD26_TRANSITION_END)));
	nrecert = recert_decisions_arg(fcinfo, 4, &rules, cycles, &recert);

	sink_init(fcinfo, &sink);

	for (int k = 1; k <= cycles; k++)
	{
		DateADT		nominal = cycle_start(&rules, k);
		DateADT		expiry = cycle_expiry(&rules, k);
		DateADT		start;
		DateADT		anchor;
		DateADT		due,
					ws,
					we,
					recert_ws;
		const char *note;

		/* a 2013 certificate has no cycle after the transition's end */
		if (edition == 2013 && nominal > rules.md26_end)
			break;

		/* the cycle starts with the actual recertification decision */
		start = (k == 1) ? decision
			: (k - 2 < nrecert && recert[k - 2] != NO_DATE) ? recert[k - 2] : nominal;

		if (k == 1)
		{
			if (has_stage1)
				schedule_row(&sink, k, 5, "stage1_audit", stage1, NO_DATE, NO_DATE,
							 "info", BASIS_17021("9.3.1.2"), NULL);
			if (has_stage2)
			{
				schedule_row(&sink, k, 8, "stage2_audit", stage2,
							 has_stage1 ? stage1 : NO_DATE, NO_DATE, "info",
							 BASIS_17021("9.3.1.2.4"),
							 "no maximum gap between stage 1 and stage 2 (EA FAQ 49.3)");
				schedule_row(&sink, k, 10, "stage2_major_nc_closure_deadline",
							 cycle_add_months(stage2, 6), stage2,
							 cycle_add_months(stage2, 6), "hard",
							 BASIS_17021("9.5.3"),
							 "major nonconformities of stage 2 corrected and verified within 6 months, otherwise another stage 2; sub-clause number unverified");
			}
			schedule_row(&sink, k, 20, "certification_decision", decision, decision,
						 decision, "info", BASIS_17021("9.1.3.2"),
						 "the first cycle begins with the certification decision");
		}
		else if (start != nominal)
			schedule_row(&sink, k, 20, "cycle_start", start, start, start, "info",
						 BASIS_17021("9.1.3.2"),
						 "the recertification decision: the cycle and its surveillance start here");
		else
			schedule_row(&sink, k, 20, "cycle_start", nominal, NO_DATE, NO_DATE, "info",
						 BASIS_17021("9.1.3.2"),
						 "nominal: the cycle begins with the recertification decision");

		schedule_row(&sink, k, 25, "certificate_issue", start, start, NO_DATE, "hard",
					 BASIS_17021("8.2.2 c)"),
					 "effective date not before the (re)certification decision");

		/*
		 * A 2013 certificate is valid until 2025-10-31 at most; after a
		 * transition audit it goes on, to ISO/IEC 27001:2022, with its
		 * expiry.  The windows are planned on that expiry.
		 */
		if (edition == 2013 && expiry > rules.md26_end)
			schedule_row(&sink, k, 30, "certificate_expiry", rules.md26_end, NO_DATE, NO_DATE,
						 "hard", BASIS_MD26,
						 psprintf("capped by IAF MD 26: no ISO/IEC 27001:2013 certificate is valid after %s; after a transition audit, the ISO/IEC 27001:2022 certificate expires on %s",
								  MD26_TRANSITION_END, cycle_date_text(expiry)));
		else
		{
			if (k == rules.extension_cycle && rules.extension_days > 0)
				note = psprintf("extended by %d days (IAF ID 3); later cycles keep their dates",
								rules.extension_days);
			else if (expiry_rule == EXPIRY_DAY_BEFORE)
				note = "last valid day: the day before the third anniversary of the cycle's anchor";
			else
				note = "last valid day: the third anniversary of the cycle's anchor";
			schedule_row(&sink, k, 30, "certificate_expiry", expiry, NO_DATE, NO_DATE, "hard",
						 BASIS_17021("8.2.2 d), 9.1.3.2"), note);
		}

		recert_ws = recert_window_start(nominal, expiry, &practice);

		/* surveillance 1; the stage 2 anchor is for the first cycle's only */
		anchor = (k == 1 && sa1_anchor == SA1_FROM_STAGE2_END) ? stage2 : start;
		due = cycle_add_months(anchor, 12);
		ws = date_max(cycle_add_months(due, -practice.before), start + 1);
		if (calendar_safe)
			ws = date_max(ws, year_first(cycle_year(due)));
		if (k == 1)
		{
			we = due;
			note = "not more than 12 months after the certification decision; the window start is practice";
			if (we - ws < 30)
				note = psprintf("narrow window (%d days) because of the calendar-year rule; alternative: surveillance 1 in %d, surveillance 2 in %d",
								we - ws + 1, cycle_year(decision), cycle_year(decision) + 1);
			schedule_row(&sink, k, 40, "surveillance_1", due, ws, we, "hard",
						 BASIS_17021("9.1.3.3"), md26_note(&rules, due, note));
		}
		else
		{
			we = cycle_add_months(due, practice.after);
			if (calendar_safe)
				we = date_min(we, year_last(cycle_year(due)));
			schedule_row(&sink, k, 40, "surveillance_1", due, ws, we, "practice",
						 BASIS_17021("9.1.3.2, 9.1.3.3"),
						 md26_note(&rules, due, "no 12-month limit after a recertification; at least one audit in each calendar year"));
		}

		/* surveillance 2 */
		due = cycle_add_months(start, 24);
		ws = cycle_add_months(due, -practice.before);
		we = cycle_add_months(due, practice.after);
		if (calendar_safe)
		{
			ws = date_max(ws, year_first(cycle_year(due)));
			we = date_min(we, year_last(cycle_year(due)));
		}
		we = date_min(we, recert_ws - 1);
		schedule_row(&sink, k, 50, "surveillance_2", due, ws, we, "practice",
					 BASIS_17021("9.1.3.2, 9.1.3.3"),
					 md26_note(&rules, due, "second year of the cycle; at least one audit in each calendar year"));

		/* recertification, its due date kept inside its window */
		we = expiry - practice.buffer;
		due = date_max(date_min(cycle_add_months(nominal, practice.recert_month), we), recert_ws);
		if (edition == 2013 && we > rules.md26_last_audit)
			note = "third year, before expiry: to ISO/IEC 27001:2022, as no ISO/IEC 27001:2013 recertification audit is allowed after 2024-04-30 (IAF MD 26)";
		else if (recert_ws < year_first(cycle_year(expiry)))
			note = psprintf("third year, before expiry; if carried out before %d-01-01, calendar year %d needs a surveillance: plan the next cycle's surveillance 1 from the recertification decision",
							cycle_year(expiry), cycle_year(expiry));
		else
			note = "third year, before expiry";
		schedule_row(&sink, k, 60, "recertification_audit", due, recert_ws, we, "practice",
					 BASIS_17021("9.1.3.2, 9.6.3.1"), note);
		schedule_row(&sink, k, 70, "recertification_decision_deadline", expiry,
					 cycle_add_months(nominal, 24), expiry, "hard",
					 BASIS_17021("9.6.3.2.3, 9.6.3.2.4"),
					 md26_note(&rules, expiry, "renewed before expiry, the certification stays continuous"));
		schedule_row(&sink, k, 80, "restoration_deadline", cycle_add_months(expiry, 6),
					 expiry + 1, cycle_add_months(expiry, 6), "hard",
					 BASIS_17021("9.6.3.2.5"),
					 md26_note(&rules, expiry + 1, "only if the certificate lapsed: restored within 6 months after expiry, otherwise at least a stage 2"));

		if (edition == 2013 && k == 1)
		{
			schedule_row(&sink, k, 90, "last_2013_audit", rules.md26_last_audit, NO_DATE,
						 rules.md26_last_audit, "hard", BASIS_MD26,
						 has_stage2 && stage2 > rules.md26_last_audit
						 ? psprintf("no initial or recertification audit against ISO/IEC 27001:2013 after this date; stage 2 ended on %s, later",
									cycle_date_text(stage2))
						 : "no initial or recertification audit against ISO/IEC 27001:2013 after this date");
			/* a decision late in the transition leaves no room for the buffer */
			ws = date_min(decision + 1, rules.md26_end);
			we = date_max(rules.md26_end - practice.buffer, ws);
			schedule_row(&sink, k, 91, "transition_audit",
						 date_max(date_min(cycle_date(2025, 7, 31), we), ws), ws, we,
						 "practice", BASIS_MD26,
						 "to ISO/IEC 27001:2022 at a surveillance (+1.0 auditor-day), a recertification (+0.5) or a separate audit (+1.0); target 2025-07-31 is practice");
			schedule_row(&sink, k, 92, "transition_deadline", rules.md26_end, NO_DATE,
						 rules.md26_end, "hard", BASIS_MD26,
						 "certificates to ISO/IEC 27001:2013 expire or are withdrawn");
		}
	}
	return (Datum) 0;
}

/* One event, its kind checked; where names the argument in errors */
static Event
event_make(const char *kind, DateADT date, const char *where, int position)
{
	Event		e;
	int			k;

	for (k = 0; event_kinds[k] != NULL; k++)
		if (pg_strcasecmp(kind, event_kinds[k]) == 0)
			break;
	if (event_kinds[k] == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid event kind in %s[%d]: \"%s\"", where, position, kind),
				 errdetail("Accepted kinds: %s.", cycle_word_list(event_kinds))));
	if (DATE_NOT_FINITE(date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s[%d] must have a finite date", where, position)));
	e.kind = (EventKind) k;
	e.date = date;
	return e;
}

/* qsort order of events: by date, then kind */
static int
event_cmp(const void *a, const void *b)
{
	const Event *x = a,
			   *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return (int) x->kind - (int) y->kind;
}

/* Sort a history by date, then kind */
static void
events_sort(Event *events, int n)
{
	if (n > 1)
		qsort(events, n, sizeof(Event), event_cmp);
}

/*
 * The row type of the events argument must still be (kind text, on_date
 * date): its owner could have altered it since the functions were made.
 */
static TupleDesc
event_type_desc(Oid elemtype)
{
	TupleDesc	desc = lookup_rowtype_tupdesc(elemtype, -1);

	if (desc->natts != 2 ||
		TupleDescAttr(desc, 0)->attisdropped || TupleDescAttr(desc, 0)->atttypid != TEXTOID ||
		TupleDescAttr(desc, 1)->attisdropped || TupleDescAttr(desc, 1)->atttypid != DATEOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("type %s is not (kind text, on_date date)", format_type_be(elemtype)),
				 errdetail("The type certification_event has been altered; recreate the extension.")));
	return desc;
}

/*
 * The audit history argument, an array of certification_event: sorted by
 * date (then kind).  NULL elements, kinds or dates are refused.
 */
static int
events_arg(FunctionCallInfo fcinfo, int argno, Event **result)
{
	ArrayType  *array;
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	TupleDesc	desc;

	*result = NULL;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("events must not be null"),
				 errhint("Pass an empty array for a history without audits.")));
	array = cycle_array_arg(fcinfo, argno, "events");
	elemtype = ARR_ELEMTYPE(array);
	desc = event_type_desc(elemtype);
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(array, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
	*result = palloc(sizeof(Event) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader th;
		HeapTupleData tuple;
		Datum		fields[2];
		bool		fieldnulls[2];

		CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("events[%d] must not be null", i + 1)));
		th = DatumGetHeapTupleHeader(elems[i]);
		tuple.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = th;
		heap_deform_tuple(&tuple, desc, fields, fieldnulls);
		if (fieldnulls[0] || fieldnulls[1])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("events[%d] must have a kind and a date", i + 1)));
		(*result)[i] = event_make(TextDatumGetCString(fields[0]),
								  DatumGetDateADT(fields[1]), "events", i + 1);
	}
	ReleaseTupleDesc(desc);
	events_sort(*result, n);
	return n;
}

/*
 * Rows of events_query fetched at a time: the rows of one batch and the
 * strings made from them are freed before the next, so that the memory
 * of a history is its Event array (8 bytes an event) and not its rows.
 */
#define EVENTS_QUERY_BATCH	10000

/* The most events a history can have: its Event array is one allocation */
#define EVENTS_QUERY_MAX	((int) (MaxAllocSize / sizeof(Event)))

/* The events read from events_query so far, in the caller's memory */
typedef struct EventList
{
	Event	   *events;
	int			n;
	int			size;
	MemoryContext context;
} EventList;

/* Append one event, growing the array by doubling up to EVENTS_QUERY_MAX */
static void
event_list_add(EventList *list, Event e)
{
	if (list->n == list->size)
	{
		int			size;

		if (list->size >= EVENTS_QUERY_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("events_query returned more than %d rows", EVENTS_QUERY_MAX)));
		size = list->size > EVENTS_QUERY_MAX / 2 ? EVENTS_QUERY_MAX : Max(list->size * 2, 1024);
		if (list->events == NULL)
			list->events = MemoryContextAlloc(list->context, sizeof(Event) * size);
		else
			list->events = repalloc(list->events, sizeof(Event) * size);
		list->size = size;
	}
	list->events[list->n++] = e;
}

/*
 * Refuse events_query unless it is one query (SELECT, VALUES, TABLE) that
 * returns rows and neither modifies data (INSERT/UPDATE/DELETE/MERGE ...
 * RETURNING, a data-modifying WITH) nor locks rows (FOR UPDATE/SHARE, in a
 * subquery too): before it runs, with a message that says why.  Read from
 * its plan, where the row marks of every subquery are gathered; the plan
 * is the one the cursor runs next.  What the query calls is held
 * read-only by the caller, events_query_arg().
 */
static void
events_query_check(SPIPlanPtr plan)
{
	List	   *sources = plan != NULL ? SPI_plan_get_plan_sources(plan) : NIL;
	CachedPlanSource *source;
	CachedPlan *cplan;
	ListCell   *lc;

	if (list_length(sources) != 1 || !SPI_is_cursor_plan(plan))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("events_query must be one query that returns rows")));
	source = linitial(sources);
	cplan = SPI_plan_get_cached_plan(plan);
	if (cplan == NULL)
		elog(ERROR, "events_query has no cached plan");
	foreach(lc, cplan->stmt_list)
	{
		PlannedStmt *stmt = lfirst_node(PlannedStmt, lc);

		if (stmt->commandType == CMD_UTILITY)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("events_query must be one query that returns rows"),
					 errdetail("%s is not a query.", GetCommandTagName(source->commandTag))));
		if (stmt->commandType != CMD_SELECT || stmt->hasModifyingCTE || stmt->rowMarks != NIL)
			ereport(ERROR,
					(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
					 errmsg("events_query must be read-only"),
					 errdetail(stmt->commandType != CMD_SELECT
							   ? "%s modifies data."
							   : stmt->hasModifyingCTE
							   ? "%s has a WITH clause that modifies data."
							   : "%s locks rows (FOR UPDATE or FOR SHARE).",
							   GetCommandTagName(source->commandTag))));
	}
	/* the plan is not saved: its reference belongs to no resource owner */
	ReleaseCachedPlan(cplan, NULL);
}

/*
 * Run events_query and append its rows to list: through a cursor, in
 * batches of EVENTS_QUERY_BATCH rows.  Called inside the read-only
 * subtransaction of events_query_arg().
 */
static void
events_query_read(const char *query, EventList *list)
{
	SPIPlanPtr	plan;
	Portal		portal;
	TupleDesc	desc;
	Oid			kindtype,
				datetype;
	MemoryContext batch;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* a query that does not parse raises its own error here */
	plan = SPI_prepare_cursor(query, 0, NULL, CURSOR_OPT_NO_SCROLL);
	events_query_check(plan);
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	desc = portal->tupDesc;
	kindtype = desc->natts >= 2 ? getBaseType(SPI_gettypeid(desc, 1)) : InvalidOid;
	datetype = desc->natts >= 2 ? getBaseType(SPI_gettypeid(desc, 2)) : InvalidOid;
	if (desc->natts < 2 ||
		TypeCategory(kindtype) != TYPCATEGORY_STRING ||
		(datetype != DATEOID && datetype != TIMESTAMPOID && datetype != TIMESTAMPTZOID))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("events_query must return (kind, on_date): a string and a date"),
				 errdetail("The first two columns are used; on_date may also be a timestamp.")));

	batch = AllocSetContextCreate(CurrentMemoryContext, "events_query batch",
								  ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		MemoryContext spi;

		SPI_cursor_fetch(portal, true, EVENTS_QUERY_BATCH);
		if (SPI_processed == 0)
			break;
		spi = MemoryContextSwitchTo(batch);
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[i];
			bool		datenull;
			char	   *kind = SPI_getvalue(tuple, SPI_tuptable->tupdesc, 1);
			Datum		date = SPI_getbinval(tuple, SPI_tuptable->tupdesc, 2, &datenull);
			int			row = list->n + 1;

			CHECK_FOR_INTERRUPTS();
			if (kind == NULL || datenull)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("row %d of events_query must have a kind and a date", row)));
			if (datetype == TIMESTAMPOID)
				date = DirectFunctionCall1(timestamp_date, date);
			else if (datetype == TIMESTAMPTZOID)
				date = DirectFunctionCall1(timestamptz_date, date);
			event_list_add(list, event_make(kind, DatumGetDateADT(date), "events_query row", row));
		}
		MemoryContextSwitchTo(spi);
		MemoryContextReset(batch);
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
}

/*
 * The audit history read from a query whose first two columns are the
 * kind (a string) and the date (date, timestamp or timestamptz), with the
 * caller's privileges and search_path.
 *
 * The query is one read-only query (events_query_check), and it runs in an
 * internal subtransaction with transaction_read_only on (SET LOCAL there):
 * every write it causes, in functions it calls too, fails with 25006
 * "cannot execute ... in a read-only transaction", and it cannot turn the
 * setting off (25001: not inside a read-only transaction).  SPI's own
 * read_only flag only checks the top-level statement.  The subtransaction
 * is always rolled back, once the events are copied out: what a read-only
 * transaction still allows is undone with it (set_config(..., false),
 * writes to temporary tables, NOTIFY), as are the locks the query took;
 * releasing it would keep them.  Only what no rollback undoes stays:
 * another connection's work (dblink), nextval() of a temporary sequence,
 * session advisory locks.  An error is copied out, the subtransaction
 * rolled back, and rethrown, as PL/pgSQL's exception blocks do, so that a
 * caller's own exception block finds its own subtransaction.
 */
static int
events_query_arg(FunctionCallInfo fcinfo, int argno, Event **result)
{
	char	   *query;
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	EventList  *list;

	cycle_arg_not_null(fcinfo, argno, "events_query");
	query = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	list = palloc0(sizeof(EventList));
	list->context = caller;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		(void) set_config_option("transaction_read_only", "on", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
		events_query_read(query, list);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(caller);
	CurrentResourceOwner = owner;

	if (list->events == NULL)
		list->events = palloc(sizeof(Event));
	events_sort(list->events, list->n);
	*result = list->events;
	return list->n;
}

/* What the checker and next-due functions know of a history */
typedef struct History
{
	CycleRules	rules;
	Event	   *events;
	int			nevents;
	DateADT		stage1;			/* first stage 1, or NO_DATE */
	DateADT		stage2;			/* last day of stage 2, or NO_DATE */
	DateADT    *decisions;		/* recertification/restoration decisions */
	int			ndecisions;
	DateADT		transition;		/* first transition audit, or NO_DATE */
} History;

/* Read a sorted history: first stage 1, last stage 2, decisions after D, first transition audit */
static void
history_init(History *h, Event *events, int nevents)
{
	h->events = events;
	h->nevents = nevents;
	h->stage1 = h->stage2 = h->transition = NO_DATE;
	h->decisions = palloc(sizeof(DateADT) * Max(nevents, 1));
	h->ndecisions = 0;
	for (int i = 0; i < nevents; i++)
	{
		switch (events[i].kind)
		{
			case EV_STAGE1:
				if (h->stage1 == NO_DATE)
					h->stage1 = events[i].date;
				break;
			case EV_STAGE2:
				h->stage2 = events[i].date;
				break;
			case EV_RECERT_DECISION:
			case EV_RESTORATION_DECISION:
				if (events[i].date > h->rules.decision)
					h->decisions[h->ndecisions++] = events[i].date;
				break;
			case EV_TRANSITION_AUDIT:
				if (h->transition == NO_DATE)
					h->transition = events[i].date;
				break;
			default:
				break;
		}
	}
}

/* Is there an event of this kind in the calendar year? */
static bool
history_has_in_year(const History *h, EventKind kind, int year)
{
	DateADT		first = year_first(year),
				last = year_last(year);

	for (int i = 0; i < h->nevents; i++)
		if (h->events[i].kind == kind &&
			h->events[i].date >= first && h->events[i].date <= last)
			return true;
	return false;
}

/* A finding of the checker */
typedef struct Finding
{
	const char *rule;
	const char *severity;
	int			cycle;
	DateADT		date;
	char	   *detail;
	const char *basis;
} Finding;

typedef struct Findings
{
	Finding    *items;
	int			n;
	int			size;
} Findings;

/* Add a finding to the checker's list */
static void
finding_add(Findings *f, const char *rule, const char *severity, int cycle,
			DateADT date, char *detail, const char *basis)
{
	if (f->n == f->size)
	{
		f->size = f->size ? f->size * 2 : 8;
		f->items = f->items ? repalloc(f->items, sizeof(Finding) * f->size)
			: palloc(sizeof(Finding) * f->size);
	}
	f->items[f->n].rule = rule;
	f->items[f->n].severity = severity;
	f->items[f->n].cycle = cycle;
	f->items[f->n].date = date;
	f->items[f->n].detail = detail;
	f->items[f->n].basis = basis;
	f->n++;
}

/* qsort order of findings: by date, then rule */
static int
finding_cmp(const void *a, const void *b)
{
	const Finding *x = a,
			   *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

/*
 * The rules of docs/certification_cycle.md §5.2 over one history.  end is the end of
 * the timeline looked at: as_of, or the last event.
 */
static void
check_history(History *h, DateADT end, bool decision_year_covered,
			  Sa1Anchor sa1_anchor, int stage_gap, Findings *f)
{
	const CycleRules *rules = &h->rules;
	DateADT		decision = rules->decision;
	DateADT		valid_until = end;
	DateADT		anchor,
				deadline,
				first_sa = NO_DATE;
	DateADT		suspended = NO_DATE;
	int			first_year,
				last_year;

	/* stage order and gaps */
	for (int i = 0; i < h->nevents; i++)
		if ((h->events[i].kind == EV_STAGE1 || h->events[i].kind == EV_STAGE2) &&
			h->events[i].date > decision)
			finding_add(f, "STAGE_ORDER", "error", 1, h->events[i].date,
						psprintf("%s on %s is after the certification decision of %s.",
								 h->events[i].kind == EV_STAGE1 ? "Stage 1" : "Stage 2",
								 cycle_date_text(h->events[i].date), cycle_date_text(decision)),
						BASIS_17021("9.3.1, 9.5"));
	if (h->stage1 != NO_DATE && h->stage2 != NO_DATE && h->stage1 > h->stage2)
		finding_add(f, "STAGE_ORDER", "error", 1, h->stage2,
					psprintf("Stage 2 ended on %s, before stage 1 on %s.",
							 cycle_date_text(h->stage2), cycle_date_text(h->stage1)),
					BASIS_17021("9.3.1"));
	if (h->stage1 != NO_DATE && h->stage2 != NO_DATE &&
		h->stage2 > cycle_add_months(h->stage1, stage_gap))
		finding_add(f, "STAGE_GAP_LONG", "warning", 1, h->stage2,
					psprintf("Stage 2 ended %d days after stage 1 (more than %d months): the certification body decides whether stage 1 is still valid.",
							 h->stage2 - h->stage1, stage_gap),
					"EA FAQ 49.3; practice");
	for (int i = 0; i < h->nevents; i++)
		if (h->events[i].kind == EV_STAGE2_MAJOR_NC)
		{
			DateADT		s2 = h->stage2 != NO_DATE ? h->stage2 : h->events[i].date;

			if (decision > cycle_add_months(s2, 6))
				finding_add(f, "STAGE2_MAJOR_NC_6_MONTHS", "error", 1, decision,
							psprintf("The certification decision of %s is more than 6 months after stage 2 (%s) with major nonconformities: another stage 2 was required by %s.",
									 cycle_date_text(decision), cycle_date_text(s2),
									 cycle_date_text(cycle_add_months(s2, 6))),
							BASIS_17021("9.5.3"));
			break;
		}

	/* IAF MD 26 for a 2013 certificate */
	if (rules->edition == 2013)
	{
		/* audits to 2013 are those before the transition audit */
		for (int i = 0; i < h->nevents; i++)
			if ((h->events[i].kind == EV_STAGE2 || h->events[i].kind == EV_RECERT_AUDIT) &&
				h->events[i].date > rules->md26_last_audit &&
				(h->transition == NO_DATE || h->events[i].date < h->transition))
				finding_add(f, "MD26_2013_CUTOFFS", "error", 0, h->events[i].date,
							psprintf("An ISO/IEC 27001:2013 %s on %s is after %s.",
									 h->events[i].kind == EV_STAGE2 ? "initial audit (stage 2)" : "recertification audit",
									 cycle_date_text(h->events[i].date), MD26_LAST_2013_AUDIT),
							BASIS_MD26);
		if (h->transition != NO_DATE && h->transition > rules->md26_end)
			finding_add(f, "MD26_2013_CUTOFFS", "error", 0, h->transition,
						psprintf("The transition audit on %s is after the end of the transition on %s.",
								 cycle_date_text(h->transition), MD26_TRANSITION_END),
						BASIS_MD26);
		if ((h->transition == NO_DATE || h->transition > rules->md26_end) &&
			end > rules->md26_end)
		{
			finding_add(f, "MD26_2013_CUTOFFS", "error", 0, rules->md26_end,
						psprintf("No ISO/IEC 27001:2013 certificate is valid after %s: without a transition audit by then, the certificate expired or was withdrawn.",
								 MD26_TRANSITION_END),
						BASIS_MD26);
			valid_until = date_min(valid_until, rules->md26_end);
		}
	}

	/* recertification before expiry, restoration within 6 months */
	for (int k = 1; k <= h->ndecisions + 1 && cycle_start(rules, k) <= end; k++)
	{
		DateADT		expiry = cycle_expiry(rules, k);
		DateADT		restoration = cycle_add_months(expiry, 6);

		if (k <= h->ndecisions)
		{
			DateADT		r = h->decisions[k - 1];

			if (r > expiry)
				finding_add(f, "RECERT_BEFORE_EXPIRY", "error", k, r,
							psprintf("The recertification decision of %s came after the certificate expired on %s: no valid certification from %s; restoration was possible until %s.",
									 cycle_date_text(r), cycle_date_text(expiry),
									 cycle_date_text(expiry + 1), cycle_date_text(restoration)),
							BASIS_17021("9.6.3.2.4"));
			if (r > restoration)
				finding_add(f, "RESTORATION_WITHIN_6_MONTHS", "error", k, r,
							psprintf("The decision of %s is more than 6 months after the expiry on %s (deadline %s): at least a stage 2 was required.",
									 cycle_date_text(r), cycle_date_text(expiry),
									 cycle_date_text(restoration)),
							BASIS_17021("9.6.3.2.5"));
		}
		else if (end > expiry)
		{
			finding_add(f, "RECERT_BEFORE_EXPIRY", "error", k, expiry,
						psprintf("No recertification decision by the expiry of cycle %d on %s: the certificate lapsed; restoration is possible until %s.",
								 k, cycle_date_text(expiry), cycle_date_text(restoration)),
						BASIS_17021("9.6.3.2.4"));
			if (end > restoration)
				finding_add(f, "RESTORATION_WITHIN_6_MONTHS", "error", k, restoration,
							psprintf("No restoration by %s, 6 months after the expiry on %s: at least a stage 2 is required.",
									 cycle_date_text(restoration), cycle_date_text(expiry)),
							BASIS_17021("9.6.3.2.5"));
			valid_until = date_min(valid_until, expiry);
		}
	}

	/* the first surveillance within 12 months of the decision */
	anchor = sa1_anchor == SA1_FROM_STAGE2_END ? h->stage2 : decision;
	deadline = cycle_add_months(anchor, 12);
	for (int i = 0; i < h->nevents; i++)
		if (h->events[i].kind == EV_SURVEILLANCE && h->events[i].date > decision)
		{
			first_sa = h->events[i].date;
			break;
		}
	if (first_sa != NO_DATE && first_sa > deadline)
		finding_add(f, "SA1_WITHIN_12_MONTHS", "error", 1, first_sa,
					psprintf("The first surveillance audit, on %s, is %d days after the deadline of %s (12 months after %s).",
							 cycle_date_text(first_sa), first_sa - deadline,
							 cycle_date_text(deadline), cycle_date_text(anchor)),
					BASIS_17021("9.1.3.3"));
	else if (first_sa == NO_DATE && date_min(end, valid_until) > deadline)
		finding_add(f, "SA1_WITHIN_12_MONTHS", "error", 1, deadline,
					psprintf("No surveillance audit by %s, 12 months after %s.",
							 cycle_date_text(deadline), cycle_date_text(anchor)),
					BASIS_17021("9.1.3.3"));

	/* a surveillance in every calendar year but recertification years */
	first_year = cycle_year(decision) + (decision_year_covered ? 1 : 0);
	last_year = cycle_year(valid_until);
	if (valid_until != year_last(last_year))
		last_year--;			/* the year is not over */
	{
		/* the events are sorted: walk them along the years */
		int			i = 0;

		for (int year = first_year; year <= last_year; year++)
		{
			bool		covered = false;

			CHECK_FOR_INTERRUPTS();
			while (i < h->nevents && cycle_year(h->events[i].date) < year)
				i++;
			for (int j = i; j < h->nevents && cycle_year(h->events[j].date) == year; j++)
				if (h->events[j].kind == EV_SURVEILLANCE || h->events[j].kind == EV_RECERT_AUDIT)
				{
					covered = true;
					break;
				}
			if (!covered)
				finding_add(f, "SURVEILLANCE_EVERY_CALENDAR_YEAR", "error", 0, year_last(year),
							psprintf("No surveillance audit in calendar year %d, which has no recertification audit either.",
									 year),
							BASIS_17021("9.1.3.3"));
		}
	}

	/* suspensions longer than 6 months */
	for (int i = 0; i < h->nevents; i++)
	{
		if (h->events[i].kind == EV_SUSPENSION_START && suspended == NO_DATE)
			suspended = h->events[i].date;
		else if (h->events[i].kind == EV_SUSPENSION_END)
		{
			if (suspended == NO_DATE)
				finding_add(f, "SUSPENSION_END_WITHOUT_START", "warning", 0, h->events[i].date,
							psprintf("A suspension ends on %s but none started before.",
									 cycle_date_text(h->events[i].date)),
							BASIS_17021("9.6.5"));
			else if (h->events[i].date > cycle_add_months(suspended, 6))
				finding_add(f, "SUSPENSION_LONG", "warning", 0, h->events[i].date,
							psprintf("Suspended from %s to %s (%d days), longer than 6 months.",
									 cycle_date_text(suspended), cycle_date_text(h->events[i].date),
									 h->events[i].date - suspended),
							BASIS_17021("9.6.5 NOTE"));
			suspended = NO_DATE;
		}
	}
	if (suspended != NO_DATE && end > cycle_add_months(suspended, 6))
		finding_add(f, "SUSPENSION_LONG", "warning", 0, end,
					psprintf("Suspended since %s, more than 6 months by %s.",
							 cycle_date_text(suspended), cycle_date_text(end)),
					BASIS_17021("9.6.5 NOTE"));
}

/*
 * The options the checker and next-due functions share, their arguments 3
 * to 8: the rules of the cycle, decision_year_covered and
 * first_surveillance_anchor.
 */
static void
history_rules(FunctionCallInfo fcinfo, History *h, DateADT decision,
			  bool *decision_year_covered, Sa1Anchor *sa1_anchor)
{
	int			edition = cycle_int_arg(fcinfo, 3, "edition", PG_INT32_MIN, PG_INT32_MAX);
	ExpiryRule	expiry_rule = (ExpiryRule) cycle_option(fcinfo, 4, "expiry_rule", expiry_rules);
	int			extension_days = cycle_int_arg(fcinfo, 6, "extension_days", 0, 366);
	int			extension_cycle = cycle_int_arg(fcinfo, 7, "extension_cycle", 1, 100);

	cycle_rules_init(&h->rules, decision, edition, expiry_rule, extension_days,
					 extension_cycle, 100);
	*decision_year_covered = cycle_bool_arg(fcinfo, 5, "decision_year_covered");
	*sa1_anchor = (Sa1Anchor) cycle_option(fcinfo, 8, "first_surveillance_anchor", sa1_anchors);
}

static Datum check_events(FunctionCallInfo fcinfo, Event *events, int nevents);

/*
 * certification_cycle_check(): the rules an audit history breaks, one row
 * per finding, by date.  A compliant history returns no rows.
 */
PG_FUNCTION_INFO_V1(certification_cycle_check);
Datum
certification_cycle_check(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Event	   *events;
	int			nevents;

	(void) cycle_date_arg(fcinfo, 0, "certification_decision", true, &isnull);
	nevents = events_arg(fcinfo, 1, &events);
	return check_events(fcinfo, events, nevents);
}

/*
 * certification_cycle_check(decision, events_query => ...): the same,
 * with the history read from a query.
 */
PG_FUNCTION_INFO_V1(certification_cycle_check_query);
Datum
certification_cycle_check_query(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Event	   *events;
	int			nevents;

	(void) cycle_date_arg(fcinfo, 0, "certification_decision", true, &isnull);
	nevents = events_query_arg(fcinfo, 1, &events);
	return check_events(fcinfo, events, nevents);
}

/* The checker's work once the history is read */
static Datum
check_events(FunctionCallInfo fcinfo, Event *events, int nevents)
{
	History		h;
	Findings	f = {0};
	RowSink		sink;
	bool		isnull;
	DateADT		decision,
				as_of,
				end;
	bool		decision_year_covered;
	Sa1Anchor	sa1_anchor;
	int			stage_gap;

	decision = cycle_date_arg(fcinfo, 0, "certification_decision", true, &isnull);
	as_of = cycle_date_arg(fcinfo, 2, "as_of", false, &isnull);
	if (isnull)
		as_of = NO_DATE;
	history_rules(fcinfo, &h, decision, &decision_year_covered, &sa1_anchor);
	stage_gap = cycle_int_arg(fcinfo, 9, "stage_gap_months", 1, 36);

	/* what happened after as_of is not looked at */
	if (as_of != NO_DATE)
	{
		while (nevents > 0 && events[nevents - 1].date > as_of)
			nevents--;
		end = as_of;
	}
	else
		end = nevents > 0 ? date_max(decision, events[nevents - 1].date) : decision;
	history_init(&h, events, nevents);
	sa1_anchor_check(sa1_anchor, h.stage2, decision);
	check_history(&h, end, decision_year_covered, sa1_anchor, stage_gap, &f);

	sink_init(fcinfo, &sink);
	if (f.n > 1)
		qsort(f.items, f.n, sizeof(Finding), finding_cmp);
	for (int i = 0; i < f.n; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {false};

		values[0] = CStringGetTextDatum(f.items[i].rule);
		values[1] = CStringGetTextDatum(f.items[i].severity);
		values[2] = Int32GetDatum(f.items[i].cycle);
		nulls[2] = (f.items[i].cycle == 0);
		put_date(values, nulls, 3, f.items[i].date);
		values[4] = CStringGetTextDatum(f.items[i].detail);
		values[5] = CStringGetTextDatum(f.items[i].basis);
		tuplestore_putvalues(sink.store, sink.desc, values, nulls);
	}
	return (Datum) 0;
}

/* One row of certification_next_due() */
static void
due_row(RowSink *sink, DateADT as_of, const char *event, DateADT due,
		DateADT start, DateADT end, const char *requirement,
		const char *basis, const char *note)
{
	Datum		values[8];
	bool		nulls[8];

	put_text(values, nulls, 0, event);
	put_date(values, nulls, 1, due);
	put_date(values, nulls, 2, start);
	put_date(values, nulls, 3, end);
	values[4] = Int32GetDatum((end != NO_DATE ? end : due) - as_of);
	nulls[4] = (end == NO_DATE && due == NO_DATE);
	put_text(values, nulls, 5, requirement);
	put_text(values, nulls, 6, basis);
	put_text(values, nulls, 7, note);
	tuplestore_putvalues(sink->store, sink->desc, values, nulls);
}

/*
 * certification_next_due(): for a history and a day, the next audit with
 * its window (re-planned into the first calendar year still without an
 * audit), then the hard deadlines still ahead.  days_left counts to the
 * window's end, negative when overdue.
 */
PG_FUNCTION_INFO_V1(certification_next_due);
Datum
certification_next_due(PG_FUNCTION_ARGS)
{
	History		h;
	Practice	practice;
	RowSink		sink;
	bool		isnull;
	DateADT		decision,
				as_of;
	Event	   *events;
	int			nevents,
				past = 0;
	bool		decision_year_covered;
	Sa1Anchor	sa1_anchor;
	int			k,
				done = 0,
				free_year;
	bool		recert_done = false;
	bool		as_2013;
	DateADT		start,
				nominal,
				expiry,
				anchor,
				due,
				ws,
				we,
				recert_ws;
	const char *event;
	const char *requirement;
	const char *note;

	decision = cycle_date_arg(fcinfo, 0, "certification_decision", true, &isnull);
	nevents = events_arg(fcinfo, 1, &events);
	as_of = cycle_date_arg(fcinfo, 2, "as_of", true, &isnull);
	history_rules(fcinfo, &h, decision, &decision_year_covered, &sa1_anchor);
	practice_args(fcinfo, &practice, 9, 10, 11, 12, 13);
	if (as_of < decision)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of (%s) must not be earlier than certification_decision (%s)",
						cycle_date_text(as_of), cycle_date_text(decision))));

	/* only what happened by as_of counts */
	while (past < nevents && events[past].date <= as_of)
		past++;
	history_init(&h, events, past);
	sa1_anchor_check(sa1_anchor, h.stage2, decision);

	/* the current cycle: one more than the decisions taken */
	k = h.ndecisions + 1;
	nominal = cycle_start(&h.rules, k);
	expiry = cycle_expiry(&h.rules, k);
	start = k == 1 ? decision : h.decisions[k - 2];
	/* still a 2013 certificate: no transition audit yet */
	as_2013 = h.rules.edition == 2013 && h.transition == NO_DATE;
	for (int i = 0; i < past; i++)
		if (events[i].date > start)
		{
			if (events[i].kind == EV_SURVEILLANCE)
				done++;
			else if (events[i].kind == EV_RECERT_AUDIT)
				recert_done = true;
		}

	/* the first calendar year from as_of's on without an audit */
	free_year = cycle_year(as_of);
	if (history_has_in_year(&h, EV_SURVEILLANCE, free_year) ||
		history_has_in_year(&h, EV_RECERT_AUDIT, free_year) ||
		(decision_year_covered && free_year == cycle_year(decision)))
		free_year++;

	sink_init(fcinfo, &sink);
	recert_ws = recert_window_start(nominal, expiry, &practice);

	/* no valid certificate left: a new initial certification */
	if ((as_2013 && as_of > h.rules.md26_end) || as_of > cycle_add_months(expiry, 6))
	{
		due_row(&sink, as_of, "new_initial_certification", NO_DATE, as_of, NO_DATE, "hard",
				as_2013 && as_of > h.rules.md26_end ? BASIS_MD26 : BASIS_17021("9.6.3.2.5"),
				as_2013 && as_of > h.rules.md26_end
				? "no ISO/IEC 27001:2013 certificate is valid after 2025-10-31: certification to ISO/IEC 27001:2022 starts anew (stage 1 and stage 2)"
				: psprintf("the certificate expired on %s and was not restored by %s: at least a stage 2, a new initial certification",
						   cycle_date_text(expiry), cycle_date_text(cycle_add_months(expiry, 6))));
		return (Datum) 0;
	}
	if (as_of > expiry)
	{
		due = cycle_add_months(expiry, 6);
		due_row(&sink, as_of, "restoration_audit", due, expiry + 1, due, "hard",
				BASIS_17021("9.6.3.2.5"),
				"the certificate lapsed: recertification activities completed and decided within 6 months after expiry restore it");
		return (Datum) 0;
	}

	if (recert_done)
	{
		/* the next cycle's surveillance 1, after the coming decision */
		event = "surveillance_1";
		due = cycle_add_months(cycle_start(&h.rules, k + 1), 12);
		ws = date_max(as_of + 1, year_first(free_year));
		we = date_min(due, year_last(free_year));
		due = date_min(due, we);
		requirement = we < cycle_add_months(cycle_start(&h.rules, k + 1), 12) ? "hard" : "practice";
		note = psprintf("of the next cycle, which starts with the recertification decision (due by %s); calendar year %d needs an audit",
						cycle_date_text(expiry), free_year);
	}
	else if (done >= 2 && year_last(free_year) < recert_ws)
	{
		/* both surveillances done early: a year is left before year 3 */
		event = "surveillance";
		ws = year_first(free_year);
		we = due = year_last(free_year);
		requirement = "hard";
		note = psprintf("an extra surveillance: calendar year %d has no audit and the recertification window opens on %s",
						free_year, cycle_date_text(recert_ws));
	}
	else if (done >= 2)
	{
		event = "recertification_audit";
		ws = recert_ws;
		we = date_min(expiry - practice.buffer, year_last(free_year));
		due = date_max(date_min(cycle_add_months(nominal, practice.recert_month), we), ws);
		requirement = we < expiry - practice.buffer ? "hard" : "practice";
		note = as_2013 && we > h.rules.md26_last_audit
			? "third year, before expiry: to ISO/IEC 27001:2022 (no ISO/IEC 27001:2013 recertification audit after 2024-04-30)"
			: "third year, before expiry";
	}
	else
	{
		/* surveillance 1 or 2, inside the due date's calendar year */
		anchor = (k == 1 && done == 0 && sa1_anchor == SA1_FROM_STAGE2_END) ? h.stage2 : start;
		event = done == 0 ? "surveillance_1" : "surveillance_2";
		due = cycle_add_months(anchor, done == 0 ? 12 : 24);
		ws = date_max(date_max(cycle_add_months(due, -practice.before), start + 1),
					  year_first(cycle_year(due)));
		if (k == 1 && done == 0)
		{
			we = due;
			requirement = "hard";
			note = "not more than 12 months after the certification decision";
		}
		else
		{
			we = date_min(date_min(cycle_add_months(due, practice.after), recert_ws - 1),
						  year_last(cycle_year(due)));
			requirement = "practice";
			note = "at least one audit in each calendar year";
		}
		if (year_last(free_year) < we)
		{
			we = year_last(free_year);
			due = date_min(due, we);
			requirement = "hard";
			note = psprintf("calendar year %d has no audit yet: due by its end", free_year);
		}
		if (ws > we)
		{
			ws = date_max(year_first(free_year), start + 1);
			due = we;
			note = psprintf("re-planned: calendar year %d has no audit yet", free_year);
		}
	}
	due_row(&sink, as_of, event, due, ws, we, requirement,
			BASIS_17021("9.1.3.2, 9.1.3.3"), md26_note(&h.rules, as_2013 ? due : NO_DATE, note));

	/* the hard deadlines still ahead */
	due_row(&sink, as_of, "recertification_decision_deadline", expiry,
			cycle_add_months(nominal, 24), expiry, "hard",
			BASIS_17021("9.6.3.2.3, 9.6.3.2.4"),
			"renewed before expiry, the certification stays continuous");
	due_row(&sink, as_of, "certificate_expiry", expiry, NO_DATE, NO_DATE, "hard",
			BASIS_17021("8.2.2 d), 9.1.3.2"),
			as_2013 && expiry > h.rules.md26_end
			? "as an ISO/IEC 27001:2022 certificate, after a transition audit by 2025-10-31"
			: NULL);
	if (as_2013)
	{
		if (as_of <= h.rules.md26_last_audit)
			due_row(&sink, as_of, "last_2013_audit", h.rules.md26_last_audit, NO_DATE,
					h.rules.md26_last_audit, "hard", BASIS_MD26,
					"no initial or recertification audit against ISO/IEC 27001:2013 after this date");
		due_row(&sink, as_of, "transition_deadline", h.rules.md26_end, NO_DATE,
				h.rules.md26_end, "hard", BASIS_MD26,
				"certificates to ISO/IEC 27001:2013 expire or are withdrawn");
	}
	return (Datum) 0;
}
