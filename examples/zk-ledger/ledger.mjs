// The ledger of seed 000's plan, small enough to read: a CSV dataset, one SHA-256 leaf per row,
// a Merkle tree over the leaves, a ~1 KB proof (the root and the inclusion path of a row that the
// root itself chooses, so the prover cannot pick an easy one), a ledger of proofs in SQLite and a
// batch write of proofs to PostgreSQL. perfgate measures these functions and the CLI around them.
import { hash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';

const NODE = Buffer.from([1]);
const FIELDS = 4; // id,account,amount,timestamp
/** The proofs' table, the same in SQLite and PostgreSQL. */
export const PROOFS_TABLE = 'CREATE TABLE IF NOT EXISTS proofs (id TEXT PRIMARY KEY, root TEXT NOT NULL, body TEXT NOT NULL)';

// ZKL_SLOW=hash injects a slowdown into one inner function, for the gate's demonstration: every
// leaf is hashed twice.
const slow = process.env.ZKL_SLOW === 'hash';

/**
 * SHA-256 of `input`, written into `out` at `at`. The digest comes back as a latin1 string, one
 * character a byte: a string is a young-generation object, where a Buffer per digest is an
 * ArrayBuffer for the GC to track, and here that made hashing three times slower.
 */
function digestInto(input, out, at) {
  out.write(hash('sha256', input, 'latin1'), at, 'latin1');
}

/** One row's leaf: H(0x00 ‖ row), so a leaf can never pass for an inner node. */
let scratchLeaf = Buffer.alloc(256);
function leafOf(row, out, at) {
  // One scratch buffer for every row: a Buffer.concat per row is a million allocations for the GC.
  if (row.length + 1 > scratchLeaf.length) scratchLeaf = Buffer.alloc(2 * (row.length + 1));
  row.copy(scratchLeaf, 1);
  const input = scratchLeaf.subarray(0, row.length + 1);
  digestInto(input, out, at);
  if (slow) digestInto(input, out, at);
}

/** An inner node: H(0x01 ‖ left ‖ right), into `out` at `at`. */
function nodeInto(scratch, left, right, out, at) {
  left.copy(scratch, 1);
  right.copy(scratch, 33);
  digestInto(scratch, out, at);
}

/** Checks one CSV line: four fields and a whole-number amount. Throws with the line number. */
function checkRow(line, n) {
  let commas = 0;
  let second = -1;
  let third = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== 0x2c) continue;
    commas++;
    if (commas === 2) second = i;
    if (commas === 3) third = i;
  }
  if (commas !== FIELDS - 1) throw new Error(`line ${n}: expected ${FIELDS} fields, got ${commas + 1}`);
  for (let i = second + 1; i < third; i++) if (line[i] < 0x30 || line[i] > 0x39) throw new Error(`line ${n}: the amount is not a whole number`);
}

/** Dataset loading: the file's rows, each checked, as views into one buffer. */
export function readDataset(file) {
  const buf = readFileSync(file);
  const rows = [];
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
    const row = buf.subarray(start, i);
    checkRow(row, rows.length + 1);
    rows.push(row);
    start = i + 1;
  }
  if (start < buf.length) {
    checkRow(buf.subarray(start), rows.length + 1);
    rows.push(buf.subarray(start));
  }
  return rows;
}

/** Hash computation: every row's leaf, packed 32 bytes each. */
export function hashRows(rows) {
  const leaves = Buffer.allocUnsafe(32 * rows.length);
  for (let i = 0; i < rows.length; i++) leafOf(rows[i], leaves, 32 * i);
  return leaves;
}

/** Merkle tree build: the levels from the leaves up to the root; an odd node is carried up. */
export function buildTree(leaves) {
  const levels = [leaves];
  const scratch = Buffer.alloc(65);
  NODE.copy(scratch);
  let level = leaves;
  while (level.length > 32) {
    const n = level.length / 32;
    const up = Buffer.allocUnsafe(32 * Math.ceil(n / 2));
    for (let i = 0; i + 1 < n; i += 2) nodeInto(scratch, level.subarray(32 * i, 32 * i + 32), level.subarray(32 * i + 32, 32 * i + 64), up, 16 * i);
    if (n % 2) level.copy(up, 16 * (n - 1), 32 * (n - 1));
    levels.push(up);
    level = up;
  }
  return levels;
}

const rootOf = (levels) => levels[levels.length - 1].subarray(0, 32);

/** The inclusion path of leaf `index`: each level's sibling, or null where the node was carried up. */
function pathOf(levels, index) {
  const path = [];
  for (let l = 0, i = index; l < levels.length - 1; l++, i >>= 1) {
    const n = levels[l].length / 32;
    const sib = i ^ 1;
    path.push(sib < n ? levels[l].subarray(32 * sib, 32 * sib + 32).toString('hex') : null);
  }
  return path;
}

/** Proof generation: the dataset's commitment and the path of the row its root challenges. */
export function prove(levels, rows, dataset) {
  const root = rootOf(levels);
  const index = root.readUInt32BE(0) % rows.length;
  return { dataset, rows: rows.length, root: root.toString('hex'), index, row: rows[index].toString('utf8'), path: pathOf(levels, index) };
}

/** Proof verification: the row's leaf, folded up its path, must give the root, at the index the root chooses. */
export function verify(proof) {
  const root = Buffer.from(proof.root, 'hex');
  if (root.readUInt32BE(0) % proof.rows !== proof.index) return false;
  const scratch = Buffer.alloc(65);
  NODE.copy(scratch);
  const h = Buffer.alloc(32);
  leafOf(Buffer.from(proof.row, 'utf8'), h, 0);
  for (let l = 0, i = proof.index; l < proof.path.length; l++, i >>= 1) {
    const sib = proof.path[l];
    if (sib === null) continue;
    const s = Buffer.from(sib, 'hex');
    if (i & 1) nodeInto(scratch, s, h, h, 0);
    else nodeInto(scratch, h, s, h, 0);
  }
  return h.equals(root);
}

/**
 * Calls `visit(line)` for each line of the file, read 1 MB at a time, until it returns true.
 * A line is a view into the read buffer: copy what must outlive the call.
 */
function forEachLine(file, visit) {
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  let carry = Buffer.alloc(0);
  try {
    for (let got; (got = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) {
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, got)]) : chunk.subarray(0, got);
      let start = 0;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, start)) {
        if (visit(data.subarray(start, i))) return;
        start = i + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length) visit(carry);
  } finally {
    closeSync(fd);
  }
}

/**
 * The whole job, streaming: only the leaves are kept (32 bytes a row), so memory grows with the
 * rows' count, not with the file.
 */
export function notarizeFile(file, dataset = file) {
  let leaves = Buffer.allocUnsafe(32 * 1024);
  let n = 0;
  forEachLine(file, (row) => {
    checkRow(row, n + 1);
    if (32 * (n + 1) > leaves.length) {
      const grown = Buffer.allocUnsafe(leaves.length * 2);
      leaves.copy(grown);
      leaves = grown;
    }
    leafOf(row, leaves, 32 * n++);
  });
  if (!n) throw new Error(`${file}: no rows`);
  const levels = buildTree(leaves.subarray(0, 32 * n));
  // The challenged row is read once more: the proof carries it, and only it.
  const index = rootOf(levels).readUInt32BE(0) % n;
  let row;
  let line = 0;
  forEachLine(file, (l) => {
    if (line++ !== index) return false;
    row = Buffer.from(l);
    return true;
  });
  return prove(levels, { length: n, [index]: row }, dataset);
}

/** A dataset of `rows` rows, the same for the same count. */
export function datasetText(rows) {
  const out = [];
  for (let i = 0; i < rows; i++) out.push(`${i},acct-${(i * 7919) % 100003},${(i * 104729) % 1000000},2026-12-0${1 + (i % 7)}T00:00:00Z\n`);
  return out.join('');
}

/** The ledger of proofs: one SQLite file, in WAL mode, one transaction per write. */
export function openLedger(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(PROOFS_TABLE);
  const put = db.prepare('INSERT OR REPLACE INTO proofs (id, root, body) VALUES (?, ?, ?)');
  const get = db.prepare('SELECT body FROM proofs WHERE id = ?');
  return {
    write: (id, proof) => put.run(id, proof.root, JSON.stringify(proof)),
    read: (id) => {
      const row = get.get(id);
      return row ? JSON.parse(row.body) : undefined;
    },
    close: () => db.close(),
  };
}

/** The batch write to PostgreSQL: many proofs in one statement, in one transaction. */
export async function batchWrite(client, proofs, prefix) {
  const values = [];
  const args = [];
  proofs.forEach((p, i) => {
    values.push(`($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`);
    args.push(`${prefix}-${i}`, p.root, JSON.stringify(p));
  });
  await client.query('BEGIN');
  try {
    await client.query(`INSERT INTO proofs (id, root, body) VALUES ${values.join(', ')} ON CONFLICT (id) DO UPDATE SET root = EXCLUDED.root, body = EXCLUDED.body`, args);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}
