import { NotBuiltYetError } from '../core/errors.js';
import { requiredInput, runAction } from '../github/run-action.js';

await runAction(async () => {
  requiredInput('model');
  throw new NotBuiltYetError('evaluate');
});
