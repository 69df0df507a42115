// Used by `npm run test:vectors`: after Vitest's own summary, prints per-file counts
// and then exactly one closing line, `wycheproof: N passed, F failed, S skipped`.
// The counts come from the tallies each test attaches to its task's meta.
import type { Reporter, TestModule } from 'vitest/node';
import type { FileTally } from './vector-file';

declare module 'vitest' {
  interface TaskMeta {
    wycheproof?: FileTally;
  }
}

export default class WycheproofReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tallies: FileTally[] = [];
    let testFailures = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const tally = test.meta().wycheproof;
        if (tally) tallies.push(tally);
        if (test.result().state === 'failed') testFailures++;
      }
    }
    let [passed, failed, skipped] = [0, 0, 0];
    for (const tally of tallies) {
      passed += tally.passed;
      failed += tally.failed;
      skipped += tally.skipped;
      const reasons = Object.entries(tally.skipReasons)
        .map(([reason, count]) => `${count} x ${reason}`)
        .join('; ');
      console.log(
        `  ${tally.file}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped` +
          (reasons ? ` (${reasons})` : ''),
      );
    }
    // A test that crashed before counting is a failure even if it tallied nothing.
    if (failed === 0 && testFailures > 0) failed = testFailures;
    console.log(`wycheproof: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
