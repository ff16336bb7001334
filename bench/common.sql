-- Included by the benchmark scripts: the session settings and the timer.
SET max_parallel_workers_per_gather = 0;
SET jit = off;

-- Median wall time in milliseconds of a statement run several times
CREATE FUNCTION bench(stmt text, runs int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	times numeric[] := '{}';
BEGIN
	FOR i IN 1..runs LOOP
		t0 := clock_timestamp();
		EXECUTE stmt;
		times := times || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
	END LOOP;
	RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t)
			  FROM unnest(times) AS t)::numeric(12, 3);
END $$;

-- Median wall times in milliseconds of several statements run in turn,
-- round after round, so that a burst of noise on these shared machines
-- falls on all of them alike rather than on whichever ran at that moment
CREATE FUNCTION bench_interleaved(stmts text[], runs int) RETURNS numeric[]
LANGUAGE plpgsql AS $$
DECLARE
	n int := cardinality(stmts);
	t0 timestamptz;
	times numeric[] := array_fill(0::numeric, ARRAY[n, runs]);
BEGIN
	FOR r IN 1..runs LOOP
		FOR i IN 1..n LOOP
			t0 := clock_timestamp();
			EXECUTE stmts[i];
			times[i][r] := (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
		END LOOP;
	END LOOP;
	RETURN ARRAY(SELECT (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY times[i][r])
						   FROM generate_series(1, runs) AS r)::numeric(12, 3)
				   FROM generate_series(1, n) AS i ORDER BY i);
END $$;
