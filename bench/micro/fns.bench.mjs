import { suite } from 'perfgate';
import { tiny, small, sha1mib } from './fns.mjs';

export default suite('micro', (s) => {
  s.bench('tiny', tiny);
  s.bench('small', small);
  s.bench('sha1mib', sha1mib);
});
