-- What the fuzz harnesses found, as regression tests where SQL can reach
-- it (the others are seeds in test/fuzz/corpus/, replayed by every run).
\ir ../include/preamble.sql

SELECT plan(2);

-- fuzz_text: "-NaN" read a NaN with its sign bit set, which the text form
-- writes as "NaN": the value did not read back to itself
SELECT is(iso27001.trend_ols_send('(x,0,1,5,1,3,5,1,3,NaN,NaN,-NaN)'),
		  iso27001.trend_ols_send('(x,0,1,5,1,3,5,1,3,NaN,NaN,NaN)'),
		  '-NaN in a trend_ols text reads as the one NaN its text form writes');
SELECT is(iso27001.trend_ols_send('(x,0,1,5,1,3,5,1,3,NaN,NaN,-NaN)'::iso27001.trend_ols::text::iso27001.trend_ols),
		  iso27001.trend_ols_send('(x,0,1,5,1,3,5,1,3,NaN,NaN,-NaN)'),
		  'and its text form reads back to the same bytes');

SELECT * FROM finish();
ROLLBACK;
