// Drops the "funding" links npm writes into package-lock.json, so the lock file names no outside host
// (`omit-lockfile-registry-resolved` in .npmrc already keeps registry URLs out). Run: npm run lock:clean
import { readFileSync, writeFileSync } from 'node:fs'

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
for (const pkg of Object.values(lock.packages ?? {})) delete pkg.funding
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n')
