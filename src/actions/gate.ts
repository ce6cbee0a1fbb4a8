import { gateAction } from '../github/gate-action.js';
import { runAction } from '../github/run-action.js';

await runAction(gateAction);
