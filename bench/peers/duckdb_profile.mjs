// bench/peers/duckdb_profile.mjs - the DuckDB peer of `hicard profile`
// (issue 3, "Scale and speed"; run by bench/peers/run.sh, `make bench-peers`).
//
//   node bench/peers/duckdb_profile.mjs FILE.csv exact|approx [--threads N]
//        [--strategy sets|unpivot|table]
//
// For every column of FILE (read as text: read_csv with all_varchar and a
// header, the null tokens hicard counts by default: empty, NA, NULL, \N,
// NaN), computes
//   exact:  count(DISTINCT col), the nulls, and the 10 most frequent values
//           with their counts (ties by value, as hicard breaks them);
//   approx: approx_count_distinct(col), the nulls, and approx_top_k(col, 10)
//           (DuckDB 1.5 has it, but it returns values only: each count is
//           printed as null).
// and prints one JSON line:
//   {"mode","strategy","duckdb","threads","rows","seconds",
//    "columns":[{"name","distinct","nulls","top":[[value,count],...]}]}
// "seconds" is the wall time of the query work only (from the first query to
// the last result read); the caller measures the whole process.
//
// Exact strategies (all read the CSV once; "sets" is the default, the
// fastest of the three when measured on the 10M-row mixed file):
//   sets     one GROUP BY GROUPING SETS ((c1), (c2), ...) over read_csv: a
//            count per (column, value), then distinct/nulls/top from it;
//   unpivot  UNPIVOT INCLUDE NULLS to (column, value), GROUP BY both;
//   table    load into a temporary table, then one GROUP BY per column.
// Approx mode is always one aggregate query over read_csv.
import { DuckDBInstance } from '@duckdb/node-api';

function usage(msg) {
	if (msg) process.stderr.write(`duckdb_profile: ${msg}\n`);
	process.stderr.write('usage: node duckdb_profile.mjs FILE.csv exact|approx ' +
		'[--threads N] [--strategy sets|unpivot|table]\n');
	process.exit(2);
}

const args = process.argv.slice(2);
let threads = 2, strategy = 'sets';
const pos = [];
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--threads') threads = Number(args[++i]);
	else if (args[i] === '--strategy') strategy = args[++i];
	else if (args[i].startsWith('--')) usage(`unknown option ${args[i]}`);
	else pos.push(args[i]);
}
if (pos.length !== 2) usage();
const [file, mode] = pos;
if (mode !== 'exact' && mode !== 'approx') usage('mode must be exact or approx');
if (!['sets', 'unpivot', 'table'].includes(strategy)) usage('bad --strategy');
if (!(threads >= 1)) usage('bad --threads');

const sqlStr = (s) => `'${String(s).replace(/'/g, "''")}'`;
const ident = (s) => `"${String(s).replace(/"/g, '""')}"`;
const num = (x) => (x === null || x === undefined ? null : Number(x));

const src = `read_csv(${sqlStr(file)}, header = true, all_varchar = true, ` +
	`nullstr = ['', 'NA', 'NULL', '\\N', 'NaN'])`;

const instance = await DuckDBInstance.create(':memory:', {
	threads: String(threads),
	preserve_insertion_order: 'false',
});
const con = await instance.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();
const version = (await rows('SELECT version()'))[0][0];

// Column names from the header (DESCRIBE reads only a sample of the file).
const t0 = process.hrtime.bigint();
const names = (await rows(`DESCRIBE SELECT * FROM ${src}`)).map((r) => r[0]);
const cols = names.map((n) => ({ name: n, distinct: null, nulls: null, top: [] }));
let nrows = null;

if (mode === 'approx') {
	const sel = ['count(*)'];
	for (const n of names) {
		const c = ident(n);
		sel.push(`approx_count_distinct(${c})`, `count(*) - count(${c})`,
			`approx_top_k(${c}, 10)`);
	}
	const r = (await rows(`SELECT ${sel.join(', ')} FROM ${src}`))[0];
	nrows = num(r[0]);
	cols.forEach((col, i) => {
		col.distinct = num(r[1 + 3 * i]);
		col.nulls = num(r[2 + 3 * i]);
		const top = r[3 + 3 * i];
		const items = top === null ? [] : (top.items ?? top);
		col.top = items.filter((v) => v !== null).map((v) => [String(v), null]);
	});
} else {
	// Every strategy ends in a table g(col, v, n): one row per column and
	// value (v NULL for the nulls), n the rows holding it.
	if (strategy === 'sets') {
		const all = names.map(ident);
		const N = names.length;
		const full = 2 ** N - 1;
		// GROUPING_ID(c1..cN): bit N-1-i is 0 exactly for column i's set.
		const colOf = names.map((_, i) => `WHEN ${full - 2 ** (N - 1 - i)} THEN ${i}`);
		const valOf = names.map((_, i) => `WHEN ${full - 2 ** (N - 1 - i)} THEN ${all[i]}`);
		await con.run(`CREATE TEMP TABLE g AS
			SELECT CASE gid ${colOf.join(' ')} END AS col,
			       CASE gid ${valOf.join(' ')} END AS v, n
			FROM (SELECT GROUPING_ID(${all.join(', ')}) AS gid, ${all.join(', ')},
			             count(*) AS n
			      FROM ${src}
			      GROUP BY GROUPING SETS (${all.map((c) => `(${c})`).join(', ')}))`);
	} else if (strategy === 'unpivot') {
		const caseCol = names.map((n, i) => `WHEN ${sqlStr(n)} THEN ${i}`);
		await con.run(`CREATE TEMP TABLE g AS
			SELECT CASE name ${caseCol.join(' ')} END AS col, v, count(*) AS n
			FROM ${src} UNPIVOT INCLUDE NULLS
			     (v FOR name IN (${names.map(ident).join(', ')}))
			GROUP BY name, v`);
	} else {
		await con.run(`CREATE TEMP TABLE t AS SELECT * FROM ${src}`);
		await con.run('CREATE TEMP TABLE g (col INTEGER, v VARCHAR, n BIGINT)');
		for (let i = 0; i < names.length; i++) {
			const c = ident(names[i]);
			await con.run(`INSERT INTO g SELECT ${i}, ${c}, count(*) FROM t GROUP BY ${c}`);
		}
	}
	for (const [i, d, nulls, total] of await rows(`SELECT col, count(v),
			coalesce(sum(n) FILTER (WHERE v IS NULL), 0), sum(n)
			FROM g GROUP BY col`)) {
		cols[i].distinct = num(d);
		cols[i].nulls = num(nulls);
		nrows = num(total);
	}
	for (const [i, v, n] of await rows(`SELECT col, v, n FROM g WHERE v IS NOT NULL
			QUALIFY row_number() OVER (PARTITION BY col ORDER BY n DESC, v) <= 10
			ORDER BY col, n DESC, v`))
		cols[i].top.push([v, num(n)]);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

process.stdout.write(JSON.stringify({
	mode, strategy: mode === 'exact' ? strategy : 'aggregate', duckdb: version,
	threads, rows: nrows, seconds: Math.round(seconds * 1000) / 1000,
	columns: cols,
}) + '\n');
