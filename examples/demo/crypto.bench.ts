import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { suite } from 'perfgate';

const { privateKey } = generateKeyPairSync('ed25519');
const message = Buffer.from('perfgate signs this message');

export default suite('crypto', (s) => {
  s.bench(
    'sha256',
    {
      params: { size: [1024, 65536, 1048576] },
      throughput: ({ size }) => Number(size),
      setup: ({ size }) => Buffer.alloc(Number(size), 7),
    },
    (buf) => createHash('sha256').update(buf).digest(),
  );
  s.bench('ed25519.sign', () => sign(null, message, privateKey), { class: 'critical' });
});
