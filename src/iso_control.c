/*-------------------------------------------------------------------------
 *
 * iso_control.c
 *	  The iso_control type: one ISO/IEC 27001 Annex A control of either
 *	  edition, four bytes passed by value.
 *
 * Input and binary receive validate the control against the edition's
 * shape compiled into iso_control_parse.c; the comparison, hash and sort support
 * functions are the int4 ones (declared LANGUAGE internal in the install
 * script), because the packed value's integer order is the natural
 * catalogue order.
 *
 * src/iso_control.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "iso_control_parse.h"
#include "compat.h"
#include "iso27001.h"

/* Raise (or save, for a soft-error caller) an input syntax error */
#define invalid_control(escontext, str, ...) \
	errsave(escontext, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type %s: \"%s\"", \
					"iso_control", str), \
			 __VA_ARGS__))

/* Report why str, which annex_a_parse() rejected, is not a control */
static void
report_invalid_control(const char *str, const AnnexAParse *parse,
					   Node *escontext)
{
	const int  *part = parse->part;

	switch (parse->status)
	{
		case ANNEX_A_BAD_DIGITS:
			invalid_control(escontext, str,
							errdetail("Each number of an Annex A control has one or two digits."));
			break;
		case ANNEX_A_NO_SUCH_THEME:
			/* "A.12.6" reads as a 2022 control but is a 2013 objective */
			invalid_control(escontext, str,
							errdetail("ISO/IEC 27001:2022 Annex A has themes %d to %d.",
									  ANNEX_A_FIRST_THEME, ANNEX_A_LAST_THEME),
							annex_a_objective_size(part[0], part[1]) > 0 ?
							errhint("ISO/IEC 27001:2013 controls have three numbers, as in \"A.%d.%d.1\".",
									part[0], part[1]) : 0);
			break;
		case ANNEX_A_NO_SUCH_CONTROL_2022:
			invalid_control(escontext, str,
							errdetail("Theme %d of ISO/IEC 27001:2022 Annex A has %d controls.",
									  part[0], annex_a_theme_size(part[0])));
			break;
		case ANNEX_A_NO_SUCH_CLAUSE:
			invalid_control(escontext, str,
							errdetail("ISO/IEC 27001:2013 Annex A has clauses A.%d to A.%d.",
									  ANNEX_A_FIRST_CLAUSE, ANNEX_A_LAST_CLAUSE));
			break;
		case ANNEX_A_NO_SUCH_OBJECTIVE:
			invalid_control(escontext, str,
							errdetail_plural("Clause A.%d of ISO/IEC 27001:2013 Annex A has %d control objective.",
											 "Clause A.%d of ISO/IEC 27001:2013 Annex A has %d control objectives.",
											 annex_a_objective_count(part[0]),
											 part[0], annex_a_objective_count(part[0])));
			break;
		case ANNEX_A_NO_SUCH_CONTROL_2013:
			invalid_control(escontext, str,
							errdetail_plural("Control objective A.%d.%d of ISO/IEC 27001:2013 Annex A has %d control.",
											 "Control objective A.%d.%d of ISO/IEC 27001:2013 Annex A has %d controls.",
											 annex_a_objective_size(part[0], part[1]),
											 part[0], part[1],
											 annex_a_objective_size(part[0], part[1])));
			break;
		case ANNEX_A_BAD_SYNTAX:
		case ANNEX_A_OK:
			invalid_control(escontext, str,
							errdetail("An Annex A control is two numbers (ISO/IEC 27001:2022, as in \"A.5.7\") or three (ISO/IEC 27001:2013, as in \"A.7.2.2\") separated by periods, optionally after \"A.\"."));
			break;
	}
}

/* Convert the text form of a control to its packed value */
PG_FUNCTION_INFO_V1(iso_control_in);
Datum
iso_control_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	AnnexAParse parse;
	IsoControl	id = annex_a_parse(str, &parse);

	if (parse.status != ANNEX_A_OK)
	{
		report_invalid_control(str, &parse, fcinfo->context);
		PG_RETURN_NULL();
	}
	PG_RETURN_ISO_CONTROL(id);
}

/* Convert a control to its canonical text form, "A.5.7" or "A.7.2.2" */
PG_FUNCTION_INFO_V1(iso_control_out);
Datum
iso_control_out(PG_FUNCTION_ARGS)
{
	IsoControl	id = PG_GETARG_ISO_CONTROL(0);
	char		buf[ANNEX_A_FORMAT_BUFSIZE];

	annex_a_format(id, buf);
	PG_RETURN_CSTRING(pstrdup(buf));
}

/* Convert the binary form (the packed value, 4 bytes) to a control */
PG_FUNCTION_INFO_V1(iso_control_recv);
Datum
iso_control_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	IsoControl	id;

	if (buf->len - buf->cursor != sizeof(IsoControl))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external \"%s\" value", "iso_control"),
				 errdetail("The binary form of a control is %d bytes, not %d.",
						   (int) sizeof(IsoControl), buf->len - buf->cursor)));

	id = (IsoControl) pq_getmsgint(buf, sizeof(IsoControl));
	if (!annex_a_is_valid(id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external \"%s\" value", "iso_control"),
				 errdetail("0x%08X is not an Annex A control of ISO/IEC 27001:2013 or ISO/IEC 27001:2022.",
						   id)));
	PG_RETURN_ISO_CONTROL(id);
}

/* Convert a control to its binary form */
PG_FUNCTION_INFO_V1(iso_control_send);
Datum
iso_control_send(PG_FUNCTION_ARGS)
{
	IsoControl	id = PG_GETARG_ISO_CONTROL(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, id);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Edition of a control: 2013 or 2022 */
PG_FUNCTION_INFO_V1(iso_control_edition);
Datum
iso_control_edition(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(annex_a_edition(PG_GETARG_ISO_CONTROL(0)));
}

/* Does a string name an Annex A control?  (pg_input_is_valid for PG 15) */
PG_FUNCTION_INFO_V1(is_valid_control);
Datum
is_valid_control(PG_FUNCTION_ARGS)
{
	char	   *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	AnnexAParse parse;

	annex_a_parse(str, &parse);
	PG_RETURN_BOOL(parse.status == ANNEX_A_OK);
}

/*
 * Natural-order integer of a control for tools that sort by a number:
 * A.5.7 is 50700, A.12.6.1 is 120601 (major, then two digits per part).
 */
PG_FUNCTION_INFO_V1(iso_control_sort_key);
Datum
iso_control_sort_key(PG_FUNCTION_ARGS)
{
	uint32		id = PG_GETARG_ISO_CONTROL(0);

	PG_RETURN_INT32(ANNEX_A_PART1(id) * 10000 + ANNEX_A_PART2(id) * 100 +
					ANNEX_A_PART3(id));
}
