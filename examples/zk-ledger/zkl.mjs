#!/usr/bin/env node
// zkl: the CLI of seed 000's ledger.
//   zkl gen ROWS FILE.csv            a dataset of ROWS rows
//   zkl notarize FILE.csv [LEDGER]   the dataset's proof (JSON on stdout), written to the SQLite ledger if given
//   zkl verify PROOF.json            exit 0 if the proof holds, 1 if not
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { datasetText, notarizeFile, openLedger, verify } from './ledger.mjs';

const [cmd, ...args] = process.argv.slice(2);
const usage = 'usage: zkl gen ROWS FILE.csv | zkl notarize FILE.csv [LEDGER.db] | zkl verify PROOF.json | zkl --version';

function fail(message, code = 2) {
  process.stderr.write(`zkl: ${message}\n`);
  process.exit(code);
}

try {
  if (cmd === '--version') console.log('zkl 0.1.0');
  else if (cmd === 'gen' && args.length === 2) {
    const rows = Number(args[0]);
    if (!Number.isInteger(rows) || rows < 1) fail(`gen: ROWS must be a whole number above 0 (got ${JSON.stringify(args[0])})`);
    writeFileSync(args[1], datasetText(rows));
  } else if (cmd === 'notarize' && (args.length === 1 || args.length === 2)) {
    const proof = notarizeFile(args[0], basename(args[0]));
    if (args[1]) {
      const ledger = openLedger(args[1]);
      ledger.write(proof.root, proof);
      ledger.close();
    }
    console.log(JSON.stringify(proof));
  } else if (cmd === 'verify' && args.length === 1) {
    const ok = verify(JSON.parse(readFileSync(args[0], 'utf8')));
    console.log(ok ? 'valid' : 'INVALID');
    process.exit(ok ? 0 : 1);
  } else fail(usage);
} catch (e) {
  fail(e.message, 1);
}
