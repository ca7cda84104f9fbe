import { suite } from 'perfgate';

const doc = { id: 42, name: 'perfgate', tags: ['bench', 'load', 'gate'], nested: { a: 1, b: [1, 2, 3] } };
const text = JSON.stringify(doc);

export default suite('json', (s) => {
  s.bench('stringify', () => JSON.stringify(doc));
  s.bench('parse', () => JSON.parse(text));
  s.bench('parse.async', async () => {
    await Promise.resolve();
    return JSON.parse(text);
  });
});
