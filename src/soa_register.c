/*-------------------------------------------------------------------------
 *
 * soa_register.c
 *	  C support of the SoA register's triggers.
 *
 * src/soa_register.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"

#include "iso27001.h"

/*
 * Was a row with this xmin written by the current transaction (or one of
 * its subtransactions)?  The triggers use it to accept the entries of an
 * SoA version only while that version is being approved.
 */
PG_FUNCTION_INFO_V1(soa_written_by_current_transaction);
Datum
soa_written_by_current_transaction(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(TransactionIdIsCurrentTransactionId(PG_GETARG_TRANSACTIONID(0)));
}
