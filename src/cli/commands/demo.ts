import type { Command } from 'commander';
import { join } from 'node:path';
import { writeDemoData } from '../../../examples/demo-data/write.js';
import { runCommand } from '../run-command.js';

interface DemoStep {
  name: string;
  /** Undefined while the command is not built yet: the demo says so and moves on. */
  run?: () => Promise<string>;
}

/** The whole chain over the embedded demo data, offline: data → validate → train → evaluate → gate. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole chain on the embedded demo weather data, offline')
    .option('--out <dir>', 'output folder', 'mlops-out')
    .action(
      runCommand(async (options: { out: string }) => {
        const dataDir = join(options.out, 'data');
        const steps: DemoStep[] = [
          {
            name: 'demo data',
            run: async () => {
              const files = await writeDemoData({ dir: dataDir, rows: 20000, seed: 42, layout: 'splits' });
              return Object.values(files)
                .map(({ path, rows }) => `${path} (${rows} rows)`)
                .join(', ');
            },
          },
          { name: 'validate-data' },
          { name: 'train' },
          { name: 'evaluate' },
          { name: 'gate' },
        ];
        const missing: string[] = [];
        for (const step of steps) {
          if (!step.run) {
            missing.push(step.name);
            continue;
          }
          const started = performance.now();
          const summary = await step.run();
          console.log(`✓ ${step.name} (${Math.round(performance.now() - started)} ms): ${summary}`);
        }
        if (missing.length) console.log(`not built yet, skipped: ${missing.join(', ')}`);
        return 0;
      }),
    );
}
