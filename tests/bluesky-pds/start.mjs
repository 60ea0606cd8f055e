// Starts Bluesky's reference PDS (@atproto/pds) with an in-memory PLC directory (@did-plc/server with its mock
// database, as @atproto/dev-env does) in this one process, offline, both on 127.0.0.1.
//   PDS_PORT=5321 node start.mjs   → prints "ready http://127.0.0.1:5321 plc http://127.0.0.1:<port>" once both answer.
// Accounts (handles ending in ".test") live as long as the process: the PLC directory is in memory and the PDS's
// data directory is a temporary folder removed on exit. Stop it with SIGTERM or SIGINT.
import crypto from 'node:crypto';
import events from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PDS, envToCfg, envToSecrets, readEnv } from '@atproto/pds';

const require = createRequire(import.meta.url);
const { PlcServer, Database: PlcDatabase } = require('@did-plc/server');

const port = Number(process.env.PDS_PORT || 0);
if (!Number.isInteger(port) || port <= 0) {
  console.error('error: set PDS_PORT to the port the PDS should listen on');
  process.exit(2);
}

// Both servers listen on the loopback interface only (their own start() listens on every interface).
async function listenOnLoopback(app, listenPort) {
  const server = app.listen(listenPort, '127.0.0.1');
  await events.once(server, 'listening');
  return server;
}

const plc = PlcServer.create({ db: PlcDatabase.mock(), port: 0 });
const plcServer = await listenOnLoopback(plc.app, 0);
const plcUrl = `http://127.0.0.1:${plcServer.address().port}`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmportal-pds-'));
const secret = () => crypto.randomBytes(32).toString('hex');
Object.assign(process.env, {
  PDS_HOSTNAME: 'localhost',
  PDS_PORT: String(port),
  PDS_DATA_DIRECTORY: dataDir,
  PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDir, 'blobs'),
  PDS_DID_PLC_URL: plcUrl,
  PDS_SERVICE_HANDLE_DOMAINS: '.test',
  PDS_INVITE_REQUIRED: 'false',
  PDS_DEV_MODE: 'true',
  PDS_CRAWLERS: '',
  PDS_JWT_SECRET: secret(),
  PDS_DPOP_SECRET: secret(),
  PDS_ADMIN_PASSWORD: secret(),
  // Any 32 random bytes are a valid secp256k1 private key (the odds of one out of range are ~2^-128).
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secret(),
  LOG_ENABLED: process.env.LOG_ENABLED ?? 'false',
});

const env = readEnv();
const pds = await PDS.create(envToCfg(env), envToSecrets(env));
// What PDS.start() does, but bound to 127.0.0.1.
await pds.ctx.sequencer.start();
const pdsServer = await listenOnLoopback(pds.app, port);
pdsServer.keepAliveTimeout = 90_000;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  pdsServer.closeAllConnections?.();
  pdsServer.close();
  plcServer.closeAllConnections?.();
  plcServer.close();
  try { await pds.ctx.sequencer.destroy?.(); } catch { /* exiting anyway */ }
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

console.log(`ready http://127.0.0.1:${port} plc ${plcUrl}`);
