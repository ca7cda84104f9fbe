/** The exit table and the usage error live in the model: every command shares them. */
export { EXIT, UsageError } from '../model/errors.js';
