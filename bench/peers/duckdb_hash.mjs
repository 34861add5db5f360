// bench/peers/duckdb_hash.mjs - the DuckDB peer of `hicard hash` (issue 4;
// run by bench/peers/run.sh, `make bench-peers`).
//
//   node bench/peers/duckdb_hash.mjs FILE.csv OUT.parquet BUCKETS LABEL COL...
//        [--threads N]
//
// Reads FILE (header, all columns as text), replaces each COL by
// hash(COL) % BUCKETS (DuckDB's own 64-bit hash) and writes LABEL (as a
// float) and the ids to OUT as Parquet: the same work as
// `hicard hash --scheme mod --format hcb --label LABEL -s COL,...`, a binary
// file of label and ids.  Prints one JSON line {"duckdb","threads","rows",
// "seconds"}, seconds being the query alone.
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
let threads = 1;
const pos = [];
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--threads') threads = Number(args[++i]);
	else pos.push(args[i]);
}
if (pos.length < 5 || !(threads >= 1)) {
	process.stderr.write('usage: node duckdb_hash.mjs FILE.csv OUT.parquet BUCKETS LABEL COL... [--threads N]\n');
	process.exit(2);
}
const [file, out, buckets, label, ...cols] = pos;
const sqlStr = (s) => `'${String(s).replace(/'/g, "''")}'`;
const ident = (s) => `"${String(s).replace(/"/g, '""')}"`;

const instance = await DuckDBInstance.create(':memory:', {
	threads: String(threads),
	preserve_insertion_order: 'true',
});
const con = await instance.connect();
const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
const sel = [`CAST(${ident(label)} AS FLOAT) AS ${ident(label)}`].concat(
	cols.map((c) => `CAST(hash(${ident(c)}) % ${Number(buckets)} AS UINTEGER) AS ${ident(c)}`));
const t0 = process.hrtime.bigint();
const r = await con.runAndReadAll(
	`COPY (SELECT ${sel.join(', ')} FROM read_csv(${sqlStr(file)}, header = true, ` +
	`all_varchar = true)) TO ${sqlStr(out)} (FORMAT parquet)`);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const rows = Number(r.getRows()[0][0]);
console.log(JSON.stringify({ duckdb: version, threads, rows, seconds }));
