/**
 * The twin's inbox on disk. aws-ses-v2-local keeps the emails it receives in an in-memory
 * array; with a state directory every email is appended to `inbox.jsonl` before SES answers
 * (a synchronous append: a `kill -9` right after the answer still finds it there), and the file
 * is loaded back into the inbox at start, so the web inbox shows every email ever sent.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface SesStoreModule {
  saveEmail: (email: unknown) => void;
  getStoreReadonly: () => { emails: unknown[] };
}

let installedFile: string | undefined;
let original: SesStoreModule['saveEmail'] | undefined;

/** Loads `file` into the inbox and appends every new email to it. Returns how many were loaded. */
export function persistInbox(file: string): number {
  // The package's handlers call store.saveEmail through the module's exports object at call
  // time (compiled CommonJS), so replacing the export reaches every send.
  const store = require('aws-ses-v2-local/dist/store.js') as SesStoreModule;
  const emails = store.getStoreReadonly().emails;
  let loaded = 0;
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        emails.push(JSON.parse(line));
        loaded += 1;
      } catch {
        // A line cut short by a crash mid-write: everything before it is intact.
      }
    }
  }
  original ??= store.saveEmail;
  installedFile = file;
  const save = original;
  store.saveEmail = (email: unknown) => {
    if (installedFile !== undefined) appendFileSync(installedFile, `${JSON.stringify(email)}\n`);
    save(email);
  };
  return loaded;
}

/** Stops writing to the file (the twin stopped); the inbox itself stays as it is. */
export function stopPersistingInbox(): void {
  installedFile = undefined;
}
