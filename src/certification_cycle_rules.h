/*-------------------------------------------------------------------------
 *
 * certification_cycle_rules.h
 *	  The ISO/IEC 17021-1 certification cycle: the anchors, deadlines and
 *	  windows computed from a certification decision.  Shared by the
 *	  schedule, the checker and the next-due functions of
 *	  certification_cycle.c, which share the checks of their SQL arguments
 *	  with audit_time.c.
 *
 *	  Dates are DateADT (days from 2000-01-01).  Every date is computed
 *	  from its anchor with one month addition, never by chaining.
 *
 * src/certification_cycle_rules.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_CERTIFICATION_CYCLE_RULES_H
#define ISO27001_CERTIFICATION_CYCLE_RULES_H

#include "fmgr.h"
#include "utils/array.h"
#include "utils/date.h"

/* IAF MD 26 cut-offs for ISO/IEC 27001:2013 certificates */
#define MD26_LAST_2013_AUDIT	"2024-04-30"
#define MD26_TRANSITION_END		"2025-10-31"

typedef enum ExpiryRule
{
	EXPIRY_DAY_BEFORE,			/* the day before the anniversary D + 36k months */
	EXPIRY_SAME_DAY				/* last valid day = D + 36k months */
} ExpiryRule;

typedef enum Sa1Anchor
{
	SA1_FROM_DECISION,			/* 17021-1:2015 9.1.3.3 */
	SA1_FROM_STAGE2_END			/* 17021:2011, stricter */
} Sa1Anchor;

/* The parameters every function of the cycle shares */
typedef struct CycleRules
{
	DateADT		decision;		/* D, the initial certification decision */
	int			edition;		/* 2013 or 2022 */
	ExpiryRule	expiry_rule;
	int			extension_days; /* IAF ID 3 extension ... */
	int			extension_cycle;	/* ... of this cycle only */
	DateADT		md26_last_audit;	/* 2024-04-30 */
	DateADT		md26_end;		/* 2025-10-31 */
} CycleRules;

extern DateADT cycle_add_months(DateADT date, int months);
extern int	cycle_year(DateADT date);
extern DateADT cycle_date(int year, int month, int day);
extern DateADT cycle_start(const CycleRules *rules, int cycle);
extern DateADT cycle_expiry(const CycleRules *rules, int cycle);
extern void cycle_rules_init(CycleRules *rules, DateADT decision, int edition,
							 ExpiryRule expiry_rule, int extension_days,
							 int extension_cycle, int cycles);
extern char *cycle_date_text(DateADT date);
extern char *cycle_word_list(const char *const *words);

/*
 * The checks of SQL arguments that certification_cycle.c and audit_time.c
 * share: each raises the error that names the argument, or returns its
 * value.
 */
extern void cycle_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *name);
extern DateADT cycle_date_arg(FunctionCallInfo fcinfo, int argno, const char *name,
							  bool required, bool *isnull);
extern int	cycle_int_arg(FunctionCallInfo fcinfo, int argno, const char *name,
						  int lo, int hi);
extern double cycle_float_arg(FunctionCallInfo fcinfo, int argno, const char *name,
							  double lo, double hi);
extern bool cycle_bool_arg(FunctionCallInfo fcinfo, int argno, const char *name);
extern ArrayType *cycle_array_arg(FunctionCallInfo fcinfo, int argno, const char *name);
extern int	cycle_option(FunctionCallInfo fcinfo, int argno, const char *name,
						 const char *const *accepted);

#endif							/* ISO27001_CERTIFICATION_CYCLE_RULES_H */
