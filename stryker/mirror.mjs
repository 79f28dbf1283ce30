// The local mirror: src/main/core/mirror.
import { engineTests, notMutantTests } from './shared/tests.mjs';

export default {
  mutate: ['src/main/core/mirror/**/*.ts'],
  tsconfig: 'tsconfig.stryker-core.json',
  environment: 'node',
  tests: [
    ...engineTests,
    'tests/integration/message-index.test.ts',
    'tests/integration/mirror-recovery.test.ts',
    // In-process, over a temp mirror (about 1 s each): the stats, saved-reply, room-member,
    // message-change and export repositories are exercised here and in no unit test.
    'tests/integration/stats.test.ts',
    'tests/integration/saved-replies.test.ts',
    'tests/integration/room-members.test.ts',
    'tests/integration/message-changes.test.ts',
    'tests/integration/export.test.ts',
    'tests/integration/conversations-repo.test.ts',
    'tests/integration/mirror-small-repos.test.ts',
    // The edges the session-6 mutation run left alive (TESTING.md "mirror (session 6)").
    'tests/integration/messages-repo-edges.test.ts',
    'tests/integration/conversations-repo-edges.test.ts',
    'tests/integration/search-terms.test.ts',
    'tests/integration/search-feed-edges.test.ts',
  ],
  exclude: notMutantTests,
};
