// Verifies one Flotilla bundle with the Sigstore project's own JavaScript verifier, as an independent check of
// our bundle format: node verify.mjs BUNDLE.json PUBLIC.pem EXPECTED-HINT
// Prints one line; exit 0 verified, 1 refused, 2 usage.
//
// The bundle is keyed (verificationMaterial.publicKey.hint), with no certificate, transparency-log entry or
// timestamp. @sigstore/verify's Verifier requires one timestamp and one tlog entry by default ("TIMESTAMP_ERROR:
// expected 1 timestamps, got 0", then "TLOG_ERROR: expected 1 tlog entries, got 0"): timestampThreshold and
// tlogThreshold 0 lift that; ctlogThreshold applies to certificates only and is 0 for clarity. The trusted root
// is empty, so only the key given here can verify.
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [],
};
const THRESHOLDS = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };

function refuse(message, code = 1) {
  console.log(`refused: ${message}`);
  process.exit(code);
}

const [bundlePath, keyPath, expectedHint] = process.argv.slice(2);
if (!bundlePath || !keyPath || !expectedHint) {
  refuse('usage: node verify.mjs BUNDLE.json PUBLIC.pem EXPECTED-HINT', 2);
}

try {
  const spki = createPublicKey(readFileSync(keyPath, 'utf8')).export({ type: 'spki', format: 'der' });
  const hint = createHash('sha256').update(spki).digest('base64');
  if (hint !== expectedHint) {
    refuse(`key hint: base64(sha256(SPKI DER of ${keyPath})) is ${hint}, expected ${expectedHint}`);
  }
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  const keys = { [expectedHint]: { rawBytes: spki, keyDetails: 'PKIX_ECDSA_P256_SHA_256' } };
  new Verifier(toTrustMaterial(EMPTY_TRUSTED_ROOT, keys), THRESHOLDS).verify(toSignedEntity(bundle));
  const envelope = bundle.content.dsseEnvelope;
  const digest = createHash('sha256').update(envelope.payload).digest('hex');
  console.log(`verified: mediaType=${bundle.mediaType} payloadType=${envelope.payloadType} `
    + `hint=${bundle.verificationMaterial.content.publicKey.hint} payloadSha256=${digest}`);
} catch (e) {
  refuse(`${e.code ?? e.constructor.name}: ${e.message}${e.fields ? ' ' + JSON.stringify(e.fields) : ''}`);
}
