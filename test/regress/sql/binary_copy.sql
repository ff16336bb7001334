--
-- binary: send/recv of iso_control and COPY in binary format
--
SET search_path = iso27001, public;

-- the binary form is four bytes: edition code (1 = 2013, 2 = 2022), then
-- the numbers
SELECT iso_control_send('A.5.7'), iso_control_send('A.8.34'),
	   iso_control_send('A.7.2.2'), iso_control_send('A.18.2.3');

-- all 207 controls survive a binary COPY out and in
CREATE TABLE bin_src AS
SELECT control FROM annex_a_2022 UNION ALL SELECT control FROM annex_a_2013;
\copy bin_src TO 'results/iso_control.bin' WITH (FORMAT binary)
CREATE TABLE bin_dst (control iso_control);
\copy bin_dst FROM 'results/iso_control.bin' WITH (FORMAT binary)
SELECT count(*) AS copied,
	   count(*) FILTER (WHERE s.control IS NULL OR d.control IS NULL) AS unmatched
  FROM bin_src s FULL JOIN bin_dst d USING (control);

-- an int4 is sent as four bytes too: a binary int4 file loads into an
-- iso_control column when its bytes name a control
CREATE TABLE bin_int (v int4);
INSERT INTO bin_int VALUES (x'02050700'::int4);
\copy bin_int TO 'results/iso_control_int4.bin' WITH (FORMAT binary)
TRUNCATE bin_dst;
\copy bin_dst FROM 'results/iso_control_int4.bin' WITH (FORMAT binary)
SELECT * FROM bin_dst;

-- values that are no control, or of the wrong length, are rejected (the
-- binary form of a bytea value is its bytes), and nothing is loaded
CREATE TABLE bin_raw (b bytea);
INSERT INTO bin_raw VALUES ('\x02052600');	-- A.5.38
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\x02050701');	-- a 2022 control with a third number
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\x01090501');	-- A.9.5.1
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\x03050700');	-- no such edition
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\xffffffff');
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\x');			-- 0 bytes
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\x020507');		-- 3 bytes
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES ('\x0205070000');	-- 5 bytes
\copy bin_raw TO 'results/iso_control_raw.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/iso_control_raw.bin' WITH (FORMAT binary)
SELECT count(*) FROM bin_dst;

-- arrays of controls go through the same receive function
CREATE TABLE bin_arr (a iso_control[]);
INSERT INTO bin_arr VALUES ('{A.5.7,A.7.2.2,NULL}');
\copy bin_arr TO 'results/iso_control_array.bin' WITH (FORMAT binary)
TRUNCATE bin_arr;
\copy bin_arr FROM 'results/iso_control_array.bin' WITH (FORMAT binary)
SELECT * FROM bin_arr;

DROP TABLE bin_src, bin_dst, bin_int, bin_raw, bin_arr;
