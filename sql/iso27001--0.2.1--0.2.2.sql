/* sql/iso27001--0.2.1--0.2.2.sql: update a 0.2.1 database to 0.2.2 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION iso27001 UPDATE TO '0.2.2'" to load this file. \quit
